"""Our parsed query (:func:`index.search.query.parse_query`, one parser for both backends) in
OpenSearch's query DSL, node by node: never a ``query_string`` of what the user typed, so
the syntax and its limits are ours on either engine.

Words go to OpenSearch as typed (the engine analyses them with its own Norwegian analyzer),
found from the parser's character offsets; a word typed without æ, ø or å also searches the
folded subfield, at :data:`FOLDED_WEIGHT`.
"""

from __future__ import annotations

from whoosh import query

from ..errors import QueryError
from ..search.query import SEARCH_FIELDS

FOLDED_WEIGHT = 0.5
_SCANDINAVIAN = set("æøåÆØÅ")


def _typed(leaf: query.Query, text: str) -> str:
    """The word as the user typed it, where the parser kept its offsets."""
    start, end = getattr(leaf, "startchar", None), getattr(leaf, "endchar", None)
    if start is not None and end is not None and 0 <= start < end <= len(text):
        return text[start:end]
    return leaf.text


def _word(field: str, word: str, boost: float, **options) -> dict:
    """A word in a text field, and in its folded subfield when typed without æ, ø, å."""
    exact = {"match": {field: {"query": word, "boost": boost, **options}}}
    if _SCANDINAVIAN & set(word):
        return exact
    folded = {"match": {f"{field}.folded": {"query": word, "boost": boost * FOLDED_WEIGHT, **options}}}
    return {"bool": {"should": [exact, folded]}}


def _leaf(leaf: query.Query, text: str) -> dict:
    field, boost = leaf.fieldname, leaf.boost
    if field == "date":
        return {"term": {"date_prefixes": leaf.text}}
    if field == "language":
        return {"term": {"language": leaf.text}}
    if field not in SEARCH_FIELDS:
        raise QueryError(f"cannot search the field {field!r} (fields: {', '.join(SEARCH_FIELDS)}, date, language)")
    if type(leaf) is query.Term:
        return _word(field, _typed(leaf, text), boost)
    if type(leaf) is query.Phrase:
        # the typed span, stop words included: they hold their positions in the index too
        spans = leaf.char_ranges
        words = text[spans[0][0] : spans[-1][1]] if spans else " ".join(leaf.words)
        return {"match_phrase": {field: {"query": words, "slop": max(leaf.slop - 1, 0), "boost": boost}}}
    if isinstance(leaf, query.FuzzyTerm):
        return _word(field, leaf.text, boost, fuzziness=leaf.maxdist, prefix_length=leaf.prefixlength)
    if isinstance(leaf, query.Prefix):
        return {"prefix": {field: {"value": leaf.text, "boost": boost}}}
    if isinstance(leaf, query.Wildcard):
        return {"wildcard": {field: {"value": leaf.text, "boost": boost}}}
    raise QueryError(f"cannot search for {leaf!r} on OpenSearch")


def to_dsl(q: query.Query, text: str) -> dict:
    """The OpenSearch query for the parsed query ``q`` of ``text``."""
    if isinstance(q, query.AndNot):
        return {"bool": {"must": [to_dsl(q.a, text)], "must_not": [to_dsl(q.b, text)]}}
    if isinstance(q, query.AndMaybe):
        return {"bool": {"must": [to_dsl(q.a, text)], "should": [to_dsl(q.b, text)]}}
    if isinstance(q, query.Not):
        return {"bool": {"must_not": [to_dsl(q.query, text)]}}
    if isinstance(q, query.And):
        return {"bool": {"must": [to_dsl(child, text) for child in q.children()]}}
    if isinstance(q, query.Or):  # also our CoordinatedOrGroup: BM25's sum favours more words
        return {"bool": {"should": [to_dsl(child, text) for child in q.children()], "minimum_should_match": 1}}
    if q is query.NullQuery or isinstance(q, type(query.NullQuery)):
        return {"match_none": {}}
    if q.is_leaf():
        return _leaf(q, text)
    raise QueryError(f"cannot search for {q!r} on OpenSearch")
