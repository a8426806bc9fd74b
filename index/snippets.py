"""Snippets: the sentences of a document that best answer the query, matches highlighted.

The text is analysed with the field's own analyzer, so every form that shares a stem with a
query word is a match (``samtale`` highlights ``samtaler``), at any depth of the document
(Whoosh's highlighter stops at 32,768 characters). The sentences that hold matches are
scored as passages, much as Lucene's UnifiedHighlighter does: idf-weighted query words with
saturating counts, where a word found in most of those sentences (the document's topic) tells
them apart less than one found in few; for a question (``Når …?``, ``Hvem …?``) a sentence
that holds what it asks for wins a tie (:mod:`index.answers`). The best sentence is shown from
its start and on past its end, since the answer mostly follows the words of the question; if it
misses query words and leaves room, a second fragment shows the sentence that adds the most of
them. At most :data:`MAX_FRAGMENTS`, about ``max_chars`` in all, cut at whole words.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .answers import answer_test
from .wordterms import Match, WordTerms

MAX_FRAGMENTS = 2
# A second fragment gets at least this share of the length, or none: less is unreadable.
MIN_SECOND_SHARE = 0.25
# BM25's term-frequency saturation, as in Lucene's passage scorer. Sentence length is not
# normalised: short lines (headings, photo credits) rarely answer anything.
K1 = 1.2
ELLIPSIS = "…"
_JOIN = len(f" {ELLIPSIS} ")  # what the rendering puts between two fragments
_SPACES = re.compile(r"\s+")
# Candidate sentence ends: a line break, or . ! ? … with closing quotes or brackets, then space.
_SENTENCE_END = re.compile(r"\n|[.!?…][»\"”'’)\]]*\s+")
_OPENERS = "«\"“'‘(–—- "  # may stand before the capital letter that starts a sentence


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
        """Matches in bold, for a terminal."""
        return self.render(lambda text: f"\033[1m{text}\033[0m")

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


def _ends_sentence(text: str, end: re.Match) -> bool:
    """Whether a candidate of ``_SENTENCE_END`` ends a sentence: a line break does; a stop does
    before a capital letter (``15. juni`` and ``600 mill. mennesker`` go on), unless it follows
    a single letter (an initial as in ``Kaare R. Norum``, or ``bl.a.``)."""
    stop = end.start()
    if text[stop] == "\n":
        return True
    if not text[end.end() : end.end() + 8].lstrip(_OPENERS)[:1].isupper():
        return False
    return not (text[stop] == "." and text[stop - 1].isalpha() and (stop < 2 or not text[stop - 2].isalnum()))


def _sentence(text: str, start: int, end: int, reach: int) -> tuple[int, int]:
    """The sentence around ``text[start:end]``, looking at most ``reach`` characters either way
    (a longer sentence is shown in part anyway)."""
    first = max(0, start - reach)
    for candidate in _SENTENCE_END.finditer(text, first, start):
        if _ends_sentence(text, candidate):
            first = candidate.end()
    last = min(len(text), end + reach)
    for candidate in _SENTENCE_END.finditer(text, end, last + 1):
        if _ends_sentence(text, candidate):
            return first, min(last, candidate.start() + len(candidate.group().rstrip()))
    return first, last


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    matches: tuple[Match, ...]

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(m[2] for m in self.matches)


def _sentences(text: str, matches: list[Match], reach: int) -> list[_Sentence]:
    """The sentences that hold matches, in text order, each with its matches."""
    bounds: list[tuple[int, int]] = []
    groups: list[list[Match]] = []
    for match in matches:
        if bounds and match[0] < bounds[-1][1]:
            groups[-1].append(match)
            continue
        start, end = _sentence(text, match[0], match[1], reach)
        bounds.append((max(start, bounds[-1][1]) if bounds else start, end))
        groups.append([match])
    return [_Sentence(start, end, tuple(group)) for (start, end), group in zip(bounds, groups)]


def _sentence_weights(sentences: list[_Sentence], weights: Mapping[str, float]) -> dict[str, float]:
    """Each query term's weight times its rarity among the sentences that hold matches: the
    document's own topic word, in nearly every one, tells them apart less than a word used once."""
    holding = Counter(term for sentence in sentences for term in sentence.terms)
    return {term: weights.get(term, 1.0) * math.log(1 + len(sentences) / n) for term, n in holding.items()}


def _score(sentence: _Sentence, weights: Mapping[str, float], terms: Iterable[str] | None = None) -> float:
    """The weights of the query terms in the sentence (only of ``terms`` when given), each
    count saturated as in BM25: a second occurrence adds less than the first."""
    counts = Counter(m[2] for m in sentence.matches)
    return sum(
        weights[term] * n * (K1 + 1) / (n + K1) for term, n in counts.items() if terms is None or term in terms
    )


def _place(text: str, sentence: _Sentence, width: int, weights: Mapping[str, float]) -> tuple[int, int]:
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
    sentences = _sentences(text, matches, max_chars)
    weights = _sentence_weights(sentences, weights)
    asks = answer_test(question)

    def holds_answer(sentence: _Sentence) -> bool:
        return asks is not None and asks(text, sentence.start, sentence.end, {m[0] for m in sentence.matches})

    best = max(sentences, key=lambda s: (_score(s, weights), holds_answer(s), -s.start))
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


def _segments(text: str, span: tuple[int, int], matches: Iterable[Match]) -> tuple[tuple[str, bool], ...]:
    """Split one fragment into plain and matched segments, with runs of whitespace as one space."""
    start, end = span
    segments: list[tuple[str, bool]] = []
    cursor = start
    for m_start, m_end, _ in matches:
        if m_start < start or m_end > end:
            continue
        if m_start > cursor:
            segments.append((_SPACES.sub(" ", text[cursor:m_start]), False))
        segments.append((text[m_start:m_end], True))
        cursor = m_end
    if cursor < end:
        segments.append((_SPACES.sub(" ", text[cursor:end]), False))
    return tuple(segments)


def make_snippet(
    text: str,
    terms: frozenset[str],
    words: WordTerms,
    max_chars: int = 300,
    weights: Mapping[str, float] | None = None,
    question: str = "",
) -> Snippet:
    """The snippet of ``text`` for a query whose analysed words are ``terms``, each weighing
    ``weights[term]`` (default 1: the search passes idf, so rare words count most), and whose
    text as typed is ``question`` (a question's kind breaks ties between sentences).

    Without a match (a hit on the title only, say) it is the opening of the text.
    """
    text = text.strip()
    if not text:
        return Snippet(())
    matches = words.matches(text, terms)
    if matches:
        spans = _choose(text, matches, max_chars, weights or {}, question)
    else:
        spans = [(0, _word_end(text, max_chars))]
    fragments = tuple(_segments(text, span, matches) for span in spans)
    return Snippet(
        fragments,
        starts_inside=spans[0][0] > 0,
        ends_inside=spans[-1][1] < len(text),
    )
