"""The app on the Hugging Face list: today's day, `[` / `]` between days, and no network."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hf_server import FakeHub, closed_port_url, make_items
from pilot_support import settle, wait_for_screen
from textual.pilot import Pilot

from tui.app import PapersApp
from tui.core.feeds import DayFeed
from tui.core.state.triage_state import TriageState
from tui.screens.load_failed import LoadFailedScreen
from tui.widgets.detail import DetailPane

pytestmark = pytest.mark.app


def day_app(tmp_path: Path, day: date) -> PapersApp:
    state = TriageState.load(tmp_path / "state.toml")
    return PapersApp([DayFeed("Daily Papers", day=day)], state, export_dir=tmp_path)


async def shown_after(pilot: Pilot, key: str) -> int:
    """How many papers the list shows once `key` (`[` or `]`) is handled."""
    await pilot.press(key)
    await settle(pilot)
    return len(pilot.app.paper_list.view)


@pytest.fixture
def hub(monkeypatch):
    with FakeHub() as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        yield server


async def test_a_day_opens_with_links_and_brackets_change_day(hub, tmp_path):
    hub.days["2025-09-08"] = make_items(3, "2025-09-08")
    hub.days["2025-09-07"] = make_items(5, "2025-09-07", start=100)
    app = day_app(tmp_path, date(2025, 9, 8))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert len(app.paper_list.view) == 3
        assert "2025-09-08" in app.sub_title
        detail = app.query_one(DetailPane).plain
        assert "https://huggingface.co/papers/2509.10000" in detail
        assert "https://arxiv.org/abs/2509.10000" in detail
        assert "https://github.com/example/repo-0" in detail
        assert await shown_after(pilot, "left_square_bracket") == 5
        assert app.current_paper.arxiv_id == "2509.10100"
        assert "2025-09-07" in app.sub_title
        assert await shown_after(pilot, "right_square_bracket") == 3


async def test_a_day_without_a_list_keeps_the_current_one(hub, tmp_path):
    hub.days["2025-09-08"] = make_items(2, "2025-09-08")
    hub.no_list.add("2025-09-09")
    app = day_app(tmp_path, date(2025, 9, 8))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert await shown_after(pilot, "right_square_bracket") == 2
        assert "2025-09-08" in app.sub_title


async def test_offline_with_nothing_cached_offers_the_sample(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_ENDPOINT", closed_port_url())
    app = day_app(tmp_path, date(2025, 9, 8))
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for_screen(pilot, LoadFailedScreen)
        assert "nothing cached" in app.screen.problem
        await pilot.press("o")
        await settle(pilot)
        assert len(app.store) >= 30
        assert app.sub_title == "built-in sample · list Dec 31"


def notices(app: PapersApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_brackets_pass_the_days_without_a_list_and_say_which(hub, tmp_path):
    hub.days["2025-09-29"] = make_items(3, "2025-09-29")
    hub.missing.add("2025-09-28")  # 404
    hub.no_list.add("2025-09-27")  # 400
    hub.days["2025-09-26"] = make_items(4, "2025-09-26", start=100)
    hub.days["2025-09-25"] = make_items(2, "2025-09-25", start=200)
    app = day_app(tmp_path, date(2025, 9, 29))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert await shown_after(pilot, "left_square_bracket") == 4
        assert "2025-09-26" in app.sub_title
        assert "no list for 2025-09-28, 2025-09-27: showing 2025-09-26" in notices(app)
        assert await shown_after(pilot, "left_square_bracket") == 2
        assert await shown_after(pilot, "right_square_bracket") == 4
        assert await shown_after(pilot, "right_square_bracket") == 3
        assert "2025-09-29" in app.sub_title
