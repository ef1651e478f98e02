"""End-to-end benchmark: the real app at 100,000 papers, measured against the targets.

    .venv/bin/python benchmarks/run.py [--papers 100000] [--read-share 0.5] [--json]

Generates seeded synthetic papers (`parsing.synthetic`, realistic titles and ~1,200-character
abstracts) as a page copy with metadata, and a state file in which a share of them is read
(and one in a hundred starred), then measures, with anchors taken in the same run:

- first paint: seconds from spawning a child process until the frame that holds the first
  paper rows (the child does what `papers-tui FILE` does: load the state, start the app),
  against a blank Textual app's first frame; the median of seven launches each, interleaved,
  after one unmeasured launch that writes our bytecode and the state's cache, as any earlier
  use would have (and, as a detail, launches with an empty state: what the state file costs);
- first paint with a state file the state cache has not seen (a sync tool or a hand edit
  changed it): as above, with a state of `UNSEEN_MARKS` marks whose cache is removed before
  each launch, against the same blank app;
- filter: key press -> the frame showing that key's list, over the queries typed one key
  at a time in `benchmarks/filter.py` (p95), against `fzf --filter` on the same titles;
- cursor: key press -> the frame in which the list and the detail pane are repainted (p95);
- typing while filters run: the filter queries typed and erased, one key every 40 ms sent
  from another thread (as a terminal's input thread does), from the first paint on (while
  the list loads and is indexed) and again once all is indexed; a key's delay runs from
  when it was due until the app's Input.Changed handler saw its change; keys never handled
  and changes that differ from what the keys typed so far (keys out of order) are counted;
- parse: `list(read_path(...))` MB/s against a bare `for line in file` loop, the best of
  five rounds that run each once (`benchmarks/parse.py`);
- peak memory: the peak RSS of the child that loads, indexes and filters once, against a
  blank app's;
- one mark saved: key press -> repainted, plus the longest stall of the event loop while the
  saver thread writes the state file.

The app runs under `App.run_test()` (headless); frames are timestamped in `App._display`,
which here also encodes each update for the terminal, as it would with a real one.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZE = (140, 45)
LIST_LABEL = "Mar 14"
STARTUP_RUNS = 7
PARSE_ROUNDS = 5  # rounds of (line loop, parse); the best time of each is kept
TYPING_INTERVAL = 0.04  # seconds between keys: 25 keys/s, faster than anyone types
KEY_REPEAT_GAP = 0.04  # pause after each measured cursor key (a held key repeats ~25/s)
SAVE_TOGGLES = 3
FIRST_FILTER = "diffusion"
CURSOR_KEYS = (
    ["j"] * 60 + ["pagedown"] * 10 + ["k"] * 20 + ["pageup"] * 10 + ["G", "k", "g", "end", "home"]
)
TIMEOUT = 180.0
UNSEEN_MARKS = 100_000  # marks of the state file the state cache has not seen
now = time.monotonic  # one clock for this process and its children (system-wide on Linux)

JSON_KEYS = (
    "papers", "input_mb", "first_paint_s", "first_paint_unseen_state_s", "blank_app_s",
    "filter_p95_ms", "cursor_p95_ms",
    "typing_max_delay_ms", "parse_mb_s", "raw_loop_mb_s", "peak_rss_mb", "blank_rss_mb",
    "save_ui_ms", "fzf_filter_ms",
)  # fmt: skip


# -- frames ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """One screen update: when it was written and what it showed that was new."""

    time: float
    flags: frozenset[str]  # "rows", "detail", "view:<generation>"


class PaintClock:
    """Timestamps every frame the app writes, with what the paper list did before it."""

    def __init__(self) -> None:
        self.frames: list[Frame] = []
        self._flags: set[str] = set()
        self._new_frame: asyncio.Event | None = None

    def note(self, flag: str) -> None:
        self._flags.add(flag)

    def attach(self, app: Any) -> None:
        """Wrap `app._display`: encode the update as for a terminal, then record the frame."""
        display = app._display

        def timed_display(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is None:
                return
            if app.is_headless and hasattr(renderable, "render_segments"):
                renderable.render_segments(app.console)
            self.frames.append(Frame(now(), frozenset(self._flags)))
            self._flags.clear()
            if self._new_frame is not None:
                self._new_frame.set()

        app._display = timed_display

    async def wait_for(self, start: int, needs: set[str], timeout: float = TIMEOUT) -> Frame:
        """The frame (from index `start`) by which every flag in `needs` has been shown."""
        missing = set(needs)
        index = start
        deadline = now() + timeout
        while True:
            while index < len(self.frames):
                frame = self.frames[index]
                index += 1
                missing -= frame.flags
                if not missing:
                    return frame
            if now() > deadline:
                raise TimeoutError(f"no frame showed {sorted(missing)} within {timeout:g} s")
            self._new_frame = asyncio.Event()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_frame.wait(), deadline - now())


@contextlib.contextmanager
def observed_widgets(clock: PaintClock) -> Iterator[None]:
    """Note in `clock` when paper rows are painted, a filter's view is applied (or found to
    be the one shown), the detail pane shown."""
    from tui.app import PapersApp
    from tui.widgets.detail import DetailPane
    from tui.widgets.paper_list import PaperList

    render_line, view_ready, show = PaperList.render_line, PapersApp.on_view_ready, DetailPane.show

    def observed_render_line(self: PaperList, y: int) -> Any:
        if y + round(self.scroll_y) < len(self.view) * self.lines_per_paper:
            clock.note("rows")
        return render_line(self, y)

    def observed_view_ready(self: PapersApp, event: Any) -> None:
        view_ready(self, event)
        if event.generation == self.generation:
            clock.note(f"view:{self.generation}")

    def observed_show(self: DetailPane, *args: Any, **kwargs: Any) -> None:
        show(self, *args, **kwargs)
        clock.note("detail")

    PaperList.render_line = observed_render_line  # type: ignore[method-assign]
    PapersApp.on_view_ready = observed_view_ready  # type: ignore[method-assign]
    DetailPane.show = observed_show  # type: ignore[method-assign]
    try:
        yield
    finally:
        PaperList.render_line = render_line  # type: ignore[method-assign]
        PapersApp.on_view_ready = view_ready  # type: ignore[method-assign]
        DetailPane.show = show  # type: ignore[method-assign]


# -- helpers -----------------------------------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak resident set size.

    Linux: VmHWM, since `ru_maxrss` survives `exec` and would report the parent's peak
    at the time of the fork. Elsewhere `ru_maxrss` (bytes on macOS).
    """
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def until(condition: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    deadline = now() + timeout
    while not condition():
        if now() > deadline:
            raise TimeoutError(f"gave up waiting after {timeout:g} s")
        await asyncio.sleep(0.005)


async def settle(app: Any) -> None:
    """Until every paper is loaded and no filter is being computed."""
    await until(lambda: not app.loading and not app.workers)


def key_event_args(char: str) -> tuple[str, str | None]:
    """The Textual key name and character of one typed character ("\b" is backspace)."""
    if char == "\b":
        return "backspace", None
    if char.isalnum():
        return char, char
    return unicodedata.name(char).lower().replace(" ", "_").replace("-", "_"), char


# -- child processes: start-up and memory ------------------------------------------------


def child_main(kind: str, input_path: str, state_path: str) -> None:
    """Run one app headless, print one JSON line: when the first rows were painted, RSS."""
    result = asyncio.run(_child_session(kind, input_path, state_path))
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result), flush=True)


