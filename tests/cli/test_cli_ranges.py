"""Ranges of days on the command line (`list --week`, `export --month`, bad values) and
`papers-tui fetch`: progress, failures, Ctrl-C, and a fetch that resumes where it stopped."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from archive import fill_archive
from hf_server import FakeHub

from tui.core.day_range import parse_month, parse_week

SCRIPT = Path(sys.executable).parent / "papers-tui"
TIMEOUT = 30
PER_DAY = 2


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    monkeypatch.setenv("no_proxy", "*")
    with FakeHub() as server:
        fill_archive(server, date(2025, 12, 1), date(2026, 1, 31), PER_DAY)
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        yield server


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT
    )
    assert "Traceback" not in result.stderr
    return result


def cached_days(isolated_user_dirs: Path) -> set[str]:
    folder = isolated_user_dirs / "xdg_cache_home" / "papers-tui" / "days"
    return {path.stem for path in folder.glob("*.json")} if folder.exists() else set()


def test_list_a_week_across_the_year_newest_day_first(hub):
    result = cli("list", "--week", "2026-W01")
    assert result.returncode == 0, result.stderr
    days = [json.loads(line)["lists"] for line in result.stdout.splitlines()]
    weekdays = ["2026-01-02", "2026-01-01", "2025-12-31", "2025-12-30", "2025-12-29"]
    assert days == [[day] for day in weekdays for _ in range(PER_DAY)]
    assert result.stderr == ""
    assert sorted(hub.days_asked()) == sorted(str(d) for d in parse_week("2026-W01").days())


def test_export_a_month_with_a_failed_day_is_one_line_and_exit_1(hub):
    hub.failing.add("2026-01-14")
    result = cli("export", "--all", "--month", "2026-01")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("papers-tui: 2026-01-14: ")
    assert "## 2026-01-30\n" in result.stdout and "## 2026-01-14\n" not in result.stdout


@pytest.mark.parametrize(
    "options",
    [
        ["--days", "0"],
        ["--days", "seven"],
        ["--week", "2026-W60"],
        ["--month", "2026-13"],
        ["--since", "2026-02-30"],
        ["--until", "2026-01-01"],
        ["--since", "2026-01-05", "--until", "2026-01-01"],
        ["--date", "2026-01-05", "--days", "3"],
        ["--week", "2026-W01", "--month", "2026-01"],
    ],
)
@pytest.mark.parametrize("command", [["list"], ["export", "--all"], ["fetch"], []])
def test_a_bad_range_is_one_line_and_exit_2(options, command):
    result = cli(*command, *options)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("papers-tui: --")
    assert result.stdout == ""


def test_fetch_fills_the_cache_once_with_a_line_each_tenth(hub, isolated_user_dirs):
    month = parse_month("2025-12")
    result = cli("fetch", "--month", "2025-12")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[:-1] == [  # the first count to reach each tenth of 31 days
        f"papers-tui: fetched {-(-31 * tenth // 10)}/31 days ({tenth * 10}%)"
        for tenth in range(1, 11)
    ]
    summary = f"papers-tui: {month.label}: 31 days"
    assert lines[-1] == f"{summary}, 23 from the network, 8 without a list"
    assert cached_days(isolated_user_dirs) == {str(day) for day in month.days()}
    asked = len(hub.requests)
    again = cli("fetch", "--month", "2025-12")
    assert again.returncode == 0
    assert again.stderr.splitlines()[-1] == f"{summary}, 23 from the cache, 8 without a list"
    assert len(hub.requests) == asked  # a past day already complete is never asked again


def test_fetch_says_which_days_failed_and_exits_1(hub):
    hub.failing.update({"2026-01-06", "2026-01-07"})
    result = cli("fetch", "--since", "2026-01-05", "--until", "2026-01-09")
    assert result.returncode == 1
    failed = [line for line in result.stderr.splitlines() if "HTTP 500" in line]
    assert sorted(line.split(": ")[1] for line in failed) == ["2026-01-06", "2026-01-07"]
    assert result.stderr.splitlines()[-1].endswith("3 from the network, 2 failed")


def test_ctrl_c_keeps_what_was_fetched_and_the_next_fetch_resumes(hub, isolated_user_dirs):
    release = threading.Event()
    hub.held["2026-01-20"] = release  # the fetch goes on around this day, then waits for it
    with subprocess.Popen(
        [SCRIPT, "fetch", "--since", "2026-01-01", "--until", "2026-01-31"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    ) as process:
        deadline = time.monotonic() + TIMEOUT
        while len(cached_days(isolated_user_dirs)) < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 130
    assert b"Traceback" not in errors and b"KeyboardInterrupt" not in errors
    kept = cached_days(isolated_user_dirs)
    assert len(kept) >= 10 and "2026-01-20" not in kept
    release.set()
    asked_before = len(hub.days_asked())
    result = cli("fetch", "--since", "2026-01-01", "--until", "2026-01-31")
    assert result.returncode == 0, result.stderr
    asked_again = hub.days_asked()[asked_before:]
    assert not set(asked_again) & kept  # a complete past day is never asked twice
    assert "2026-01-20" in asked_again
    assert cached_days(isolated_user_dirs) >= {f"2026-01-{n:02d}" for n in range(1, 32)}


def test_days_without_a_number_catches_up_the_config_s_days(hub, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("catch_up_days = 3\n", encoding="utf-8")
    result = cli("fetch", "--days", "--config", str(config))
    assert result.returncode == 0, result.stderr
    asked = sorted(hub.days_asked())
    today = date.fromisoformat(asked[-1])
    assert asked == [str(date.fromordinal(today.toordinal() - back)) for back in (2, 1, 0)]
