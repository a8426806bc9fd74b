"""Read access to an index: ranked search with snippets, single documents, counts.

An :class:`Index` is read-only and safe to share between threads: each thread gets its
own Whoosh searcher, refreshed when a writer has committed, so searches keep answering
from the last commit while an ingest pass runs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from whoosh import collectors, query
from whoosh.searching import Searcher

from .arrayscore import ArrayScorer, Ranked, plain_words
from .bestsentence import best_sentence_bonuses
from .compounds import expand_compounds, words_of_compounds
from .config import Config
from .dates import PartialDate
from .document import Document
from .errors import QueryError
from .letters import restore_letters
from .exactforms import exact_form_bonuses, typed_forms
from .proximity import proximity_bonuses
from .query import build_parser, highlight_terms, parse_query, plain_terms
from .rerank import RERANK_DEPTH, Scored, rerank
from .scoring import NorwegianBM25
from .snippets import Snippet, make_snippet
from .storage import open_existing
from .wordterms import WordTerms

if TYPE_CHECKING:
    from .backend import SearchIndex


@dataclass(frozen=True)
class Hit:
    """One ranked result. ``snippet`` renders as plain text, ``.html()`` or ``.ansi()``."""

    rank: int
    id: str
    path: str
    title: str
    date: str | None
    score: float
    snippet: Snippet


@dataclass(frozen=True)
class SearchResults(Sequence[Hit]):
    """The hits of one query, best first, and ``total``: how many documents matched in all."""

    query: str
    total: int
    hits: tuple[Hit, ...]

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


def rank_with_matchers(searcher: Searcher, q: query.Query, limit: int, within: query.Query | None) -> Ranked:
    """The ``limit`` best documents by Whoosh's matchers, and the exact total.

    ``searcher.search`` counts wrongly even with ``optimize=False``: its collector still
    replaces the matcher every 10 hits, dropping words that can no longer reach the top
    (``Lars`` over 755 NorQuAD passages: 24 instead of 25). So: no block skipping, no
    replacing, and the date filter applied as the collector's allow-list.
    """
    collector = collectors.TopCollector(limit, usequality=False, replace=0)
    if within is not None:
        collector = collectors.FilterCollector(collector, allow=within)
    searcher.search_with_collector(q, collector)
    results = collector.results()
    return Ranked(
        total=len(results),
        docnums=tuple(hit.docnum for hit in results),
        scores=tuple(hit.score for hit in results),
    )


def _document(fields: dict) -> Document:
    return Document(
        id=fields["id"],
        path=fields["path"],
        title=fields["title"],
        text=fields["text"],
        date=fields.get("date"),
        encoding=fields["encoding"],
        repairs=tuple(fields["repairs"]),
        size=fields["size"],
        mtime_ns=fields["mtime_ns"],
        sha256=fields["sha256"],
        language=fields["language"],
    )


class Index:
    """A read-only, thread-safe view of the index at ``path``; see :func:`open_index`."""

    def __init__(self, path: str | Path, *, title_boost: float = 0.5, snippet_chars: int = 300):
        self.path = Path(path)
        self._index = open_existing(self.path)
        self._schema = self._index.schema
        self._parser = build_parser(self._schema, title_boost)
        self._snippet_chars = snippet_chars
        self._arrays = ArrayScorer()
        self._words = WordTerms(self._schema["text"].analyzer)
        self._local = threading.local()
        self._searchers: list[Searcher] = []
        self._lock = threading.Lock()

    def _searcher(self) -> Searcher:
        """This thread's searcher, moved to the latest commit if a writer committed since."""
        current = getattr(self._local, "searcher", None)
        if current is not None and current.up_to_date():
            return current
        if current is not None and current.reader().segments():
            searcher = current.refresh()  # reuses the readers of unchanged segments
        else:
            if current is not None:
                current.close()
            searcher = self._index.searcher(weighting=NorwegianBM25())  # Whoosh 2.7 cannot refresh an empty reader
        self._local.searcher = searcher
        with self._lock:
            if current is not None:
                self._searchers.remove(current)
            self._searchers.append(searcher)
        return searcher

    def search(
        self, text: str, limit: int = 10, since: str | None = None, until: str | None = None
    ) -> SearchResults:
        """Ranked hits for ``text`` (query syntax in the README), optionally within dates."""
        if limit < 1:
            raise QueryError(f"limit must be at least 1, got {limit}")
        searcher = self._searcher()
        q = expand_compounds(restore_letters(parse_query(self._parser, text), searcher.reader()), searcher)
        ranked = self._rank(searcher, q, max(limit, RERANK_DEPTH), date_filter(since, until))
        reranked, stored = self._rerank(searcher, q, text, list(zip(ranked.scores, ranked.docnums)))
        best = reranked[:limit]
        terms = highlight_terms(q, searcher.reader(), "text")
        stands_for = words_of_compounds(q)  # a compound weighs in a snippet as the word asked for
        weights = {term: searcher.idf("text", stands_for.get(term, term)) for term in terms}
        hits = []
        for rank, (score, docnum) in enumerate(best, start=1):
            fields = stored.get(docnum) or searcher.stored_fields(docnum)
            hits.append(
                Hit(
                    rank=rank,
                    id=fields["id"],
                    path=fields["path"],
                    title=fields["title"],
                    date=fields.get("date"),
                    score=score,
                    snippet=make_snippet(
                        fields["text"], terms, self._words, self._snippet_chars, weights, text, stands_for
                    ),
                )
            )
        return SearchResults(query=text, total=ranked.total, hits=tuple(hits))

    def _rerank(
        self, searcher: Searcher, q: query.Query, text: str, scored: list[Scored]
    ) -> tuple[list[Scored], dict[int, dict]]:
        """``scored`` with the bonuses of :mod:`index.rerank` added to its head, and the stored
        fields of the head hits, read for the bonuses that need their text (none if none does)."""
        head = [docnum for _score, docnum in scored[:RERANK_DEPTH]]
        text_terms = plain_terms(q, "text")
        forms = typed_forms(text, plain_terms(q, "text", phrases=True), self._words)
        stored = {docnum: searcher.stored_fields(docnum) for docnum in head} if forms or len(text_terms) > 1 else {}
        texts = {docnum: fields["text"] for docnum, fields in stored.items()}
        wanted = text_terms | frozenset(forms.values())
        matches = {docnum: self._words.prefix_matches(text, wanted) for docnum, text in texts.items()}
        idf = {term: searcher.idf("text", term) for term in wanted}
        reranked = rerank(
            scored,
            proximity_bonuses(searcher, text_terms, head),
            exact_form_bonuses(texts, matches, {form: idf[term] for form, term in forms.items()}),
            best_sentence_bonuses(texts, matches, text_terms, idf),
        )
        return reranked, stored

    def _rank(self, searcher: Searcher, q: query.Query, limit: int, within: query.Query | None) -> Ranked:
        """Plain words on arrays (:mod:`index.arrayscore`), anything else through Whoosh's matchers."""
        words = plain_words(q)
        if words is not None:
            allowed = set(within.docs(searcher)) if within is not None else None
            return self._arrays.rank(searcher, words, limit, allowed)
        return rank_with_matchers(searcher, q, limit, within)

    def get(self, doc_id: str) -> Document | None:
        """The whole stored document with this id, or ``None``."""
        fields = self._searcher().document(id=doc_id)
        return _document(fields) if fields else None

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

    def close(self) -> None:
        """Close every thread's searcher; the object cannot be used afterwards."""
        with self._lock:
            for searcher in self._searchers:
                searcher.close()
            self._searchers.clear()
        self._index.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_index(
    path: str | Path, *, title_boost: float = 0.5, snippet_chars: int = 300, config: Config | None = None
) -> SearchIndex:
    """Open the index at ``path`` (or, with ``index.backend = "opensearch"`` in ``config``,
    default :func:`~index.config.load_config`, the cluster's) for searching. Raises
    :class:`IndexNotFoundError` if there is none, and :class:`IndexVersionError` or
    :class:`IndexCorruptError` if it must be rebuilt by ``ingest once``."""
    from .backend import open_search_index

    return open_search_index(path, config, title_boost=title_boost, snippet_chars=snippet_chars)