async def _child_session(kind: str, input_path: str, state_path: str) -> dict[str, Any]:
    clock = PaintClock()
    if kind == "blank":
        from textual.app import App

        app = App()
        clock.attach(app)
        async with app.run_test(size=SIZE) as pilot:
            frame = await clock.wait_for(0, set())
            await pilot.pause(0.2)
        return {"painted_at": frame.time}

    from tui.app import PapersApp
    from tui.core.paths import state_cache_path
    from tui.core.state.triage_state import TriageState

    if kind == "app-unseen":
        state_cache_path(Path(state_path)).unlink(missing_ok=True)
    with observed_widgets(clock), tempfile.TemporaryDirectory() as folder:
        # as `papers-tui FILE` does, then the app
        state = TriageState.load(Path(state_path), parse_later=True)
        papers = PapersApp([feed_of(input_path)], state, export_dir=Path(folder))
        clock.attach(papers)
        async with papers.run_test(size=SIZE) as pilot:
            frame = await clock.wait_for(0, {"rows"})
            result: dict[str, Any] = {"painted_at": frame.time}
            if kind == "app-full":
                await until(lambda: not papers.loading)
                result["loaded_at"] = now()
                result["rss_loaded_mb"] = peak_rss_mb()
                await settle(papers)
                result["indexed_at"] = now()
                result["rss_indexed_mb"] = peak_rss_mb()
                start, first, generation = len(clock.frames), now(), papers.generation
                papers.query_one("#filter").value = FIRST_FILTER  # one change, as a paste
                await until(lambda: papers.generation > generation)
                shown = await clock.wait_for(start, {f"view:{papers.generation}"})
                result["first_filter_s"] = shown.time - first
                result["first_filter_count"] = len(papers.paper_list.view)
            await pilot.press("q")  # as a user quits (leaving `run_test` while loading differs)
        return result


