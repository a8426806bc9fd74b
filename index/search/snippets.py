"""Snippets: the sentences of a document that best answer the query, matches highlighted.

The text is analysed with the field's own analyzer, so every form that shares a stem with a
query word is a match (``samtale`` highlights ``samtaler``), at any depth of the document
(Whoosh's highlighter stops at 32,768 characters). The sentences that hold matches are
scored as passages, much as Lucene's UnifiedHighlighter does: idf-weighted query words, each
counted once (a compound as the word it was searched for; sentence length is not normalised:
short lines, headings and photo credits, rarely answer anything), where a word found in most
of those sentences (the document's topic) tells them apart less than one found in few; for a question (``Når …?``, ``Hvem …?``, ``Hvorfor
…?``) a sentence that holds what it asks for scores a little more (:mod:`index.search.answers`). The best sentence is shown from
its start and on past its end, since the answer mostly follows the words of the question; if it
misses query words and leaves room, a second fragment shows the sentence that adds the most of
them. At most :data:`MAX_FRAGMENTS`, about ``max_chars`` in all, cut at whole words.

A document of many megabytes would take seconds to analyse whole (a 19 MB one, 10 s a
query), so, as Lucene's highlighter stops at ``maxDocCharsToAnalyze``, only ``max_analyzed``
characters of it are: its start, or, when that holds no match, those around the first match
past it, found by :meth:`~index.analysis.wordterms.WordTerms.first_match` (a string search, analysing
only the words it finds). The index's positions cannot say where that is: Whoosh keeps no
character offsets, and a document's length only to about 12 % (and not past 2^16 words).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .answers import answer_test
from .scoring import lucene_idf
from ..console import printable
from ..analysis.sentences import Sentence, sentences_holding
from ..analysis.wordterms import Match, WordTerms

MAX_FRAGMENTS = 2
# A sentence that holds what a question asks for (:mod:`index.search.answers`) scores this much more:
# enough to beat one that holds a word more of little weight, not one with a rare word more
# (0.2 and 0.5 found the answer about as often, bench/README.md).
ANSWER_BONUS = 0.2
# A second fragment gets at least this share of the length, or none: less is unreadable.
MIN_SECOND_SHARE = 0.25
ELLIPSIS = "…"
_JOIN = len(f" {ELLIPSIS} ")  # what the rendering puts between two fragments
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Snippet:
    """Fragments of text, each a sequence of ``(text, is_match)`` segments.

    ``starts_inside``/``ends_inside`` say whether the first and last fragment were cut from
    the middle of the text, which the renderings show with ``…``.
    """

    fragments: tuple[tuple[tuple[str, bool], ...], ...]
    starts_inside: bool = False
    ends_inside: bool = False

    def render(self, mark: Callable[[str], str], escape: Callable[[str], str] = str) -> str:
        """Join fragments with `` … ``, passing matches through ``mark`` and all text through ``escape``."""
        parts = [
            "".join(mark(escape(text)) if matched else escape(text) for text, matched in fragment)
            for fragment in self.fragments
        ]
        joined = f" {ELLIPSIS} ".join(parts)
        if joined and self.starts_inside:
            joined = f"{ELLIPSIS} {joined}"
        if joined and self.ends_inside:
            joined = f"{joined} {ELLIPSIS}"
        return joined

    def plain(self) -> str:
        return self.render(lambda text: text)

    def html(self) -> str:
        """HTML-escaped text with each match in ``<mark>…</mark>``."""
        return self.render(lambda text: f"<mark>{text}</mark>", html.escape)

    def ansi(self) -> str:
        """Matches in bold, for a terminal; control characters of the text shown escaped
        (:func:`index.console.printable`), so a document cannot act on the terminal."""
        return self.render(lambda text: f"\033[1m{text}\033[0m", printable)

    def __str__(self) -> str:
        return self.plain()


def _word_start(text: str, start: int) -> int:
    """Move ``start`` forward to the beginning of a word (or leave it at 0)."""
    if start <= 0:
        return 0
    if text[start - 1].isspace():
        return start
    space = _SPACES.search(text, start)
    return space.end() if space else len(text)


def _word_end(text: str, end: int) -> int:
    """Move ``end`` back to the end of a word (or leave it at the end of the text)."""
    if end >= len(text) or text[end].isspace():
        return min(end, len(text))
    cut = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end))
    return cut if cut > 0 else end


def _sentence_weights(sentences: list[Sentence], weights: Mapping[str, float]) -> dict[str, float]:
    """Each query term's weight times its rarity among the sentences that hold matches, as the
    ranking's idf (:func:`~index.search.scoring.lucene_idf`) measures rarity among documents: the
    document's own topic word, in nearly every one, tells them apart hardly at all, a word
    used once much (``log(1 + N / n)``, which weighs a word in every sentence at 0.69, found
    the answer for 0.827 / 0.827 of the even / odd questions, this 0.834 / 0.832)."""
    holding = Counter(term for sentence in sentences for term in sentence.terms)
    return {term: weights.get(term, 1.0) * lucene_idf(len(sentences), n) for term, n in holding.items()}


def _score(sentence: Sentence, weights: Mapping[str, float], terms: Iterable[str] | None = None) -> float:
    """The weights of the different query terms in the sentence (only of ``terms`` when given),
    each counted once: the sentence that answers a question holds many of its words, not one
    of them many times (with counts saturated as BM25 saturates them, the snippet held the
    answer for 0.821 / 0.814 of the even / odd questions; each word once, 0.827 / 0.827:
    ``bench/README.md``)."""
    return sum(weights[term] for term in sentence.terms if terms is None or term in terms)


def _place(text: str, sentence: Sentence, width: int, weights: Mapping[str, float]) -> tuple[int, int]:
    """About ``width`` characters from the start of the sentence, on past its end when it is
    shorter (and from before it when the text ends first); in a longer sentence, the window
    that shows the most weight of different query terms, from its start or a little before a
    match."""
    start = sentence.start
    if sentence.end - start > width:

        def gain(first: int) -> tuple[float, int]:
            shown = {m[2] for m in sentence.matches if m[0] >= first and m[1] <= first + width}
            return sum(weights[term] for term in shown), -first

        start = max([start] + [max(start, m[0] - width // 4) for m in sentence.matches], key=gain)
    start = _word_start(text, start)
    if start + width >= len(text):  # the text ends first: show what leads up to the sentence
        start = min(start, _word_start(text, len(text) - width))
    return start, _word_end(text, start + width)


def _choose(
    text: str, matches: list[Match], max_chars: int, weights: Mapping[str, float], question: str
) -> list[tuple[int, int]]:
    """The best sentence and what follows it; or, when it misses query words and leaves room,
    also the sentence that adds the most of them, shown whole if it fits, the rest of the room
    going to the first fragment."""
    sentences = sentences_holding(text, matches, max_chars)
    weights = _sentence_weights(sentences, weights)
    asks = answer_test(question)

    def holds_answer(sentence: Sentence) -> bool:
        return asks is not None and asks(text, sentence.start, sentence.end, {m[0] for m in sentence.matches})

    def score(sentence: Sentence) -> float:
        return _score(sentence, weights) * (1 + ANSWER_BONUS * holds_answer(sentence))

    best = max(sentences, key=lambda s: (score(s), holds_answer(s), -s.start))
    missing = {m[2] for m in matches} - best.terms
    room = max_chars - (best.end - best.start) - _JOIN
    others = [s for s in sentences if s.terms & missing]
    if MAX_FRAGMENTS < 2 or not others or room < max_chars * MIN_SECOND_SHARE:
        return [_place(text, best, max_chars, weights)]
    other = max(others, key=lambda s: (_score(s, weights, missing), holds_answer(s), -s.start))
    second_width = min(room, other.end - other.start)
    first = _place(text, best, max_chars - second_width - _JOIN, weights)
    second = _place(text, other, second_width, weights)
    if second[0] < first[1] and first[0] < second[1]:
        return [_place(text, best, max_chars, weights)]
    return sorted([first, second])


def _segments(
    text: str, span: tuple[int, int], matches: Iterable[Match], squeeze: bool = True
) -> tuple[tuple[str, bool], ...]:
    """Split one fragment into plain and matched segments, with runs of whitespace as one space
    (unless not ``squeeze``)."""
    start, end = span
    spaces = _SPACES.sub if squeeze else lambda _space, part: part
    segments: list[tuple[str, bool]] = []
    cursor = start
    for m_start, m_end, _ in matches:
        if m_start < start or m_end > end:
            continue
        if m_start > cursor:
            segments.append((spaces(" ", text[cursor:m_start]), False))
        segments.append((text[m_start:m_end], True))
        cursor = m_end
    if cursor < end:
        segments.append((spaces(" ", text[cursor:end]), False))
    return tuple(segments)


def _asked_parts(text: str, matches: list[Match], compounds: Mapping[str, str]) -> list[Match]:
    """Matches of compound terms narrowed to the word they were searched for, the last part
    (``eiendoms[skatten]`` for ``skatt``), and counted as that word: a sentence with
    ``stavbakterier`` holds ``bakterie`` no more than one with ``bakterier``, nor is the
    compound rarer among the sentences than the word. A match whose text does not begin with
    the compound's first part (as the term writes it) is left whole."""
    narrowed = []
    for start, end, term in matches:
        word = compounds.get(term)
        if word is not None:
            cut = len(term) - len(word)
            if text[start : start + cut].lower() == term[:cut]:
                start += cut
            term = word
        narrowed.append((start, end, term))
    return narrowed


