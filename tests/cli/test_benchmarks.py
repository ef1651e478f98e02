"""The benchmark scripts run end to end on a few papers and print their tables (no timings
are checked: those are for `benchmarks/run.py` on the full size)."""

from __future__ import annotations

import subprocess
import sys

from locations import REPO


def run_script(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_paint_splits_a_frame_between_widgets_and_the_compositor() -> None:
    out = run_script("benchmarks/paint.py", "--papers", "300", "--presses", "4")
    assert "300 papers, 4 x pagedown (and back), per key:" in out
    for name in ("(compositor update)", "PaperList", "DetailPane"):
        assert name in out
    assert "41.0 lines" in out  # the list's rows on a 45-line terminal


def test_parse_compares_every_format_with_the_line_loop() -> None:
    out = run_script("benchmarks/parse.py", "--papers", "300", "--repeat", "1")
    rows = {line.split()[0] for line in out.splitlines()[2:-1]}
    assert rows == {"text", "text-meta", "json"}


def test_archive_measures_cached_on_a_generated_day_cache() -> None:
    out = run_script(
        "benchmarks/run.py", "--archive", "--days", "6", "--per-day", "4", "--marks", "20"
    )
    assert "archive: 6 days x 4 papers (24)" in out
    for figure in ("first rows painted, --cached", "every paper shown", "filter key", "peak"):
        assert figure in out
    assert "first rows, 20 marks not cached" in out
    assert "fetch of 6 days from a loopback server: 6 requests" in out
    assert "0 requests when fetched again" in out
