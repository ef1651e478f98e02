"""The real app on hostile input: nothing from the data reaches the terminal as a sequence,
nothing is parsed as markup, and only http(s) links are offered."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hf_server import FakeHub, Reply
from hostile import CLEAR, FORBIDDEN_IN_OUTPUT, write_hostile_json
from hypothesis import given, settings
from hypothesis import strategies as st
from pilot_support import settle, wait_for_screen
from textual.widgets._toast import Toast

from parsing.clean import is_clean
from parsing.model import Paper
from tui.app import PapersApp
from tui.core.feeds import DayFeed, FileFeed
from tui.core.state.triage_state import TriageState
from tui.screens.load_failed import LoadFailedScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.detail import DetailPane, paper_blocks

pytestmark = pytest.mark.app

SCRIPT = Path(sys.executable).parent / "papers-tui"
SAFE_URL = re.compile(r"https?://[A-Za-z0-9.:\[\]-]+(/\S*)?")


def hostile_app(tmp_path: Path, export_dir: Path | None = None) -> PapersApp:
    path = write_hostile_json(tmp_path / "hostile.json")
    state = TriageState.load(tmp_path / "state.toml")
    return PapersApp([FileFeed(str(path))], state, export_dir=export_dir or tmp_path)


def painted_text(app: PapersApp) -> str:
    """Every segment of every line the main screen's list and detail pane paint."""
    pieces = []
    for widget in (app.paper_list, app.query_one(DetailPane)):
        for y in range(widget.size.height):
            pieces += [segment.text for segment in widget.render_line(y)]
    return "".join(pieces)


def links_painted(app: PapersApp, widget: DetailPane) -> list[str]:
    links = []
    for y in range(widget.size.height):
        for segment in widget.render_line(y):
            if segment.style is not None and segment.style.link:
                links.append(segment.style.link)
    return links


def toasts(app: PapersApp) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query(Toast)]


async def test_hostile_list_scrolls_reads_opens_copies_and_exports(tmp_path, monkeypatch):
    app = hostile_app(tmp_path)
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *_, **__: opened.append(url) or True)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert len(app.paper_list.view) == 20
        detail = app.query_one(DetailPane)
        links: list[str] = []
        for _ in range(20):
            text = painted_text(app)
            assert not any(bad in text for bad in FORBIDDEN_IN_OUTPUT)
            links += links_painted(app, detail)
            await pilot.press("o", "y", "s")
            await pilot.press("j")
        await app.workers.wait_for_complete()
        assert links and all(SAFE_URL.fullmatch(link) for link in links)
        assert not any(link.startswith(("javascript", "file", "data")) for link in links)
        assert len(opened) == 20
        assert all(SAFE_URL.fullmatch(url) for url in opened)
        assert not any(".." in url or "\x1b" in url for url in opened)
        assert "\x1b" not in (app.clipboard or "")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        reader = app.screen.query_one(DetailPane)
        assert not any(bad in reader.plain for bad in FORBIDDEN_IN_OUTPUT)
        await pilot.press("escape", "e")
        await pilot.pause()
        assert app.is_running
    exported = next(tmp_path.glob("papers-starred-*.md")).read_text(encoding="utf-8")
    assert not any(bad in exported for bad in FORBIDDEN_IN_OUTPUT)


async def test_markup_in_an_id_is_shown_as_text_not_parsed(tmp_path, monkeypatch):
    """`[b]BOLDID[/b]` and `x[/bogus]` are no arXiv ids: `o` opens a search, says so plainly."""
    app = hostile_app(tmp_path)
    monkeypatch.setattr("webbrowser.open", lambda url, *_, **__: True)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(pilot)
        for _ in range(2):  # ids `x[/bogus]`, then `[b]BOLDID[/b]`
            await pilot.press("o", "j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = " ".join(toasts(app))
        assert "MarkupError" not in shown and app.is_running
        assert "https://huggingface.co/papers?q=" in shown


async def test_an_export_dir_with_markup_in_its_name(tmp_path):
    folder = tmp_path / "x[/x]"
    app = hostile_app(tmp_path, export_dir=folder)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("s", "e")
        await pilot.pause()
        assert app.is_running
        assert any("x[/x]" in toast for toast in toasts(app))
    assert list(folder.glob("papers-starred-*.md"))


async def test_a_reason_phrase_with_markup_and_escapes(tmp_path, monkeypatch):
    with FakeHub() as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        hub.queue.append(Reply(403, b"{}", reason=f"Not Found [/x] {CLEAR}"))
        state = TriageState.load(tmp_path / "state.toml")
        app = PapersApp([DayFeed("Daily Papers", day=date(2025, 9, 8))], state)
        async with app.run_test(size=(140, 40), notifications=True) as pilot:
            await wait_for_screen(pilot, LoadFailedScreen)
            assert "Not Found [/x] [2J" in app.screen.problem
            assert "\x1b" not in app.screen.problem
            assert all("\x1b" not in toast for toast in toasts(app))


async def test_deeply_nested_json_says_the_input_is_bad(tmp_path):
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 100_000)
    state = TriageState.load(tmp_path / "state.toml")
    app = PapersApp([FileFeed(str(path))], state)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for_screen(pilot, LoadFailedScreen)
        assert "nested too deeply" in app.screen.problem


@settings(max_examples=200)
@given(st.text(), st.text(), st.text())
def test_detail_lines_of_any_paper_are_clean(title: str, abstract: str, link: str) -> None:
    paper = Paper(f"T{title}", abstract, author_names=(title,), github_repo=link, project_page=link)
    for block in paper_blocks(paper, read=False, starred=True):
        for line in block:
            assert is_clean(line.plain)
            for span in line.spans:
                link_target = getattr(span.style, "link", None)
                assert link_target is None or SAFE_URL.fullmatch(link_target)


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, timeout=60, env=env, check=False
    )


def test_list_of_deeply_nested_json_is_one_line(tmp_path):
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 100_000)
    result = cli("list", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"papers-tui: {path}: invalid JSON in item 1: nested too deeply"
    ]


@pytest.mark.parametrize("endpoint", ["http://[::1", "ftp://example.org", "not a url"])
def test_a_malformed_hf_endpoint_is_one_line(endpoint, monkeypatch, tmp_path):
    env = {"HF_ENDPOINT": endpoint, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    env |= {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = cli("list", "--date", "2025-09-08", env=env)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "HF_ENDPOINT is not an http(s) URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_reason_phrase_reaches_stderr_clean(tmp_path):
    with FakeHub() as hub:
        hub.queue.append(Reply(403, b"{}", reason=f"Not Found [/x] {CLEAR}\x9b2J"))
        env = {"HF_ENDPOINT": hub.url, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
        env |= {"XDG_CACHE_HOME": str(tmp_path / "c"), "XDG_DATA_HOME": str(tmp_path / "d")}
        result = cli("list", "--date", "2025-09-08", env=env)
    assert result.returncode == 2
    assert "Not Found [/x] [2J2J" in result.stderr
    assert not any(bad in result.stderr for bad in ("\x1b", "\x9b"))
