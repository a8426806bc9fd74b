"""Snippets: the best short passages of a document around the words that matched.

The text is analysed with the field's own analyzer, so every form that shares a stem with a
query word is a match (``samtale`` highlights ``samtaler``), at any depth of the document
(Whoosh's highlighter stops at 32,768 characters). Passages are chosen greedily: first the
window that holds the most different query words, then, if words are still missing,
smaller windows that add them; at most :data:`MAX_FRAGMENTS`, about ``max_chars`` in all,
cut at whole words.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .wordterms import Match, WordTerms

MAX_FRAGMENTS = 2
# How far before a match (as a share of the window) its sentence may start to be shown whole.
SENTENCE_REACH = 0.6
ELLIPSIS = "…"
_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?:;»\"”]\s+")


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


def _window(text: str, match_start: int, width: int) -> tuple[int, int]:
    """A span of about ``width`` characters around a match: from the start of its sentence
    when that leaves room for the match and what follows it (the answer to a question is
    mostly in the sentence that holds its words), else a little context before it."""
    start = max(0, match_start - width // 4)
    sentence = None
    for sentence in _SENTENCE_END.finditer(text, max(0, match_start - int(width * SENTENCE_REACH)), match_start):
        pass
    if sentence is not None:
        start = sentence.end()
    elif match_start <= width * SENTENCE_REACH:
        start = 0
    start = _word_start(text, start)
    end = _word_end(text, start + width)
    return start, max(end, min(len(text), match_start + 1))


def _inside(matches: list[Match], starts: list[int], span: tuple[int, int]) -> list[Match]:
    """The matches wholly inside ``span`` (``starts`` is the sorted list of match starts)."""
    low, high = bisect_left(starts, span[0]), bisect_left(starts, span[1])
    return [m for m in matches[low:high] if m[1] <= span[1]]


def _choose(text: str, matches: list[Match], max_chars: int, weights: Mapping[str, float]) -> list[tuple[int, int]]:
    """Greedily pick the fewest windows (at most :data:`MAX_FRAGMENTS`, sharing ``max_chars``) that show the most
    weight of different query terms (rare words weigh more); ties go to more matches, then
    to the earliest window."""
    starts = [m[0] for m in matches]
    all_terms = {m[2] for m in matches}
    chosen: list[tuple[int, int]] = []
    for count in range(1, MAX_FRAGMENTS + 1):
        width = max_chars // count
        candidates = sorted({_window(text, start, width) for start in starts})
        chosen, shown = [], set()
        for _ in range(count):
            free = [c for c in candidates if all(c[1] <= s or c[0] >= e for s, e in chosen)]
            if not free:
                break

            def gain(span: tuple[int, int]) -> tuple[float, int, int]:
                inside = _inside(matches, starts, span)
                new = {m[2] for m in inside} - shown
                return (sum(weights.get(term, 1.0) for term in new), len(inside), -span[0])

            span = max(free, key=gain)
            if chosen and gain(span)[0] == 0:
                break
            chosen.append(span)
            shown |= {m[2] for m in _inside(matches, starts, span)}
        if shown >= all_terms:
            break
    return sorted(chosen)


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
    text: str, terms: frozenset[str], words: WordTerms, max_chars: int = 200, weights: Mapping[str, float] | None = None
) -> Snippet:
    """The snippet of ``text`` for a query whose analysed words are ``terms``, each weighing
    ``weights[term]`` (default 1: the search passes idf, so rare words count most).

    Without a match (a hit on the title only, say) it is the opening of the text.
    """
    text = text.strip()
    if not text:
        return Snippet(())
    matches = words.matches(text, terms)
    if matches:
        spans = _choose(text, matches, max_chars, weights or {})
    else:
        spans = [(0, _word_end(text, max_chars))]
    fragments = tuple(_segments(text, span, matches) for span in spans)
    return Snippet(
        fragments,
        starts_inside=spans[0][0] > 0,
        ends_inside=spans[-1][1] < len(text),
    )
