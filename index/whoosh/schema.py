"""The fields of the index and the analyzer behind each.

``title`` and ``text`` are searched together with the Norwegian analyzer; ``date`` answers
``date:2023-07`` queries, and ``date_first``/``date_last`` (the span of days a date may mean,
as ``YYYYMMDD`` integers) answer ``--since``/``--until`` at each document's own precision;
``language`` (``nb``, ``nn``, ``other``) answers ``language:nn``.
The rest is stored so that ``Index.get`` returns the whole record.
"""

from __future__ import annotations

from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from ..analysis import date_analyzer, norwegian_analyzer
from .textfield import WordAtATimeText

# Bumped whenever fields or analysis change in a way that needs a re-index (7: each segment's
# compounds file, without which a word does not find its compounds; 8: an acronym's genitive
# s dropped, ``EUs`` -> ``eu``; 9: Bokmål and Nynorsk inflection around the stemmer,
# ``index.analysis.inflection``; 10: the schema pickles its filters and field types by module
# path, and they moved into index/analysis/ and index/whoosh/; 11: each segment's compounds
# also in the order of the compounds, without which a word does not find those it begins; 12: each
# segment's postings of title and text also as arrays, :mod:`index.whoosh.rankfile`).
# (NUMERIC fields stay signed: Whoosh 2.7 mishandles open ranges on unsigned ones.)
SCHEMA_VERSION = 12


def build_schema() -> Schema:
    """A fresh schema; the index pickles it, so every analyzer in it must be picklable."""
    text_analyzer = norwegian_analyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        path=STORED(),
        title=WordAtATimeText(analyzer=text_analyzer, stored=True),
        text=WordAtATimeText(analyzer=text_analyzer, stored=True),
        date=TEXT(analyzer=date_analyzer(), stored=True, phrase=False),
        date_first=NUMERIC(int, bits=32),
        date_last=NUMERIC(int, bits=32),
        language=ID(stored=True),
        encoding=STORED(),
        repairs=STORED(),
        size=STORED(),
        mtime_ns=STORED(),
        sha256=STORED(),
    )
