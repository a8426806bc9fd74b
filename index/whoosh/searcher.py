"""Read access to an index: ranked search with snippets, single documents, counts.

An :class:`Index` is read-only and safe to share between threads: each thread gets its
own Whoosh searcher, refreshed when a writer has committed, so searches keep answering
from the last commit while an ingest pass runs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import numpy as np
from whoosh import collectors, query
from whoosh.searching import Searcher

from ..analysis.compounds import prepare_compounds
from ..search.arrayscore import ArrayScorer, Ranked
from ..search.bestsentence import best_sentence_bonus
from ..config import Config
from ..dates import PartialDate
from ..document import Document, Stamp
from ..errors import IndexCorruptError, QueryError, SearchIndexError
from ..search.exactforms import exact_form_bonus
from ..search.explain import Explanation, clause_parts, explain_hit
from ..search.facets import FacetCounter
from ..limits import BudgetCollector, Deadline, QueryLimits, check_length, check_page
from ..search.plan import QueryPlan, plan_query
from ..search.proximity import proximity_bonuses
from ..search.query import build_parser
from ..search.rerank import RERANK_DEPTH, bounded_bonuses, rerank
from ..search.scoring import NorwegianBM25
from ..search.snippets import Snippet, make_snippet, mark_all
from .storage import check_commit, check_index, open_existing
from .rankfile import close_rank_files, open_rank_files
from .storedcache import StoredFields
from .terminfos import remember_terms
from ..analysis.wordterms import WordTerms

if TYPE_CHECKING:
    from ..backend import SearchIndex


@dataclass(frozen=True)
class Hit:
    """One ranked result. ``snippet`` renders as plain text, ``.html()`` or ``.ansi()``;
    ``explain``: the parts of its score, when the search was asked to explain."""

    rank: int
    id: str
    path: str
    title: str
    date: str | None
    score: float
    snippet: Snippet
    language: str
    explain: Explanation | None = None


@dataclass(frozen=True)
class SearchResults(Sequence[Hit]):
    """The hits of one query, best first, from ``offset``; ``total``: how many documents
    matched in all; ``facets``: how many of them per year and per language."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    offset: int = 0
    facets: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    def __getitem__(self, index):  # type: ignore[override]
        return self.hits[index]

    def __len__(self) -> int:
        return len(self.hits)


def _date_bound(value: str | None, name: str) -> PartialDate | None:
    if value is None:
        return None
    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise QueryError(f"--{name}: {error}") from None


def date_filter(since: str | None, until: str | None) -> query.Query | None:
    """Documents whose date, at its own precision, overlaps ``[since, until]`` (both inclusive).

    A document dated ``2023-07`` is in ``since=2023-07-14``: July 2023 reaches that day.
    Documents without a date are left out whenever a bound is given.
    """
    first, last = _date_bound(since, "since"), _date_bound(until, "until")
    if first and last and first.first_day() > last.last_day():
        raise QueryError(f"--since {first} is after --until {last}")
    parts: list[query.Query] = []
    if first:
        parts.append(query.NumericRange("date_last", first.first_day(), None))
    if last:
        parts.append(query.NumericRange("date_first", None, last.last_day()))
    return query.And(parts) if parts else None


def rank_with_matchers(
    searcher: Searcher, q: query.Query, limit: int, within: query.Query | None, deadline: Deadline | None = None
) -> Ranked:
    """The ``limit`` best documents by Whoosh's matchers, and the exact total; raises
    :class:`QueryError` when matching outlasts ``deadline``.

    ``searcher.search`` counts wrongly even with ``optimize=False``: its collector still
    replaces the matcher every 10 hits, dropping words that can no longer reach the top
    (``Lars`` over 755 NorQuAD passages: 24 instead of 25). So: no block skipping, no
    replacing, and the date filter applied as the collector's allow-list.
    """
    collector = top = _TopAndAll(limit, usequality=False, replace=0)
    if deadline is not None:
        collector = BudgetCollector(collector, deadline)
    if within is not None:
        collector = collectors.FilterCollector(collector, allow=within)
    searcher.search_with_collector(q, collector)
    results = collector.results()
    return Ranked(
        total=len(results),
        docnums=tuple(hit.docnum for hit in results),
        scores=tuple(hit.score for hit in results),
        matched=np.fromiter(top.docset, dtype=np.int64),
    )


