"""The ``title`` and ``text`` field type: Whoosh's ``TEXT``, indexed a word at a time.

Whoosh indexes a text by running every token through the analyzer's chain of generators
(tokenizer, lower case, stop words, plurals, stemmer). A language has far fewer distinct words
than a corpus has tokens, so :class:`WordAtATimeText` looks each word's term up in a
:class:`~index.analysis.wordterms.WordTerms` memo and builds the postings Whoosh's ``Positions`` format
would build, byte for byte (``tests/test_postings.py`` holds it to that). Queries still go
through the analyzer itself.
"""

from __future__ import annotations

from functools import lru_cache
from pickle import dumps
from typing import Iterator

from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.system import pack_uint

from ..analysis.wordterms import WordTerms


class WordAtATimeText(TEXT):
    """``TEXT`` with positions, for an analyzer that turns each word into at most one term
    on its own (a ``RegexTokenizer`` and one-word filters, as :func:`index.analysis.norwegian_analyzer`)."""

    def index(self, value, **kwargs) -> Iterator[tuple[bytes, int, float, bytes]]:
        if type(self.format) is not Positions or not isinstance(value, str) or kwargs.get("mode", "index") != "index":
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        for term, positions in self._word_terms().term_positions(value).items():
            count = len(positions)
            yield term.encode("utf-8"), count, count * boost, _encoded(positions)

    def _word_terms(self) -> WordTerms:
        words = self.__dict__.get("_words")
        if words is None:
            words = self._words = WordTerms(self.analyzer)
        return words

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_words", None)  # a per-process memo, not part of the schema
        return state


def _encoded(positions: list[int]) -> bytes:
    """Positions as Whoosh's ``Positions.encode`` writes them: a count, then the pickled gaps."""
    if len(positions) == 1:  # most terms occur once in a document
        return _COUNT_ONE + _pickled_one(positions[0])  # a new object: see _pickled_one
    gaps = [b - a for a, b in zip([0] + positions, positions)]
    return pack_uint(len(gaps)) + dumps(gaps, 2)


_COUNT_ONE = pack_uint(1)


@lru_cache(maxsize=1 << 16)
def _pickled_one(position: int) -> bytes:
    """The pickled gaps of a single position. Only ever a part: a value made of one shared
    object would be pickled in a block as a reference to its first copy, not as Whoosh does."""
    return dumps([position], 2)
