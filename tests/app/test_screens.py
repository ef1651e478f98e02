"""The screens under Pilot: wrapping to the width the text has, layout after a resize,
the status line, the help screen, quitting with ctrl+c and opening a link."""

from __future__ import annotations

import dataclasses
import time
from datetime import date
from pathlib import Path

import pytest
from pilot_support import settle

from parsing.model import Paper
from parsing.synthetic import generate, render_text_copy
from tui.app import QUERY_ERROR_DELAY, PapersApp
from tui.core.feeds import FileFeed
from tui.core.state.triage_state import TriageState
from tui.screens.reader import ReaderScreen
from tui.widgets.detail import DetailPane

pytestmark = pytest.mark.app

SIZES = [(80, 24), (120, 35), (200, 60)]


def long_papers() -> list[Paper]:
    """A long paper (its abstract is longer than any pane: the scrollbar shows), a short one,
    and another long one; 100 upvotes, so that the metadata line ends in a long word."""
    made = generate(30, seed=11)
    long_abstract = " ".join(paper.abstract for paper in made[3:16])
    other_abstract = " ".join(paper.abstract for paper in made[16:29])
    return [
        dataclasses.replace(made[0], abstract=long_abstract, upvotes=100),
        dataclasses.replace(made[1], upvotes=1),
        dataclasses.replace(made[2], abstract=other_abstract, upvotes=100),
    ]


@pytest.fixture
def long_list(tmp_path: Path) -> Path:
    path = tmp_path / "long.txt"
    path.write_text(render_text_copy(long_papers(), "Jan 2", with_metadata=True), "utf-8")
    return path


def open_app(list_file: Path, tmp_path: Path) -> PapersApp:
    state = TriageState.load(tmp_path / "state" / "state.toml")
    return PapersApp([FileFeed(str(list_file))], state, export_dir=tmp_path, today=date(2026, 1, 2))


def text_rows(app: PapersApp, pane: DetailPane) -> list[str]:
    """The pane's text rows as the terminal shows them (the composited screen cropped to
    the columns left of the pane's scrollbar)."""
    region = pane.scrollable_content_region
    strips = app.screen._compositor.render_strips()
    return [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]


