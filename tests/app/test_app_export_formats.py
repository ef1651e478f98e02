"""`E` asks which format to export the starred papers in; `e` writes the config's
`export_format`. Driven with Pilot, the files checked on disk with their own readers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_check import bibtex_entries, latex_to_text
from pilot_support import settle, wait_for_screen
from test_app import PAPERS, TODAY
from textual.widgets import OptionList

from parsing.synthetic import render_text_copy
from tui.app import PapersApp
from tui.core.config import Config
from tui.core.feeds import FileFeed
from tui.core.state.triage_state import TriageState
from tui.screens.export_format import ExportFormatScreen

pytestmark = pytest.mark.app


def make_app(tmp_path: Path, **options: object) -> PapersApp:
    """The app on `PAPERS`, exporting to `tmp_path`, with the config `options`."""
    path = tmp_path / "list.txt"
    path.write_text(render_text_copy(PAPERS, "Jan 2", with_metadata=True), encoding="utf-8")
    state = TriageState.load(tmp_path / "state.toml")
    config = Config(**options)  # type: ignore[arg-type]
    return PapersApp([FileFeed(str(path))], state, export_dir=tmp_path, today=TODAY, config=config)


async def test_export_as_bibtex(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s", "j", "j", "s", "E")
        screen = await wait_for_screen(pilot, ExportFormatScreen)
        options = screen.query_one(OptionList)
        assert options.option_count == 4 and options.highlighted == 0  # md: the config's
        await pilot.press("down", "enter")  # the second: BibTeX
        await pilot.pause()
        assert not isinstance(app.screen, ExportFormatScreen)
        exported = tmp_path / "papers-starred-2026-01-02.bib"
        entries = bibtex_entries(exported.read_text(encoding="utf-8"))
        titles = [latex_to_text(fields["title"]) for _, fields in entries]
        assert titles == [PAPERS[0].title, PAPERS[2].title]
        assert not list(tmp_path.glob("*.md"))


async def test_export_as_by_number_and_escape_writes_nothing(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s", "E")
        await wait_for_screen(pilot, ExportFormatScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert list(tmp_path.glob("papers-*")) == []  # Escape: no export
        await pilot.press("E")
        await wait_for_screen(pilot, ExportFormatScreen)
        await pilot.press("4")  # CSV
        await pilot.pause()
        text = (tmp_path / "papers-starred-2026-01-02.csv").read_text(encoding="utf-8")
        assert text.startswith("key,title,") and PAPERS[0].title in text


async def test_e_writes_the_configured_format(tmp_path):
    app = make_app(tmp_path, export_format="json")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s", "e")
        records = json.loads((tmp_path / "papers-starred-2026-01-02.json").read_text("utf-8"))
        assert [(r["title"], r["starred"]) for r in records] == [(PAPERS[0].title, True)]
        await pilot.press("E")
        screen = await wait_for_screen(pilot, ExportFormatScreen)
        assert screen.query_one(OptionList).highlighted == 2  # json


async def test_export_as_is_in_the_help_and_the_palette(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert ("E", "Export starred as…") in app.key_reference()
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert "Export starred as…" in commands
