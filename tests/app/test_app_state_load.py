"""A state file the state cache has not seen (a sync tool or a hand edit changed it): the app
paints its rows before the file is parsed, the rows take their marks when it is, and a mark
made meanwhile is kept, merged field by field with the file's."""

from __future__ import annotations

import threading
import tomllib
from pathlib import Path

import pytest
from pilot_support import settle
from test_app import PAPERS, TODAY

from parsing.synthetic import render_text_copy
from tui.app import PapersApp
from tui.core.feeds import FileFeed
from tui.core.marks.codec import StateCodec
from tui.core.paths import state_cache_path
from tui.core.state.triage_state import TriageState

pytestmark = pytest.mark.app


def row_text(app: PapersApp, row: int) -> str:
    app.paper_list.prepare_frame()
    return app.paper_list.render_line(row).text


def open_app(state: TriageState, folder: Path) -> PapersApp:
    """The app on `test_app`'s ten papers with `state`."""
    papers = folder / "papers.txt"
    papers.write_text(render_text_copy(PAPERS, "Jan 2", with_metadata=True), encoding="utf-8")
    return PapersApp([FileFeed(str(papers))], state, export_dir=folder, today=TODAY)


@pytest.fixture
def unseen_state(tmp_path: Path) -> Path:
    """The first paper read, the second starred; no cache of that file."""
    path = tmp_path / "state" / "state.toml"
    writer = TriageState.load(path)
    writer.set_read(PAPERS[0], True)
    writer.set_starred(PAPERS[1], True)
    assert writer.close().ok
    state_cache_path(path).unlink(missing_ok=True)
    return path


@pytest.fixture
def parse_gate(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The state file's parse waits until the event is set."""
    gate = threading.Event()
    decode = StateCodec.decode

    def gated_decode(self: StateCodec, *args, **kwargs):
        assert gate.wait(30), "the test never let the parse go on"
        return decode(self, *args, **kwargs)

    monkeypatch.setattr(StateCodec, "decode", gated_decode)
    return gate


async def test_rows_paint_before_the_state_is_parsed_and_take_their_marks_after(
    unseen_state, parse_gate, tmp_path
):
    state = TriageState.load(unseen_state, parse_later=True)  # returns before the parse
    app = open_app(state, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert state.loading
        assert "reading marks…" in app.status.render().plain  # the user knows why
        assert "●" in row_text(app, 0) and "★" not in row_text(app, 1)  # no marks yet
        await pilot.press("s")  # a star made before the file is read
        assert "★" in row_text(app, 0)
        parse_gate.set()
        for _ in range(500):
            await pilot.pause(0.01)
            if not state.loading:
                break
        await pilot.pause()
        assert not state.loading
        assert "●" not in row_text(app, 0) and "★" in row_text(app, 0)  # file's read, our star
        assert "★" in row_text(app, 1)  # the file's star
        assert (app.status.unread, app.status.starred) == (9, 2)
        assert "reading marks" not in app.status.render().plain
        await pilot.press("q")
    entries = tomllib.loads(unseen_state.read_text(encoding="utf-8"))["papers"]
    first = entries[PAPERS[0].key]
    assert first["read"] and first["starred"]
    assert entries[PAPERS[1].key]["starred"]


async def test_quitting_before_the_parse_keeps_the_file_and_the_new_mark(
    unseen_state, parse_gate, tmp_path
):
    state = TriageState.load(unseen_state, parse_later=True)
    app = open_app(state, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "s")  # the third paper starred
        threading.Timer(0.2, parse_gate.set).start()  # quitting waits for the parse
        await pilot.press("q")
    assert app.close_result is not None and app.close_result.ok
    entries = tomllib.loads(unseen_state.read_text(encoding="utf-8"))["papers"]
    assert entries[PAPERS[0].key]["read"]
    assert entries[PAPERS[1].key]["starred"] and entries[PAPERS[2].key]["starred"]
