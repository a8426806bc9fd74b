"""Dates at their own precision: ``2023``, ``2023-07`` or ``2023-07-14``.

A document dated ``2023-07`` says "some day in July 2023", not "1 July 2023". Keeping the
precision lets a range filter compare each document at the precision it has: the
document's span of days is matched against the span the user asked for.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class PartialDate:
    """A date at year, month or day precision. Dates sort by the days they start on, and a
    coarser date before a finer one that starts the same day (``2023`` < ``2023-01``)."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError saying why not."""
        match = _ISO.fullmatch(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = (int(part) if part else None for part in match.groups())
        return cls.of(year, month, day)

    @classmethod
    def of(cls, year: int, month: int | None = None, day: int | None = None) -> PartialDate:
        """Build a checked date: month 1-12 and a day that exists in that month."""
        if not 1 <= year <= 9999:
            raise ValueError(f"year {year} is out of range")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"month {month} does not exist")
        if day is not None:
            if month is None:
                raise ValueError("a day needs a month")
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                raise ValueError(f"day {day} does not exist in {year:04d}-{month:02d}")
        return cls(year, month, day)

    def iso(self) -> str:
        """The ISO 8601 text at this date's precision."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def prefixes(self) -> list[str]:
        """Every coarser form including this one: ``2023``, ``2023-07``, ``2023-07-14``."""
        text = self.iso()
        return [text[:n] for n in (4, 7, 10) if n <= len(text)]

    def first_day(self) -> int:
        """The first day this date may mean, as the integer ``YYYYMMDD``."""
        return self.year * 10000 + (self.month or 1) * 100 + (self.day or 1)

    def last_day(self) -> int:
        """The last day this date may mean, as the integer ``YYYYMMDD``."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return self.year * 10000 + month * 100 + day

    def _sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: PartialDate) -> bool:
        return self._sort_key() < other._sort_key()

    def __str__(self) -> str:
        return self.iso()
