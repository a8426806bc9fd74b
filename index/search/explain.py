"""Why a hit scored what it did: each query word's part and each re-ranking bonus.

A hit's score is the BM25 score of the query's words (:mod:`index.search.ranking`: each word's
BM25 over title and text, times the share of the words the document holds), plus the bonuses
of re-ranking (:mod:`index.search.rerank`). The explanation shows those same numbers: the words'
parts as ranking computed them (:mod:`index.search.arrayscore` keeps them for the best hits; for a
query that needs Whoosh's matchers, each top-level clause's matcher scores the hit), and the
bonuses as re-ranking added them; so they add up to the score. With each word, the forms
of it the document holds: the word itself in any inflection, a compound ending or beginning
with it, a part of it when it is a compound itself, or the
word spelt with æ, ø, å when it was typed without.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from whoosh.searching import Searcher

from .plan import Clause, QueryPlan, top_clauses
from ..analysis.wordterms import WordTerms

# The re-ranking bonuses, by the name the JSON gives them, as the text output words them.
BONUSES = {
    "proximity": "query words close together",
    "exactforms": "words in the form typed",
    "bestsentence": "query words in one sentence",
}
# The forms of one word shown for a hit, at most.
MAX_FORMS = 5


class Form(NamedTuple):
    """A form of a query word found in a document (lower case), and how it matched:
    ``""`` (the word itself), ``"compound"``, ``"part"`` or ``"æøå"`` (see :meth:`Clause.how`)."""

    text: str
    how: str


@dataclass(frozen=True)
class WordScore:
    """One query word (or clause) of a hit: the forms of it the hit holds, its BM25 part."""

    word: str
    matched: tuple[Form, ...]
    score: float


@dataclass(frozen=True)
class Bonus:
    name: str
    score: float


@dataclass(frozen=True)
class Explanation:
    """The parts of a hit's score: its words' and its bonuses, which add up to it."""

    words: tuple[WordScore, ...]
    bonuses: tuple[Bonus, ...]

    @property
    def total(self) -> float:
        return sum(word.score for word in self.words) + sum(bonus.score for bonus in self.bonuses)

    def json(self) -> dict:
        """The ``explain`` of a hit in ``--json`` and the web API."""
        return {
            "words": [
                {"word": word.word, "matched": [form.text for form in word.matched], "score": round(word.score, 6)}
                for word in self.words
            ],
            "bonuses": [{"name": bonus.name, "score": round(bonus.score, 6)} for bonus in self.bonuses],
        }

    def text(self) -> str:
        """One line for people: ``skatt 2.310 (skatten, eiendomsskatten (compound)) + …``."""
        parts = []
        for word in self.words:
            if word.matched:
                forms = ", ".join(f"{form.text} ({_HOW[form.how]})" if form.how else form.text for form in word.matched)
                parts.append(f"{word.word} {word.score:.3f} ({forms})")
            else:
                parts.append(f"{word.word} 0 (not found)")
        parts += [f"{BONUSES[bonus.name]} {bonus.score:.3f}" for bonus in self.bonuses]
        return " + ".join(parts)


_HOW = {"compound": "compound", "part": "part of the word", "æøå": "æ/ø/å"}


def clause_parts(searcher: Searcher, plan: QueryPlan, docnum: int, score: float) -> tuple[float, ...]:
    """The parts of ``score`` (the matcher path's score of global document ``docnum``) per
    top-level clause: each clause's own matcher scores the document, times the share of the
    clauses it matches, as :class:`~index.search.ranking.CoordinatedOrMatcher` does. A query of one
    clause has the one part."""
    clauses = top_clauses(plan.query)
    if len(clauses) == 1:
        return (score,)
    for subsearcher, offset in searcher.leaf_searchers():
        if offset <= docnum < offset + subsearcher.doc_count_all():
            break
    context = searcher.context()
    scores = []
    for clause in clauses:
        matcher = clause.matcher(subsearcher, context)
        if matcher.is_active():
            matcher.skip_to(docnum - offset)
        scores.append(matcher.score() if matcher.is_active() and matcher.id() == docnum - offset else None)
    share = sum(part is not None for part in scores) / len(clauses)
    return tuple((part or 0.0) * share for part in scores)


def explain_hit(
    plan: QueryPlan,
    parts: Sequence[float],
    bonuses: Mapping[str, float],
    title: str,
    text: str,
    words: WordTerms,
) -> Explanation:
    """The explanation of one hit from its words' ``parts`` (aligned with ``plan.clauses``) and
    its re-ranking ``bonuses`` (name -> score, zeros left out), with the forms each word has
    in the hit's ``title`` and ``text`` (the part of it that snippets look at)."""
    return Explanation(
        words=tuple(
            WordScore(clause.label, _forms(clause, title, text, words) if part else (), part)
            for clause, part in zip(plan.clauses, parts)
        ),
        bonuses=tuple(Bonus(name, score) for name, score in bonuses.items() if score),
    )


def _forms(clause: Clause, title: str, text: str, words: WordTerms) -> tuple[Form, ...]:
    terms = clause.terms | clause.restored | clause.compounds
    forms: dict[str, str] = {}
    for source in (title, text):
        for start, end, term in words.matches(source, terms):
            forms.setdefault(source[start:end].lower(), clause.how(term))
            if len(forms) >= MAX_FORMS:
                return tuple(Form(form, how) for form, how in forms.items())
    return tuple(Form(form, how) for form, how in forms.items())
