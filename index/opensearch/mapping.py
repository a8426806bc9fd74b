"""The OpenSearch index: Norwegian analysis as close to ours (:mod:`index.analysis`) as the
engine allows, and fields that answer what our schema (:mod:`index.whoosh.schema`) answers.

- ``title``/``text``: OpenSearch's standard tokenizer, lower case, our Norwegian stop words,
  our irregular plurals (``bøker`` -> ``bok``) as pattern replacements, and the same
  Snowball Norwegian stemmer as ours; æ, ø and å stay letters of their own.
- ``title.folded``/``text.folded``: the same with ``scandinavian_folding`` before stemming
  (``løsning``, ``losning`` and ``loesning`` alike), for words typed without æ, ø, å.
- ``date`` (stored ISO text at its precision), ``date_prefixes`` (``2023``, ``2023-07``,
  ``2023-07-14``: answers ``date:2023-07``) and ``date_span``, a ``date_range`` of the days the
  date may mean: ``--since 2023-07-14`` finds a document dated ``2023-07``.
- ``language`` a keyword; everything of :class:`index.Document` is in ``_source``.

Not carried over: our compound splitting (no dictionary in the engine), the genitive of
acronyms (``EUs``), and restoring æ/ø/å only where the index lacks the typed word.
"""

from __future__ import annotations

import hashlib

from ..analysis import IRREGULAR_PLURAL_ENDINGS, IRREGULAR_PLURAL_WORDS, NORWEGIAN_STOP_WORDS
from ..config import OpenSearchConfig
from ..dates import PartialDate
from ..document import Document

# Bumped when the mapping changes in a way that needs the index built anew.
MAPPING_VERSION = 1
# OpenSearch refuses an _id longer than this many bytes; a relative path may be 4096.
MAX_ID_BYTES = 512


def document_key(doc_id: str) -> str:
    """The ``_id`` of a document: its id, or for an id too long for OpenSearch a digest of
    it (the ``id`` field keeps it whole)."""
    if len(doc_id.encode("utf-8")) <= MAX_ID_BYTES:
        return doc_id
    return "sha256:" + hashlib.sha256(doc_id.encode("utf-8")).hexdigest()


def _irregular_plurals() -> dict[str, dict]:
    """One ``pattern_replace`` filter per plural, longest endings first, as our filter does."""
    filters = {}
    rules = [(f"^{word}$", singular) for word, singular in IRREGULAR_PLURAL_WORDS.items()]
    rules += [(f"{ending}$", singular) for ending, singular in sorted(
        IRREGULAR_PLURAL_ENDINGS.items(), key=lambda item: len(item[0]), reverse=True)]
    for number, (pattern, replacement) in enumerate(rules):
        filters[f"norwegian_plural_{number}"] = {"type": "pattern_replace", "pattern": pattern, "replacement": replacement}
    return filters


def index_body(config: OpenSearchConfig) -> dict:
    """Settings and mappings for ``indices.create``."""
    plurals = _irregular_plurals()
    before = ["lowercase", "norwegian_stop", *plurals]
    text = {
        "type": "text",
        "analyzer": "norwegian",
        "index_options": "offsets",  # the highlighter reads offsets instead of re-analysing the text
        "fields": {"folded": {"type": "text", "analyzer": "norwegian_folded"}},
    }
    return {
        "settings": {
            "number_of_shards": config.shards,
            "number_of_replicas": config.replicas,
            "analysis": {
                "filter": {
                    "norwegian_stop": {"type": "stop", "stopwords": sorted(NORWEGIAN_STOP_WORDS)},
                    "norwegian_snowball": {"type": "snowball", "language": "Norwegian"},
                    **plurals,
                },
                "analyzer": {
                    "norwegian": {"tokenizer": "standard", "filter": [*before, "norwegian_snowball"]},
                    "norwegian_folded": {
                        "tokenizer": "standard",
                        "filter": [*before, "scandinavian_folding", "norwegian_snowball"],
                    },
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"norsearch_mapping_version": MAPPING_VERSION},
            "properties": {
                "id": {"type": "keyword"},
                "path": {"type": "keyword", "index": False},
                "title": text,
                "text": text,
                "date": {"type": "keyword"},
                "date_prefixes": {"type": "keyword"},
                "date_span": {"type": "date_range", "format": "yyyy-MM-dd"},
                "language": {"type": "keyword"},
                "encoding": {"type": "keyword", "index": False},
                "repairs": {"type": "keyword", "index": False},
                "size": {"type": "long", "index": False},
                "mtime_ns": {"type": "long", "index": False},
                "sha256": {"type": "keyword", "index": False},
            },
        },
    }


def _day(yyyymmdd: int) -> str:
    return f"{yyyymmdd // 10000:04d}-{yyyymmdd // 100 % 100:02d}-{yyyymmdd % 100:02d}"


def day_of(date: PartialDate, last: bool = False) -> str:
    """The first (or last) day ``date`` may mean, as ``YYYY-MM-DD``."""
    return _day(date.last_day() if last else date.first_day())


def document_source(doc: Document) -> dict:
    """The ``_source`` of a document: its record, and the date fields derived from it."""
    source = {
        "id": doc.id,
        "path": doc.path,
        "title": doc.title,
        "text": doc.text,
        "date": doc.date,
        "language": doc.language,
        "encoding": doc.encoding,
        "repairs": list(doc.repairs),
        "size": doc.size,
        "mtime_ns": doc.mtime_ns,
        "sha256": doc.sha256,
    }
    if doc.date:
        date = PartialDate.parse(doc.date)
        source["date_prefixes"] = date.prefixes()
        source["date_span"] = {"gte": day_of(date), "lte": day_of(date, last=True)}
    return source


