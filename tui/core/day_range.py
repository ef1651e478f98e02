"""Ranges of days of the Hugging Face list: `--since/--until`, `--days N`, `--week`, `--month`.

A range knows its days, the label the header shows, and how to move by its own length:
a week moves a week, a month a calendar month, any other range its number of days.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Kind = Literal["span", "week", "month"]
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


class RangeError(ValueError):
    """A range the user typed that cannot be used; `str(e)` is one line."""


@dataclass(frozen=True)
class DayRange:
    """The days `first` to `last`, both included; `kind` says how it was named."""

    first: date
    last: date
    kind: Kind = "span"

    def __len__(self) -> int:
        return (self.last - self.first).days + 1

    def days(self) -> list[date]:
        """Every day of the range, newest first (the order the list shows them)."""
        return [self.last - timedelta(days=n) for n in range(len(self))]

    @property
    def label(self) -> str:
        """For the header: "2026-W47 (2026-11-16 … 2026-11-22)", "2026-11 (…)", or the ends."""
        ends = f"{self.first} … {self.last}" if len(self) > 1 else str(self.first)
        if self.kind == "week":
            year, week, _ = self.first.isocalendar()
            return f"{year}-W{week:02d} ({ends})"
        if self.kind == "month":
            return f"{self.first:%Y-%m} ({ends})"
        return ends

    def shifted(self, step: int) -> DayRange:
        """The range `step` lengths later (negative: earlier), of the same kind."""
        if self.kind == "month":
            index = self.first.year * 12 + self.first.month - 1 + step
            return month_range(index // 12, index % 12 + 1)
        offset = timedelta(days=len(self) * step)
        return DayRange(self.first + offset, self.last + offset, self.kind)


def month_range(year: int, month: int) -> DayRange:
    last = calendar.monthrange(year, month)[1]
    return DayRange(date(year, month, 1), date(year, month, last), "month")


def parse_day(text: str, option: str) -> date:
    """A day, `2026-11-01`, given to `option` (named in the error)."""
    try:
        if _DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise RangeError(f"{option}: not a date (YYYY-MM-DD): {text!r}")


def parse_week(text: str) -> DayRange:
    """An ISO week, `2026-W47`: Monday to Sunday."""
    found = _WEEK.fullmatch(text)
    try:
        if found:
            monday = date.fromisocalendar(int(found.group(1)), int(found.group(2)), 1)
            return DayRange(monday, monday + timedelta(days=6), "week")
    except ValueError:
        pass
    raise RangeError(f"--week: not an ISO week (YYYY-Www, e.g. 2026-W47): {text!r}")


def parse_month(text: str) -> DayRange:
    """A calendar month, `2026-11`."""
    found = _MONTH.fullmatch(text)
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1:
        raise RangeError(f"--month: not a month (YYYY-MM, e.g. 2026-11): {text!r}")
    return month_range(int(found.group(1)), int(found.group(2)))


def last_days(count: str, today: date) -> DayRange:
    """The last `count` days up to `today` (`--days 1` is today)."""
    if not count.isdigit() or int(count) < 1:
        raise RangeError(f"--days: not a number of days (1 or more): {count!r}")
    try:
        return DayRange(today - timedelta(days=int(count) - 1), today)
    except OverflowError:
        raise RangeError(f"--days: too many days: {count!r}") from None


def between(since: date, until: date) -> DayRange:
    if until < since:
        raise RangeError(f"--until {until} is before --since {since}")
    return DayRange(since, until)
