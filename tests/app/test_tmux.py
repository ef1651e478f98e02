"""The real `papers-tui` command in a real terminal (tmux): type, read the screen, quit."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

import pytest
from archive import fill_archive
from hf_server import FakeHub, make_items
from tmux_session import PAPERS_TUI, TmuxSession

from parsing.model import Paper
from parsing.synthetic import render_text_copy

pytestmark = [
    pytest.mark.app,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

TITLES = [
    "Sparse Mixture of Experts for Retrieval",
    "Diffusion Models for Protein Design",
    "Scaling Laws for Small Language Models",
    "Mixture of Depths in Transformers",
]


@contextmanager
def papers_tui(
    arguments: str, width: int = 140, height: int = 45, env: dict[str, str] | None = None
) -> Iterator[TmuxSession]:
    """`papers-tui ARGUMENTS` in a tmux session of `width` x `height`, killed at the end."""
    session = TmuxSession(f"{PAPERS_TUI} {arguments}", width=width, height=height, env=env)
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def terminal(tmp_path: Path, isolated_user_dirs: Path) -> Iterator[TmuxSession]:
    papers = [Paper(title, f"Plain abstract number {n}.") for n, title in enumerate(TITLES)]
    list_file = tmp_path / "list.txt"
    list_file.write_text(render_text_copy(papers, "Jan 2", with_metadata=False), encoding="utf-8")
    with papers_tui(f"--export-dir {tmp_path} {list_file}") as session:
        yield session


def marks_on_disk(isolated_user_dirs: Path) -> dict:
    state_file = isolated_user_dirs / "xdg_data_home" / "papers-tui" / "state.toml"
    return tomllib.loads(state_file.read_text(encoding="utf-8"))["papers"]


def test_n_writes_a_note_and_t_tags_a_paper(terminal: TmuxSession, isolated_user_dirs: Path):
    terminal.wait_for("4/4 shown")
    terminal.keys("j", "N")
    terminal.wait_for("ctrl+s saves")
    terminal.keys("-l", "Why: **sparse** [b]routing[/b]")  # literal: markdown, no markup
    terminal.keys("Enter")
    terminal.keys("-l", "second line")
    terminal.wait_for("second line")
    terminal.keys("C-s")
    shown = terminal.wait_for("Note saved")
    pane = [line.partition("▕")[2].strip() for line in shown.splitlines()]
    note = ["Note", "Why: **sparse** [b]routing[/b]", "second line"]
    assert note == pane[pane.index("Note") : pane.index("Note") + 3]  # the detail pane
    terminal.keys("t")
    terminal.wait_for("comma-separated")
    terminal.keys("-l", "RL, Agents")
    terminal.keys("Enter")
    shown = terminal.wait_for("#rl #agents (u undoes)")  # the toast
    rows = [line.partition("▕")[0] for line in shown.splitlines()]
    assert "#rl #agents" in next(row for row in rows if TITLES[1] in row)  # the list's row
    terminal.keys("/", "-l", "tag:rl has:note")
    terminal.wait_for("1/4 shown")
    terminal.keys("Escape")
    terminal.wait_for("4/4 shown")
    terminal.keys("q")
    terminal.wait_for("EXITED 0")
    entry = marks_on_disk(isolated_user_dirs)[Paper(TITLES[1]).key]
    assert entry["note"] == "Why: **sparse** [b]routing[/b]\nsecond line"
    assert entry["tags"] == ["rl", "agents"]


def test_filter_triage_quit_and_state_on_disk(terminal: TmuxSession, isolated_user_dirs: Path):
    terminal.wait_for("4/4 shown")
    terminal.keys("/", "mixture")
    shown = terminal.wait_for("2/4 shown")
    assert TITLES[1] not in shown.split("│")[0]
    terminal.keys("Enter", "s")
    terminal.wait_for("1 ★")
    terminal.keys("Escape")
    shown = terminal.wait_for("4/4 shown")
    assert "1 ★" in shown
    terminal.keys("j", "r", "?")
    terminal.wait_for("papers-tui keys")
    # Escape and q sent together would read as alt+q, as in any terminal
    terminal.keys("Escape")
    terminal.wait_for("papers-tui keys", gone=True)
    terminal.keys("q")
    terminal.wait_for("EXITED 0")
    marks = marks_on_disk(isolated_user_dirs)
    starred = [key for key, mark in marks.items() if mark.get("starred")]
    read = [key for key, mark in marks.items() if mark.get("read")]
    assert len(starred) == 1 and len(read) == 1


@pytest.mark.parametrize("signal_name", ["TERM", "HUP"])
def test_a_signal_quits_cleanly_and_keeps_the_marks(
    terminal: TmuxSession, isolated_user_dirs: Path, signal_name: str
):
    terminal.wait_for("4/4 shown")
    terminal.keys("s", "j", "s")
    terminal.wait_for("2 ★")
    pid = terminal.pane_pid()
    children = subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True).stdout.split()
    assert children, "papers-tui is not running under the pane's shell"
    subprocess.run(["kill", f"-{signal_name}", *children], check=True)
    terminal.wait_for("EXITED 0")
    marks = marks_on_disk(isolated_user_dirs)
    assert sum(1 for mark in marks.values() if mark.get("starred")) == 2


def test_brackets_step_over_days_without_a_list(isolated_user_dirs: Path):
    with FakeHub() as hub:
        hub.days["2025-09-29"] = make_items(3, "2025-09-29")
        hub.missing.add("2025-09-28")  # HTTP 404, as the real API answers for some days
        hub.missing.add("2025-09-27")
        hub.days["2025-09-26"] = make_items(4, "2025-09-26", start=100)
        hub.days["2025-09-25"] = make_items(5, "2025-09-25", start=200)
        env = {"HF_ENDPOINT": hub.url, "no_proxy": "*"}
        with papers_tui("--date 2025-09-29", env=env) as terminal:
            terminal.wait_for("3/3 shown")
            terminal.keys("[")
            shown = terminal.wait_for("4/4 shown")
            assert "Daily Papers 2025-09-26" in shown
            assert "no list for 2025-09-28, 2025-09-27: showing 2025-09-26" in shown
            terminal.keys("[")
            terminal.wait_for("5/5 shown")
            terminal.keys("]")
            terminal.wait_for("4/4 shown")
            terminal.keys("]")
            assert "Daily Papers 2025-09-29" in terminal.wait_for("3/3 shown")
            terminal.keys("q")
            terminal.wait_for("EXITED 0")
    assert hub.pages_asked("2025-09-28") == [0, 0]  # once each way: a 404 is not retried


@pytest.mark.parametrize("form", ["json", "jsonl"])
def test_papers_show_while_stdin_stays_open_and_q_quits_at_once(
    tmp_path: Path, isolated_user_dirs: Path, form: str
):
    """`(cat day.json; sleep 60) | papers-tui -`: every paper read shows, q does not wait."""
    items = make_items(30 if form == "json" else 10)
    if form == "json":
        data = json.dumps(items)
    else:
        data = "".join(json.dumps(item) + "\n" for item in items)
    list_file = tmp_path / f"day.{form}"
    list_file.write_text(data, encoding="utf-8")
    # the shell's EXITED waits for the whole pipeline: the app says QUIT when it is done
    terminal = TmuxSession(f"(cat {list_file}; sleep 60) | {{ {PAPERS_TUI} -; echo QUIT $?; }}")
    try:
        count = len(items)
        terminal.wait_for(f"{count}/{count} shown")  # the pipe is still open
        terminal.keys("q")
        terminal.wait_for("QUIT 0", timeout=3)
    finally:
        terminal.close()


SCROLLBAR_CELLS = "▁▂▃▄▅▆▇█"
LIST_SEPARATOR = "▕"  # the list's right border, when the panes are side by side
LIST_BOTTOM = "▁▁▁▁▁▁▁▁▁▁"  # the list's bottom border, when the panes are stacked


def pane_rows(shown: str) -> list[str] | None:
    """The rows between the header and the filter bar (the status line under it may
    take more than one row); None while the screen is being redrawn (no filter bar)."""
    rows = shown.splitlines()
    filter_bar = [number for number, row in enumerate(rows) if row.startswith(" / ")]
    return rows[1 : filter_bar[0]] if filter_bar else None


def layout(shown: str) -> str | None:
    """ "side by side", "stacked", or None while the screen is being redrawn."""
    rows = pane_rows(shown)
    if rows is None:
        return None
    if any(LIST_SEPARATOR in row for row in rows):
        return "side by side"
    return "stacked" if any(row.startswith(LIST_BOTTOM) for row in rows) else None


def words_in(rows: list[str]) -> list[str]:
    return " ".join(row.rstrip(SCROLLBAR_CELLS + " ") for row in rows).split()


def detail_words(shown: str) -> list[str]:
    """The words of the detail pane: right of the list, or below it (stacked panes)."""
    rows = pane_rows(shown) or []
    if layout(shown) == "side by side":
        return words_in([row.split(LIST_SEPARATOR, 1)[1] for row in rows])
    below = next(number for number, row in enumerate(rows) if row.startswith(LIST_BOTTOM))
    return words_in(rows[below + 1 :])


def assert_shows_a_whole_start_of(words: list[str], paper: Paper, *, read: bool = False) -> None:
    """`words` are the start of the paper's text, ending with a whole word: a line that
    lost its end lacks characters where the text goes on. Compared as characters, as a
    word wider than the pane (a long link) folds onto the next row. `read`: whether the
    paper is shown read (reading it full-screen marks it read)."""
    from tui.widgets.detail import paper_blocks

    blocks = paper_blocks(paper, read=read, starred=False)
    expected = [word for block in blocks for line in block for word in line.plain.split()]
    shown = "".join(words)
    assert len(words) > 20 and shown == "".join(expected)[: len(shown)]
    assert len(shown) in set(accumulate(map(len, expected)))


def shows_the_first_paper(shown: str) -> bool:
    """All papers listed, and the detail pane has the first one (it may lag a frame)."""
    return "40/40 shown" in shown and len(detail_words(shown)) > 20


def first_sample_paper() -> Paper:
    from parsing.report import ParseReport
    from tui.core.feeds import SampleFeed

    return next(iter(SampleFeed().papers(ParseReport("sample"))))


@pytest.mark.parametrize("size", [(80, 24), (120, 35)], ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_detail_pane_and_the_reader_show_every_line_end(
    isolated_user_dirs: Path, size: tuple[int, int]
):
    paper = first_sample_paper()
    with papers_tui("--sample", *size) as terminal:
        shown = terminal.wait_until(shows_the_first_paper, "the first paper never showed")
        assert_shows_a_whole_start_of(detail_words(shown), paper)
        terminal.keys("Enter")
        terminal.wait_until(
            lambda shown: (
                "esc Back" in shown
                and whole_start_shown(words_in(shown.splitlines()[1:-1]), paper, read=True)
            ),
            "the reader never showed whole lines of the paper",
        )


def whole_start_shown(words: list[str], paper: Paper, *, read: bool = False) -> bool:
    """Whether `assert_shows_a_whole_start_of` holds: for waits, as a screen may be caught
    before the paper is shown (the reader shows it after its first frame) or, on Textual's
    stock rendering (`tui.render`), in the frame painted as the pane rewraps, before the
    relayout that moves its scrollbar: cut lines, redrawn at once."""
    with suppress(AssertionError):
        assert_shows_a_whole_start_of(words, paper, read=read)
        return True
    return False


def laid_out_whole(wanted: str, paper: Paper) -> Callable[[str], bool]:
    """A screen laid out `wanted` whose detail pane shows whole lines of `paper`."""
    return lambda shown: layout(shown) == wanted and whole_start_shown(detail_words(shown), paper)


def test_a_resize_lays_the_panes_out_for_the_new_size(isolated_user_dirs: Path):
    paper = first_sample_paper()
    with papers_tui("--sample", 120, 35) as terminal:
        terminal.wait_until(shows_the_first_paper, "the first paper never showed")
        terminal.resize(80, 30)
        terminal.wait_until(laid_out_whole("stacked", paper), "not stacked, whole, at 80")
        terminal.resize(200, 30)
        terminal.wait_until(laid_out_whole("side by side", paper), "stacked or cut at 200")


def test_the_app_ends_when_its_terminal_goes_away(isolated_user_dirs: Path):
    """The terminal closed under the app (a window closed, an ssh link dropped), here while
    it repaints after a resize: it saves its marks and ends, instead of waiting forever to
    write to a terminal that is gone. Three times, as the moment matters."""
    for attempt in range(1, 4):
        terminal = TmuxSession(f"{PAPERS_TUI} --sample", width=80, height=24, name=f"gone{attempt}")
        try:
            terminal.wait_for("40/40 shown")
            terminal.keys("j" * attempt, "s")
            terminal.wait_for(f"{attempt} ★")
            found = subprocess.run(["pgrep", "-P", terminal.pane_pid()], capture_output=True)
            [app] = found.stdout.split()
            terminal.resize(120, 30)
        finally:
            terminal.close()
        deadline = time.monotonic() + 10
        while Path(f"/proc/{int(app)}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        still_running = Path(f"/proc/{int(app)}").exists()
        if still_running:
            os.kill(int(app), signal.SIGKILL)
        assert not still_running, f"the app outlived its terminal (attempt {attempt})"
        marks = marks_on_disk(isolated_user_dirs)
        assert sum(1 for mark in marks.values() if mark.get("starred")) == attempt


def test_the_last_7_days_show_as_one_list(isolated_user_dirs: Path):
    today = datetime.now(UTC).date()
    with FakeHub() as hub:
        weekdays = fill_archive(hub, today - timedelta(days=6), today, per_day=2)
        env = {"HF_ENDPOINT": hub.url, "no_proxy": "*"}
        with papers_tui("--days 7", env=env) as terminal:
            count = 2 * len(weekdays)
            shown = terminal.wait_for(f"{count}/{count} shown")
            assert f"{today - timedelta(days=6)} … {today}" in shown
            for day in weekdays:  # each row names its day, newest first
                assert f" {day[5:]} Paper " in shown
            rows = [line for line in shown.splitlines() if " Paper " in line]
            assert f" {weekdays[-1][5:]} Paper " in rows[0]
            terminal.keys("q")
            terminal.wait_for("EXITED 0")
