"""The read/star state across real processes: kill -9 mid-burst, two instances on one file,
a state file reached through a symlink."""

from __future__ import annotations

import os
import queue
import random
import signal
import stat
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest
from locations import SUPPORT

from parsing.model import Paper
from tui.core.state.triage_state import TriageState

DRIVER = SUPPORT / "state_driver.py"
KILLS = 50
STAGGER = 0.37  # a new driver every STAGGER seconds ...
BURST_TIME = (0.1, 1.9)  # ... killed this many seconds into its burst
SAVED_WITHIN = 1.0  # the promise: a mark is on disk a second after the call


class Driver:
    """tests/state_driver.py in a subprocess; its output is read by a thread."""

    def __init__(self, path: Path, *options: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(DRIVER), str(path), *options],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.marks: list[tuple[str, float]] = []  # (key, time the call returned)
        self.ready_at: float | None = None  # monotonic time it said "ready"
        self._lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            line = line.rstrip("\n")
            if line.startswith("marked "):
                key, marked_at = line.removeprefix("marked ").rsplit(" ", 1)
                self.marks.append((key, float(marked_at)))
            elif line == "ready":
                self.ready_at = time.monotonic()
            self._lines.put(line)

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def expect(self, prefix: str, timeout: float = 30.0) -> str:
        """The next line starting with `prefix` (other lines are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            if line.startswith(prefix):
                return line

    def ask(self, command: str, answer: str) -> str:
        self.send(command)
        return self.expect(answer)

    def kill(self) -> float:
        """SIGKILL; returns when it was sent, once all output before it is read."""
        killed_at = time.time()
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._reader.join()
        return killed_at

    def close(self) -> str:
        answer = self.ask("close", "closed")
        self.process.wait(timeout=30)
        return answer


def expected_mark(key: str) -> str:
    """Drivers mark paper n read when n is even, starred when odd."""
    return "starred" if int(key.rsplit(" ", 1)[1]) % 2 else "read"


def missing_marks(path: Path, required: dict[str, str]) -> list[str]:
    papers = tomllib.loads(path.read_text(encoding="utf-8"))["papers"] if path.exists() else {}
    return [key for key, kind in required.items() if papers.get(key, {}).get(kind) is not True]


def test_kill_9_keeps_every_mark_older_than_a_second(tmp_path: Path) -> None:
    path = tmp_path / "state.toml"
    chooser = random.Random(1123)
    required: dict[str, str] = {}
    running: dict[Driver, float] = {}  # driver -> seconds into its burst to kill it
    started = killed = 0
    next_start = time.monotonic()
    try:
        while killed < KILLS:
            now = time.monotonic()
            if started < KILLS and now >= next_start:
                driver = Driver(path, "--burst", f"run {started}", "--interval", "0.05")
                running[driver] = chooser.uniform(*BURST_TIME)
                started, next_start = started + 1, now + STAGGER
            for driver, delay in list(running.items()):
                if driver.ready_at is None or now < driver.ready_at + delay:
                    continue
                del running[driver]
                killed_at = driver.kill()
                killed += 1
                saved_by_now = killed_at - SAVED_WITHIN
                marked_at = {key: at for key, at in driver.marks if at < saved_by_now}
                required |= {key: expected_mark(key) for key in marked_at}
                missing = missing_marks(path, required)
                ages = sorted(killed_at - marked_at[key] for key in missing if key in marked_at)
                assert missing == [], f"kill {killed}: marks {ages} s old are not on disk"
            time.sleep(0.01)
    finally:  # a failed check leaves no driver marking forever
        for driver in running:
            driver.kill()

    assert len(required) > 50  # the kills did land in bursts that had been saving
    state = TriageState.load(path)
    assert state.notices == []
    assert all(getattr(state, f"is_{kind}")(key) for key, kind in required.items())
    state.set_read(Paper(title="After the last kill"), True)
    assert state.close().ok  # and its save swept the temporary files killed writers left
    assert sorted(item.name for item in tmp_path.iterdir()) == ["state.toml", "state.toml.lock"]


@pytest.mark.parametrize("first_to_quit", [0, 1])
def test_two_instances_marking_at_once_keep_every_mark(tmp_path: Path, first_to_quit: int) -> None:
    path = tmp_path / "state.toml"
    drivers = [Driver(path), Driver(path)]
    for driver in drivers:
        driver.expect("ready")
    for name, driver in zip("ab", drivers, strict=True):
        driver.send(f"burst {name} 120 0.002")
    for driver in drivers:
        driver.expect("done")

    quitting = drivers.pop(first_to_quit)
    assert quitting.close() == "closed ok"
    [staying] = drivers
    staying.ask("star Marked After The Other Quit", "marked")
    assert staying.close() == "closed ok"

    state = TriageState.load(path)
    keys = [f"{name} paper {number}" for name in "ab" for number in range(120)]
    assert [key for key in keys if not getattr(state, f"is_{expected_mark(key)}")(key)] == []
    assert state.is_starred(Paper(title="Marked After The Other Quit").key)
    assert state.marked_keys() == (120, 121)


def test_the_newest_change_to_a_paper_wins_whoever_saves_last(tmp_path: Path) -> None:
    path = tmp_path / "state.toml"
    first, second = Driver(path, "--no-saver"), Driver(path, "--no-saver")
    first.ask("star Shared Three", "marked")
    second.ask("unstar Shared Three", "marked")  # newer than the star: an unmark
    second.ask("read Shared Four", "marked")
    first.ask("unread Shared Four", "marked")  # newer than the read: an unmark
    assert first.marks[0][1] < second.marks[0][1] and second.marks[1][1] < first.marks[1][1]

    second.ask("flush", "flushed")
    first.ask("flush", "flushed")  # saves last, holding one older and one newer change
    second.ask("flush", "flushed")
    assert first.close() == second.close() == "closed ok"

    state = TriageState.load(path)
    three, four = Paper(title="Shared Three").key, Paper(title="Shared Four").key
    assert (state.is_read(three), state.is_starred(three)) == (False, False)
    assert (state.is_read(four), state.is_starred(four)) == (False, False)


def test_a_running_instance_sees_another_one_s_marks(tmp_path: Path) -> None:
    path = tmp_path / "state.toml"
    watcher = Driver(path, "--poll", "0.05")
    watcher.expect("ready")
    writer = Driver(path, "--no-saver")
    writer.ask("read Seen Elsewhere", "marked")
    writer.ask("flush", "flushed")
    watcher.expect("external")
    assert watcher.ask("show Seen Elsewhere", "shows") == "shows True False"
    assert writer.close() == watcher.close() == "closed ok"


def shows_until(
    driver: Driver, title: str, expected: str, command: str = "show", timeout: float = 10.0
) -> str:
    """What `driver` shows of `title` (`command`: `show` or `annotations`), asked until it is
    `expected` or `timeout` passed."""
    deadline = time.monotonic() + timeout
    answer = "shows" if command == "show" else command
    while True:
        shown = driver.ask(f"{command} {title}", answer)
        if shown == expected or time.monotonic() > deadline:
            return shown
        time.sleep(0.05)


@pytest.mark.parametrize("first_to_save", [0, 1])
def test_a_read_and_a_star_of_one_paper_in_two_instances_both_stay(
    tmp_path: Path, first_to_save: int
) -> None:
    path = tmp_path / "state.toml"
    drivers = [Driver(path, "--poll", "0.05"), Driver(path, "--poll", "0.05")]
    for driver in drivers:
        driver.expect("ready")
    drivers[0].ask("read Shared Paper", "marked")
    drivers[1].ask("star Shared Paper", "marked")  # well within 0.2 s of the read
    assert drivers[1].marks[0][1] - drivers[0].marks[0][1] < 0.2
    for driver in (drivers[first_to_save], drivers[1 - first_to_save]):
        driver.ask("flush", "flushed")

    assert [shows_until(driver, "Shared Paper", "shows True True") for driver in drivers] == [
        "shows True True"
    ] * 2
    assert [driver.close() for driver in drivers] == ["closed ok"] * 2
    key = Paper(title="Shared Paper").key
    entry = tomllib.loads(path.read_text(encoding="utf-8"))["papers"][key]
    assert (entry["read"], entry["starred"]) == (True, True)


def test_a_note_and_tags_of_one_paper_in_two_instances_both_stay(tmp_path: Path) -> None:
    path = tmp_path / "state.toml"
    drivers = [Driver(path, "--poll", "0.05"), Driver(path, "--poll", "0.05")]
    for driver in drivers:
        driver.expect("ready")
    drivers[0].ask("note Shared Paper|why it matters:\\n- **routing**", "marked")
    drivers[1].ask("tags Shared Paper|RL,agents", "marked")
    expected = "annotations 'why it matters:\\n- **routing**' rl,agents"
    assert [shows_until(driver, "Shared Paper", expected, "annotations") for driver in drivers] == [
        expected
    ] * 2
    assert [driver.close() for driver in drivers] == ["closed ok"] * 2
    entry = tomllib.loads(path.read_text(encoding="utf-8"))["papers"][
        Paper(title="Shared Paper").key
    ]
    assert (entry["note"], entry["tags"]) == ("why it matters:\n- **routing**", ["rl", "agents"])
    assert 'note = """' in path.read_text(encoding="utf-8")  # readable by hand


def test_a_state_file_reached_through_a_symlink_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "dotfiles" / "state.toml"
    target.parent.mkdir()
    before = TriageState.load(target)
    before.set_read(Paper(title="Read Before"), True)
    assert before.close().ok
    target.chmod(0o644)
    link = tmp_path / "config" / "state.toml"
    link.parent.mkdir()
    link.symlink_to(Path("..") / "dotfiles" / "state.toml")

    driver = Driver(link)
    driver.ask("star Starred Through The Link", "marked")
    assert driver.close() == "closed ok"

    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "dotfiles", "state.toml")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    papers = tomllib.loads(target.read_text(encoding="utf-8"))["papers"]
    assert papers[Paper(title="Read Before").key]["read"] is True
    assert papers[Paper(title="Starred Through The Link").key]["starred"] is True
    assert [item.name for item in link.parent.iterdir()] == ["state.toml"]  # lock and temp
    assert sorted(item.name for item in target.parent.iterdir()) == [
        "state.toml",
        "state.toml.lock",
    ]  # files go beside the target
