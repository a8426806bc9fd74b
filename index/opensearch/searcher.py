"""Searching the OpenSearch index with the same query syntax, results and snippets as the
Whoosh backend (:class:`index.whoosh.searcher.Index`).

The query is parsed by our parser and translated (:mod:`.query`); the date bounds become a
range over each document's span of days; totals are exact (``track_total_hits``); scores use
the whole index's statistics, not one shard's (``dfs_query_then_fetch``). OpenSearch's
highlighter says which words of each hit matched (fuzzy, prefix and folded matches too);
our snippet code then picks the sentences and marks those words in the stored text, so
snippets read the same on both backends. The best :data:`~index.search.rerank.RERANK_DEPTH` hits are
re-ranked by the bonuses of :mod:`index.search.rerank` that read the stored text (the query's words
in the form typed, and together in one sentence), with idf from the cluster's counts;
the proximity bonus, which reads Whoosh's positions, is left out.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from types import TracebackType

from opensearchpy import helpers

from ..analysis import norwegian_analyzer
from ..search.bestsentence import best_sentence_bonuses
from ..config import OpenSearchConfig
from ..document import Document, Stamp
from ..errors import IndexNotFoundError, QueryError, SearchIndexError
from ..limits import QueryLimits, check_length, check_page
from ..search.exactforms import exact_form_bonuses, typed_forms
from ..search.explain import MAX_FORMS, Bonus, Explanation, Form, WordScore
from ..search.plan import clause_labels, top_clauses
from ..search.query import build_parser, parse_query, plain_terms
from ..search.rerank import RERANK_DEPTH, Scored, rerank
from ..whoosh.schema import build_schema
from ..search.scoring import lucene_idf
from ..whoosh.searcher import Hit, SearchResults, _date_bound
from ..search.snippets import Snippet, make_snippet, mark_all
from ..analysis.wordterms import WordTerms
from .client import OpenSearchException, cluster_error, connect
from .mapping import day_of, document_key
from .query import to_dsl

_MARKED = re.compile(r"<mark>(.*?)</mark>", re.S)
_HIGHLIGHTED = ("title", "text", "title.folded", "text.folded")
_SCANDINAVIAN = set("æøåÆØÅ")
# Counts over every match: years (the four-digit terms of date_prefixes) and languages; sizes
# above any real number of distinct values, so that every shard returns all and counts are exact.
_FACETS = {
    "year": {"terms": {"field": "date_prefixes", "include": "[0-9]{4}", "size": 10_000}},
    "language": {"terms": {"field": "language", "size": 1_000}},
}


def _facet_counts(aggregations: dict) -> dict[str, dict[str, int]]:
    """The ``facets`` of :class:`SearchResults`, as the Whoosh backend gives them: years newest
    first, languages most frequent first."""
    counts = {name: {b["key"]: b["doc_count"] for b in aggregations.get(name, {}).get("buckets", ())}
              for name in _FACETS}
    return {
        "year": dict(sorted(counts["year"].items(), reverse=True)),
        "language": dict(sorted(counts["language"].items(), key=lambda item: (-item[1], item[0]))),
    }


def date_range(since: str | None, until: str | None) -> dict | None:
    """Documents whose span of days overlaps ``[since, until]``: ``2023-07`` is in ``since 2023-07-14``."""
    first, last = _date_bound(since, "since"), _date_bound(until, "until")
    if first and last and first.first_day() > last.last_day():
        raise QueryError(f"--since {first} is after --until {last}")
    if not first and not last:
        return None
    bounds = {"relation": "intersects"}
    if first:
        bounds["gte"] = day_of(first)
    if last:
        bounds["lte"] = day_of(last, last=True)
    return {"range": {"date_span": bounds}}


class OpenSearchIndex:
    """A read-only view of the index of ``config``; see :func:`index.open_index`."""

    def __init__(
        self,
        config: OpenSearchConfig,
        *,
        title_boost: float = 0.5,
        snippet_chars: int = 300,
        limits: QueryLimits = QueryLimits(),
    ):
        self._config = config
        self._limits = limits
        self._name = config.index
        self._client = connect(config)
        try:
            exists = self._client.indices.exists(index=self._name)
        except OpenSearchException as error:
            raise cluster_error(config, error) from None
        if not exists:
            raise IndexNotFoundError(
                f"OpenSearch at {', '.join(config.hosts)} has no index {self._name!r}: run `ingest once` first"
            )
        self._parser = build_parser(build_schema(), title_boost)
        self._parser_lock = threading.Lock()  # Whoosh's parser is not documented as thread-safe
        self._words = WordTerms(norwegian_analyzer())
        self._snippet_chars = snippet_chars

    def _call(self, method, **kwargs):
        try:
            return method(**kwargs)
        except OpenSearchException as error:
            raise cluster_error(self._config, error) from None

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
        README), optionally within dates and of one language, with facet counts over all
        matches (aggregations); with ``explain``, each hit with the parts of its score
        (:meth:`_explain`)."""
        check_page(limit, offset)
        check_length(text, self._limits)
        q = self._parse(text)
        within = [part for part in (date_range(since, until), language and {"term": {"language": language}}) if part]
        query = {"bool": {"must": [to_dsl(q, text)], "filter": within}}
        body = {
            "query": query,
            "size": max(offset + limit, RERANK_DEPTH),
            "track_total_hits": True,
            "_source": ["id", "path", "title", "date", "language", "text"],
            "aggs": _FACETS,
        }
        response = self._call(
            self._client.search, index=self._name, body=body, params={"search_type": "dfs_query_then_fetch"}
        )
        found = response["hits"]["hits"]
        scored, bonuses = self._rerank(q, text, [(float(hit["_score"] or 0.0), i) for i, hit in enumerate(found)],
                                       {i: hit["_source"]["text"] for i, hit in enumerate(found)})
        best = [(score, number, found[number]["_source"]) for score, number in scored[offset : offset + limit]]
        ids = [source["id"] for _score, _number, source in best]
        marked = self._marked([query], ids)[0]
        explained = self._explain(q, text, ids, within) if explain else {}
        typed = plain_terms(q, "text", phrases=True)
        hits = []
        for rank, (score, number, source) in enumerate(best, start=offset + 1):
            terms = typed | {term for word in marked.get(source["id"], ()) for term in self._terms(word)}
            explanation = None
            if explain:
                words = explained[source["id"]]
                explanation = Explanation(words, tuple(
                    Bonus(name, found_bonus[number]) for name, found_bonus in bonuses.items() if found_bonus.get(number)
                ))
            hits.append(
                Hit(
                    rank=rank,
                    id=source["id"],
                    path=source["path"],
                    title=source["title"],
                    date=source.get("date"),
                    score=score,
                    snippet=make_snippet(source["text"], frozenset(terms), self._words, self._snippet_chars, question=text),
                    language=source["language"],
                    explain=explanation,
                )
            )
        return SearchResults(
            query=text, total=response["hits"]["total"]["value"], hits=tuple(hits), offset=offset,
            facets=_facet_counts(response.get("aggregations", {})),
        )

    def _parse(self, text: str):
        with self._parser_lock:
            return parse_query(self._parser, text)

    def mark(self, doc: Document, query_text: str) -> Snippet:
        """``doc``'s text whole, with every word of it that ``query_text`` matches marked (the
        words OpenSearch's highlighter marks in the whole document). Raises
        :class:`QueryError` as :meth:`search` does."""
        check_length(query_text, self._limits)
        q = self._parse(query_text)
        (marked,) = self._marked([to_dsl(q, query_text)], [doc.id], whole=True)
        terms = plain_terms(q, "text", phrases=True) | {
            term for word in marked.get(doc.id, ()) for term in self._terms(word)
        }
        return mark_all(doc.text, frozenset(terms), self._words)

    def _explain(self, q, text: str, ids: list[str], within: list[dict]) -> dict[str, tuple[WordScore, ...]]:
        """Each hit's words (the top-level clauses of the query, as on Whoosh): each clause
        run alone over the hits ``ids`` gives its part of their BM25 score (OpenSearch's bool
        query adds its clauses' scores) and, from the highlighter, the forms it matched."""
        clauses = top_clauses(q)
        labels = clause_labels(q, self._words, text)
        scored = self._marked(
            [{"bool": {"must": [to_dsl(clause, text)], "filter": within}} for clause in clauses], ids, scores=True
        )
        explained = {}
        for doc_id in ids:
            words = []
            for label, (marked, scores) in zip(labels, scored):
                part = scores.get(doc_id, 0.0)
                forms = tuple(Form(form, "æøå" if _SCANDINAVIAN & set(form) and not _SCANDINAVIAN & set(label) else "")
                              for form in marked.get(doc_id, ())[:MAX_FORMS]) if part else ()
                words.append(WordScore(label, forms, part))
            explained[doc_id] = tuple(words)
        return explained

    def _marked(self, queries: list[dict], ids: list[str], *, whole: bool = False, scores: bool = False) -> list:
        """For each of ``queries``, the words (lower case, first seen first) OpenSearch's
        highlighter marks in each of the documents ``ids``, by id: fuzzy, prefix and folded
        matches too; with ``scores``, paired with each document's score for that query. One
        request for all; asked for the hits shown only, not all re-ranked; ``whole``: in the
        whole text, not only its best fragments."""
        if not ids:
            return [({}, {}) if scores else {} for _query in queries]
        fragments = {"number_of_fragments": 0} if whole else {"number_of_fragments": 5, "fragment_size": 150}
        body = []
        for query in queries:
            body += [{"search_type": "dfs_query_then_fetch"}, {
                "query": {"bool": {"must": [query], "filter": [{"terms": {"id": ids}}]}},
                "size": len(ids),
                "_source": ["id"],
                "highlight": {"pre_tags": ["<mark>"], "post_tags": ["</mark>"],
                              "fields": {field: fragments for field in _HIGHLIGHTED}},
            }]
        responses = self._call(self._client.msearch, index=self._name, body=body)["responses"]
        failed = [r["error"] for r in responses if "error" in r]
        if failed:
            raise SearchIndexError(f"OpenSearch index {self._name!r}: highlighting the hits failed: {failed[0]}")
        answers = []
        for response in responses:
            marked, scored = {}, {}
            for hit in response["hits"]["hits"]:
                words = [word.lower() for field in _HIGHLIGHTED for f in hit.get("highlight", {}).get(field, ())
                         for word in _MARKED.findall(f)]
                marked[hit["_source"]["id"]] = list(dict.fromkeys(words))
                scored[hit["_source"]["id"]] = float(hit["_score"] or 0.0)
            answers.append((marked, scored) if scores else marked)
        return answers

    def _rerank(self, q, text: str, scored: list[Scored], texts: dict[int, str]) -> tuple[list[Scored], dict[str, dict[int, float]]]:
        """``scored`` with the stored-text bonuses of :mod:`index.search.rerank` added to its
        head, and those bonuses by name (as :data:`index.search.explain.BONUSES` names them)."""
        text_terms = plain_terms(q, "text")
        forms = typed_forms(text, plain_terms(q, "text", phrases=True), self._words)
        if not forms and len(text_terms) < 2:
            return scored, {}
        wanted = text_terms | frozenset(forms.values())
        head = {number: texts[number][: self._limits.max_analyzed_chars] for _score, number in scored[:RERANK_DEPTH]}
        matches = {number: self._words.prefix_matches(body, wanted) for number, body in head.items()}
        idf = self._idf(wanted)
        bonuses = {
            "exactforms": exact_form_bonuses(head, matches, {form: idf[term] for form, term in forms.items()}),
            "bestsentence": best_sentence_bonuses(head, matches, text_terms, idf),
        }
        return rerank(scored, *bonuses.values()), bonuses

    def _idf(self, terms: frozenset[str]) -> dict[str, float]:
        """Lucene's idf of each of our index terms in ``text``, from the cluster's document
        counts (the same Snowball stems as ours), in one request."""
        ordered = sorted(terms)
        body = []
        for term in [None, *ordered]:
            body += [{}, {"size": 0, "track_total_hits": True,
                          "query": {"term": {"text": term}} if term else {"match_all": {}}}]
        responses = self._call(self._client.msearch, index=self._name, body=body)["responses"]
        failed = [r["error"] for r in responses if "error" in r]
        if failed:
            raise SearchIndexError(f"OpenSearch index {self._name!r}: counting the query's words failed: {failed[0]}")
        documents, *frequencies = (r["hits"]["total"]["value"] for r in responses)
        return {term: lucene_idf(documents, frequency) for term, frequency in zip(ordered, frequencies)}

    def _terms(self, word: str) -> list[str]:
        """Our index terms of a word the highlighter marked (it may hold a phrase's words)."""
        return [term for part in self._words.words(word) if (term := self._words.term(part))]

    def get(self, doc_id: str) -> Document | None:
        """The whole stored document with this id, or ``None``."""
        response = self._call(self._client.get, index=self._name, id=document_key(doc_id), params={"ignore": 404})
        return Document.from_stored(response["_source"]) if response.get("found") else None

    def count(self) -> int:
        """How many documents the index holds."""
        return int(self._call(self._client.count, index=self._name)["count"])

    def ids(self) -> Iterator[str]:
        """Every document id (in no particular order)."""
        for source in self._scan({"match_all": {}}, ["id"]):
            yield source["id"]

    def stamps(self, prefix: str = "") -> Iterator[Stamp]:
        """The :class:`Stamp` of every document whose id starts with ``prefix``: one scroll
        over those documents' small fields, not a request per document."""
        for source in self._scan({"prefix": {"id": prefix}} if prefix else {"match_all": {}}, list(Stamp._fields)):
            yield Stamp(*(source[name] for name in Stamp._fields))

    def _scan(self, query: dict, fields: list[str]) -> Iterator[dict]:
        """The ``fields`` of every document ``query`` matches, by a scroll of 1,000 at a time."""
        try:
            for found in helpers.scan(self._client, index=self._name, query={"query": query, "_source": fields}, size=1000):
                yield found["_source"]
        except OpenSearchException as error:
            raise cluster_error(self._config, error) from None

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> OpenSearchIndex:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
