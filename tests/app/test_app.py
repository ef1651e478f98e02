"""The real app driven with Pilot: every key of the contract, state and export checked on disk."""

from __future__ import annotations

import dataclasses
import gc
import tomllib
from datetime import date
from pathlib import Path

import pytest
from pilot_support import settle
from rich.segment import Segment
from textual import events
from textual.strip import Strip

from parsing.model import Paper
from parsing.synthetic import generate, render_text_copy
from tui.app import PapersApp
from tui.core.feeds import FileFeed
from tui.core.state.triage_state import TriageState
from tui.runtime import FULL_PASS_AFTER
from tui.screens.help import HelpScreen
from tui.screens.load_failed import LoadFailedScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.detail import DetailPane

pytestmark = pytest.mark.app

TODAY = date(2026, 1, 2)


def make_papers() -> list[Paper]:
    """Ten papers with distinct, searchable titles, plain abstracts and known upvotes."""
    papers = generate(10, seed=7)
    titles = [
        "Sparse Mixture of Experts for Retrieval",
        "Diffusion Models for Protein Design",
        "Scaling Laws for Small Language Models",
        "Vision Transformers without Attention",
        "Reinforcement Learning from Human Feedback at Scale",
        "Efficient Long Context Inference",
        "Graph Neural Networks for Chemistry",
        "Speech Recognition with State Space Models",
        "Mixture of Depths in Transformers",
        "Benchmarking Code Generation Agents",
    ]
    return [
        Paper(
            title,
            f"We study question {number} carefully. Results on benchmark {number} are reported.",
            authors=paper.authors,
            published=paper.published,
            published_date=paper.published_date,
            upvotes=number * 3 % 10,
            lists=("Jan 2",),
        )
        for number, (title, paper) in enumerate(zip(titles, papers, strict=True))
    ]


PAPERS = make_papers()


@pytest.fixture
def list_file(tmp_path: Path) -> Path:
    path = tmp_path / "list.txt"
    path.write_text(render_text_copy(PAPERS, "Jan 2", with_metadata=True), encoding="utf-8")
    return path


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "state.toml"


def make_app(list_file: Path, state_path: Path, tmp_path: Path) -> PapersApp:
    state = TriageState.load(state_path)
    return PapersApp([FileFeed(str(list_file))], state, export_dir=tmp_path, today=TODAY)


def titles_shown(app: PapersApp) -> list[str]:
    return [app.store[position].title for position in app.paper_list.view]


def saved_marks(state_path: Path) -> dict:
    return tomllib.loads(state_path.read_text(encoding="utf-8"))["papers"]


async def test_loads_every_paper_and_shows_the_first(list_file, state_path, tmp_path):
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert titles_shown(app) == [paper.title for paper in PAPERS]
        assert app.current_paper.title == PAPERS[0].title
        assert PAPERS[0].title in app.query_one(DetailPane).plain
        assert app.status.total == 10 and app.status.unread == 10


async def test_the_first_frame_shows_the_first_paper_with_its_marks(
    list_file, state_path, tmp_path, monkeypatch
):
    saved = TriageState.load(state_path)
    saved.set_read(PAPERS[0], True)
    saved.flush()  # and caches it: the app's state comes from the cache
    monkeypatch.setattr("tui.app.FIRST_BATCH_WAIT_SECONDS", 60.0)  # no timing in the test
    app = make_app(list_file, state_path, tmp_path)
    first_frame: list[tuple[int, int, int]] = []
    display = app._display

    def note_first_frame(screen, renderable) -> None:
        if renderable is not None and not first_frame:
            status = app.status
            first_frame.append((len(app.paper_list.view), status.total, status.unread))
        display(screen, renderable)

    app._display = note_first_frame
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert first_frame == [(1, 1, 0)]  # the first paper, read, before any other
        assert app.status.unread == 9


async def test_rows_kept_from_earlier_frames_show_new_marks_highlights_and_merges(
    list_file, state_path, tmp_path
):
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)

        def first_row() -> list[Segment]:
            app.paper_list.prepare_frame()
            return list(app.paper_list.render_line(0))

        before = first_row()
        assert first_row() == before  # painted again from the kept row
        await pilot.press("s")  # the list keeps its rows; the star changes the first one
        await pilot.pause()
        assert "★" in Strip(first_row()).text and "★" not in Strip(before).text
        app.store.add(dataclasses.replace(PAPERS[0], upvotes=99))  # merged from another list
        assert "▲99" in Strip(first_row()).text
        await pilot.press("slash", *"sparse")
        await settle(pilot)
        row = first_row()
        match_style = app.paper_list._row_styles[False, True].match
        assert any(text == "Sparse" and style == match_style for text, style, _ in row)


