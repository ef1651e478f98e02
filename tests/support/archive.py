"""A long generated archive of the Daily Papers for the fake hub: many days, weekends
without a list (HTTP 404, as the real API answers), papers in the API's shape.

    with FakeHub() as hub:
        fill_archive(hub, date(2025, 12, 15), date(2026, 1, 20), per_day=3)
"""

from __future__ import annotations

from datetime import date, timedelta

from hf_server import FakeHub, make_items


def fill_archive(hub: FakeHub, first: date, last: date, per_day: int = 3) -> list[str]:
    """Give `hub` a list on each weekday from `first` to `last` (each paper its own number,
    so titles never repeat across days) and a 404 on weekends; return the weekdays."""
    weekdays = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        if day.weekday() >= 5:
            hub.missing.add(day.isoformat())
        else:
            hub.days[day.isoformat()] = make_items(per_day, day.isoformat(), start=offset * 100)
            weekdays.append(day.isoformat())
    return weekdays
