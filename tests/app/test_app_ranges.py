"""The app on a range of days of the Hugging Face list (`--days 7`): one list, day by day."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from archive import fill_archive
from hf_server import FakeHub
from pilot_support import settle
from textual.pilot import Pilot
from textual.strip import Strip

from tui.app import PapersApp
from tui.core.day_range import DayRange, last_days
from tui.core.feeds import RangeFeed
from tui.core.state.triage_state import TriageState

pytestmark = pytest.mark.app
PER_DAY = 3


@pytest.fixture
def hub(monkeypatch):
    with FakeHub() as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        yield server


def range_app(tmp_path: Path, span: DayRange) -> PapersApp:
    state = TriageState.load(tmp_path / "state.toml")
    return PapersApp([RangeFeed("Daily Papers", span=span)], state, export_dir=tmp_path)


def days_shown(app: PapersApp) -> list[str]:
    """The list day of each row, in order, one entry per day."""
    days = (app.store[position].lists[0] for position in app.paper_list.view)
    return list(dict.fromkeys(days))


def row_text(app: PapersApp, row: int) -> str:
    return Strip(list(app.paper_list.render_line(row))).text


async def filtered(pilot: Pilot, query: str) -> int:
    app = pilot.app
    app.filter_input.value = query
    await settle(pilot)
    return len(app.paper_list.view)


async def test_the_last_7_days_open_as_one_list_filter_by_day_and_move_by_a_week(hub, tmp_path):
    today = datetime.now(UTC).date()
    weekdays = fill_archive(hub, today - timedelta(days=30), today, PER_DAY)
    week = last_days("7", today)
    in_week = [day for day in reversed(weekdays) if day >= str(week.first)]
    app = range_app(tmp_path, week)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert days_shown(app) == in_week  # newest day first, weekends have no list
        assert len(app.paper_list.view) == PER_DAY * len(in_week)
        assert f"{week.first} … {week.last}" in app.sub_title
        assert in_week[0][5:] in row_text(app, 0)  # each row names its day ("12-02")
        assert in_week[-1][5:] in row_text(app, len(app.paper_list.view) - 1)

        assert await filtered(pilot, f"day:{in_week[1]}") == PER_DAY
        assert days_shown(app) == [in_week[1]]
        month = in_week[0][:7]
        assert await filtered(pilot, f"day:{month}") == PER_DAY * sum(
            day.startswith(month) for day in in_week
        )
        assert await filtered(pilot, f"-day:{in_week[0]}") == PER_DAY * (len(in_week) - 1)
        await filtered(pilot, "")

        await pilot.press("left_square_bracket")
        await settle(pilot)
        before = week.shifted(-1)
        assert f"{before.first} … {before.last}" in app.sub_title
        assert days_shown(app) == [
            day for day in reversed(weekdays) if str(before.first) <= day <= str(before.last)
        ]
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert days_shown(app) == in_week
        await pilot.press("right_square_bracket")  # after today: nothing to ask for
        await settle(pilot)
        assert days_shown(app) == in_week
        assert any("no list for" in str(note.message) for note in app._notifications)


async def test_days_show_as_they_arrive_and_a_failed_day_is_one_line(hub, tmp_path):
    span = DayRange(date(2025, 12, 29), date(2026, 1, 2))  # Monday to Friday
    fill_archive(hub, span.first, span.last, PER_DAY)
    hub.failing.add("2025-12-30")
    hub.held["2025-12-29"] = release = threading.Event()  # the oldest day, shown last
    app = range_app(tmp_path, span)
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(500):  # the days before the held one are shown while it waits
            await pilot.pause(0.01)
            if app.status.days == "days 4/5" and len(app.paper_list.view) == 3 * PER_DAY:
                break
        else:
            raise AssertionError(f"{app.status.days}, {len(app.paper_list.view)} rows")
        assert app.loading
        await pilot.press("j")  # the list is usable meanwhile
        assert app.paper_list.cursor == 1
        release.set()
        await settle(pilot)
        assert days_shown(app) == ["2026-01-02", "2026-01-01", "2025-12-31", "2025-12-29"]
        problems = [str(n.message) for n in app._notifications if n.severity == "error"]
        assert len(problems) == 1 and problems[0].startswith("2025-12-30: ")
        assert "HTTP 500" in problems[0]
