"""Ranges of days: parsing, the days held, labels, and moving by the range's own length,
across month and year boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from tui.core.day_range import (
    DayRange,
    RangeError,
    between,
    last_days,
    parse_day,
    parse_month,
    parse_week,
)


def test_a_week_is_monday_to_sunday_and_may_cross_a_year():
    week = parse_week("2026-W01")  # ISO week 1 of 2026 starts on Monday 2025-12-29
    assert (week.first, week.last, len(week)) == (date(2025, 12, 29), date(2026, 1, 4), 7)
    assert week.label == "2026-W01 (2025-12-29 … 2026-01-04)"
    assert week.shifted(-1).label == "2025-W52 (2025-12-22 … 2025-12-28)"
    assert week.shifted(1).first == date(2026, 1, 5)


def test_a_53rd_week_exists_only_in_long_years():
    assert parse_week("2026-W53").last == date(2027, 1, 3)
    with pytest.raises(RangeError, match="--week"):
        parse_week("2025-W53")


def test_a_month_moves_by_calendar_months_of_any_length():
    january = parse_month("2026-01")
    assert (january.first, january.last) == (date(2026, 1, 1), date(2026, 1, 31))
    assert january.label == "2026-01 (2026-01-01 … 2026-01-31)"
    assert january.shifted(1) == DayRange(date(2026, 2, 1), date(2026, 2, 28), "month")
    assert january.shifted(-1) == DayRange(date(2025, 12, 1), date(2025, 12, 31), "month")
    assert parse_month("2024-02").last == date(2024, 2, 29)
    assert january.shifted(14).label.startswith("2027-03 ")


def test_the_last_n_days_end_today_and_move_by_n_days():
    days = last_days("7", date(2026, 1, 3))
    assert days.days() == [date(2026, 1, 3 - n) for n in range(3)] + [
        date(2025, 12, 31 - n) for n in range(4)
    ]  # newest first
    assert days.label == "2025-12-28 … 2026-01-03"
    assert days.shifted(-1) == DayRange(date(2025, 12, 21), date(2025, 12, 27))
    assert last_days("1", date(2026, 1, 3)).label == "2026-01-03"


def test_since_until_is_any_span_moved_by_its_length():
    span = between(parse_day("2026-02-27", "--since"), parse_day("2026-03-02", "--until"))
    assert len(span) == 4
    assert span.shifted(1) == DayRange(date(2026, 3, 3), date(2026, 3, 6))


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (parse_week, "2026-47"),
        (parse_week, "2026-W00"),
        (parse_week, "2026-W7"),
        (parse_month, "2026-13"),
        (parse_month, "2026-1"),
        (parse_month, "0000-01"),
        (lambda text: parse_day(text, "--since"), "20261101"),
        (lambda text: parse_day(text, "--since"), "2026-02-30"),
        (lambda text: last_days(text, date(2026, 1, 1)), "0"),
        (lambda text: last_days(text, date(2026, 1, 1)), "-3"),
        (lambda text: last_days(text, date(2026, 1, 1)), "99999999"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_option(parse, text):
    with pytest.raises(RangeError) as error:
        parse(text)
    assert "\n" not in str(error.value) and str(error.value).startswith("--")
    assert repr(text) in str(error.value)


def test_until_before_since_is_refused():
    with pytest.raises(RangeError, match="before"):
        between(date(2026, 1, 2), date(2026, 1, 1))
