"""Sentences around matches: where one sentence of a text ends and the next begins.

A line break ends a sentence; so does ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or
brackets) before a capital letter, except after a single letter (``Kaare R. Norum``,
``bl.a.``). ``15. juni`` and ``600 mill. mennesker`` go on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .wordterms import Match

# Candidate sentence ends: a line break, or . ! ? … with closing quotes or brackets, then space.
_SENTENCE_END = re.compile(r"\n|[.!?…][»\"”'’)\]]*\s+")
_OPENERS = "«\"“'‘(–—- "  # may stand before the capital letter that starts a sentence


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
    (a longer run without a sentence end is cut there)."""
    first = max(0, start - reach)
    for candidate in reversed(list(_SENTENCE_END.finditer(text, first, start))):  # the last one that ends one
        if _ends_sentence(text, candidate):
            first = candidate.end()
            break
    last = min(len(text), end + reach)
    for candidate in _SENTENCE_END.finditer(text, end, last + 1):
        if _ends_sentence(text, candidate):
            return first, min(last, candidate.start() + len(candidate.group().rstrip()))
    return first, last


@dataclass(frozen=True)
class Sentence:
    """A sentence of a text, by character offsets, with the query's matches in it."""

    start: int
    end: int
    matches: tuple[Match, ...]

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(m[2] for m in self.matches)


def sentences_holding(text: str, matches: list[Match], reach: int) -> list[Sentence]:
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
    return [Sentence(start, end, tuple(group)) for (start, end), group in zip(bounds, groups)]
