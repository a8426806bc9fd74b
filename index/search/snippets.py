"""Snippets: the sentences of a document that best answer the query, matches highlighted.

The text is analysed with the field's own analyzer, so every form that shares a stem with a
query word is a match (``samtale`` highlights ``samtaler``), at any depth of the document
(Whoosh's highlighter stops at 32,768 characters). The sentences that hold matches are
scored as passages, much as Lucene's UnifiedHighlighter does: the query words each sentence
holds, each counted once (a compound as the word it was searched for; sentence length is not
normalised), weighed by their rarity among those sentences, as the ranking's idf weighs rarity
among documents: a word found in most of them (the document's topic) tells them apart less than
one found in few, whatever its rarity in the index. A line that does not end as a sentence does
(a heading, a photo credit) scores a little less; for a question (``Når …?``, ``Hvem …?``,
``Hvorfor …?``) a sentence that holds what it asks for scores a little more
(:mod:`index.search.answers`). The best sentence is shown from its start and on past its end,
since the answer mostly follows the words of the question; while it leaves room, more fragments
show the sentence that adds the most of the query words not yet shown, or, when none is missing,
the next best sentence. At most :data:`MAX_FRAGMENTS`, about ``max_chars`` in all, cut at whole
words.

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

# Three fragments: the best sentence, and the next ones while room is left, found the answer for
# 0.855 / 0.851 of the even / odd questions, two for 0.845 / 0.844 (bench/README.md).
MAX_FRAGMENTS = 3
# A sentence that holds what a question asks for (:mod:`index.search.answers`) scores this much more:
# enough to beat one that holds a word more of little weight, not one with a rare word more
# (0.2 and 0.5 found the answer about as often, bench/README.md).
ANSWER_BONUS = 0.2
# A line that does not end with a stop (a heading, a photo credit, a run cut at the reach) answers
# a question less often than a sentence: its score is multiplied by this (the best sentence held
# the answer for 0.666 / 0.676 of the even / odd questions, 0.648 / 0.667 without: bench/README.md).
UNFINISHED = 0.8
_FINISHED = re.compile(r"[.!?»\"”)]\s*$")
# A further fragment gets at least this share of the length, or none: less is unreadable.
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


def _sentence_weights(sentences: list[Sentence]) -> dict[str, float]:
    """Each query term's rarity among the sentences that hold matches, as the ranking's idf
    (:func:`~index.search.scoring.lucene_idf`) measures rarity among documents: the document's
    own topic word, in nearly every one, tells them apart hardly at all, a word used once much.
    Its rarity in the index is left out: it chose the document, and among the document's
    sentences a name rare in the index but in every sentence says nothing (times the word's idf,
    the best sentence held the answer for 0.631 / 0.641 of the even / odd questions, without it
    0.648 / 0.667: bench/README.md)."""
    holding = Counter(term for sentence in sentences for term in sentence.terms)
    return {term: lucene_idf(len(sentences), n) for term, n in holding.items()}


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


def _choose(text: str, matches: list[Match], max_chars: int, question: str) -> list[tuple[int, int]]:
    """The best sentence and what follows it; and, while room is left, up to
    :data:`MAX_FRAGMENTS` − 1 more: the sentence that adds the most of the query words not yet
    shown or, when none is missing, the next best, each shown whole if it fits, the rest of the
    room going to the first fragment."""
    sentences = sentences_holding(text, matches, max_chars)
    weights = _sentence_weights(sentences)
    asks = answer_test(question)

    def holds_answer(sentence: Sentence) -> bool:
        return asks is not None and asks(text, sentence.start, sentence.end, {m[0] for m in sentence.matches})

    def score(sentence: Sentence) -> float:
        finished = _FINISHED.search(text, sentence.start, sentence.end) is not None
        return _score(sentence, weights) * (1 + ANSWER_BONUS * holds_answer(sentence)) * (1 if finished else UNFINISHED)

    def adds(sentence: Sentence, missing: set[str]) -> tuple[float, bool, int]:
        gain = _score(sentence, weights, missing) if missing else score(sentence)
        return gain, holds_answer(sentence), -sentence.start

    best = max(sentences, key=lambda s: adds(s, set()))
    chosen, widths = [best], []
    room = max_chars - (best.end - best.start) - _JOIN
    while len(chosen) < MAX_FRAGMENTS and room >= max_chars * MIN_SECOND_SHARE:
        missing = {m[2] for m in matches}.difference(*(s.terms for s in chosen))
        others = [s for s in sentences if s not in chosen and (s.terms & missing or not missing)]
        if not others:
            break
        chosen.append(max(others, key=lambda s: adds(s, missing)))
        widths.append(min(room, chosen[-1].end - chosen[-1].start))
        room -= widths[-1] + _JOIN
    first_width = max_chars - sum(widths) - _JOIN * len(widths)
    spans = sorted(
        [_place(text, best, first_width, weights)]
        + [_place(text, sentence, width, weights) for sentence, width in zip(chosen[1:], widths)]
    )
    if any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:])):
        return [_place(text, best, max_chars, weights)]
    return spans


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
    question: str = "",
    compounds: Mapping[str, str] | None = None,
    max_analyzed: int = 50_000,
    counts: Mapping[str, int] | None = None,
    looser: frozenset[str] = frozenset(),
) -> Snippet:
    """The snippet of ``text`` for a query whose analysed words are ``terms`` and whose text as
    typed is ``question`` (a question's kind counts in a sentence's score). Of a
    compound term in ``compounds`` (compound -> the word it was searched for), only that word's
    part is highlighted. Only ``max_analyzed`` characters are analysed: the start of the text,
    or the part around its first match when that comes later. ``counts``: how many words of
    the whole text have each term, as the index counted them (it speeds up finding them). The
    matches of ``looser`` terms (:func:`~index.analysis.compounds.looser_terms`) are marked but
    choose the sentences only when there are no others.

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
        spans = _choose(text, [m for m in matches if m[2] not in looser] or matches, max_chars, question)
    else:
        spans = [(0, _word_end(text, max_chars))]
    fragments = tuple(_segments(text, span, matches) for span in spans)
    return Snippet(
        fragments,
        starts_inside=first + spans[0][0] > 0,
        ends_inside=first + spans[-1][1] < len(whole),
    )
