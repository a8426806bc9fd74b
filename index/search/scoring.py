"""BM25 as Lucene and SQLite FTS5 compute it, for Whoosh.

Whoosh's BM25F uses ``idf = log(N / (df + 1)) + 1``, whose ``+ 1`` lifts common words
towards rare ones: with 20,000 documents a word in half of them still weighs 1.7 against
10.9 for a word in one. Lucene's ``log(1 + (N - df + 0.5) / (df + 0.5))`` gives 0.7
against 9.6, so the rare word of a question decides, as it should (measured in
bench/relevance.py with 20,000 distractors: nDCG@10 +0.005).

A word is scored per field and the fields' scores added, with the title weighed at
``search.title_boost`` (0.5: the title is also the first line of the text). A true BM25F,
adding the fields' frequencies before saturation, ranked no better here and searched 2.7x
slower in Python, so it was not kept.
"""

from __future__ import annotations

from math import log

from whoosh.scoring import BM25F

# BM25's free parameters, at the values of Lucene, SQLite FTS5 and the literature.
K1, B = 1.2, 0.75


def lucene_idf(documents: int, frequency: int) -> float:
    """Lucene's and FTS5's BM25 idf: never negative, and a common word weighs little."""
    return log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


class NorwegianBM25(BM25F):
    """Whoosh's BM25F scorer (per-field length normalisation) with Lucene's idf."""

    def __init__(self) -> None:
        super().__init__(B=B, K1=K1)

    def idf(self, searcher, fieldname: str, text: bytes) -> float:
        return lucene_idf(searcher.doc_count_all(), searcher.doc_frequency(fieldname, text))