def feed_of(input_path: str) -> Any:
    """The feed of a benchmark's input: a list file, or a day cache folder (`--cached`)."""
    from tui.core.feeds import CachedFeed, FileFeed

    if Path(input_path).is_dir():
        from tui.core.day_cache import DayCache

        return CachedFeed(cache=DayCache(Path(input_path)))
    return FileFeed(input_path)


def run_child(kind: str, input_path: Path, state_path: Path) -> dict[str, Any]:
    """Spawn `kind` in a fresh interpreter; its report, with start-up seconds added."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind]
    command += ["--input", str(input_path), "--state", str(state_path)]
    # Bytecode is written and used, as for an installed app, even where the environment
    # turns it off: the blank app's Textual modules come compiled with their install.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    started = now()
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, env=env
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise SystemExit(f"child {kind} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    report = json.loads(lines[-1])
    report["startup_s"] = report["painted_at"] - started
    for name in ("loaded_at", "indexed_at"):
        if name in report:
            report[name.replace("_at", "_s")] = report[name] - started
    return report


# -- the interactive session (Pilot, in this process) ------------------------------------


@dataclass
class Session:
    typing_cold: Typing = field(default_factory=lambda: Typing([], 0, 0))  # loading, indexing
    typing_warm: Typing = field(default_factory=lambda: Typing([], 0, 0))  # all loaded, indexed
    filter_ms: list[float] = field(default_factory=list)
    cursor_ms: list[float] = field(default_factory=list)
    cursor_list_ms: list[float] = field(default_factory=list)
    cursor_tldr_ms: list[float] = field(default_factory=list)  # with the TL;DR rows (`T`)
    save_key_ms: list[float] = field(default_factory=list)
    save_stall_ms: list[float] = field(default_factory=list)
    save_s: list[float] = field(default_factory=list)
    idle_stall_ms: float = 0.0
    cold_typing_end: str = ""  # how far loading and indexing were when the cold typing ended


def typing_script(queries: tuple[str, ...]) -> str:
    """Each query typed, then erased with backspaces ("\b")."""
    return "".join(query + "\b" * len(query) for query in queries)


@dataclass
class Typing:
    """Keys sent at a steady pace: each key's delay in ms (for a key never handled, until the
    wait ended), how many were never handled, and how many changes of the filter text
    differed from what the keys typed so far had to make (keys handled out of order)."""

    delays: list[float]
    lost: int
    out_of_order: int


async def type_steadily(app: Any, script: str, interval: float) -> Typing:
    """Send `script` from another thread, one key every `interval` s, as a terminal's input
    thread does. A key is handled when the app's filter handler sees the change it made."""
    from textual import events

    import tui.app

    handled: list[tuple[float, str]] = []
    parse_query = tui.app.parse_query  # called by the app's Input.Changed handler, only there

    def observed_parse_query(text: str) -> Any:
        handled.append((now(), text))
        return parse_query(text)

    def send(start: float) -> None:
        for number, char in enumerate(script):
            time.sleep(max(0.0, start + number * interval - now()))
            event = events.Key(*key_event_args(char))
            event.set_sender(app)
            app.post_message(event)

    tui.app.parse_query = observed_parse_query
    start = now() + 0.05
    sender = threading.Thread(target=send, args=(start,), daemon=True)
    sender.start()
    try:
        await until(lambda: len(handled) >= len(script), len(script) * interval + 30)
    except TimeoutError:
        pass  # the keys never handled count as lost
    finally:
        sender.join()
        tui.app.parse_query = parse_query
    ended = now()
    due = [start + number * interval for number in range(len(script))]
    times = [handled_at for handled_at, _ in handled][: len(script)]
    lost = len(script) - len(times)
    delays = [(t - d) * 1000 for t, d in zip(times + [ended] * lost, due, strict=True)]
    wanted = _values_typed(script)
    wrong = sum(value != seen for value, (_, seen) in zip(wanted, handled, strict=False))
    return Typing(delays, lost, wrong)


