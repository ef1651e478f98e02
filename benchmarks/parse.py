"""How fast the parsers read each input format, against a bare line loop over the same file.

    .venv/bin/python benchmarks/parse.py [--papers 100000] [--repeat 3] [--json]

For each format (text copy, text copy with metadata, Hugging Face JSON) it writes N
synthetic papers to a temporary file (see `write_inputs`), then measures the CPU time (best
of --repeat rounds that run each loop once, so that other processes on a shared machine
disturb it less, and disturb the loops compared alike):
- raw: `for line in open(path, encoding="utf-8"): pass`;
- parse: `list(read_path(path))`, as the app consumes a source;
- GC: the share of that parse time the cyclic garbage collector takes (the parse timed
  again with the collector off): its passes over the papers already read, which a list
  grows with (the app takes most of it out by freezing each batch it receives);
- paper(): building the same N `Paper` objects from their fields alone (the share of the
  parse spent in the model's constructor, which includes `paper_key`);
- peak: tracemalloc peak while parsing into a list, against the file size.
Targets: parse MB/s >= 1/3 of raw MB/s; peak memory < 2x the input size.
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parsing.model import Paper, paper_fields
from parsing.sources import read_path
from parsing.synthetic import generate, render
from tui.core.collector import collections_paused

FORMATS = ("text", "text-meta", "json")
SPEED_TARGET = 1 / 3
MEMORY_TARGET = 2.0


def best_times(actions: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """The least CPU time of each action over `repeat` rounds, in seconds.

    A round runs every action once, so that a busy spell on a shared machine slows all of
    them alike rather than the one that happened to run then. What an action returns is
    freed after the clock stops: the app keeps the papers it reads, so their teardown is
    no part of reading them.
    """
    best = dict.fromkeys(actions, float("inf"))
    for _ in range(repeat):
        for name, action in actions.items():
            gc.collect()
            start = time.process_time()
            result = action()
            best[name] = min(best[name], time.process_time() - start)
            del result
    return best


def raw_loop(path: Path) -> None:
    with open(path, encoding="utf-8") as stream:
        for _line in stream:
            pass


def parse_all(path: Path) -> list[Paper]:
    return list(read_path(str(path)))


def parse_without_collector(path: Path) -> list[Paper]:
    with collections_paused():
        return parse_all(path)


def field_rows(papers: list[Paper]) -> list[tuple[Any, ...]]:
    """The constructor arguments of each paper: its fields but `key`."""
    return [paper_fields(paper)[:-1] for paper in papers]


def construction_time(rows: list[tuple[Any, ...]]) -> float:
    """Seconds to build papers from their fields alone: the model's share of a parse."""
    gc.collect()
    start = time.process_time()
    rebuilt = [Paper(*row) for row in rows]
    seconds = time.process_time() - start
    del rebuilt
    return seconds


def peak_memory(path: Path) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        papers = parse_all(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del papers
    return peak


def measure(path: Path, expected: int, repeat: int) -> dict[str, Any]:
    size = path.stat().st_size
    parsed = len(parse_all(path))
    if parsed != expected:
        raise SystemExit(f"{path.name}: parsed {parsed} papers, expected {expected}")
    times = best_times(
        {
            "raw": lambda: raw_loop(path),
            "parse": lambda: parse_all(path),
            "parse_gc_off": lambda: parse_without_collector(path),
        },
        repeat,
    )
    raw, parse, parse_gc_off = times["raw"], times["parse"], times["parse_gc_off"]
    rows = field_rows(parse_all(path))
    construct = min(construction_time(rows) for _ in range(repeat))
    del rows
    peak = peak_memory(path)
    mb = size / 1e6
    return {
        "bytes": size,
        "papers": expected,
        "raw_s": raw,
        "parse_s": parse,
        "raw_mb_s": mb / raw,
        "parse_mb_s": mb / parse,
        "papers_per_s": expected / parse,
        "speed_ratio": raw / parse,
        "parse_gc_off_s": parse_gc_off,
        "gc_share": max(0.0, 1 - parse_gc_off / parse),
        "paper_constructor_s": construct,
        "parse_without_constructor_ratio": raw / max(parse - construct, 1e-9),
        "peak_bytes": peak,
        "peak_ratio": peak / size,
        "speed_target_met": raw / parse >= SPEED_TARGET,
        "memory_target_met": peak / size < MEMORY_TARGET,
    }


def write_inputs(folder: Path, count: int, seed: int) -> dict[str, Path]:
    """One file per format with the same `count` synthetic papers.

    The papers are gone when this returns: while the loops are timed the heap holds nothing
    else, since the garbage collector's full passes cost in proportion to all live objects
    and would charge the setup's leftovers to the parser.
    """
    papers = generate(count, seed)
    paths = {fmt: folder / f"papers-{fmt}.txt" for fmt in FORMATS}
    for fmt, path in paths.items():
        path.write_text(render(papers, fmt), encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000, help="papers per format")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best kept)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="papers-bench-") as folder:
        paths = write_inputs(Path(folder), args.papers, args.seed)
        for fmt, path in paths.items():
            results[fmt] = measure(path, args.papers, args.repeat)
            path.unlink()
    report = {"papers": args.papers, "repeat": args.repeat, "formats": results}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)


def print_table(report: dict[str, Any]) -> None:
    print(f"{report['papers']:,} papers per format, best of {report['repeat']} runs")
    header = (
        f"{'format':<10} {'MB':>7} {'raw MB/s':>9} {'parse MB/s':>10} {'papers/s':>10} "
        f"{'ratio':>6} {'GC':>4} {'Paper() s':>9} {'peak MB':>8} {'peak/in':>7}"
    )
    print(header)
    for fmt, row in report["formats"].items():
        print(
            f"{fmt:<10} {row['bytes'] / 1e6:>7.1f} {row['raw_mb_s']:>9.0f} "
            f"{row['parse_mb_s']:>10.0f} {row['papers_per_s']:>10,.0f} "
            f"{row['speed_ratio']:>6.2f} {row['gc_share']:>4.0%} "
            f"{row['paper_constructor_s']:>9.2f} {row['peak_bytes'] / 1e6:>8.1f} "
            f"{row['peak_ratio']:>7.2f}"
        )
    print(f"targets: ratio >= {SPEED_TARGET:.2f}, peak/in < {MEMORY_TARGET:.1f}")


if __name__ == "__main__":
    main()