async def test_movement_keys(list_file, state_path, tmp_path):
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        papers = app.paper_list
        await pilot.press("j", "j", "down")
        assert papers.cursor == 3
        await pilot.press("k", "up")
        assert papers.cursor == 1
        await pilot.press("G")
        assert papers.cursor == 9
        await pilot.press("g")
        assert papers.cursor == 0
        await pilot.press("pagedown")
        assert papers.cursor == 9  # the page is taller than the list
        await pilot.press("pageup")
        assert papers.cursor == 0
        await pilot.press("end", "home")
        assert papers.cursor == 0


async def test_read_toggle_moves_to_next_unread_and_reaches_disk(list_file, state_path, tmp_path):
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "r")  # paper 1 read, cursor jumps to paper 2
        assert app.paper_list.cursor == 2
        await pilot.press("k", "k", "r")  # paper 0 read: the next unread is paper 2
        assert app.paper_list.cursor == 2
        app.state.flush()
        marks = saved_marks(state_path)
        assert marks[PAPERS[0].key]["read"] is True
        assert marks[PAPERS[1].key]["read"] is True
        assert PAPERS[2].key not in marks
        await pilot.press("k", "k", "r")  # toggle paper 0 back to unread
        assert not app.state.is_read(PAPERS[0].key)
        assert app.status.unread == 9


async def test_star_export_and_headless_export_from_state(list_file, state_path, tmp_path):
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s", "j", "j", "s")
        assert app.status.starred == 2
        await pilot.press("e")
        exported = tmp_path / "papers-starred-2026-01-02.md"
        text = exported.read_text(encoding="utf-8")
        assert PAPERS[0].title in text and PAPERS[2].title in text
        assert PAPERS[1].title not in text
        assert PAPERS[0].abstract in text
    # after quitting, the stars (with their snapshots) are on disk
    restarted = TriageState.load(state_path)
    assert [paper.title for paper in restarted.starred_papers()] == [
        PAPERS[0].title,
        PAPERS[2].title,
    ]


async def test_next_and_previous_unread(list_file, state_path, tmp_path):
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.triage.set([PAPERS[1], PAPERS[2], PAPERS[4]], "read", True)
        await pilot.press("n")
        assert app.paper_list.cursor == 3
        await pilot.press("n")
        assert app.paper_list.cursor == 5
        await pilot.press("p")
        assert app.paper_list.cursor == 3
        await pilot.press("p")
        assert app.paper_list.cursor == 0


async def test_mark_all_read_and_undo_levels(list_file, state_path, tmp_path):
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")  # undo level 1: a star
        await pilot.press("A")  # undo level 2: all ten read
        assert app.status.unread == 0
        await pilot.press("u")
        assert app.status.unread == 10
        assert app.state.is_starred(PAPERS[0].key)
        await pilot.press("u")
        assert not app.state.is_starred(PAPERS[0].key)
        await pilot.press("u")  # nothing left: no change, no crash
        assert app.status.unread == 10 and app.status.starred == 0


async def test_filter_focus_enter_and_escape(list_file, state_path, tmp_path):
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert app.focused.id == "filter"
        await pilot.press(*"mixture")
        await settle(pilot)
        shown = titles_shown(app)
        assert set(shown) >= {PAPERS[0].title, PAPERS[8].title}
        assert PAPERS[1].title not in shown
        assert app.status.shown == len(shown)
        await pilot.press("enter")
        assert app.focused is app.paper_list
        assert app.query_one("#filter").value == "mixture"
        await pilot.press("escape")
        await settle(pilot)
        assert app.query_one("#filter").value == ""
        assert len(titles_shown(app)) == 10
        await pilot.press("slash", *"protein", "escape")
        await settle(pilot)
        assert len(titles_shown(app)) == 10 and app.focused is app.paper_list


async def test_qualifiers_and_view_cycle(list_file, state_path, tmp_path):
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s", "j", "r")
        await pilot.press("slash", *"is:starred", "enter")
        await settle(pilot)
        assert titles_shown(app) == [PAPERS[0].title]
        await pilot.press("escape", "v")  # view: unread
        await settle(pilot)
        assert PAPERS[1].title not in titles_shown(app)
        assert len(titles_shown(app)) == 9
        assert app.status.view_label == "unread"
        await pilot.press("v")  # view: starred
        await settle(pilot)
        assert titles_shown(app) == [PAPERS[0].title]
        await pilot.press("v")  # back to all
        await settle(pilot)
        assert len(titles_shown(app)) == 10


