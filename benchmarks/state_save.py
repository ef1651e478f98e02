"""Cost of the read/star state at scale: start-up load, a toggle, the save behind it.

    python benchmarks/state_save.py [--read N] [--starred N] [--saves N] [--json]

The state is what `benchmarks/run.py` makes: N papers marked read, and N of them also starred
with a snapshot (~1,200-character abstracts), about 8 MB of TOML for 50,000 and 1,000. The
cache goes to a temporary XDG_CACHE_HOME. Measured:

- load: `TriageState.load` in a fresh process, as at the app's start, cold (no cache: the TOML
  is parsed) and warm (cache valid), with the garbage collection it sets off right after;
- a star toggle's UI-thread time, and the stall it causes: the longest 1 ms sleep of an asyncio
  loop in the main thread (the loop could not run meanwhile) from the toggle until `TAIL`
  after the saver replaced the state file, over `--saves` saves; beside it the same loop's
  longest sleep in `TAIL` with the saver idle (what the machine's other load costs);
- the stall while the saver writes the cache, which it does once the saves pause;
- the stall while the saver merges a save of a second instance (found by polling).

Worst cases on a shared machine include other processes' load: compare them with the idle one.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsing.model import Paper
from parsing.synthetic import generate

POLL = 0.05  # seconds between polls of the second instance's saves (the app polls every 1 s)
LOADS = 10  # warm loads timed (each in a fresh process)
TAIL = 0.2  # seconds watched after the state file was replaced: the saver's work after it
CACHE_WRITES = 3  # timed writes of the cache
COLD_LOADS = 2


def signature(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_mtime_ns


def files_in(folder: Path) -> dict[Path, tuple[int, int] | None]:
    return {path: signature(path) for path in folder.rglob("*") if path.is_file()}


async def longest_stall(done: Callable[[], bool], timeout: float = 10.0) -> float:
    """Longest time in ms that a 1 ms sleep of this event loop took, until `done()`.

    Only the sleep is timed: `done()` makes system calls, and each one gives up the
    interpreter lock, which a busy saver thread can hold for up to a switch interval (5 ms)
    before handing it back; that is the probe's cost, not the event loop's.
    """
    worst, deadline = 0.0, time.perf_counter() + timeout
    while not done() and time.perf_counter() < deadline:
        started = time.perf_counter()
        await asyncio.sleep(0.001)
        worst = max(worst, time.perf_counter() - started)
    return worst * 1000


def make_state(path: Path, read: int, starred: int) -> None:
    from tui.core.state.triage_state import TriageState

    papers = generate(read, seed=1)
    state = TriageState.load(path)
    for paper in papers:
        state.set_read(paper, True)
    for paper in papers[:: max(1, read // starred)][:starred]:
        state.set_starred(paper, True)
    state.flush()


def load_times(path: Path, cache_folder: Path) -> tuple[list[float], list[float]]:
    """Seconds of `TriageState.load` in fresh processes, as at the app's start: cold (the cache
    removed first), then warm."""
    cold = []
    for _ in range(COLD_LOADS):
        for cached in files_in(cache_folder):
            cached.unlink()
        cold.append(load_in_child(path))
    warm = [load_in_child(path) for _ in range(LOADS)]
    return cold, warm


def load_in_child(path: Path) -> float:
    command = [sys.executable, __file__, "--child-load", str(path)]
    return float(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def child_load(path: Path) -> None:
    """Print the seconds of one load, with the young-generation garbage collection that the
    objects it made set off at the next allocation (it happens right after, in the app)."""
    from tui.core.state.triage_state import TriageState

    started = time.perf_counter()
    state = TriageState.load(path)
    gc.collect(0)
    elapsed = time.perf_counter() - started
    assert state.notices == [], state.notices
    print(elapsed)


async def save_stalls(path: Path, cache_folder: Path, saves: int) -> dict[str, list[float]]:
    """Per save: the toggle's UI-thread ms, the stall while saving, and the stall while idle;
    then per cache write (the saver writes the cache once saves pause): the stall."""
    from tui.core.state.triage_state import TriageState

    state = TriageState.load(path)
    paper = generate(1, seed=1)[0]
    state.start()
    keys, stalls, idle, save_s, cache = [], [], [], [], []
    for number in range(saves + CACHE_WRITES):
        before = signature(path)
        started = time.perf_counter()
        state.set_starred(paper, not state.is_starred(paper.key))
        keys.append((time.perf_counter() - started) * 1000)
        writing = await longest_stall(lambda before=before: signature(path) != before)
        save_s.append(time.perf_counter() - started)
        after = await longest_stall(lambda: False, timeout=TAIL)
        stalls.append(max(writing, after))
        idle.append(await longest_stall(lambda: False, timeout=TAIL))
        if number >= saves:  # let the saves pause until the cache is written
            cached = files_in(cache_folder)
            writing = await longest_stall(lambda cached=cached: files_in(cache_folder) != cached)
            if files_in(cache_folder) != cached:
                cache.append(max(writing, await longest_stall(lambda: False, timeout=TAIL)))
    state.close()
    return {
        "key_ms": keys,
        "stall_ms": stalls,
        "idle_ms": idle,
        "save_s": save_s,
        "cache_stall_ms": cache,
    }


async def merge_stalls(path: Path, saves: int) -> list[float]:
    """The stall while this instance merges each of `saves` saves of a second one."""
    from tui.core.state.saver import SaverTiming
    from tui.core.state.triage_state import TriageState

    state = TriageState.load(path, timing=SaverTiming(poll=POLL))
    other = TriageState.load(path)
    papers = [Paper(title=f"Marked by another instance {number}") for number in range(saves)]
    merged: list[int] = []
    state.start(on_external_change=lambda: merged.append(1))
    stalls = []
    for paper in papers:
        other.set_read(paper, True)
        other.flush()
        count = len(merged)
        stalls.append(await longest_stall(lambda count=count: len(merged) > count))
        await asyncio.sleep(0.1)
    state.close()
    other.close()
    return stalls


def run(read: int, starred: int, saves: int) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory() as folder:
        cache_folder = Path(folder) / "cache"
        os.environ["XDG_CACHE_HOME"] = str(cache_folder)
        path = Path(folder) / "data" / "state.toml"
        make_state(path, read, starred)
        cold, warm = load_times(path, cache_folder)
        save = asyncio.run(save_stalls(path, cache_folder, saves))
        cache_stalls = save["cache_stall_ms"] or [float("nan")]  # no cache: nothing written
        merge = asyncio.run(merge_stalls(path, saves))
        return {
            "read": read,
            "starred": starred,
            "file_mb": path.stat().st_size / 1e6,
            "load_cold_s": min(cold),
            "load_warm_ms_best": min(warm) * 1000,
            "load_warm_ms_median": statistics.median(warm) * 1000,
            "toggle_key_ms_max": max(save["key_ms"]),
            "save_s_median": statistics.median(save["save_s"]),
            "save_stall_ms_best": min(save["stall_ms"]),
            "save_stall_ms_median": statistics.median(save["stall_ms"]),
            "save_stall_ms_worst": max(save["stall_ms"]),
            "cache_write_stall_ms_worst": max(cache_stalls),
            "idle_stall_ms_median": statistics.median(save["idle_ms"]),
            "idle_stall_ms_worst": max(save["idle_ms"]),
            "merge_stall_ms_median": statistics.median(merge),
            "merge_stall_ms_worst": max(merge),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--read", type=int, default=50_000, help="papers marked read")
    parser.add_argument("--starred", type=int, default=1_000, help="of those, starred")
    parser.add_argument("--saves", type=int, default=10, help="timed saves and merges")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--child-load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_load:
        child_load(Path(args.child_load))
        return
    results = run(args.read, args.starred, args.saves)
    if args.json:
        print(json.dumps(results))
        return
    for name, value in results.items():
        print(f"{name:24} {value:,.3f}" if isinstance(value, float) else f"{name:24} {value:,}")


if __name__ == "__main__":
    main()
