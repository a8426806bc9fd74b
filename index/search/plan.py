"""The query plan: everything a search needs from the query, worked out once.

A query passes through several steps before documents are scored: parsed
(:func:`~index.search.query.parse_query`), words the index lacks restored with æ, ø, å
(:mod:`index.analysis.letters`), plain words also searched as the compounds ending or
beginning with them, and as their parts (:mod:`index.analysis.compounds`), prefixes and fuzzy terms expanded within the limits
(:mod:`index.limits`). Ranking, re-ranking, snippets, marking a document and the
explanation of a score then each need something of the result: the plain words' terms, the
forms as typed, the terms to highlight, which compound stands for which word, each term's
idf. :func:`plan_query` does all of it once and keeps it in a :class:`QueryPlan` that they
all read, so no two of them can see the query differently.

The plan holds the parsed tree (``parsed``) as well as the Whoosh query that runs
(``query``), and each clause's terms as plain strings, so another engine can translate the
same plan without Whoosh's matchers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from whoosh import qparser, query
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from .arrayscore import Word, plain_words
from ..analysis.compounds import CompoundPart, CompoundTerm, expand_compounds, looser_terms, words_of_compounds
from .exactforms import typed_forms
from ..analysis.letters import restore_letters
from ..limits import Deadline, QueryLimits, expand_patterns
from .query import highlight_terms, parse_query, plain_terms
from .ranking import CoordinatedOr
from ..analysis.wordterms import WordTerms

FIELD = "text"


@dataclass(frozen=True)
class Clause:
    """One top-level part of the query, as the user reads it: a word (``skatt``), a phrase,
    a prefix, a group. ``terms``: the text terms it searches for in its own right (the word's
    stem, a phrase's words, a prefix's expansions); ``restored``: the spellings with æ, ø, å
    searched in place of a word the index lacks; ``compounds``: the compounds searched for
    it, and its parts when it is one (those also in ``parts``). ``query``: the part of the
    Whoosh query that runs for it."""

    label: str
    terms: frozenset[str]
    restored: frozenset[str]
    compounds: frozenset[str]
    query: query.Query
    parts: frozenset[str] = frozenset()

    def how(self, term: str) -> str:
        """How ``term`` came to match this clause: ``""`` (the word itself), ``"compound"``,
        ``"part"`` (a part of the compound typed) or ``"æøå"`` (a spelling restored with æ, ø, å)."""
        if term in self.parts:
            return "part"
        if term in self.compounds:
            return "compound"
        if term in self.restored:
            return "æøå"
        return ""


@dataclass(frozen=True)
class QueryPlan:
    """A query analysed once; see the module docstring.

    ``text``: as typed. ``parsed``: the parser's tree. ``query``: the Whoosh query that runs.
    ``clauses``: its top-level parts in query order (the words of a question). ``words``: the
    same parts as :mod:`index.search.arrayscore` scores them, or ``None`` when they need Whoosh's
    matchers. ``text_terms``: the plain words' text terms (proximity, best sentence).
    ``forms``: the words as typed (lower case) with their term (the exact-form bonus).
    ``highlight``: the text terms a hit may show as matches; ``looser`` those of them that are
    a compound beginning with a query word or a part of one: marked, but they do not choose a
    snippet's sentences (:func:`~index.analysis.compounds.looser_terms`). ``stands_for``: each
    compound term and the word it was searched for. ``idf``: the idf of the text terms and of the
    forms' terms (the re-ranking bonuses)."""

    text: str
    parsed: query.Query
    query: query.Query
    clauses: tuple[Clause, ...]
    words: list[Word] | None
    text_terms: frozenset[str]
    forms: Mapping[str, str]
    highlight: frozenset[str]
    looser: frozenset[str]
    stands_for: Mapping[str, str]
    idf: Mapping[str, float]

    @property
    def rerank_terms(self) -> frozenset[str]:
        """The terms whose matches re-ranking looks for in a hit's text."""
        return self.text_terms | frozenset(self.forms.values())


