"""`benchmarks/run.py --archive`: `papers-tui --cached` on a generated archive of the Daily
Papers list (by default 900 days of 55 papers, in the API's shape, in a temporary day cache),
against the targets, with anchors from the same run:

- first rows painted after launch, against a blank Textual app (medians of `STARTUP_RUNS`
  interleaved launches, after one unmeasured launch that writes our bytecode);
- every paper shown (the app's loading done, seconds after launch), against decoding the
  same files with `json.load` (the best of three);
- filter key -> list shown, p95, over the archive: words, qualifiers and an `abs:` word, typed
  one key at a time, in `FILTER_SESSIONS` sessions of a fresh app each (the keys of all of
  them pooled: one session's 49 keys leave its p95 to its third slowest key);
- peak memory of the app that loads, indexes and filters once, against the JSON's size plus a
  blank app's;
- first rows painted with a state file of `--marks` marks (100,000) the state cache has not
  seen.

- `papers-tui fetch` of every day from a loopback server serving the archive (requests,
  seconds, the most requests at once; a second fetch should make none).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from benchmarks.run import (
    SIZE,
    STARTUP_RUNS,
    PaintClock,
    feed_of,
    filter_latencies,
    machine,
    now,
    observed_widgets,
    percentile,
    run_child,
    settle,
    write_marks,
)

NEWEST_DAY = date(2026, 11, 30)
ARCHIVE_QUERIES = ("mixture of experts", "okafor", "is:unread diff", "abs:routing")
JSON_LOADS = 3
FILTER_SESSIONS = 3


def write_archive(root: Path, days: int, per_day: int, seed: int) -> int:
    """`days` days of `per_day` papers each as a fetch leaves them in the day cache (the
    API's JSON and its parsed copy); the JSON's bytes."""
    from parsing.synthetic import generate, render_hf_json
    from tui.core.day_cache import DayCache

    cache = DayCache(root)
    papers = generate(days * per_day, seed)
    fetched_at = datetime.combine(NEWEST_DAY + timedelta(days=1), time(), UTC)
    for number in range(days):
        day = NEWEST_DAY - timedelta(days=number)
        text = render_hf_json(papers[number * per_day : (number + 1) * per_day], day)
        cache.write(day, json.loads(text), fetched_at)  # as a fetch writes it
    return sum(cache.path(day).stat().st_size for day in cache.days())


def json_load_seconds(root: Path) -> float:
    """The best time to decode every file of the archive with `json.load`."""
    best = float("inf")
    paths = sorted(root.glob("*.json"))
    for _ in range(JSON_LOADS):
        started = now()
        for path in paths:
            with path.open(encoding="utf-8") as file:
                json.load(file)
        best = min(best, now() - started)
    return best


async def filter_session(root: Path, folder: Path) -> list[float]:
    """ms from each filter key to the frame showing its list, the archive loaded."""
    from tui.app import PapersApp
    from tui.core.state.triage_state import TriageState

    clock = PaintClock()
    with observed_widgets(clock):
        state = TriageState.load(folder / "state.toml")
        app = PapersApp([feed_of(str(root))], state, export_dir=folder)
        clock.attach(app)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app)
            times = await filter_latencies(pilot, app, clock, ARCHIVE_QUERIES)
            await pilot.press("q")
    return times


class ArchiveServer(ThreadingHTTPServer):
    """The day cache's files served as the API serves days (`?date=`, one page: a day holds
    fewer papers than a page), counting the requests and the most answered at once."""

    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _ArchiveHandler)
        self.root = root
        self.requests = self.in_flight = self.most_in_flight = 0
        self.lock = threading.Lock()

    def counting(self, change: int) -> None:
        with self.lock:
            self.requests += change > 0
            self.in_flight += change
            self.most_in_flight = max(self.most_in_flight, self.in_flight)


class _ArchiveHandler(BaseHTTPRequestHandler):
    server: ArchiveServer

    def do_GET(self) -> None:
        self.server.counting(1)
        day = dict(parse_qsl(urlsplit(self.path).query)).get("date", "")
        path = self.server.root / f"{day}.json"
        found = day.count("-") == 2 and path.is_file()
        body = path.read_bytes() if found else b'{"error":"not found"}'
        self.server.counting(-1)  # before the answer: the client asks again once it has it
        self.send_response(200 if found else 404)  # (the status line alone, for a 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def fetch_figures(root: Path, days: int, folder: Path) -> dict[str, Any]:
    """`papers-tui fetch` of the archive's days from a loopback server that serves them, into
    an empty cache: requests, seconds, the most requests at once, then a second run's
    requests (every past day is cached: none)."""
    first, last = NEWEST_DAY - timedelta(days=days - 1), NEWEST_DAY
    command = [sys.executable, "-c", "from tui.cli import main; main()", "fetch"]
    command += ["--since", first.isoformat(), "--until", last.isoformat()]
    with ArchiveServer(root) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        environment = {
            **os.environ,
            "HF_ENDPOINT": f"http://127.0.0.1:{server.server_address[1]}",
            "XDG_CACHE_HOME": str(folder / "fetch-cache"),
        }
        started = now()
        subprocess.run(command, env=environment, capture_output=True, check=True)
        seconds = now() - started
        requests, most = server.requests, server.most_in_flight
        subprocess.run(command, env=environment, capture_output=True, check=True)
        again = server.requests - requests
        server.shutdown()
    return {
        "days": days,
        "requests": requests,
        "seconds": round(seconds, 2),
        "most_at_once": most,
        "requests_again": again,
    }


def measure_archive(
    days: int, per_day: int, marks: int, seed: int, log: Callable[[str], None]
) -> dict:
    with tempfile.TemporaryDirectory(prefix="papers-archive-") as name:
        folder = Path(name)
        for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            os.environ[variable] = str(folder / variable.lower())
        root = folder / "days"
        log(f"generating {days} days of {per_day} papers ...")
        json_bytes = write_archive(root, days, per_day, seed)
        no_state = folder / "no-state.toml"
        unseen_state = folder / "unseen" / "state.toml"
        log(f"a state file of {marks:,} marks ...")
        from parsing.synthetic import generate

        write_marks(unseen_state, generate(marks, seed + 1))
        log("json.load of every day ...")
        json_s = json_load_seconds(root)
        log("start-up and memory in child processes ...")
        run_child("app-paint", root, no_state)  # writes our bytecode
        blanks, launches, unseen = [], [], []
        for _ in range(STARTUP_RUNS):
            blanks.append(run_child("blank", root, no_state))
            launches.append(run_child("app-paint", root, no_state))
            unseen.append(run_child("app-unseen", root, unseen_state))
        full = run_child("app-full", root, no_state)
        log("filter (Pilot) ...")
        filter_ms: list[float] = []
        for _ in range(FILTER_SESSIONS):
            filter_ms += asyncio.run(filter_session(root, folder))
        log("fetch from a loopback server ...")  # last: it writes the archive again
        fetch = fetch_figures(root, days, folder)
        return {
            "json_mb": json_bytes / 1e6,
            "json_load_s": json_s,
            "blanks": blanks,
            "launches": launches,
            "unseen": unseen,
            "full": full,
            "filter_ms": filter_ms,
            "fetch": fetch,
        }


def archive_summary(raw: dict, days: int, per_day: int, marks: int) -> dict[str, Any]:
    blank_s = statistics.median(r["startup_s"] for r in raw["blanks"])
    blank_mb = statistics.median(r["peak_rss_mb"] for r in raw["blanks"])
    values = {
        "days": days,
        "papers": days * per_day,
        "json_mb": raw["json_mb"],
        "first_paint_s": statistics.median(r["startup_s"] for r in raw["launches"]),
        "blank_app_s": blank_s,
        "all_shown_s": raw["full"]["loaded_s"],
        "json_load_s": raw["json_load_s"],
        "filter_p95_ms": percentile(raw["filter_ms"], 0.95),
        "filter_p50_ms": percentile(raw["filter_ms"], 0.5),
        "filter_max_ms": max(raw["filter_ms"]),
        "filter_slowest": typed_keys()[raw["filter_ms"].index(max(raw["filter_ms"]))],
        "filter_keys": len(raw["filter_ms"]),
        "peak_rss_mb": raw["full"]["peak_rss_mb"],
        "blank_rss_mb": blank_mb,
        "unseen_marks": marks,
        "first_paint_unseen_state_s": statistics.median(r["startup_s"] for r in raw["unseen"]),
        "fetch": raw["fetch"],
    }
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in values.items()}


def typed_keys() -> list[str]:
    """What the filter showed after each key of the filter sessions, in order."""
    one_session = [query[:end] for query in ARCHIVE_QUERIES for end in range(1, len(query) + 1)]
    return one_session * FILTER_SESSIONS


def archive_rows(values: dict[str, Any]) -> list[tuple[str, str, str, str, bool]]:
    """(figure, measured, anchor, target, met) for each target."""
    blank, json_s = values["blank_app_s"], values["json_load_s"]
    memory_limit = 2 * values["json_mb"] + values["blank_rss_mb"]
    return [
        ("first rows painted, --cached", f"{values['first_paint_s']:.2f} s",
         f"blank app {blank:.2f} s", f"<= 1.5x blank ({1.5 * blank:.2f} s)",
         values["first_paint_s"] <= 1.5 * blank),
        ("every paper shown, after launch", f"{values['all_shown_s']:.2f} s",
         f"json.load {json_s:.2f} s", f"<= 3x json.load ({3 * json_s:.2f} s)",
         values["all_shown_s"] <= 3 * json_s),
        ("filter key -> list shown, p95", f"{values['filter_p95_ms']:.1f} ms", "",
         "<= 50 ms", values["filter_p95_ms"] <= 50),
        ("peak memory (RSS)", f"{values['peak_rss_mb']:.0f} MB",
         f"JSON {values['json_mb']:.0f} MB, blank {values['blank_rss_mb']:.0f} MB",
         f"<= {memory_limit:.0f} MB", values["peak_rss_mb"] <= memory_limit),
        (f"first rows, {values['unseen_marks']:,} marks not cached",
         f"{values['first_paint_unseen_state_s']:.2f} s", f"blank app {blank:.2f} s",
         f"<= 1.5x blank ({1.5 * blank:.2f} s)",
         values["first_paint_unseen_state_s"] <= 1.5 * blank),
    ]  # fmt: skip


def run_archive(
    days: int, per_day: int, marks: int, seed: int, as_json: bool, log: Callable[[str], None]
) -> None:
    started = now()
    raw = measure_archive(days, per_day, marks, seed, log)
    values = archive_summary(raw, days, per_day, marks)
    log(f"done in {now() - started:.0f} s")
    host = "machine: " + ", ".join(f"{name} {value}" for name, value in machine().items())
    if as_json:
        log(host)
        print(json.dumps(values))
        return
    print(host)
    print(
        f"archive: {days} days x {per_day} papers ({values['papers']:,}), "
        f"{values['json_mb']:.1f} MB of API JSON in the day cache"
    )
    print(f"\n{'figure':<36} {'measured':>10} {'anchor':>28}  {'target':<26} result")
    for label, measured, anchor, target, met in archive_rows(values):
        print(f"{label:<36} {measured:>10} {anchor:>28}  {target:<26} {'PASS' if met else 'FAIL'}")
    print(
        f"filter: {values['filter_keys']} keys in {FILTER_SESSIONS} sessions, "
        f"p50 {values['filter_p50_ms']:.1f} ms, slowest {values['filter_max_ms']:.1f} ms "
        f"({values['filter_slowest']!r})"
    )
    fetch = values["fetch"]
    print(
        f"fetch of {fetch['days']} days from a loopback server: {fetch['requests']} requests in "
        f"{fetch['seconds']:.1f} s, at most {fetch['most_at_once']} at once; "
        f"{fetch['requests_again']} requests when fetched again"
    )
