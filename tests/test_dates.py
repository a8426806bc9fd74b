"""``index.dates.PartialDate``: dates at their own precision and the span of days each means."""

from __future__ import annotations

import calendar
import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.dates import PartialDate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018", PartialDate(2018)),
        ("2023-07", PartialDate(2023, 7)),
        ("2023-07-14", PartialDate(2023, 7, 14)),
        ("  2023-07-14\n", PartialDate(2023, 7, 14)),
        ("2024-02-29", PartialDate(2024, 2, 29)),
        ("2000-02-29", PartialDate(2000, 2, 29)),
        ("0999", PartialDate(999)),
        ("9999-12-31", PartialDate(9999, 12, 31)),
    ],
)
def test_parse(text, expected):
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "not a date"),
        ("juli 2023", "not a date"),
        ("14.07.2023", "not a date"),
        ("2023-7", "not a date"),  # ISO needs two digits
        ("2023-07-1", "not a date"),
        ("23-07-14", "not a date"),
        ("2023/07/14", "not a date"),
        ("2023-07-14T10:15", "not a date"),
        ("20230714", "not a date"),
        ("0000", "year 0"),
        ("2023-13", "month 13"),
        ("2023-00", "month 0"),
        ("2023-02-29", "day 29 does not exist in 2023-02"),  # not a leap year
        ("1900-02-29", "day 29 does not exist in 1900-02"),  # divisible by 100, not by 400
        ("2023-04-31", "day 31 does not exist in 2023-04"),
        ("2023-07-00", "day 0"),
        ("2023-07-32", "day 32"),
    ],
)
def test_parse_rejects_with_a_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        PartialDate.parse(text)


def test_of_checks_like_parse():
    assert PartialDate.of(2023, 7, 14) == PartialDate(2023, 7, 14)
    with pytest.raises(ValueError, match="a day needs a month"):
        PartialDate.of(2023, None, 14)
    with pytest.raises(ValueError, match="year 10000"):
        PartialDate.of(10000)
    with pytest.raises(ValueError, match="day 31 does not exist in 2023-06"):
        PartialDate.of(2023, 6, 31)


@pytest.mark.parametrize(
    ("date", "iso"),
    [
        (PartialDate(2018), "2018"),
        (PartialDate(2023, 7), "2023-07"),
        (PartialDate(2023, 7, 4), "2023-07-04"),
        (PartialDate(987, 1, 2), "0987-01-02"),
    ],
)
def test_iso_and_str(date, iso):
    assert date.iso() == iso
    assert str(date) == iso


def test_prefixes():
    assert PartialDate(2018).prefixes() == ["2018"]
    assert PartialDate(2023, 7).prefixes() == ["2023", "2023-07"]
    assert PartialDate(2023, 7, 14).prefixes() == ["2023", "2023-07", "2023-07-14"]


@pytest.mark.parametrize(
    ("date", "first", "last"),
    [
        (PartialDate(2023), 20230101, 20231231),
        (PartialDate(2023, 7), 20230701, 20230731),
        (PartialDate(2023, 7, 14), 20230714, 20230714),
        (PartialDate(2023, 2), 20230201, 20230228),
        (PartialDate(2024, 2), 20240201, 20240229),  # leap year
        (PartialDate(2000, 2), 20000201, 20000229),  # divisible by 400: leap
        (PartialDate(1900, 2), 19000201, 19000228),  # divisible by 100: not leap
        (PartialDate(2023, 4), 20230401, 20230430),
        (PartialDate(2023, 12), 20231201, 20231231),
        (PartialDate(2024, 2, 29), 20240229, 20240229),
    ],
)
def test_first_and_last_day(date, first, last):
    assert date.first_day() == first
    assert date.last_day() == last


def test_dates_are_hashable_values():
    assert {PartialDate(2023, 7), PartialDate.parse("2023-07")} == {PartialDate(2023, 7)}
    assert PartialDate(2023, 7) != PartialDate(2023, 7, 1)  # July is not 1 July


def test_full_dates_order_by_time():
    assert PartialDate(2023, 7, 14) < PartialDate(2023, 8, 1) < PartialDate(2024, 1, 1)
    assert PartialDate(2022) < PartialDate(2023, 1)


def test_mixed_precision_dates_can_be_sorted():
    dates = [PartialDate(2023, 7, 14), PartialDate(2023), PartialDate(2023, 7)]
    assert [d.iso() for d in sorted(dates)] == ["2023", "2023-07", "2023-07-14"]


@st.composite
def partial_dates(draw):
    year = draw(st.integers(1, 9999))
    month = draw(st.none() | st.integers(1, 12))
    day = None if month is None else draw(st.none() | st.integers(1, calendar.monthrange(year, month)[1]))
    return PartialDate.of(year, month, day)


@settings(max_examples=300, deadline=None)
@given(partial_dates())
def test_round_trip_and_span(date):
    assert PartialDate.parse(date.iso()) == date
    assert all(date.iso().startswith(prefix) for prefix in date.prefixes())
    assert [PartialDate.parse(p) for p in date.prefixes()][-1] == date
    first = datetime.date(date.first_day() // 10000, date.first_day() // 100 % 100, date.first_day() % 100)
    last = datetime.date(date.last_day() // 10000, date.last_day() // 100 % 100, date.last_day() % 100)
    assert first <= last  # both are real days
    assert first.isoformat().startswith(date.iso()) and last.isoformat().startswith(date.iso())
    # the span is the whole year, month or day, and nothing more
    if date.day is not None:
        assert first == last
    elif date.month is not None:
        assert first.day == 1 and last.day == calendar.monthrange(date.year, date.month)[1]
        assert (last - first).days + 1 in (28, 29, 30, 31)
    else:
        assert (first.month, first.day, last.month, last.day) == (1, 1, 12, 31)