def plan_query(
    parser: qparser.QueryParser,
    searcher: Searcher,
    words: WordTerms,
    text: str,
    limits: QueryLimits = QueryLimits(),
    deadline: Deadline | None = None,
) -> QueryPlan:
    """The plan of ``text`` over ``searcher``'s index. Raises :class:`~index.errors.QueryError`
    as :func:`~index.search.query.parse_query` and :func:`~index.limits.expand_patterns` do."""
    reader = searcher.reader()
    parsed = parse_query(parser, text)
    typed, names = _typed_words(words, text)
    q = restore_letters(parsed, reader, typed, words.term)
    q = expand_compounds(q, searcher, FIELD, names)
    q = expand_patterns(q, reader, limits, deadline or Deadline(limits.time_budget_seconds))
    text_terms = plain_terms(q, FIELD)
    forms = typed_forms(text, plain_terms(q, FIELD, phrases=True), words)
    highlight = highlight_terms(q, reader, FIELD)
    stands_for = words_of_compounds(q)
    terms = text_terms | frozenset(forms.values())
    idf = {term: searcher.idf(FIELD, term) for term in terms}
    clauses = tuple(
        _clause(before, after, reader, highlight, typed) for before, after in zip(top_clauses(parsed), top_clauses(q))
    )
    return QueryPlan(
        text=text,
        parsed=parsed,
        query=q,
        clauses=clauses,
        words=plain_words(q),
        text_terms=text_terms,
        forms=forms,
        highlight=highlight,
        looser=looser_terms(q) - text_terms,
        stands_for=stands_for,
        idf=idf,
    )


def _typed_words(words: WordTerms, text: str) -> tuple[dict[str, str], frozenset[str]]:
    """Each term of the query ``text`` and the first word typed for it (lower case); and the
    terms of the words typed with a capital past the first word: names, which are not split
    into compounds (``Finland`` is no ``fin land``)."""
    typed: dict[str, str] = {}
    names = set()
    for number, word in enumerate(words.words(text)):
        if (term := words.term(word)) is not None:
            typed.setdefault(term, word.lower())
            if number and word[:1].isupper():
                names.add(term)
    return typed, frozenset(names)


def clause_labels(parsed: query.Query, words: WordTerms, text: str) -> list[str]:
    """The labels of the top-level clauses of the parsed query of ``text``, as
    :attr:`Clause.label` (for an engine that does not plan the query over Whoosh's index)."""
    typed, _ = _typed_words(words, text)
    return [_label(clause, typed) for clause in top_clauses(parsed)]


def top_clauses(q: query.Query) -> list[query.Query]:
    """The top-level parts of ``q`` that its score adds up (the words of a
    :class:`~index.search.ranking.CoordinatedOr`, without its ``NOT`` part), or ``q`` alone."""
    if isinstance(q, query.AndNot):
        return top_clauses(q.a)
    return list(q.subqueries) if type(q) is CoordinatedOr else [q]


def _clause(
    before: query.Query, after: query.Query, reader: IndexReader, highlight: frozenset[str], typed: Mapping[str, str]
) -> Clause:
    """The clause ``before`` became ``after``: its terms, restorations and compounds (of the
    query's ``highlight`` terms, those the index holds: not looked up again)."""
    found = highlight & frozenset(
        text.decode("utf-8") if isinstance(text, bytes) else text
        for leaf in after.leaves()
        for field, text in (
            leaf.existing_terms(reader, expand=True) if isinstance(leaf, query.MultiTerm) else leaf.terms(phrases=True)
        )
        if field == FIELD
    )
    compounds = frozenset(leaf.text for leaf in after.leaves() if isinstance(leaf, CompoundTerm))
    restored = plain_terms(after, FIELD) - plain_terms(before, FIELD)  # restoring replaces plain words only
    return Clause(
        label=_label(before, typed),
        terms=found - compounds - restored,
        restored=restored,
        compounds=compounds,
        parts=frozenset(leaf.text for leaf in after.leaves() if isinstance(leaf, CompoundPart)),
        query=after,
    )


def _label(q: query.Query, typed: Mapping[str, str]) -> str:
    """A clause as the user typed it, near enough: a word in the form typed, a phrase in
    quotes, anything else as Whoosh writes it without the field names."""
    leaves = list(q.leaves())
    if leaves and all(type(leaf) is query.Term for leaf in leaves) and len({leaf.text for leaf in leaves}) == 1:
        return typed.get(leaves[0].text, leaves[0].text)
    if leaves and all(type(leaf) is query.Phrase for leaf in leaves):
        return '"' + " ".join(typed.get(word, word) for word in leaves[0].words) + '"'
    shown = []
    for leaf in leaves:
        part = str(leaf).split(":", 1)[-1]
        if part not in shown:
            shown.append(part)
    return " ".join(shown)
