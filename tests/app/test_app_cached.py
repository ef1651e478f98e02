"""The app on `--cached`: every cached day as one list, offline, the header saying so."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hf_server import FakeHub, Reply, make_items
from pilot_support import settle

from tui.app import PapersApp
from tui.core.day_cache import DayCache
from tui.core.feeds import CachedFeed
from tui.core.state.triage_state import TriageState

pytestmark = pytest.mark.app


async def test_every_cached_day_opens_offline_newest_first(tmp_path, monkeypatch):
    cache = DayCache(tmp_path / "days")
    for number, day in enumerate([date(2025, 9, 8), date(2025, 9, 9)]):
        cache.write(day, make_items(2, day.isoformat(), start=10 * number), datetime.now(UTC))
    with FakeHub() as hub:
        hub.queue.extend(Reply(500) for _ in range(20))
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        state = TriageState.load(tmp_path / "state.toml")
        app = PapersApp([CachedFeed(cache=cache)], state, export_dir=tmp_path)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            assert app.sub_title.startswith("cache: 2 days")
            lists = [app.store[position].lists for position in app.paper_list.view]
            assert lists == [("2025-09-09",)] * 2 + [("2025-09-08",)] * 2
            first_row = app.paper_list.render_line(0).text
            assert first_row[4:10] == "09-09 "  # each row names its day, as in a range
            await pilot.press("q")
        assert hub.requests == []
