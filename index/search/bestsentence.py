"""A bonus for the query's words found together in one sentence.

BM25 scores a document by its words wherever they are, and the proximity bonus
(:mod:`index.search.proximity`) by how close each two of them come; but a question is mostly
answered by one sentence that holds most of its words (Callan's passage-level evidence, SIGIR
1994, with the sentence as the passage). The bonus is the idf of each query word the best
sentence holds, counted once: what BM25 gives each of them for one occurrence in a document
of average length, as if that sentence were found again. Sentences are cut as snippets cut
them (:mod:`index.analysis.sentences`).

Only plain words count, as for proximity, and only when the query has two or more: one word is
in every sentence that matches at all.

Measured in bench/relevance.py (nDCG@10, passages / +20,000 distractors), on top of the
exact-form bonus: 0.939 / 0.911 without it, 0.940 / 0.916 with it; without the proximity
bonus, 0.940 / 0.914. The same sum over a window of 8 or 15 word positions (no sentences)
gave 0.935-0.936 / 0.912, so it was not kept.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from ..analysis.sentences import sentences_holding
from ..analysis.wordterms import Match

# How far either way of a match a sentence is looked for: past it, a run of text without a
# sentence end is cut, as in snippets.
SENTENCE_REACH = 300


def best_sentence_bonuses(
    texts: Mapping[int, str], matches: Mapping[int, list[Match]], terms: Collection[str], idf: Mapping[str, float]
) -> dict[int, float]:
    """For each document of ``texts`` (document number -> text), the summed ``idf`` of the
    different ``terms`` (index terms of plain query words) that its best sentence holds, from
    its ``matches`` of query terms; none when there are fewer than two terms."""
    wanted = frozenset(terms)
    if len(wanted) < 2:
        return {}
    bonuses = {docnum: best_sentence_bonus(texts[docnum], found, wanted, idf) for docnum, found in matches.items()}
    return {docnum: bonus for docnum, bonus in bonuses.items() if bonus}


def best_sentence_bonus(text: str, matches: list[Match], terms: frozenset[str], idf: Mapping[str, float]) -> float:
    """One document's bonus (``terms`` two or more): the summed ``idf`` of the ``terms`` its best
    sentence holds, 0 when its ``matches`` hold none."""
    kept = [match for match in matches if match[2] in terms]
    if not kept:
        return 0.0
    return max(sum(idf[term] for term in sentence.terms) for sentence in sentences_holding(text, kept, SENTENCE_REACH))
