"""Re-ranking the best BM25 hits with evidence that costs too much to gather for every match.

Reading positions (:mod:`index.search.proximity`) or stored text (:mod:`index.search.exactforms`) takes time
per document, so such bonuses are given to the best :data:`RERANK_DEPTH` hits of the BM25
ranking only, the depth TREC runs re-rank at. Bonuses are never negative, so the re-ranked
hits still score at least as high as those below them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