async def test_sort_cycle(list_file, state_path, tmp_path):
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S")  # upvotes
        await settle(pilot)
        upvotes = [app.store[p].upvotes for p in app.paper_list.view]
        assert upvotes == sorted(upvotes, reverse=True)
        await pilot.press("S", "S")  # published, then title
        await settle(pilot)
        assert titles_shown(app) == sorted(titles_shown(app), key=str.casefold)
        assert app.status.sort_label == "title"
        await pilot.press("S")
        await settle(pilot)
        assert titles_shown(app) == [paper.title for paper in PAPERS]


async def test_reader_help_open_and_copy(list_file, state_path, tmp_path, monkeypatch):
    app = make_app(list_file, state_path, tmp_path)
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *_, **__: opened.append(url) or True)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert PAPERS[0].abstract[:40] in app.screen.query_one(DetailPane).plain
        await pilot.press("s")  # triage keys work in the reader too
        assert app.state.is_starred(PAPERS[0].key)
        await pilot.press("escape")
        assert not isinstance(app.screen, ReaderScreen)
        await pilot.press("enter", "q")  # q leaves the reader, as Escape does, not the app
        assert app.is_running and not isinstance(app.screen, ReaderScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press(*"undo")
        assert app.screen.shown == [("u", "Undo")]
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("o", "y")
        await app.workers.wait_for_complete()
        assert opened == [PAPERS[0].url]
        assert app.clipboard == f"[{PAPERS[0].title}](<{PAPERS[0].url}>)"


async def test_quit_saves_and_a_restart_finds_every_mark(list_file, state_path, tmp_path):
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r", "s", "j", "j", "j", "s")
        await pilot.press("q")
    assert app.return_code == 0
    again = make_app(list_file, state_path, tmp_path)
    async with again.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert again.state.is_read(PAPERS[0].key)
        assert again.state.is_starred(PAPERS[1].key)
        assert again.state.is_starred(PAPERS[4].key)
        assert again.status.unread == 9 and again.status.starred == 2


async def test_narrow_terminal_stacks_the_panes(list_file, state_path, tmp_path):
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.has_class("narrow")
        papers, detail = app.paper_list.region, app.query_one(DetailPane).region
        assert detail.y > papers.y and detail.width >= 78
        await pilot.press("d")
        assert not app.query_one(DetailPane).display


async def test_a_list_with_no_papers_offers_the_sample(state_path, tmp_path):
    empty = tmp_path / "no-papers.txt"
    empty.write_text("new\n\nSubscribe\n\nMar 14\n", encoding="utf-8")
    app = make_app(empty, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        assert isinstance(app.screen, LoadFailedScreen)
        assert "no papers" in app.screen.problem
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 1


async def test_backspace_keeps_its_place_in_a_burst_of_keys(list_file, state_path, tmp_path):
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        for key in ("a", "b", "backspace", "c"):  # queued at once, as after a stall
            app.post_message(events.Key(key, None if key == "backspace" else key))
        await pilot.pause()
        assert app.filter_input.value == "ac"


async def test_command_palette_runs_a_triage_action(list_file, state_path, tmp_path):
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"Star")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.state.is_starred(PAPERS[0].key)


async def test_unwritable_state_is_shown_and_quit_reports_the_fallback(list_file, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    app = make_app(list_file, blocker / "state.toml", tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        app.state.flush()
        await pilot.pause(0.2)
        assert app.status.save_error  # shown in the status line
        assert app.state.is_starred(PAPERS[0].key)  # the mark is kept in memory
    result = app.close_result
    assert result is not None and not result.ok
    saved = tomllib.loads(result.fallback_path.read_text(encoding="utf-8"))["papers"]
    assert saved[PAPERS[0].key]["starred"] is True
    result.fallback_path.unlink()


async def test_a_click_moves_the_cursor_to_that_row(list_file, state_path, tmp_path):
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.click("#papers", offset=(10, 3))
        assert app.paper_list.cursor == 3
        assert app.current_paper.title == PAPERS[3].title


async def test_full_garbage_collections_wait_while_the_app_runs(list_file, state_path, tmp_path):
    usual = gc.get_threshold()
    app = make_app(list_file, state_path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        assert gc.get_threshold() == (*usual[:2], FULL_PASS_AFTER)
        noted = app.runtime.collector._last_input
        await pilot.press("j")
        assert app.runtime.collector._last_input > noted  # keys count as input
        await pilot.press("q")
    assert gc.get_threshold() == usual