async def assert_no_line_loses_its_end(pilot, pane: DetailPane) -> None:
    """Scroll through the pane a page at a time: every word of its text is painted left of
    the scrollbar, in order, none lost at a line's end."""
    assert pane.show_vertical_scrollbar, "the test needs text longer than the pane"
    rows: dict[int, str] = {}
    page = pane.scrollable_content_region.height
    for top in range(0, pane.virtual_size.height, page):
        pane.scroll_to(y=top, animate=False)
        await pilot.pause()
        scrolled = round(pane.scroll_y)
        for offset, text in enumerate(text_rows(pilot.app, pane)):
            rows[scrolled + offset] = text
    painted = " ".join(rows[y] for y in sorted(rows)).split()
    # a word wider than the pane (a long link) folds onto the next row: compare the
    # characters, every one of which must be there
    assert "".join(painted) == "".join(pane.plain.split())


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_the_detail_pane_and_the_reader_paint_every_line_whole(long_list, tmp_path, size):
    app = open_app(long_list, tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        detail = app.query_one("#detail", DetailPane)
        await assert_no_line_loses_its_end(pilot, detail)  # the first paper shown
        await pilot.press("j", "j")  # a short paper (no scrollbar), then a long one again
        await settle(pilot)
        await assert_no_line_loses_its_end(pilot, detail)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        await assert_no_line_loses_its_end(pilot, app.screen.query_one(DetailPane))


@pytest.mark.parametrize(("before", "after"), [((120, 35), (80, 30)), ((80, 30), (200, 35))])
async def test_a_resize_lays_the_panes_out_for_the_new_size(long_list, tmp_path, before, after):
    app = open_app(long_list, tmp_path)
    async with app.run_test(size=before) as pilot:
        await settle(pilot)
        await pilot.resize_terminal(*after)
        await settle(pilot)
        await pilot.pause(0.1)
        papers, detail = app.paper_list.region, app.query_one("#detail", DetailPane).region
        if after[0] < 110:
            assert detail.y > papers.y and detail.width >= after[0] - 2
        else:
            assert detail.y == papers.y and detail.x > papers.x
        await assert_no_line_loses_its_end(pilot, app.query_one("#detail", DetailPane))


async def test_a_resize_in_the_reader_lays_the_list_out_for_the_new_size(long_list, tmp_path):
    app = open_app(long_list, tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.resize_terminal(80, 30)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.pause(0.1)
        papers, detail = app.paper_list.region, app.query_one("#detail", DetailPane).region
        assert detail.y > papers.y


def assert_status_ends_with(app: PapersApp, message: str) -> None:
    """The status line, as the terminal shows it, ends with the whole of `message`
    (compared without spaces: a path wider than the line folds onto the next row)."""
    region = app.status.region
    strips = app.screen._compositor.render_strips()
    rows = [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]
    assert "".join("".join(rows).split()).endswith("".join(message.split()))


async def test_a_long_filter_error_is_shown_in_full(long_list, tmp_path):
    app = open_app(long_list, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"is:foo")
        await settle(pilot)
        await pilot.pause(QUERY_ERROR_DELAY + 0.2)
        error = app.status.query_error
        assert error and error.startswith('unknown qualifier "is:foo"')
        assert_status_ends_with(app, error)


async def test_a_filter_error_waits_for_a_pause_in_typing_and_goes_at_once(long_list, tmp_path):
    """A qualifier typed on passes through errors ("is:", "is:u"); each would add a row to
    the status line and take it away, moving the list under the keys being typed."""
    app = open_app(long_list, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rows = app.status.region.height
        await pilot.press("slash", *"is:")
        await settle(pilot)
        assert app.filter_query.error and app.status.query_error is None
        await pilot.press(*"unrea")
        await settle(pilot)
        assert app.status.query_error is None and app.status.region.height == rows
        await pilot.pause(QUERY_ERROR_DELAY + 0.2)
        assert app.status.query_error == app.filter_query.error  # typing paused: shown
        await pilot.press("d")  # is:unread: no error, and the old one goes at once
        await settle(pilot)
        assert app.filter_query.error is None and app.status.query_error is None


async def test_a_save_error_is_shown_in_full_and_toasts_leave_the_status_line_clear(
    long_list, tmp_path
):
    blocker = tmp_path / "a-file-where-the-state-folder-should-be"
    blocker.write_text("not a folder", encoding="utf-8")
    state = TriageState.load(blocker / "sub" / "state.toml")
    app = PapersApp([FileFeed(str(long_list))], state, export_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("s")
        app.state.flush()
        await pilot.pause(0.2)
        await pilot.press("e")  # a toast: the export
        await pilot.pause(0.3)
        error = app.status.save_error
        assert error and str(blocker) in error
        assert_status_ends_with(app, error)
        toasts = [toast.region for toast in app.screen.query("Toast")]
        assert toasts
        kept_clear = [app.status.region, app.query_one("#filter-bar").region]
        assert not any(toast.overlaps(region) for toast in toasts for region in kept_clear)


def help_text(app: PapersApp) -> str:
    """What the help screen's key table shows now (the rows scrolled into view)."""
    table = app.screen.query_one("#help-keys").parent
    region = table.scrollable_content_region
    strips = app.screen._compositor.render_strips()
    return "\n".join(
        strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)
    )


async def test_help_scrolls_from_the_keyboard_to_every_key_and_the_filter_qualifiers(
    long_list, tmp_path
):
    app = open_app(long_list, tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        keys = app.screen.query_one("#help-keys").parent
        seen = help_text(app)
        for key in ("down", "j", "pagedown"):
            before = keys.scroll_y
            await pilot.press(key)
            await pilot.pause()
            assert keys.scroll_y > before, key
            seen += help_text(app)
        await pilot.press("end")
        await pilot.pause()
        assert keys.scroll_y == keys.max_scroll_y
        seen += help_text(app)
        for key in ("up", "k", "pageup"):
            before = keys.scroll_y
            await pilot.press(key)
            await pilot.pause()
            assert keys.scroll_y < before, key
        await pilot.press("end", "home")
        await pilot.pause()
        assert keys.scroll_y == 0
        for shown in ("[ ", "] ", "ctrl+c", "is:read", "is:unread", "is:starred"):
            assert shown in seen, shown
        assert "is:unstarred" in seen and "abs:WORD" in seen
        await pilot.press(*"pjk")  # j and k are letters once a search is typed
        assert app.screen.query_one("#help-filter").value == "pjk"


async def test_help_lists_every_key_once(long_list, tmp_path):
    app = open_app(long_list, tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        keys = [key for key, _description in app.screen.keys]
        assert len(keys) == len(set(keys))
        enter = dict(app.screen.keys)["enter"]
        assert "Read full-screen" in enter and "filter" in enter


@pytest.mark.parametrize("where", ["list", "filter", "reader", "help"])
async def test_ctrl_c_quits_and_saves_the_marks(long_list, tmp_path, where):
    app = open_app(long_list, tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.press({"list": "d", "filter": "slash", "reader": "enter", "help": "?"}[where])
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0
    again = TriageState.load(tmp_path / "state" / "state.toml")
    assert again.is_starred(long_papers()[0].key)


@pytest.mark.parametrize("started", [True, False])
async def test_o_says_whether_a_browser_opened_the_link(long_list, tmp_path, monkeypatch, started):
    opened: list[str] = []

    def open_in_browser(url: str, *args, **kwargs) -> bool:
        opened.append(url)
        return started

    monkeypatch.setattr("webbrowser.open", open_in_browser)
    app = open_app(long_list, tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        url = app.current_paper.url
        assert opened == [url]
        message = list(app._notifications)[-1]
        assert url in message.message and not message.markup
        if started:
            assert message.severity == "information"
        else:
            assert message.severity == "error" and "no browser" in message.message.casefold()


async def test_o_twice_at_once_opens_both(long_list, tmp_path, monkeypatch):
    """The first use of `webbrowser` makes its list of browsers, and a second thread could
    see it half made (no browser yet): two quick `o` must both reach the browser."""
    import webbrowser

    log = tmp_path / "browser.log"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> {log}\n')
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    making = webbrowser.register_standard_browsers

    def slowly_made() -> None:  # the window in which the list is empty, made wider
        webbrowser._tryorder = []
        time.sleep(0.3)
        making()

    monkeypatch.setattr(webbrowser, "register_standard_browsers", slowly_made)
    app = open_app(long_list, tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("o", "j", "o")
        await app.workers.wait_for_complete()
    assert len(log.read_text().splitlines()) == 2