def _values_typed(script: str) -> list[str]:
    """The text after each key of a run of characters and backspaces ("\b")."""
    values, value = [], ""
    for char in script:
        value = value[:-1] if char == "\b" else value + char
        values.append(value)
    return values


async def filter_latencies(pilot: Any, app: Any, clock: PaintClock, queries: tuple[str, ...]):
    """Type each query one key at a time; ms from each key to the frame showing its list."""
    times: list[float] = []
    for query in queries:
        await pilot.press("slash")
        for char in query:
            start, sent = len(clock.frames), now()
            generation = app.generation
            await pilot.press(char)
            await until(lambda g=generation: app.generation > g, 10)
            frame = await clock.wait_for(start, {f"view:{app.generation}"})
            times.append((frame.time - sent) * 1000)
        await pilot.press("escape")
        await settle(app)
    return times


async def cursor_latencies(pilot: Any, clock: PaintClock) -> tuple[list[float], list[float]]:
    """ms from each cursor key to the frame with the list repainted, and with the detail too."""
    full: list[float] = []
    rows: list[float] = []
    for key in CURSOR_KEYS:
        start, sent = len(clock.frames), now()
        await pilot.press(key)
        rows.append(((await clock.wait_for(start, {"rows"})).time - sent) * 1000)
        full.append(((await clock.wait_for(start, {"rows", "detail"})).time - sent) * 1000)
        await asyncio.sleep(KEY_REPEAT_GAP)
    return full, rows


async def longest_stall(done: Callable[[], bool], timeout: float) -> float:
    """Longest 1 ms sleep of the event loop in ms until `done()` (only the sleep is timed:
    `done` may itself wait for the GIL)."""
    worst = 0.0
    deadline = now() + timeout
    while not done() and now() < deadline:
        before = now()
        await asyncio.sleep(0.001)
        worst = max(worst, now() - before)
    return worst * 1000


