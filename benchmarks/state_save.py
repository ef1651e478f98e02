"""Cost of the read/star state at scale: UI-thread time of a toggle, background save, load.

    python benchmarks/state_save.py [--papers N] [--toggles N] [--json]

Every paper is marked read and every tenth is starred with a snapshot (a ~1,000-character
abstract). Toggles run while the saver thread writes in the background and, halfway through,
while it merges a save by a second instance (a full parse of the file): the worst case.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsing.model import Paper
from tui.state import TriageState

ABSTRACT = " ".join(f"token{i % 97}" for i in range(110))
NAMES = ("Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov")


def synthetic_paper(number: int) -> Paper:
    return Paper(
        title=f"Synthetic paper number {number} on scalable triage",
        abstract=ABSTRACT,
        authors=len(NAMES),
        author_names=NAMES,
        upvotes=number % 50,
        lists=("Mar 14",),
        arxiv_id=f"2503.{number:05d}",
    )


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[round(share * 100) - 1]


def toggle_times(state: TriageState, papers: list[Paper], count: int) -> list[float]:
    """UI-thread seconds of `count` toggles, 2 ms apart, while the saver works."""
    times = []
    for number in range(count):
        paper = papers[number % len(papers)]
        started = time.perf_counter()
        state.set_read(paper, not state.is_read(paper.key))
        times.append(time.perf_counter() - started)
        time.sleep(0.002)
    return times


def run(paper_count: int, toggle_count: int) -> dict[str, float | int]:
    papers = [synthetic_paper(number) for number in range(paper_count)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.toml"
        state = TriageState.load(path)
        fill = timed(lambda: [state.set_read(paper, True) for paper in papers])
        for paper in papers[::10]:
            state.set_starred(paper, True)
        first_save = timed(state.flush)
        state.set_read(papers[0], False)
        one_change_save = timed(state.flush)
        other = TriageState.load(path)
        load = timed(lambda: TriageState.load(path))
        other.set_starred(papers[1], True)
        other.flush()
        state.set_read(papers[2], False)
        merge_save = timed(state.flush)

        state.start()
        calm = toggle_times(state, papers, toggle_count // 2)
        other.set_read(papers[3], False)
        other.flush()  # the saver's next poll parses the whole file while toggles go on
        busy = toggle_times(state, papers, toggle_count - toggle_count // 2)
        closed = state.close()
        other.close()
        assert closed.ok, closed.message
        toggles = calm + busy
        return {
            "papers": paper_count,
            "starred": len(papers[::10]),
            "file_bytes": path.stat().st_size,
            "mark_all_per_call_us": fill / paper_count * 1e6,
            "toggles": len(toggles),
            "toggle_p50_ms": percentile(toggles, 0.50) * 1e3,
            "toggle_p95_ms": percentile(toggles, 0.95) * 1e3,
            "toggle_max_ms": max(toggles) * 1e3,
            "toggle_max_during_merge_ms": max(busy) * 1e3,
            "save_first_s": first_save,
            "save_one_change_s": one_change_save,
            "save_after_other_instance_s": merge_save,
            "load_s": load,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000, help="marked papers")
    parser.add_argument("--toggles", type=int, default=2000, help="timed toggles")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    results = run(args.papers, args.toggles)
    if args.json:
        print(json.dumps(results))
        return
    for name, value in results.items():
        print(f"{name:30} {value:,.3f}" if isinstance(value, float) else f"{name:30} {value:,}")


if __name__ == "__main__":
    main()
