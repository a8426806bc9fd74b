"""What a Norwegian question asks for, so that a snippet can prefer a sentence that holds it.

``Når …?`` wants a year or a date, ``Hvor mange …?`` and ``Hvor lenge …?`` a number, ``Hvem …?``
and ``Hvor …?`` a name, ``Hvorfor …?`` a reason (``fordi``, ``på grunn av``), ``Hvordan …?``
a means (``ved å``, ``gjennom``). Among sentences with the same query words, the one that also
holds such a thing is more likely the answer. Keyword queries ask for nothing in particular.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

# Capitalised words not at a sentence start: after a lower-case letter, digit, comma or bracket.
_NAME = re.compile(r"(?<=[a-zæøåé0-9,)] )[A-ZÆØÅÉ][\w-]+")
_TIME = re.compile(
    r"\b(?:1\d{3}|20\d{2})\b|\d+-tallet"  # a year, a century
    r"|\b\d{1,2}\. ?(?:jan|feb|mar|apr|mai|jun|jul|aug|sep|okt|nov|des)[a-zæøå]*\b",  # a date
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d")
# The words that give a reason, and those that say how something was done.
_REASON = re.compile(r"\b(?:fordi|ettersom|grunnet|på grunn av|derfor|grunnen|skyldes|for å)\b", re.IGNORECASE)
_MEANS = re.compile(r"\b(?:ved å|ved hjelp av|gjennom|med å)\b", re.IGNORECASE)

Test = Callable[[str, int, int, Collection[int]], bool]


def _finds(pattern: re.Pattern) -> Test:
    """The test of whether a part of a text holds a match of ``pattern``."""

    def test(text: str, start: int, end: int, matched: Collection[int]) -> bool:
        return pattern.search(text, start, end) is not None

    return test


def _has_name(text: str, start: int, end: int, matched: Collection[int]) -> bool:
    return any(name.start() not in matched for name in _NAME.finditer(text, start, end))


_ASKS: tuple[tuple[re.Pattern, Test], ...] = (  # the first that matches: "Hvor mange" is a number
    (re.compile(r"hvorfor\b"), _finds(_REASON)),
    (re.compile(r"hvordan\b"), _finds(_MEANS)),
    (re.compile(r"(?:i )?(?:når|hvilket år|hvilken dato|hvilket århundre|hvilket tiår)\b"), _finds(_TIME)),
    (
        re.compile(r"hvor (?:lenge|mange|mye|stor|store|gammel|gamle|lang|lange|langt|høy|høyt|dyp|dypt|bred|tung|ofte)\b"),
        _finds(_NUMBER),
    ),
    (re.compile(r"(?:hvem|hvor|hva het(?:er)?)\b"), _has_name),
)


def answer_test(question: str) -> Test | None:
    """For a question, a test of whether ``text[start:end]`` holds the kind of thing it asks
    for (a name must not be one of the ``matched`` words, given by their start offsets);
    ``None`` for a question of another kind or a keyword query."""
    question = question.strip().lower()
    return next((test for pattern, test in _ASKS if pattern.match(question)), None)
