"""From what the user typed to a Whoosh query, and back to the words to highlight.

Default semantics suit both keywords and whole questions: words are OR-ed, and scores
grow with the share of words a document matches (:mod:`index.search.ranking`), so documents with
more of the words rank first and a document missing one is still found. ``"phrases"``,
``AND``/``OR``/``NOT``, ``field:term``, ``date:2023-07``, ``prefix*`` and ``name~`` work too.
``?`` is not a wildcard: questions end with one (``Hvem er talsperson for RSL?``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from whoosh import qparser, query
from whoosh.fields import Schema
from whoosh.reading import IndexReader

from ..dates import PartialDate
from ..errors import QueryError
from .ranking import CoordinatedOrGroup

SEARCH_FIELDS = ("title", "text")
_SYNTAX = re.compile(r"[\"'():~*^\[\]{}\\]|\b\w+:")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
# More edits than this match most of a large vocabulary and take seconds to expand. And a
# fuzzy term keeps its first letter: without it, Stortinget~2 read all 21,566 text terms of
# 10,000 Lovdata sections to expand (0.9 s); with it, those with an S (0.1 s).
MAX_FUZZY_EDITS = 2
FUZZY_PREFIX = 1
DATE_FIELD = "date"
# What a date prefix or wildcard may hold besides its ``*`` (``date:202*``, ``date:2023-0*``).
_DATE_PATTERN = re.compile(r"[\d*?-]+")


class StarWildcardPlugin(qparser.WildcardPlugin):
    """Wildcards with ``*`` only; ``?`` stays punctuation so questions are plain words.

    A prefix is the start of a word, not a word: it is lower-cased, never stemmed (as
    Lucene's multi-term queries are only normalised). Stemming it made ``samt*`` the prefix
    ``sam`` (``samt`` read as a past form), matching ``samme`` and ``samfunn``."""

    expr = r"(?P<text>[*])"

    def do_wildcards(self, parser, group):
        group = super().do_wildcards(parser, group)
        for i, node in enumerate(group):
            if type(node) is qparser.PrefixPlugin.PrefixNode:
                group[i] = _UnanalysedPrefixNode(node.text)
                group[i].startchar, group[i].endchar = node.startchar, node.endchar
        return group


class _UnanalysedPrefixNode(qparser.PrefixPlugin.PrefixNode):
    def query(self, parser):
        fieldname = self.fieldname or parser.fieldname
        q = query.Prefix(fieldname, unicodedata.normalize("NFC", self.text).lower(), boost=self.boost)
        return qparser.syntax.attach(q, self)


def build_parser(schema: Schema, title_boost: float) -> qparser.QueryParser:
    """The parser for user queries over title and text, with the plugins described above."""
    parser = qparser.MultifieldParser(
        list(SEARCH_FIELDS),
        schema,
        fieldboosts={"title": title_boost},
        group=CoordinatedOrGroup,
    )
    parser.remove_plugin_class(qparser.SingleQuotePlugin)
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.add_plugin(StarWildcardPlugin())
    parser.add_plugin(qparser.FuzzyTermPlugin())
    return parser


def parse_query(parser: qparser.QueryParser, text: str) -> query.Query:
    """Parse ``text``; raise :class:`QueryError` for a query with nothing to search.
    ``word~9`` is read as ``word~2``, and the first letter is kept: see :data:`MAX_FUZZY_EDITS`."""
    if not text.strip():
        raise QueryError("empty query: give at least one word")
    try:
        parsed = parser.parse(text)
    except Exception:  # noqa: BLE001 - Whoosh's parser raises assorted internal errors on odd syntax
        parsed = _parse_as_plain_words(parser, text)
    for leaf in parsed.leaves():
        if isinstance(leaf, query.FuzzyTerm):
            leaf.maxdist = min(leaf.maxdist, MAX_FUZZY_EDITS)
            leaf.prefixlength = max(leaf.prefixlength, FUZZY_PREFIX)
        if getattr(leaf, "fieldname", None) == DATE_FIELD:
            _check_date(leaf)
    return parsed


def _check_date(leaf: query.Query) -> None:
    """Raise :class:`QueryError` for a ``date:`` query that is no date (``date:garbage``), as
    ``--since garbage`` does: the index holds only dates there, so it could never match."""
    if isinstance(leaf, query.TermRange):
        texts = [text for text in (leaf.start, leaf.end) if text is not None]
    elif isinstance(leaf, query.Phrase):
        texts = list(leaf.words)
    else:
        texts = [leaf.text]
    for text in texts:
        if isinstance(leaf, query.PatternQuery) and _DATE_PATTERN.fullmatch(leaf.text):
            continue
        try:
            PartialDate.parse(text)
        except ValueError as error:
            raise QueryError(f"date:{text}: {error}") from None


def _parse_as_plain_words(parser: qparser.QueryParser, text: str) -> query.Query:
    """The fallback for syntax the parser chokes on (``" " NOT AND "``): the words alone."""
    words = " ".join(word for word in _SYNTAX.sub(" ", text).split() if word not in _OPERATORS)
    if not words:
        raise QueryError(f"cannot parse query {text!r}: no words outside the query syntax")
    try:
        return parser.parse(words)
    except Exception:  # noqa: BLE001 - see parse_query
        raise QueryError(f"cannot parse query {text!r}") from None


def highlight_terms(q: query.Query, reader: IndexReader, fieldname: str) -> frozenset[str]:
    """The index terms of ``fieldname`` that a hit may show as matches: no ``NOT`` parts,
    and prefixes, wildcards and fuzzy terms expanded to the words they matched."""
    return frozenset(
        text.decode("utf-8") if isinstance(text, bytes) else text
        for leaf in _positive_leaves(q)
        for field, text in leaf.existing_terms(reader, phrases=True, expand=True)
        if field == fieldname
    )


def plain_terms(q: query.Query, fieldname: str, phrases: bool = False) -> frozenset[str]:
    """The words of ``fieldname`` typed as plain words, outside ``NOT`` parts, and with
    ``phrases`` the words of phrases too: no prefixes or fuzzy terms, whose expansions are
    variants of one word, not several words."""
    terms = set()
    for leaf in _positive_leaves(q):
        if getattr(leaf, "fieldname", None) == fieldname:
            if type(leaf) is query.Term:
                terms.add(leaf.text)
            elif phrases and type(leaf) is query.Phrase:
                terms.update(leaf.words)
    return frozenset(terms)


def _positive_leaves(q: query.Query) -> Iterator[query.Query]:
    if isinstance(q, query.Not):
        return
    if isinstance(q, query.AndNot):
        yield from _positive_leaves(q.a)
    elif q.is_leaf():
        yield q
    else:
        for child in q.children():
            yield from _positive_leaves(child)