class _TopAndAll(collectors.TopCollector):
    """Whoosh's TopCollector that also keeps every matched document, for the facet counts."""

    def _collect(self, global_docnum, score):
        self.docset.add(global_docnum)
        return super()._collect(global_docnum, score)




class Index:
    """A read-only, thread-safe view of the index at ``path``; see :func:`open_index`."""

    def __init__(
        self, path: str | Path, *, title_boost: float = 0.5, snippet_chars: int = 300, limits: QueryLimits = QueryLimits()
    ):
        self.path = Path(path)
        self._limits = limits
        self._index = open_existing(self.path)
        self._checked_generation = self._index.latest_generation()
        self._schema = self._index.schema
        self._parser = build_parser(self._schema, title_boost)
        self._snippet_chars = snippet_chars
        self._arrays = ArrayScorer()
        self._words = WordTerms(self._schema["text"].analyzer)
        self._facets = FacetCounter()
        self._local = threading.local()
        self._searchers: list[Searcher] = []
        self._lock = threading.Lock()

    def _searcher(self) -> Searcher:
        """This thread's searcher, moved to the latest commit if a writer committed since
        (its files checked as opening checks them)."""
        current = getattr(self._local, "searcher", None)
        if current is not None and current.up_to_date():
            return current
        latest = self._index.latest_generation()
        if latest != self._checked_generation:  # a commit since the index was opened
            check_commit(self.path)
            self._checked_generation = latest
        if current is not None:
            current.close()
            close_rank_files(current.reader())
        # A new searcher, not Searcher.refresh(): Whoosh 2.7's refresh keeps the open reader of a
        # segment whose deletions changed (deleted documents stayed found) and adds back segments
        # merged away since (9 documents counted as 17), see tests/test_refresh.py.
        searcher = self._index.searcher(weighting=NorwegianBM25())
        prepare_compounds(searcher.reader())
        open_rank_files(searcher.reader())
        remember_terms(searcher.reader())
        self._local.searcher = searcher
        self._local.stored = StoredFields(searcher)
        with self._lock:
            if current is not None:
                self._searchers.remove(current)
            self._searchers.append(searcher)
        return searcher

    def search(
        self,
        text: str,
        limit: int = 10,
        since: str | None = None,
        until: str | None = None,
        offset: int = 0,
        language: str | None = None,
        explain: bool = False,
    ) -> SearchResults:
        """Ranked hits ``offset + 1`` to ``offset + limit`` for ``text`` (query syntax in the
        README), optionally within dates and of one language, with facet counts over all matches;
        with ``explain``, each hit with the parts of its score (:mod:`index.search.explain`).
        Raises :class:`QueryError` for a query that is empty, has a bad date, or goes over
        the limits of :mod:`index.limits`, and :class:`IndexCorruptError` when the search
        fails on damage that opening the index does not check for (the middle of a big file:
        :mod:`index.whoosh.checksums`)."""
        try:
            return self._search(text, limit, since, until, offset, language, explain)
        except SearchIndexError:
            raise
        except Exception:
            problems = check_index(self.path)
            if problems:
                raise IndexCorruptError(f"{problems[0]}; run `ingest once` to rebuild it") from None
            raise

    def _search(
        self,
        text: str,
        limit: int,
        since: str | None,
        until: str | None,
        offset: int,
        language: str | None,
        explain: bool,
    ) -> SearchResults:
        deadline = Deadline(self._limits.time_budget_seconds)
        check_page(limit, offset)
        check_length(text, self._limits)
        searcher = self._searcher()
        plan = plan_query(self._parser, searcher, self._words, text, self._limits, deadline)
        within = [part for part in (date_filter(since, until), language and query.Term("language", language)) if part]
        filtered = query.And(within) if within else None
        ranked = self._rank(searcher, plan, max(offset + limit, RERANK_DEPTH), filtered, deadline, explain)
        deadline.check()
        bonuses = self._bonuses(searcher, plan, ranked, offset + limit)
        reranked = rerank(list(zip(ranked.scores, ranked.docnums)), *bonuses.values())
        deadline.check()
        page = reranked[offset : offset + limit]
        counts = ranked.postings.counts("text", plan.highlight, [d for _, d in page]) if ranked.postings else None
        hits = []
        for rank, (score, docnum) in enumerate(page, start=offset + 1):
            deadline.check()
            fields = self._local.stored.get(docnum)  # those re-ranking read are kept there
            explanation = None
            if explain:
                explanation = explain_hit(
                    plan,
                    self._parts(searcher, plan, ranked, docnum),
                    {name: found.get(docnum, 0.0) for name, found in bonuses.items()},
                    fields["title"],
                    fields["text"][: self._limits.max_analyzed_chars],
                    self._words,
                )
            hits.append(
                Hit(
                    rank=rank,
                    id=fields["id"],
                    path=fields["path"],
                    title=fields["title"],
                    date=fields.get("date"),
                    score=score,
                    snippet=make_snippet(
                        fields["text"],
                        plan.highlight,
                        self._words,
                        self._snippet_chars,
                        text,
                        plan.stands_for,
                        self._limits.max_analyzed_chars,
                        counts=None if counts is None else counts[docnum],
                        looser=plan.looser,
                    ),
                    language=fields["language"],
                    explain=explanation,
                )
            )
        facets = self._facets.count(searcher, ranked.matched)
        return SearchResults(query=text, total=ranked.total, hits=tuple(hits), offset=offset, facets=facets)

    def mark(self, doc: Document, query_text: str) -> Snippet:
        """``doc``'s text whole, with every word that ``query_text`` would match marked (the
        document view of a hit). Raises :class:`QueryError` as :meth:`search` does."""
        check_length(query_text, self._limits)
        plan = plan_query(self._parser, self._searcher(), self._words, query_text, self._limits)
        return mark_all(doc.text, plan.highlight, self._words, plan.stands_for)

    def _bonuses(self, searcher: Searcher, plan: QueryPlan, ranked: Ranked, wanted: int) -> dict[str, dict[int, float]]:
        """The bonuses of :mod:`index.search.rerank` for the best :data:`RERANK_DEPTH` hits, by
        name. Those from the stored text (of which the first ``max_analyzed_chars`` characters
        are looked at) are gathered only for the hits that may still reach the best ``wanted``
        (:func:`bounded_bonuses`)."""
        head = ranked.docnums[:RERANK_DEPTH]
        proximity = proximity_bonuses(searcher, plan.text_terms, head, ranked.postings)
        bonuses: dict[str, dict[int, float]] = {"proximity": proximity, "exactforms": {}, "bestsentence": {}}
        sentence_terms = plan.text_terms if len(plan.text_terms) > 1 else frozenset()
        if not plan.forms and not sentence_terms:
            return bonuses
        form_weights = {form: plan.idf[term] for form, term in plan.forms.items()}
        held = _held_terms(ranked, plan.rerank_terms, head)

        def bound(docnum: int) -> float:
            holds = held.get(docnum, plan.rerank_terms)
            return sum(weight for form, weight in form_weights.items() if plan.forms[form] in holds) + sum(
                plan.idf[term] for term in sentence_terms if term in holds
            )

        def gather(docnum: int) -> dict[str, float]:
            text = self._local.stored.get(docnum)["text"][: self._limits.max_analyzed_chars]
            matches = self._words.prefix_matches(text, plan.rerank_terms)
            return {
                "exactforms": exact_form_bonus(text, matches, form_weights),
                "bestsentence": best_sentence_bonus(text, matches, sentence_terms, plan.idf) if sentence_terms else 0.0,
            }

        scored = list(zip(ranked.scores, ranked.docnums))
        bonuses.update(bounded_bonuses(scored, wanted, [proximity], bound, gather))
        return bonuses

    def _parts(self, searcher: Searcher, plan: QueryPlan, ranked: Ranked, docnum: int) -> tuple[float, ...]:
        """A hit's BM25 score as its words' parts: those ranking kept, else its clauses'."""
        at = ranked.docnums.index(docnum)
        if ranked.parts is not None:
            return ranked.parts[at]
        return clause_parts(searcher, plan, docnum, ranked.scores[at])

    def _rank(
        self,
        searcher: Searcher,
        plan: QueryPlan,
        limit: int,
        within: query.Query | None,
        deadline: Deadline,
        parts: bool = False,
    ) -> Ranked:
        """Plain words on arrays (:mod:`index.search.arrayscore`, with each word's part of the score
        if asked), anything else through Whoosh's matchers."""
        if plan.words is not None:
            allowed = set(within.docs(searcher)) if within is not None else None
            return self._arrays.rank(searcher, plan.words, limit, allowed, parts)
        return rank_with_matchers(searcher, plan.query, limit, within, deadline)

    def get(self, doc_id: str) -> Document | None:
        """The whole stored document with this id, or ``None``."""
        fields = self._searcher().document(id=doc_id)
        return Document.from_stored(fields) if fields else None

    def count(self) -> int:
        """How many documents the index holds."""
        return self._searcher().doc_count()

    def ids(self) -> Iterator[str]:
        """Every document id, in index order."""
        for segment, _offset in self._searcher().reader().leaf_readers():
            if not segment.has_column("id"):  # the empty reader of an index with no segment yet
                continue
            column = segment.column_reader("id")  # per segment: Whoosh has no multi-segment column
            for docnum in segment.all_doc_ids():
                yield column[docnum]

    def stamps(self, prefix: str = "") -> Iterator[Stamp]:
        """The :class:`Stamp` of every document whose id starts with ``prefix``: each
        document's stored fields read once, in index order, not looked up by id one by one."""
        for _docnum, fields in self._searcher().reader().iter_docs():
            if fields["id"].startswith(prefix):
                yield Stamp(*(fields[name] for name in Stamp._fields))

    def close(self) -> None:
        """Close every thread's searcher; the object cannot be used afterwards."""
        with self._lock:
            for searcher in self._searchers:
                searcher.close()
                close_rank_files(searcher.reader())
            self._searchers.clear()
        self._index.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _held_terms(ranked: Ranked, terms: frozenset[str], docnums: Sequence[int]) -> dict[int, frozenset[str]]:
    """Which of ``terms`` each of ``docnums`` holds in its text, from the postings the ranking
    read; a document is left out (it may hold them all) when the ranking did not read them all."""
    read = ranked.postings
    if read is None or not all(read.has("text", term) for term in terms):
        return {}
    held: dict[int, set[str]] = {docnum: set() for docnum in docnums}
    for term in terms:
        for docnum in read.holding("text", term, docnums):
            held[docnum].add(term)
    return {docnum: frozenset(found) for docnum, found in held.items()}


def open_index(
    path: str | Path,
    *,
    title_boost: float = 0.5,
    snippet_chars: int = 300,
    limits: QueryLimits = QueryLimits(),
    config: Config | None = None,
) -> SearchIndex:
    """Open the index at ``path`` (or, with ``index.backend = "opensearch"`` in ``config``,
    default :func:`~index.config.load_config`, the cluster's) for searching, each search
    within ``limits``. Raises :class:`IndexNotFoundError` if there is none, and
    :class:`IndexVersionError` or :class:`IndexCorruptError` if it must be rebuilt by
    ``ingest once``."""
    from ..backend import open_search_index

    return open_search_index(path, config, title_boost=title_boost, snippet_chars=snippet_chars, limits=limits)
