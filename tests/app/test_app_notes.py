"""Notes (`N`) and tags (`t`) in the real app under Pilot: editing, saving, showing,
filtering, undoing, and the palette's tags."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from pilot_support import settle
from textual.strip import Strip
from textual.widgets import Input, TextArea

from parsing.model import Paper
from parsing.synthetic import render_text_copy
from tui.app import PapersApp
from tui.core.feeds import FileFeed
from tui.core.state.triage_state import TriageState
from tui.screens.note import NoteScreen
from tui.screens.reader import ReaderScreen
from tui.screens.tags import TagsScreen
from tui.widgets.detail import DetailPane

pytestmark = pytest.mark.app

PAPERS = [
    Paper(
        title,
        f"We study {topic} carefully and report what we found.",
        authors=3,
        published="Jan 2, 2026",
        published_date=date(2026, 1, 2),
        upvotes=5,
        lists=("Jan 2",),
    )
    for title, topic in [
        ("Sparse Mixture of Experts for Retrieval", "routing"),
        ("Diffusion Models for Protein Design", "folding"),
        ("Scaling Laws for Small Language Models", "scaling"),
    ]
]


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "state.toml"


def make_app(tmp_path: Path, state_path: Path) -> PapersApp:
    list_file = tmp_path / "list.txt"
    list_file.write_text(render_text_copy(PAPERS, "Jan 2", with_metadata=True), encoding="utf-8")
    state = TriageState.load(state_path)
    return PapersApp([FileFeed(str(list_file))], state, export_dir=tmp_path)


def saved(state_path: Path) -> dict:
    return tomllib.loads(state_path.read_text(encoding="utf-8"))["papers"]


def detail(app: PapersApp) -> str:
    return app.query_one(DetailPane).plain


def shown(app: PapersApp) -> list[str]:
    return [app.store[position].title for position in app.paper_list.view]


def row_text(app: PapersApp, row: int) -> str:
    app.paper_list.prepare_frame()
    return Strip(list(app.paper_list.render_line(row))).text


async def filter_by(pilot, text: str) -> None:
    pilot.app.filter_input.value = text
    await settle(pilot)


async def test_n_writes_a_note_that_ctrl_s_saves_and_the_detail_pane_shows(tmp_path, state_path):
    app = make_app(tmp_path, state_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "N")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"Key [b]idea[/b]:", "enter", *"- *routing*")
        await pilot.press("r", "s")  # letters of the note, not triage keys
        assert not app.state.is_read(PAPERS[1].key)
        await pilot.press("ctrl+s")
        await pilot.pause()
        note = "Key [b]idea[/b]:\n- *routing*rs"
        assert not isinstance(app.screen, NoteScreen)
        assert app.state.note(PAPERS[1].key) == note
        assert "Note\nKey [b]idea[/b]:\n- *routing*rs" in detail(app)  # as written, no markup
        app.state.flush()
        entry = saved(state_path)[PAPERS[1].key]
        assert entry["note"] == note and entry["paper"]["title"] == PAPERS[1].title

        await filter_by(pilot, "has:note")
        assert shown(app) == [PAPERS[1].title]
        await filter_by(pilot, "note:rout")
        assert shown(app) == [PAPERS[1].title]
        await filter_by(pilot, "-has:note")
        assert shown(app) == [PAPERS[0].title, PAPERS[2].title]
        await filter_by(pilot, "")

        await pilot.press("u")  # the note goes
        assert app.state.note(PAPERS[1].key) == ""
        assert app.current_paper.key == PAPERS[1].key and "Note" not in detail(app)


async def test_escape_cancels_a_note_and_says_so(tmp_path, state_path):
    app = make_app(tmp_path, state_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("N", *"draft", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, NoteScreen)
        assert app.state.note(PAPERS[0].key) == ""
        assert any("Note not saved" in str(n.message) for n in app._notifications)


async def test_the_editor_opens_on_the_note_and_the_reader_shows_it(tmp_path, state_path):
    app = make_app(tmp_path, state_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.triage.set_note(PAPERS[0], "first line\nsecond line")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert "Note\nfirst line\nsecond line" in app.screen.query_one(DetailPane).plain
        await pilot.press("N")
        assert app.screen.query_one(TextArea).text == "first line\nsecond line"


async def test_t_tags_a_paper_with_completion_and_tag_filters_it(tmp_path, state_path):
    app = make_app(tmp_path, state_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, TagsScreen)
        await pilot.press(*"RL, Agents", "enter")
        await pilot.pause()
        assert app.state.tags(PAPERS[0].key) == ("rl", "agents")
        assert "#rl #agents" in row_text(app, 0)
        assert "#rl #agents" in detail(app)

        await pilot.press("j", "t", *"a")
        await pilot.pause()
        tags_input = app.screen.query_one(Input)
        assert tags_input._suggestion == "agents"  # the word after the last comma
        await pilot.press("right", *", r")
        await pilot.pause()
        assert tags_input._suggestion == "agents, rl"
        await pilot.press("right", "enter")
        await pilot.pause()
        assert app.state.tags(PAPERS[1].key) == ("agents", "rl")
        assert app.state.tags_in_use() == {"agents": 2, "rl": 2}

        await filter_by(pilot, "tag:AGENTS")
        assert shown(app) == [PAPERS[0].title, PAPERS[1].title]
        await filter_by(pilot, "-tag:agents")
        assert shown(app) == [PAPERS[2].title]
        await filter_by(pilot, "")
        await pilot.press("u")
        assert app.state.tags(PAPERS[1].key) == ()


async def test_the_palette_filters_by_each_tag_in_use(tmp_path, state_path):
    app = make_app(tmp_path, state_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.triage.set_tags(PAPERS[2], ["[b]bold"])
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Filter by tag: \\[b]bold" in titles  # escaped: the palette reads markup
        await pilot.press("ctrl+p", *"Filter by tag")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert app.filter_input.value == "tag:[b]bold"
        assert shown(app) == [PAPERS[2].title]
