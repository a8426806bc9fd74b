"""What one query may cost: its length, the words its patterns expand to, and its time.

A query is hostile input like any other. Unbounded, ``*`` read every posting list of the
index (12 s on 10,000 documents), ``**`` 27 s and 462 MB, ``[a TO z]`` 21 s, 100 OR-ed
prefixes 16 s, a 5,000-word query 9.6 s. So, as Lucene does with its 1,024 clauses, a query
is refused with one line (:class:`~index.errors.QueryError`) when

- its text is longer than ``max_query_chars``;
- its prefixes, wildcards, ranges and fuzzy terms expand to more than ``max_expansions``
  index terms in all (counted per field: ``samt*`` counts its words in the title and in the
  text), or a wildcard has no letter before its first ``*`` (``*``, ``**``, ``*sjon``: the
  whole vocabulary would be read to expand it, as Lucene refuses by default too);
- it runs longer than ``time_budget_seconds``: checked between the stages of a search and
  every few hundred documents while matching, so it stops soon after the budget, and never
  returns results that are silently partial.

And of each hit, snippets and re-ranking analyse at most ``max_analyzed_chars`` characters
(:func:`index.search.snippets.make_snippet`), so one huge document does not slow every query that
finds it.

These limits live here, below :meth:`index.Index.search`, so that every caller (the ``search``
command, a web server) gets them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

from whoosh import collectors, query
from whoosh.reading import IndexReader

from .config import SearchConfig
from .errors import QueryError

# Documents matched between two looks at the clock.
CHECK_EVERY = 256


@dataclass(frozen=True)
class QueryLimits:
    """The limits of one search; see the module's docstring (and ``[search]`` in the config)."""

    max_query_chars: int = 1000
    max_expansions: int = 1024
    time_budget_seconds: float = 1.0
    max_analyzed_chars: int = 50_000

    @classmethod
    def of(cls, search: SearchConfig) -> QueryLimits:
        """The limits that the ``[search]`` section of the configuration sets."""
        return cls(search.max_query_chars, search.max_expansions, search.time_budget_seconds, search.max_analyzed_chars)


class Deadline:
    """The end of one search's time budget."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def check(self) -> None:
        """Raise :class:`QueryError` once the budget is spent."""
        if time.monotonic() > self._end:
            raise QueryError(
                f"the query took longer than {self.seconds:g} s (search.time_budget_seconds): "
                "use fewer or more specific words"
            )


def check_page(limit: int, offset: int) -> None:
    """Refuse a page that cannot be given: fewer than one hit, or one before the first."""
    if limit < 1:
        raise QueryError(f"limit must be at least 1, got {limit}")
    if offset < 0:
        raise QueryError(f"offset must be at least 0, got {offset}")


def check_length(text: str, limits: QueryLimits) -> None:
    """Refuse a query text longer than ``limits.max_query_chars``."""
    if len(text) > limits.max_query_chars:
        raise QueryError(
            f"the query has {len(text):,} characters, more than {limits.max_query_chars:,} "
            "(search.max_query_chars)"
        )


def expand_patterns(q: query.Query, reader: IndexReader, limits: QueryLimits, deadline: Deadline) -> query.Query:
    """``q`` with its multi-term parts (prefix, wildcard, range, fuzzy) expanded once, here,
    to the index terms they match (searching and highlighting use those, not expanding
    again); refused when they come to more than ``limits.max_expansions`` terms together,
    or one of them would have to read the whole vocabulary to expand."""
    expanded = 0

    def expand(leaf: query.Query) -> query.Query:
        nonlocal expanded
        if isinstance(leaf, query.Every) or (isinstance(leaf, query.Wildcard) and not leaf._find_prefix(leaf.text)):
            raise QueryError(f"{_typed(leaf)!r} would match every word: put at least one letter before the first *")
        if not isinstance(leaf, query.MultiTerm) or isinstance(leaf, _Expanded):
            return leaf
        terms = []
        for term in leaf._btexts(reader):
            terms.append(term)
            expanded += 1
            if expanded > limits.max_expansions:
                raise QueryError(
                    f"{_typed(leaf)!r} and the query's other patterns match more than "
                    f"{limits.max_expansions:,} words (search.max_expansions): make them longer or fewer"
                )
            if expanded % CHECK_EVERY == 0:
                deadline.check()
        return _Expanded(leaf, tuple(terms))

    return q.accept(expand)


class _Expanded(query.MultiTerm):
    """A prefix, wildcard, range or fuzzy term with the terms it expanded to: searched,
    scored and highlighted as the original (field, boost, constant score), without
    expanding it again."""

    def __init__(self, original: query.MultiTerm, terms: tuple[bytes, ...]):
        self.original = original
        self.fieldname = original.field()
        self.boost = original.boost
        self.constantscore = original.constantscore
        self.terms_found = terms

    def _btexts(self, ixreader: IndexReader) -> Iterator[bytes]:
        return iter(self.terms_found)

    def __eq__(self, other: object) -> bool:
        return type(other) is _Expanded and (self.original, self.terms_found) == (other.original, other.terms_found)

    def __hash__(self) -> int:
        return hash((self.original, self.terms_found))

    def __repr__(self) -> str:
        return f"_Expanded({self.original!r}, {len(self.terms_found)} terms)"

    def __str__(self) -> str:
        return str(self.original)


def _typed(leaf: query.Query) -> str:
    """The part of the query as typed, without its field (``samt*``, ``[a TO z]``)."""
    if isinstance(leaf, query.FuzzyTerm):
        return f"{leaf.text}~{leaf.maxdist}"
    text = str(leaf)
    return text.split(":", 1)[1] if ":" in text else text


class BudgetCollector(collectors.WrappingCollector):
    """A collector that checks the :class:`Deadline` every :data:`CHECK_EVERY` matches (put it
    inside a ``FilterCollector``, which reads its ``matches``)."""

    def __init__(self, child: collectors.Collector, deadline: Deadline):
        super().__init__(child)
        self._deadline = deadline

    def matches(self) -> Iterator[int]:
        for count, sub_docnum in enumerate(self.child.matches(), 1):
            if count % CHECK_EVERY == 0:
                self._deadline.check()
            yield sub_docnum

    def collect_matches(self) -> None:
        for sub_docnum in self.matches():
            self.child.collect(sub_docnum)
