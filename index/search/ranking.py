"""Ranking for OR-ed query words: documents that match more of the words come first.

A question such as ``Hvem var president i Ukraina i 2014?`` must not need every word to
match, but a document holding all of them should beat one that repeats a single word.
:class:`CoordinatedOr` sums the BM25F scores of the words a document matches and
multiplies the sum by the share of words matched (Lucene's classic ``coord`` factor).
A "word" is one child of the group: for ``samtale`` that is title *or* text, counted once.

Whoosh's own ``OrGroup.factory(scale)`` counts field terms rather than words, and gives
a single-word query a score of 0, so we do not use it.
"""

from __future__ import annotations

from whoosh import matching, query
from whoosh.qparser import syntax


class CoordinatedOrMatcher(matching.Matcher):
    """Walks the union of the word matchers; scores by sum x (words matched / words).

    The children at the current document are found once per step and kept until the next
    move: ``id``, ``score`` and ``matching_terms`` run for every matching document, and
    re-scanning the children each time was most of the cost of a long question.
    """

    def __init__(self, children: list[matching.Matcher], word_count: int):
        self._children = children
        self._word_count = word_count
        self._at: list[matching.Matcher] | None = None  # children at the current document

    def _current(self) -> list[matching.Matcher]:
        if self._at is None:
            active = [child for child in self._children if child.is_active()]
            if active:
                docnum = min(child.id() for child in active)
                self._at = [child for child in active if child.id() == docnum]
            else:
                self._at = []
        return self._at

    def is_active(self) -> bool:
        return bool(self._current())

    def reset(self) -> None:
        for child in self._children:
            child.reset()
        self._at = None

    def children(self) -> list[matching.Matcher]:
        return self._children

    def copy(self) -> CoordinatedOrMatcher:
        return CoordinatedOrMatcher([child.copy() for child in self._children], self._word_count)

    def supports_block_quality(self) -> bool:
        return False

    def id(self) -> int:
        return self._current()[0].id()

    def next(self) -> None:
        for child in self._current():
            child.next()
        self._at = None

    def skip_to(self, docnum: int) -> None:
        for child in self._children:
            if child.is_active() and child.id() < docnum:
                child.skip_to(docnum)
        self._at = None

    def matching_terms(self, id=None):
        for child in self._current():
            yield from child.matching_terms(id)

    def spans(self):
        return sorted(span for child in self._current() for span in child.spans())

    def weight(self) -> float:
        return sum(child.weight() for child in self._current())

    def score(self) -> float:
        current = self._current()
        return sum(child.score() for child in current) * len(current) / self._word_count


class CoordinatedOr(query.Or):
    """``Or`` whose score rewards matching more of its subqueries; see the module docstring.

    ``NOT`` parts exclude, as in Lucene: ``ukraina NOT fred`` is Ukraina without fred, where
    Whoosh's ``Or`` would also return every document that lacks fred.
    """

    def normalize(self) -> query.Query:
        norm = super().normalize()
        if not isinstance(norm, CoordinatedOr):
            return norm
        excluded = [sub.query for sub in norm.subqueries if isinstance(sub, query.Not)]
        if not excluded:
            return norm
        wanted = [sub for sub in norm.subqueries if not isinstance(sub, query.Not)]
        positive = CoordinatedOr(wanted, boost=norm.boost).normalize() if wanted else query.Every()
        return query.AndNot(positive, query.Or(excluded).normalize())

    def _matcher(self, subs, searcher, context):
        children = [sub.matcher(searcher, context) for sub in subs]
        children = [child for child in children if child.is_active()]
        if not children:
            return matching.NullMatcher()
        return CoordinatedOrMatcher(children, len(subs))


class CoordinatedOrGroup(syntax.OrGroup):
    """The query parser's default group for space-separated words, building :class:`CoordinatedOr`."""

    qclass = CoordinatedOr
