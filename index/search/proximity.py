"""A bonus for documents whose query words occur close together.

BM25 scores each word on its own, so a passage that names ``Moss`` in one paragraph and
an airport in another scores like one that says ``flyplassen i Moss``. Büttcher, Clarke
and Lushman's term-proximity score (SIGIR 2006) adds, per query term ``t``, an accumulator
of the nearby other query terms: walking the query-term occurrences of a document in
order, each two neighbours ``t``, ``u`` that differ, ``d`` positions apart, add
``idf(u) / d²`` to ``t``'s accumulator and ``idf(t) / d²`` to ``u``'s. The accumulator is
saturated like BM25's term frequency and weighed by ``min(1, idf(t))``:

    bonus = sum over t of  min(1, idf(t)) * acc(t) * (k1 + 1) / (acc(t) + K)

with BM25's ``k1``, ``b`` and length normalisation ``K`` (:mod:`index.search.scoring`). Positions
count words after the stop words are dropped, so ``flyplassen i Moss`` is distance 1.

Reading positions costs time per document, so the bonus re-ranks the best hits of the BM25
ranking (:mod:`index.search.rerank`), as proximity models are usually applied.

Measured in bench/relevance.py (nDCG@10, passages / +20,000 distractors): 0.926 / 0.892
without the bonus, 0.929 / 0.899 with it, for 6-13 % more time a query. Rasolofo and
Savoy's BM25TP (pairs within 5 words, idf-weighted), Tao and Zhai's MinDist and this bonus
scaled by the share of words matched all gained less, so they were not kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from heapq import merge

from whoosh.searching import Searcher

from .arrayscore import ReadPostings
from .scoring import B, K1

FIELD = "text"


def proximity_bonuses(
    searcher: Searcher, terms: Iterable[str], docnums: Iterable[int], read: ReadPostings | None = None
) -> dict[int, float]:
    """The bonus of each document in ``docnums`` that holds two or more of ``terms``
    (index terms of the text field); documents without a bonus are left out. The positions
    come from ``read`` (the postings the ranking read) where it has them."""
    reader = searcher.reader()
    present = sorted({term for term in terms if (FIELD, term) in reader})
    if len(present) < 2:
        return {}
    wanted = sorted(set(docnums))
    idf = [searcher.idf(FIELD, term) for term in present]  # the ranking's idf, cached per searcher
    occurrences: dict[int, list[list[tuple[int, int]]]] = {}
    for index, term in enumerate(present):
        if read is not None and read.has(FIELD, term):
            found = read.positions(FIELD, term, wanted)
        else:
            found = _positions(reader.postings(FIELD, term), wanted)
        for docnum, positions in found:
            occurrences.setdefault(docnum, []).append([(position, index) for position in positions])
    average_length = searcher.avg_field_length(FIELD) or 1.0
    bonuses = {}
    for docnum, lists in occurrences.items():
        if len(lists) < 2:
            continue
        accumulators = _accumulators(merge(*lists), idf)
        k = K1 * ((1 - B) + B * reader.doc_field_length(docnum, FIELD) / average_length)
        bonuses[docnum] = sum(
            min(1.0, idf[index]) * acc * (K1 + 1) / (acc + k) for index, acc in accumulators.items()
        )
    return bonuses


def _positions(matcher, docnums: list[int]):
    """(docnum, positions) for each of the sorted ``docnums`` that the postings hold."""
    for docnum in docnums:
        if not matcher.is_active():
            return
        matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            yield docnum, matcher.value_as("positions")


def _accumulators(occurrences: Iterable[tuple[int, int]], idf: list[float]) -> dict[int, float]:
    """Büttcher's accumulators from (position, term index) in position order."""
    accumulators: dict[int, float] = {}
    previous = None
    for position, index in occurrences:
        if previous is not None and previous[1] != index:
            weight = 1.0 / (position - previous[0]) ** 2
            accumulators[index] = accumulators.get(index, 0.0) + idf[previous[1]] * weight
            accumulators[previous[1]] = accumulators.get(previous[1], 0.0) + idf[index] * weight
        previous = (position, index)
    return accumulators
