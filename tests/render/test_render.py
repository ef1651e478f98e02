"""The fence around Textual's internals (`tui.render`): which path a process takes, what
each path's widgets are, and that the tested versions are declared once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from locations import REPO
from pilot_support import settle
from textual import constants
from textual.scrollbar import ScrollBar

import tui.render
from tui.app import PapersApp
from tui.core.feeds import SampleFeed
from tui.core.state.triage_state import TriageState
from tui.render import STOCK_RENDER_VARIABLE, TESTED_TEXTUAL, release, stock_reason
from tui.render.plain_lines import PlainLineCache, PlainScrollBar


def test_pyproject_declares_the_tested_textual_versions() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    textual = [item for item in project["dependencies"] if item.startswith("textual")]
    low, high = TESTED_TEXTUAL
    assert textual == [f"textual>={low},<{high}"]
    assert release(low) < release(high)


def test_the_installed_version_is_read_as_importlib_reads_it() -> None:
    assert tui.render.textual_version() == version("textual")


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("8.2.8", (8, 2, 8)), ("9.0", (9, 0)), ("8.3.0rc1", ()), ("8.2.8.post1", ()), ("", ())],
)
def test_release_numbers(text: str, parsed: tuple[int, ...]) -> None:
    assert release(text) == parsed


@pytest.mark.parametrize(
    ("installed", "variable", "fast"),
    [
        (TESTED_TEXTUAL[0], None, True),
        (TESTED_TEXTUAL[0], "0", True),
        (TESTED_TEXTUAL[0], "1", False),
        (TESTED_TEXTUAL[1], None, False),  # the first untested release
        ("8.0.0", None, False),
        ("8.3.0rc1", None, False),
        (None, None, False),
    ],
)
def test_the_fast_path_needs_a_tested_textual_and_no_stock_request(
    monkeypatch: pytest.MonkeyPatch, installed: str | None, variable: str | None, fast: bool
) -> None:
    monkeypatch.setattr(tui.render, "textual_version", lambda: installed)
    if variable is None:
        monkeypatch.delenv(STOCK_RENDER_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(STOCK_RENDER_VARIABLE, variable)
    stock_reason.cache_clear()
    try:
        assert tui.render.fast_path() is fast
        assert (tui.render.stock_notice() is None) is fast
    finally:
        stock_reason.cache_clear()


def sample_app(tmp_path: Path) -> PapersApp:
    return PapersApp([SampleFeed()], TriageState.load(tmp_path / "state.toml"))


@pytest.mark.usefixtures("fast_render")
async def test_on_the_fast_path_the_panes_join_their_own_lines(tmp_path: Path) -> None:
    app = sample_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        papers = app.paper_list
        assert isinstance(papers._styles_cache, PlainLineCache)
        assert isinstance(papers.vertical_scrollbar, PlainScrollBar)
        assert papers.get_line_filters() == ()  # its lines come out filtered


@pytest.mark.usefixtures("stock_render")
async def test_on_the_stock_path_the_panes_are_textuals_and_the_log_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "textual.log"
    monkeypatch.setattr(constants, "LOG_FILE", str(log))  # as TEXTUAL_LOG sets it
    app = sample_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        papers = app.paper_list
        assert not isinstance(papers._styles_cache, PlainLineCache)
        assert type(papers.vertical_scrollbar) is ScrollBar
        assert papers.get_line_filters() == app.get_line_filters() != ()
        await pilot.press("q")
    notices = [line for line in log.read_text().splitlines() if "stock rendering" in line]
    assert notices == [f"papers-tui paints through Textual's stock rendering: {stock_reason()}"]


STOCK_RUN = """
import asyncio, json, sys, tempfile
from pathlib import Path
from tui.app import PapersApp
from tui.core.feeds import SampleFeed
from tui.core.state.triage_state import TriageState

async def main():
    with tempfile.TemporaryDirectory() as folder:
        app = PapersApp([SampleFeed()], TriageState.load(Path(folder) / "state.toml"))
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause(0.5)
            await pilot.press("j", "slash", "a", "backspace")
            await pilot.pause(0.2)
            await pilot.press("q")
    fenced = [name for name in sys.modules if name.startswith("tui.render.")]
    print(json.dumps(sorted(fenced)))

asyncio.run(main())
"""


def test_the_stock_path_never_imports_the_fenced_code(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", STOCK_RUN],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={**os.environ, STOCK_RENDER_VARIABLE: "1"},
    )
    imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert imported == ["tui.render.lines", "tui.render.settings", "tui.render.sizes"]
