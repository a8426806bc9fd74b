"""Re-ranking the best BM25 hits with evidence that costs too much to gather for every match.

Reading positions (:mod:`index.search.proximity`) or stored text (:mod:`index.search.exactforms`) takes time
per document, so such bonuses are given to the best :data:`RERANK_DEPTH` hits of the BM25
ranking only, the depth TREC runs re-rank at. Bonuses are never negative, so the re-ranked
hits still score at least as high as those below them.

The bonuses from stored text cost most (reading, decompressing and scanning a hundred texts
was 40 % of a search at 100,000 documents), and most of the hundred cannot reach the page
shown. :func:`bounded_bonuses` gathers them best bound first and stops where no document left
can reach the page, as a top-k search with score bounds stops early (Turtle and Flood's max-score,
1995); a document's bound comes from the query terms it holds, so the page is the one that
gathering every bonus would give. At 100,000 documents, text is read for a quarter of the
hundred for keyword queries and a third for questions.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence

RERANK_DEPTH = 100

Scored = tuple[float, int]  # (score, global document number)


def rerank(ranked: Sequence[Scored], *bonuses: Mapping[int, float]) -> list[Scored]:
    """``ranked`` (best first) with each document's ``bonuses`` added to the first
    :data:`RERANK_DEPTH`, re-sorted (score, then lower document number); the rest keep
    their order."""
    head, tail = ranked[:RERANK_DEPTH], list(ranked[RERANK_DEPTH:])
    rescored = [(score + sum(bonus.get(docnum, 0.0) for bonus in bonuses), docnum) for score, docnum in head]
    rescored.sort(key=lambda hit: (-hit[0], hit[1]))
    return rescored + tail


def bounded_bonuses(
    ranked: Sequence[Scored],
    wanted: int,
    known: Sequence[Mapping[int, float]],
    bound: Callable[[int], float],
    gather: Callable[[int], Mapping[str, float]],
) -> dict[str, dict[int, float]]:
    """The costly bonuses, by name, of those of the first :data:`RERANK_DEPTH` of ``ranked``
    that may end among the best ``wanted`` once re-ranked: ``gather(docnum)`` gives a document's,
    at most ``bound(docnum)`` in all, on top of its score and its ``known`` bonuses. Documents
    are taken by score plus bound, best first, until none left can reach the ``wanted``-th best
    total; the ones not taken get none, and stay below the page."""
    head = ranked[:RERANK_DEPTH]
    base = {docnum: score + sum(bonus.get(docnum, 0.0) for bonus in known) for score, docnum in head}
    ceilings = sorted(((base[docnum] + bound(docnum), docnum) for _score, docnum in head), key=lambda c: (-c[0], c[1]))
    found: dict[str, dict[int, float]] = {}
    best: list[float] = []  # the best ``wanted`` totals so far, lowest first
    for ceiling, docnum in ceilings:
        if len(best) == wanted and ceiling < best[0] - 1e-9 * max(1.0, abs(best[0])):  # sums in another order
            break
        total = base[docnum]
        for name, value in gather(docnum).items():
            if value:
                found.setdefault(name, {})[docnum] = value
                total += value
        if len(best) < wanted:
            heapq.heappush(best, total)
        else:
            heapq.heappushpop(best, total)
    return found
