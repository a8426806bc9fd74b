"""Metadata from the text itself: YAML front matter or a leading date header, and the title.

Our documents start with a date header, with or without a line break after it:
``date 2023-07 Skjulte chatter? …``, ``Date: 2021-11-03``, ``date 2022-03-04T10:15:00Z``,
``date: 14.07.2023``, ``dato: 14. juli 2023``, ``Dato: 1. feb. 2019``, ``date 2018``.
The date keeps the precision it was written with (``2018``, ``2023-07``, ``2023-07-14``).

Only a keyword followed by something date-shaped is a header: ``Date palms grow…`` and
``Datoen ble satt…`` are body text. A date-shaped header that is no real date
(``date 2023-13``) is left in the text, and the document gets no date and a warning.

Markdown-style YAML front matter (``---`` / ``title: …`` / ``date: …`` / ``---``) gives the
title and the date (in any of the forms above) and is removed from the body.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from index.dates import PartialDate

TITLE_MAX_CHARS = 150

# Norwegian month names and their usual abbreviations (Bokmål and Nynorsk agree).
MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "desember": 12, "des": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))

_DATE = (
    r"""(?:
        (?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2})
            (?:[T\ ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?
      | (?P<dday>\d{1,2})\.(?P<dmonth>\d{1,2})\.(?P<dyear>\d{4})
      | (?:(?P<nday>\d{1,2})\.?\s+)?(?P<nmonth>"""
    + _MONTH
    + r""")\.?\s+(?P<nyear>\d{4})
    )"""
)
_HEADER = re.compile(r"\A\s*(?:date|dato)(?:\s*:\s*|\s+)" + _DATE + r"(?=\s|\Z)[ \t]*\n?", re.IGNORECASE | re.VERBOSE)
_DATE_VALUE = re.compile(r"\s*" + _DATE + r"\s*", re.IGNORECASE | re.VERBOSE)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
# Common Norwegian abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "bl.a ca dvs d.v.s e.l el f.eks f.o.m jf jfr kap kl m.a m.fl m.m mv m.v mill mrd nr "
    "o.a o.l osv pga pkt pst red s st t.o.m tlf vedr ref".split()
)
# A sentence ends at . ! ? or … before the end, or before white space and a new sentence
# (capital letter, digit, quote, dash); "kl. 10" is handled by the abbreviation list.
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s*\Z|\s+[\w«\"“'(–-])")
_LAST_WORD = re.compile(r"(\S+)$")


@dataclass(frozen=True)
class Header:
    """What the start of a document says about it, and the body after the header."""

    date: PartialDate | None
    body: str
    warning: str | None = None
    title: str | None = None


def _number(text: str | None) -> int | None:
    return int(text) if text else None


def _date_of(match: re.Match) -> PartialDate:
    """The date of a match of ``_DATE``; raises ValueError if it does not exist."""
    groups = match.groupdict()
    if groups["year"]:
        parts = (groups["year"], groups["month"], groups["day"])
    elif groups["dyear"]:
        parts = (groups["dyear"], groups["dmonth"], groups["dday"])
    else:
        parts = (groups["nyear"], str(MONTHS[groups["nmonth"].lower()]), groups["nday"])
    return PartialDate.of(*(_number(part) for part in parts))


def parse_date(value: str) -> PartialDate:
    """Parse one date in any of the header forms (``2023-07``, ``14. juli 2023``, …)."""
    match = _DATE_VALUE.fullmatch(value)
    if not match:
        raise ValueError(f"{value!r} is not a date")
    return _date_of(match)


def parse_header(text: str) -> Header:
    """Split front matter or a leading date header off ``text`` (see the module docstring)."""
    front = _FRONT_MATTER.match(text)
    if front:
        return _parse_front_matter(front, text)
    match = _HEADER.match(text)
    if not match:
        return Header(None, text)
    try:
        date = _date_of(match)
    except ValueError as error:
        header = match.group(0).strip()
        return Header(None, text, warning=f"date header {header!r} is not a valid date ({error}); kept as text")
    return Header(date, text[match.end() :].lstrip())


def _parse_front_matter(front: re.Match, text: str) -> Header:
    """Title and date from YAML front matter; bad YAML or a bad date give a warning."""
    import yaml  # here, not at the top: few documents have front matter

    body = text[front.end() :].lstrip()
    try:
        fields = yaml.safe_load(front.group(1) or "") or {}
    except yaml.YAMLError as error:
        return Header(None, text, warning=f"front matter is not valid YAML ({str(error).splitlines()[0]}); kept as text")
    if not isinstance(fields, dict):
        return Header(None, text, warning="front matter is not a set of keys; kept as text")
    title = " ".join(str(fields.get("title") or "").split()) or None
    value = fields.get("date", fields.get("dato"))
    if value is None:
        return Header(None, body, title=title)
    if isinstance(value, datetime.date):  # YAML reads 2023-07-14 as a date itself
        return Header(PartialDate.of(value.year, value.month, value.day), body, title=title)
    try:
        return Header(parse_date(str(value)), body, title=title)
    except ValueError as error:
        return Header(None, body, warning=f"front matter date {value!r} is not a valid date ({error})", title=title)


def _clip(text: str, limit: int) -> str:
    """At most about ``limit`` characters, cut after a whole word, with ``…`` when cut."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip(" ,;:-–") + "…"


def make_title(body: str) -> str:
    """The first line when it is short and a line break follows it (a Markdown ``#`` heading
    loses its ``#``), else the first sentence; about :data:`TITLE_MAX_CHARS` at most."""
    body = body.strip()
    first_line, newline, _ = body.partition("\n")
    first_line = first_line.strip().lstrip("#").strip()
    if newline and first_line and len(first_line) <= TITLE_MAX_CHARS:
        return first_line
    return _clip(" ".join(_first_sentence(body).split()), TITLE_MAX_CHARS)


def _first_sentence(text: str) -> str:
    """Text up to the first full stop, ! or ? that is not part of an abbreviation."""
    for end in _SENTENCE_END.finditer(text):
        word = _LAST_WORD.search(text, 0, end.start())
        if end.group(0) == "." and word and word.group(1).lower().rstrip(".") in ABBREVIATIONS:
            continue
        return text[: end.end()]
    return text
