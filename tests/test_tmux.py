"""The real `papers-tui` command in a real terminal (tmux): type, read the screen, quit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import accumulate
from pathlib import Path

import pytest

from parsing.model import Paper
from parsing.synthetic import render_text_copy

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

SESSION = f"papers-tui-test-{os.getpid()}"  # one per test process: runs may overlap
TITLES = [
    "Sparse Mixture of Experts for Retrieval",
    "Diffusion Models for Protein Design",
    "Scaling Laws for Small Language Models",
    "Mixture of Depths in Transformers",
]


def tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", *args], check=True, capture_output=True, text=True, timeout=10
    ).stdout


def screen() -> str:
    return tmux("capture-pane", "-t", SESSION, "-p")


def wait_for(text: str, timeout: float = 10, *, gone: bool = False) -> str:
    """Wait until `text` is on screen (or, with `gone`, no longer on it)."""
    return wait_until_shown(
        lambda shown: (text in shown) != gone,
        f"{text!r} {'stayed' if gone else 'never appeared'}",
        timeout,
    )


def wait_until_shown(condition: Callable[[str], bool], what: str, timeout: float = 10) -> str:
    """Wait until the screen is one that `condition` accepts; fail saying `what` instead."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = screen()
        if condition(shown):
            return shown
        time.sleep(0.1)
    raise AssertionError(f"{what}:\n{screen()}")


@contextmanager
def papers_tui(arguments: str, width: int, height: int) -> Iterator[None]:
    """`papers-tui ARGUMENTS` in a tmux session of `width` x `height` (the test's XDG
    folders); after it exits, the pane shows `EXITED <code>`. Without COLUMNS and LINES,
    which the test process may have (80 and 24 under pytest) and a tmux server started by
    it passes on: Textual would take them for the terminal's size, and keep it."""
    command = Path(sys.executable).parent / "papers-tui"
    env = {name: os.environ[name] for name in os.environ if name.startswith("XDG_")}
    env_args = [arg for name, value in env.items() for arg in ("-e", f"{name}={value}")]
    tmux(
        "new-session", "-d", "-s", SESSION, "-x", str(width), "-y", str(height), *env_args,
        f"env -u COLUMNS -u LINES {command} {arguments}; echo EXITED $?; sleep 30",
    )  # fmt: skip
    try:
        yield
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path, isolated_user_dirs: Path):
    papers = [Paper(title, f"Plain abstract number {n}.") for n, title in enumerate(TITLES)]
    list_file = tmp_path / "list.txt"
    list_file.write_text(render_text_copy(papers, "Jan 2", with_metadata=False), encoding="utf-8")
    with papers_tui(f"--export-dir {tmp_path} {list_file}", 140, 45):
        yield isolated_user_dirs


def test_filter_triage_quit_and_state_on_disk(terminal: Path):
    wait_for("4/4 shown")
    tmux("send-keys", "-t", SESSION, "/", "mixture")
    shown = wait_for("2/4 shown")
    assert TITLES[1] not in shown.split("│")[0]
    tmux("send-keys", "-t", SESSION, "Enter", "s")
    wait_for("1 ★")
    tmux("send-keys", "-t", SESSION, "Escape")
    shown = wait_for("4/4 shown")
    assert "1 ★" in shown
    tmux("send-keys", "-t", SESSION, "j", "r", "?")
    wait_for("papers-tui keys")
    # Escape and q sent together would read as alt+q, as in any terminal
    tmux("send-keys", "-t", SESSION, "Escape")
    wait_for("papers-tui keys", gone=True)
    tmux("send-keys", "-t", SESSION, "q")
    wait_for("EXITED 0")
    state_file = terminal / "xdg_data_home" / "papers-tui" / "state.toml"
    marks = tomllib.loads(state_file.read_text(encoding="utf-8"))["papers"]
    starred = [key for key, mark in marks.items() if mark.get("starred")]
    read = [key for key, mark in marks.items() if mark.get("read")]
    assert len(starred) == 1 and len(read) == 1


@pytest.mark.parametrize("signal_name", ["TERM", "HUP"])
def test_a_signal_quits_cleanly_and_keeps_the_marks(terminal: Path, signal_name: str):
    wait_for("4/4 shown")
    tmux("send-keys", "-t", SESSION, "s", "j", "s")
    wait_for("2 ★")
    pid = tmux("display-message", "-p", "-t", SESSION, "#{pane_pid}").strip()
    children = subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True).stdout.split()
    assert children, "papers-tui is not running under the pane's shell"
    subprocess.run(["kill", f"-{signal_name}", *children], check=True)
    wait_for("EXITED 0")
    state_file = terminal / "xdg_data_home" / "papers-tui" / "state.toml"
    marks = tomllib.loads(state_file.read_text(encoding="utf-8"))["papers"]
    assert sum(1 for mark in marks.values() if mark.get("starred")) == 2


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


def assert_shows_a_whole_start_of(words: list[str], paper: Paper) -> None:
    """`words` are the start of the paper's text, ending with a whole word: a line that
    lost its end lacks characters where the text goes on. Compared as characters, as a
    word wider than the pane (a long link) folds onto the next row."""
    from tui.widgets.detail import paper_blocks

    blocks = paper_blocks(paper, read=False, starred=False)
    expected = [word for block in blocks for line in block for word in line.plain.split()]
    shown = "".join(words)
    assert len(words) > 20 and shown == "".join(expected)[: len(shown)]
    assert len(shown) in set(accumulate(map(len, expected)))


def first_sample_paper() -> Paper:
    from parsing.report import ParseReport
    from tui.feeds import SampleFeed

    return next(iter(SampleFeed().papers(ParseReport("sample"))))


@pytest.mark.parametrize("size", [(80, 24), (120, 35)], ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_detail_pane_and_the_reader_show_every_line_end(
    isolated_user_dirs: Path, size: tuple[int, int]
):
    paper = first_sample_paper()
    with papers_tui("--sample", *size):
        shown = wait_for("40/40 shown")
        assert_shows_a_whole_start_of(detail_words(shown), paper)
        tmux("send-keys", "-t", SESSION, "Enter")
        shown = wait_for("esc Back")
        assert_shows_a_whole_start_of(words_in(shown.splitlines()[1:-1]), paper)


def test_a_resize_lays_the_panes_out_for_the_new_size(isolated_user_dirs: Path):
    paper = first_sample_paper()
    with papers_tui("--sample", 120, 35):
        wait_for("40/40 shown")
        tmux("resize-window", "-t", SESSION, "-x", "80", "-y", "30")
        shown = wait_until_shown(lambda shown: layout(shown) == "stacked", "not stacked at 80")
        assert_shows_a_whole_start_of(detail_words(shown), paper)
        tmux("resize-window", "-t", SESSION, "-x", "200", "-y", "30")
        shown = wait_until_shown(lambda shown: layout(shown) == "side by side", "stacked at 200")
        assert_shows_a_whole_start_of(detail_words(shown), paper)