def analysed_part(text: str, max_analyzed: int, near: int = 0) -> tuple[int, int]:
    """Where the ``max_analyzed`` characters of ``text`` to look at start and end: the whole
    text when it is no longer, else those around ``near`` (from the start when ``near`` is in
    the first half of them), cut at whole words where there are any."""
    if len(text) <= max_analyzed:
        return 0, len(text)
    cut = min(max(0, near - max_analyzed // 2), len(text) - max_analyzed)
    start = _word_start(text, cut)
    end = _word_end(text, start + max_analyzed)
    return (start, end) if start < end else (cut, cut + max_analyzed)


def _matches(
    text: str,
    terms: frozenset[str],
    words: WordTerms,
    compounds: Mapping[str, str] | None,
    counts: Mapping[str, int] | None = None,
) -> list[Match]:
    matches = words.matches(text, terms, counts)
    return _asked_parts(text, matches, compounds) if compounds else matches


def mark_all(
    text: str, terms: frozenset[str], words: WordTerms, compounds: Mapping[str, str] | None = None
) -> Snippet:
    """The whole of ``text`` as one fragment, its whitespace kept, with every match of
    ``terms`` marked as :func:`make_snippet` marks them: a document shown with its matches."""
    return Snippet(((_segments(text, (0, len(text)), _matches(text, terms, words, compounds), squeeze=False)),))


def make_snippet(
    text: str,
    terms: frozenset[str],
    words: WordTerms,
    max_chars: int = 300,
    weights: Mapping[str, float] | None = None,
    question: str = "",
    compounds: Mapping[str, str] | None = None,
    max_analyzed: int = 50_000,
    counts: Mapping[str, int] | None = None,
) -> Snippet:
    """The snippet of ``text`` for a query whose analysed words are ``terms``, each weighing
    ``weights[term]`` (default 1: the search passes idf, so rare words count most), and whose
    text as typed is ``question`` (a question's kind breaks ties between sentences). Of a
    compound term in ``compounds`` (compound -> the word it was searched for), only that word's
    part is highlighted. Only ``max_analyzed`` characters are analysed: the start of the text,
    or the part around its first match when that comes later. ``counts``: how many words of
    the whole text have each term, as the index counted them (it speeds up finding them).

    Without a match (a hit on the title only, say) it is the opening of the text.
    """
    whole = text.strip()
    first, last = analysed_part(whole, max_analyzed)
    if last < len(whole) and (near := words.first_match(whole, terms)) is not None and near >= last:
        first, last = analysed_part(whole, max_analyzed, near)
    text = whole[first:last]
    if not text:
        return Snippet(())
    matches = _matches(text, terms, words, compounds, counts if len(text) == len(whole) else None)
    if matches:
        spans = _choose(text, matches, max_chars, weights or {}, question)
    else:
        spans = [(0, _word_end(text, max_chars))]
    fragments = tuple(_segments(text, span, matches) for span in spans)
    return Snippet(
        fragments,
        starts_inside=first + spans[0][0] > 0,
        ends_inside=first + spans[-1][1] < len(whole),
    )
