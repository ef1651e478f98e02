"""Links and the reader's own moves (Pilot): `O` lists a paper's links and opens the one
chosen, `Y` copies the arXiv id, `J`/`K` read the next/previous paper, reading marks read."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from api_shapes import bare_item, full_item
from pilot_support import settle
from textual.widgets import OptionList

from tui.app import PapersApp
from tui.core.config import Config
from tui.core.feeds import FileFeed
from tui.core.state.triage_state import TriageState
from tui.screens.links import LinksScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.detail import DetailPane

pytestmark = pytest.mark.app

UNSAFE_PAGE = "javascript:alert(1)"


def linked_item() -> dict:
    """`full_item` (arXiv id, a GitHub repository) with a project page that is not safe."""
    item = full_item()
    item["paper"]["projectPage"] = UNSAFE_PAGE
    return item


def without_arxiv_id(item: dict) -> dict:
    item["paper"]["id"] = "not-an-id"
    return item


def open_app(tmp_path: Path, items: list[dict], config: Config | None = None) -> PapersApp:
    path = tmp_path / "2025-09-05.json"
    path.write_text(json.dumps(items), "utf-8")
    state = TriageState.load(tmp_path / "state" / "state.toml")
    return PapersApp(
        [FileFeed(str(path))], state, export_dir=tmp_path, today=date(2025, 9, 5), config=config
    )


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    urls: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *_, **__: urls.append(url) or True)
    return urls


def link_rows(app: PapersApp) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_O_lists_every_link_and_enter_opens_the_chosen_one(tmp_path, opened):
    app = open_app(tmp_path, [linked_item()])
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("O")
        await pilot.pause()
        assert isinstance(app.screen, LinksScreen)
        rows = link_rows(app)
        assert [row.split(":")[0] for row in rows] == [
            "1  Hugging Face",
            "2  arXiv",
            "3  PDF",
            "4  GitHub",
            "5  Project page",
        ]
        assert "https://arxiv.org/abs/2509.00001" in rows[1]
        assert UNSAFE_PAGE in rows[4] and "not a safe link" in rows[4]
        await pilot.press("down", "enter")  # the first row is highlighted: this is arXiv
        await app.workers.wait_for_complete()
        assert not isinstance(app.screen, LinksScreen)
        assert opened == ["https://arxiv.org/abs/2509.00001"]


async def test_a_number_opens_its_link_and_an_unsafe_one_is_never_opened(tmp_path, opened):
    app = open_app(tmp_path, [linked_item()])
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("O", "5")  # the unsafe project page: nothing happens
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, LinksScreen) and opened == []
        await pilot.press("end", "enter")  # the last row that can be chosen is GitHub
        await app.workers.wait_for_complete()
        assert opened == ["https://github.com/alpha/routing"]
        await pilot.press("O", "3")
        await app.workers.wait_for_complete()
        assert opened[-1] == "https://arxiv.org/pdf/2509.00001"
        await pilot.press("O", "escape")
        await app.workers.wait_for_complete()
        assert not isinstance(app.screen, LinksScreen) and len(opened) == 2
        assert UNSAFE_PAGE not in opened


async def test_Y_copies_the_arxiv_id_and_warns_without_one(tmp_path):
    app = open_app(tmp_path, [full_item(), without_arxiv_id(bare_item())])
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("Y")
        assert app.clipboard == "2509.00001"
        await pilot.press("j", "Y")
        assert app.clipboard == "2509.00001"  # unchanged
        warning = list(app._notifications)[-1]
        assert warning.severity == "warning" and "no arXiv id" in warning.message


def reader_text(app: PapersApp) -> str:
    return app.screen.query_one("#reader", DetailPane).plain


async def test_J_and_K_read_the_next_and_previous_paper_and_mark_them_read(tmp_path):
    items = [full_item(), bare_item(), linked_item()]
    items[2]["paper"]["id"] = "2509.00003"
    items[2]["title"] = items[2]["paper"]["title"] = "A Third Paper"
    app = open_app(tmp_path, items)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        first, second, third = (app.store[position] for position in app.paper_list.view)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.state.is_read(first.key)  # Enter marks read by default
        await pilot.press("J")
        await pilot.pause()
        assert app.current_paper == second and second.title in reader_text(app)
        assert app.state.is_read(second.key) and not app.state.is_read(third.key)
        await pilot.press("J", "J")  # past the end: stays on the last
        await pilot.pause()
        assert app.current_paper == third and third.title in reader_text(app)
        await pilot.press("K")
        await pilot.pause()
        assert app.current_paper == second and isinstance(app.screen, ReaderScreen)
        await pilot.press("u")  # undoes the last read mark, the third paper's
        await pilot.pause()
        assert not app.state.is_read(third.key) and app.state.is_read(second.key)
        await pilot.press("escape", "J")  # J is the reader's alone: the list does not move
        await pilot.pause()
        assert app.current_paper == third and not app.state.is_read(third.key)


async def test_with_mark_read_on_open_off_reading_marks_nothing(tmp_path):
    app = open_app(tmp_path, [full_item(), bare_item()], Config(mark_read_on_open=False))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        first, second = (app.store[position] for position in app.paper_list.view)
        await pilot.press("enter", "J")
        await pilot.pause()
        assert app.current_paper == second and second.title in reader_text(app)
        assert not app.state.is_read(first.key) and not app.state.is_read(second.key)
