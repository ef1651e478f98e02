"""Snapshot tests of the real app on the built-in sample (pytest-textual-snapshot).

Update the references with `pytest tests/app/test_snapshots.py --snapshot-update` after a
deliberate change, and look at the report before committing them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pilot_support import settle
from textual.widgets import Input, TextArea

from parsing.synthetic import generate, render_hf_json
from tui.app import PapersApp
from tui.core.feeds import FileFeed, SampleFeed
from tui.core.paths import default_state_path
from tui.core.state.triage_state import TriageState

pytestmark = pytest.mark.app

SIZES = [(80, 24), (160, 50)]


def sample_app() -> PapersApp:
    return PapersApp([SampleFeed()], TriageState.load(default_state_path()), today=date(2026, 1, 2))


async def wait_until_settled(pilot) -> None:
    pilot.app.query_one(Input).cursor_blink = False
    await settle(pilot)


async def triaged(pilot) -> None:
    await wait_until_settled(pilot)
    await pilot.press("s", "j", "r", "j", "s")
    await wait_until_settled(pilot)


async def filtered(pilot) -> None:
    await triaged(pilot)
    await pilot.press("slash", *"diffusion")
    await wait_until_settled(pilot)


async def help_open(pilot) -> None:
    await wait_until_settled(pilot)
    await pilot.press("question_mark")
    await pilot.pause()
    pilot.app.screen.query_one(Input).cursor_blink = False
    await pilot.pause()


async def reading(pilot) -> None:
    await triaged(pilot)
    await pilot.press("enter")
    await pilot.pause()


async def writing_a_note(pilot) -> None:
    await triaged(pilot)
    await pilot.press("N")
    await pilot.pause()
    pilot.app.screen.query_one(TextArea).cursor_blink = False
    await pilot.press(*"Why it matters: [b]not bold[/b]", "enter", *"- a *markdown* list")
    await pilot.pause()


SCENES = {
    "main": triaged,
    "filtered": filtered,
    "help": help_open,
    "reader": reading,
    "note": writing_a_note,
}


@pytest.mark.parametrize("scene", SCENES)
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_screen(snap_compare, scene, size):
    assert snap_compare(sample_app(), terminal_size=size, run_before=SCENES[scene])


async def tldr_rows_shown(pilot) -> None:
    await wait_until_settled(pilot)
    await pilot.press("T", "j", "s", "j")
    await wait_until_settled(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_tldr_rows(snap_compare, monkeypatch, tmp_path, size):
    """A day in the API's shape with `T`: each TL;DR dimmed under its row."""
    monkeypatch.chdir(tmp_path)  # the header names the file as given
    Path("day.json").write_text(render_hf_json(generate(40, seed=5)), encoding="utf-8")
    state = TriageState.load(tmp_path / "state.toml")
    app = PapersApp([FileFeed("day.json")], state, today=date(2026, 1, 2))
    assert snap_compare(app, terminal_size=size, run_before=tldr_rows_shown)
