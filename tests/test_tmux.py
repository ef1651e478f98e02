"""The real `papers-tui` command in a real terminal (tmux): type, read the screen, quit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hf_server import FakeHub, make_items

from parsing.model import Paper
from parsing.synthetic import render_text_copy

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

SESSION = "papers-tui-test"
COMMAND = Path(sys.executable).parent / "papers-tui"
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
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = screen()
        if (text in shown) != gone:
            return shown
        time.sleep(0.1)
    raise AssertionError(f"{text!r} {'stayed' if gone else 'never appeared'}:\n{screen()}")


def start(shell_command: str, env: dict[str, str] | None = None) -> None:
    """Run `shell_command` in a new 140x45 session, then say how it exited and linger."""
    names = {name: os.environ[name] for name in os.environ if name.startswith("XDG_")}
    env_args = [
        arg for name, value in (names | (env or {})).items() for arg in ("-e", f"{name}={value}")
    ]
    tmux(
        "new-session", "-d", "-s", SESSION, "-x", "140", "-y", "45", *env_args,
        f"{shell_command}; echo EXITED $?; sleep 30",
    )  # fmt: skip


@pytest.fixture
def session() -> Iterator[None]:
    """The tmux session of the test, killed at the end."""
    try:
        yield
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path, isolated_user_dirs: Path, session: None) -> Path:
    papers = [Paper(title, f"Plain abstract number {n}.") for n, title in enumerate(TITLES)]
    list_file = tmp_path / "list.txt"
    list_file.write_text(render_text_copy(papers, "Jan 2", with_metadata=False), encoding="utf-8")
    start(f"{COMMAND} --export-dir {tmp_path} {list_file}")
    return isolated_user_dirs


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


def test_brackets_step_over_days_without_a_list(session: None):
    with FakeHub() as hub:
        hub.days["2025-09-29"] = make_items(3, "2025-09-29")
        hub.missing.add("2025-09-28")  # HTTP 404, as the real API answers for some days
        hub.missing.add("2025-09-27")
        hub.days["2025-09-26"] = make_items(4, "2025-09-26", start=100)
        hub.days["2025-09-25"] = make_items(5, "2025-09-25", start=200)
        start(f"{COMMAND} --date 2025-09-29", {"HF_ENDPOINT": hub.url, "no_proxy": "*"})
        wait_for("3/3 shown")
        tmux("send-keys", "-t", SESSION, "[")
        shown = wait_for("4/4 shown")
        assert "Daily Papers 2025-09-26" in shown
        assert "no list for 2025-09-28, 2025-09-27: showing 2025-09-26" in shown
        tmux("send-keys", "-t", SESSION, "[")
        wait_for("5/5 shown")
        tmux("send-keys", "-t", SESSION, "]")
        wait_for("4/4 shown")
        tmux("send-keys", "-t", SESSION, "]")
        assert "Daily Papers 2025-09-29" in wait_for("3/3 shown")
        tmux("send-keys", "-t", SESSION, "q")
        wait_for("EXITED 0")
    assert hub.pages_asked("2025-09-28") == [0, 0]  # once each way: a 404 is not retried


@pytest.mark.parametrize("form", ["json", "jsonl"])
def test_papers_show_while_stdin_stays_open_and_q_quits_at_once(
    tmp_path: Path, session: None, form: str
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
    start(f"(cat {list_file}; sleep 60) | {{ {COMMAND} -; echo QUIT $?; }}")
    count = len(items)
    wait_for(f"{count}/{count} shown")  # the pipe is still open
    tmux("send-keys", "-t", SESSION, "q")
    wait_for("QUIT 0", timeout=3)