def file_signature(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_mtime_ns


async def save_costs(pilot: Any, clock: PaintClock, state_path: Path, result: Session) -> None:
    """Star/unstar the paper under the cursor; time the key and the event loop during the save."""
    for _ in range(SAVE_TOGGLES):
        before = file_signature(state_path)
        start, sent = len(clock.frames), now()
        await pilot.press("s")
        frame = await clock.wait_for(start, {"rows", "detail"})
        result.save_key_ms.append((frame.time - sent) * 1000)

        def saved(before: tuple[int, int] | None = before) -> bool:
            return file_signature(state_path) != before

        result.save_stall_ms.append(await longest_stall(saved, 120))
        result.save_s.append(now() - sent)


async def interactive_session(input_path: Path, state_path: Path, folder: Path) -> Session:
    from benchmarks.filter import TYPED
    from tui.app import PapersApp
    from tui.core.state.triage_state import TriageState

    result = Session()
    clock = PaintClock()
    with observed_widgets(clock):
        state = TriageState.load(state_path)
        app = PapersApp([feed_of(str(input_path))], state, export_dir=folder)
        clock.attach(app)
        async with app.run_test(size=SIZE) as pilot:
            await clock.wait_for(0, {"rows"})  # the user starts typing once the list shows
            await pilot.press("slash")
            script = typing_script(TYPED)
            result.typing_cold = await type_steadily(app, script, TYPING_INTERVAL)
            result.cold_typing_end = (
                f"{len(app.store):,} papers loaded{' (still loading)' if app.loading else ''}, "
                f"{app.indexed:,} indexed"
            )
            await settle(app)
            result.idle_stall_ms = await longest_stall(lambda: False, 1.0)
            result.typing_warm = await type_steadily(app, script, TYPING_INTERVAL)
            await pilot.press("escape")
            await settle(app)
            result.filter_ms = await filter_latencies(pilot, app, clock, TYPED)
            result.cursor_ms, result.cursor_list_ms = await cursor_latencies(pilot, clock)
            await pilot.press("T")
            await settle(app)
            result.cursor_tldr_ms = (await cursor_latencies(pilot, clock))[0]
            await pilot.press("T")
            await save_costs(pilot, clock, state_path, result)
            await pilot.press("q")
    return result


# -- data and anchors --------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    input_path: Path
    titles_path: Path
    state_path: Path
    unseen_state_path: Path  # `UNSEEN_MARKS` marks, its cache removed before each use
    papers: int

    @property
    def input_mb(self) -> float:
        return self.input_path.stat().st_size / 1e6


def make_dataset(folder: Path, count: int, seed: int, read_share: float) -> Dataset:
    """The page copy, its titles (for fzf), and a state with `read_share` of them read."""
    from parsing.synthetic import generate, render_text_copy
    from tui.core.state.triage_state import TriageState

    papers = generate(count, seed)
    input_path = folder / "papers.txt"
    input_path.write_text(render_text_copy(papers, LIST_LABEL, True), encoding="utf-8")
    titles_path = folder / "titles.txt"
    titles_path.write_text("".join(paper.title + "\n" for paper in papers), encoding="utf-8")
    state_path = folder / "state" / "state.toml"
    state = TriageState.load(state_path)
    if read_share > 0:
        step = max(1, round(1 / read_share))
        for paper in papers[::step]:
            state.set_read(paper, True)
        for paper in papers[::100]:
            state.set_starred(paper, True)
    state.flush()
    unseen_state_path = folder / "unseen" / "state.toml"
    write_marks(unseen_state_path, generate(UNSEEN_MARKS, seed + 1))
    return Dataset(input_path, titles_path, state_path, unseen_state_path, count)


def write_marks(path: Path, papers: list[Any]) -> None:
    """A state file at `path` with every paper read and one in a hundred starred."""
    from tui.core.state.triage_state import TriageState

    state = TriageState.load(path)
    for paper in papers:
        state.set_read(paper, True)
    for paper in papers[::100]:
        state.set_starred(paper, True)
    state.flush()


def parse_speeds(path: Path) -> tuple[float, float]:
    """MB/s of `read_path` and of a bare line loop over the same file (best runs)."""
    from benchmarks.parse import best_times, parse_all, raw_loop

    size = path.stat().st_size / 1e6
    loops = {"raw": lambda: raw_loop(path), "parse": lambda: parse_all(path)}
    times = best_times(loops, PARSE_ROUNDS)
    gc.collect()
    return size / times["parse"], size / times["raw"]


def fzf_ms(titles_path: Path, queries: tuple[str, ...]) -> float | None:
    """Median over the queries (qualifiers dropped) of `fzf --filter` ms, best of 3 each."""
    fzf = shutil.which("fzf")
    if fzf is None:
        return None
    times = []
    for query in queries:
        words = " ".join(word for word in query.split() if not word.startswith("is:"))
        best = float("inf")
        for _ in range(3):
            with titles_path.open("rb") as titles:
                started = now()
                subprocess.run([fzf, "--filter", words], stdin=titles, stdout=subprocess.DEVNULL)
                best = min(best, now() - started)
        times.append(best * 1000)
    return statistics.median(times)


def machine() -> dict[str, str]:
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = {name: metadata.version(name) for name in ("textual", "rich", "rapidfuzz", "numpy")}
    fzf = shutil.which("fzf")
    if fzf is not None:
        versions["fzf"] = subprocess.run(
            [fzf, "--version"], capture_output=True, text=True, check=False
        ).stdout.split()[0]
    return {
        "cpu": model,
        "cores": str(cores),
        "python": platform.python_version(),
        **versions,
    }


# -- the run -----------------------------------------------------------------------------


def measure(papers: int, seed: int, read_share: float, log: Callable[[str], None]) -> dict:
    with tempfile.TemporaryDirectory(prefix="papers-e2e-") as name:
        folder = Path(name)
        load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            os.environ[variable] = str(folder / variable.lower())
        log(f"generating {papers:,} papers ...")
        data = make_dataset(folder, papers, seed, read_share)
        gc.collect()
        log("parse throughput ...")
        parse_mb_s, raw_mb_s = parse_speeds(data.input_path)
        log("fzf ...")
        from benchmarks.filter import TYPED

        fzf = fzf_ms(data.titles_path, TYPED)
        log("start-up and memory in child processes ...")
        # One unmeasured launch first, as any earlier use of the app would have done: it
        # writes our modules' bytecode (Textual's came with its install) and the state's cache.
        run_child("app-paint", data.input_path, data.state_path)
        blanks, launches, unmarked, unseen = [], [], [], []
        no_state = folder / "empty-state.toml"
        for _ in range(STARTUP_RUNS):  # interleaved, so that a busy spell hits all alike
            blanks.append(run_child("blank", data.input_path, data.state_path))
            launches.append(run_child("app-paint", data.input_path, data.state_path))
            unmarked.append(run_child("app-paint", data.input_path, no_state))
            unseen.append(run_child("app-unseen", data.input_path, data.unseen_state_path))
        full = run_child("app-full", data.input_path, data.state_path)
        log("interactive session (Pilot) ...")
        session = asyncio.run(interactive_session(data.input_path, data.state_path, folder))
        return {
            "data": data,
            "input_mb": data.input_mb,
            "state_mb": data.state_path.stat().st_size / 1e6,
            "parse_mb_s": parse_mb_s,
            "raw_mb_s": raw_mb_s,
            "fzf_ms": fzf,
            "blanks": blanks,
            "launches": launches,
            "full": full,
            "unmarked": unmarked,
            "unseen": unseen,
            "session": session,
            "load_before": load_before,
        }


def summary(raw: dict) -> dict[str, Any]:
    """The JSON object: exactly `JSON_KEYS`."""
    session: Session = raw["session"]
    values = {
        "papers": raw["data"].papers,
        "input_mb": raw["input_mb"],
        "first_paint_s": statistics.median(r["startup_s"] for r in raw["launches"]),
        "first_paint_unseen_state_s": statistics.median(r["startup_s"] for r in raw["unseen"]),
        "blank_app_s": statistics.median(r["startup_s"] for r in raw["blanks"]),
        "filter_p95_ms": percentile(session.filter_ms, 0.95),
        "cursor_p95_ms": percentile(session.cursor_ms, 0.95),
        "typing_max_delay_ms": max(session.typing_cold.delays + session.typing_warm.delays),
        "parse_mb_s": raw["parse_mb_s"],
        "raw_loop_mb_s": raw["raw_mb_s"],
        "peak_rss_mb": raw["full"]["peak_rss_mb"],
        "blank_rss_mb": statistics.median(r["peak_rss_mb"] for r in raw["blanks"]),
        "save_ui_ms": max(
            key + stall
            for key, stall in zip(session.save_key_ms, session.save_stall_ms, strict=True)
        ),
        "fzf_filter_ms": raw["fzf_ms"],
    }
    assert tuple(values) == JSON_KEYS
    return {
        name: round(value, 3) if isinstance(value, float) else value
        for name, value in values.items()
    }


def verdicts(values: dict[str, Any], session: Session) -> dict[str, tuple[str, bool]]:
    """Each target: its text and whether it is met."""
    typings = (session.typing_cold, session.typing_warm)
    keys_intact = not any(typing.lost or typing.out_of_order for typing in typings)
    memory_limit = 2 * values["input_mb"] + values["blank_rss_mb"]
    return {
        "first_paint_s": (
            f"<= 1.5 x blank ({1.5 * values['blank_app_s']:.2f} s)",
            values["first_paint_s"] <= 1.5 * values["blank_app_s"],
        ),
        "first_paint_unseen_state_s": (
            f"<= 1.5 x blank ({1.5 * values['blank_app_s']:.2f} s)",
            values["first_paint_unseen_state_s"] <= 1.5 * values["blank_app_s"],
        ),
        "filter_p95_ms": ("<= 50 ms", values["filter_p95_ms"] <= 50),
        "cursor_p95_ms": ("<= 16 ms", values["cursor_p95_ms"] <= 16),
        "typing_max_delay_ms": (
            "<= 50 ms, none lost",
            values["typing_max_delay_ms"] <= 50 and keys_intact,
        ),
        "parse_mb_s": (
            f">= raw / 3 ({values['raw_loop_mb_s'] / 3:.0f} MB/s)",
            values["parse_mb_s"] >= values["raw_loop_mb_s"] / 3,
        ),
        "peak_rss_mb": (f"<= {memory_limit:.0f} MB", values["peak_rss_mb"] <= memory_limit),
        "save_ui_ms": ("<= 50 ms", values["save_ui_ms"] <= 50),
    }


def machine_line(host: dict[str, str], raw: dict) -> str:
    """The machine, and how busy it was before the run (other processes skew every figure)."""
    line = "machine: " + ", ".join(f"{name} {value}" for name, value in host.items())
    if raw["load_before"] is not None:
        line += f"; load average before the run {raw['load_before']:.2f}"
    return line


def print_table(values: dict[str, Any], raw: dict, host: dict[str, str]) -> None:
    session: Session = raw["session"]
    print(machine_line(host, raw))
    print(
        f"input: {values['papers']:,} papers, {values['input_mb']:.1f} MB page copy with "
        f"metadata; state file {raw['state_mb']:.1f} MB; terminal {SIZE[0]}x{SIZE[1]}"
    )
    print(f"\n{'figure':<34} {'measured':>12} {'anchor':>22}  {'target':<28} result")
    rows = [
        ("first rows painted after launch", f"{values['first_paint_s']:.2f} s",
         f"blank app {values['blank_app_s']:.2f} s", "first_paint_s"),
        (f"  with {UNSEEN_MARKS:,} marks not cached",
         f"{values['first_paint_unseen_state_s']:.2f} s", "", "first_paint_unseen_state_s"),
        ("filter key -> list shown, p95", f"{values['filter_p95_ms']:.1f} ms",
         _fzf_label(values["fzf_filter_ms"]), "filter_p95_ms"),
        ("cursor key -> repainted, p95", f"{values['cursor_p95_ms']:.1f} ms", "", "cursor_p95_ms"),
        ("typing while filters run, max", f"{values['typing_max_delay_ms']:.1f} ms", "",
         "typing_max_delay_ms"),
        ("parse throughput", f"{values['parse_mb_s']:.1f} MB/s",
         f"line loop {values['raw_loop_mb_s']:.0f} MB/s", "parse_mb_s"),
        ("peak memory (RSS)", f"{values['peak_rss_mb']:.0f} MB",
         f"blank app {values['blank_rss_mb']:.0f} MB", "peak_rss_mb"),
        ("one mark saved, UI thread", f"{values['save_ui_ms']:.1f} ms", "", "save_ui_ms"),
    ]  # fmt: skip
    targets = verdicts(values, session)
    for label, measured, anchor, key in rows:
        target, met = targets[key]
        print(f"{label:<34} {measured:>12} {anchor:>22}  {target:<28} {'PASS' if met else 'FAIL'}")

    full = raw["full"]
    cold, warm = session.typing_cold, session.typing_warm
    print("\ndetails")
    details = [
        ("launches (s)", ", ".join(f"{r['startup_s']:.2f}" for r in raw["launches"])),
        ("blank launches (s)", ", ".join(f"{r['startup_s']:.2f}" for r in raw["blanks"])),
        ("launches with no marks (s)", ", ".join(f"{r['startup_s']:.2f}" for r in raw["unmarked"])),
        ("launches, marks not cached (s)",
         ", ".join(f"{r['startup_s']:.2f}" for r in raw["unseen"])),
        ("all papers loaded / indexed, after launch",
         f"{full['loaded_s']:.2f} s / {full['indexed_s']:.2f} s"),
        ("RSS loaded / indexed / after a filter", f"{full['rss_loaded_mb']:.0f} / "
         f"{full['rss_indexed_mb']:.0f} / {full['peak_rss_mb']:.0f} MB"),
        (f"filter '{FIRST_FILTER}' set at once, first query",
         f"{full['first_filter_s'] * 1000:.0f} ms, {full['first_filter_count']:,} matches"),
        ("filter keys: p50 / max", _spread(session.filter_ms)),
        ("cursor keys: p50 / max", _spread(session.cursor_ms)),
        ("cursor keys, list only: p50 / p95", f"{percentile(session.cursor_list_ms, 0.5):.1f} / "
         f"{percentile(session.cursor_list_ms, 0.95):.1f} ms"),
        ("cursor keys, TL;DR rows (T): p50 / p95", f"{percentile(session.cursor_tldr_ms, 0.5):.1f}"
         f" / {percentile(session.cursor_tldr_ms, 0.95):.1f} ms"),
        ("typing from first paint: p50 / max", _spread(cold.delays)),
        ("  when that typing ended", session.cold_typing_end),
        ("typing, all loaded and indexed: p50/max", _spread(warm.delays)),
        ("keys lost / handled out of order", f"{cold.lost + warm.lost} / "
         f"{cold.out_of_order + warm.out_of_order} of {len(cold.delays) + len(warm.delays)}"),
        ("save: key / longest stall / done", "; ".join(
            f"{k:.0f} / {s:.0f} ms / {d:.1f} s" for k, s, d in
            zip(session.save_key_ms, session.save_stall_ms, session.save_s, strict=True))),
        ("idle event loop, longest gap", f"{session.idle_stall_ms:.1f} ms"),
    ]  # fmt: skip
    for label, text in details:
        print(f"  {label:<38} {text}")


def _spread(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{percentile(values, 0.5):.1f} / {max(values):.1f} ms"


def _fzf_label(value: float | None) -> str:
    return "fzf not installed" if value is None else f"fzf --filter {value:.0f} ms"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--read-share", type=float, default=0.5, help="share of papers marked read in the state"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--archive",
        action="store_true",
        help="measure `--cached` on a generated archive instead (benchmarks/archive.py)",
    )
    parser.add_argument("--days", type=int, default=900, help="(--archive) cached days")
    parser.add_argument("--per-day", type=int, default=55, help="(--archive) papers a day")
    parser.add_argument(
        "--marks", type=int, default=UNSEEN_MARKS, help="(--archive) marks of the unseen state"
    )
    parser.add_argument(
        "--child",
        choices=("blank", "app-paint", "app-full", "app-unseen"),
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--state", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.child, args.input, args.state)
        return

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.archive:
        from benchmarks.archive import run_archive

        run_archive(args.days, args.per_day, args.marks, args.seed, args.json, log)
        return
    started = now()
    raw = measure(args.papers, args.seed, args.read_share, log)
    values = summary(raw)
    log(f"done in {now() - started:.0f} s")
    if args.json:
        log(machine_line(machine(), raw))
        print(json.dumps(values))
    else:
        print_table(values, raw, machine())


if __name__ == "__main__":
    main()
