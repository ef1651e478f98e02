"""Reading feeds into the store on a background thread, reported in batches."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import NamedTuple

from parsing.sources import InputError, ParseReport
from tui.core.feeds import Feed
from tui.core.fetch_errors import FetchError
from tui.core.store import PaperStore

# Batches are reported this often at first, then twice as seldom each time up to
# `LAST_BATCH_SECONDS`: the screen fills at once, and a long load then costs the UI thread
# (and so the loader, which shares the GIL with it) a few frames a second, not twenty.
BATCH_SECONDS = 0.05
LAST_BATCH_SECONDS = 0.4
RESUME_WAIT = 0.5  # seconds the loader waits at most after its first report


OnPapers = Callable[[Feed, list[int], list[int]], object]  # feed, new and merged positions
OnFinished = Callable[[Feed, ParseReport, str | None], object]  # feed, report, problem


class Batch(NamedTuple):
    """Papers of `feed` read in one go: store positions of papers seen for the first time
    (`new`) and of papers merged into one already there (`merged`)."""

    feed: Feed
    new: list[int]
    merged: list[int]


class FirstBatch:
    """Hands the loader's first batch straight to the UI thread, which waits for it once.

    Textual lays out and paints the screen right after mounting it, before it handles
    queued messages: a first batch posted as a message shows only in a second layout and
    frame. The app waits briefly (`take`) before its first frame instead, so that this
    frame already has papers. Every other report is passed on as usual.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._over = threading.Event()  # the first report went by, or `take` is done
        self._batch: Batch | None = None

    def reporting(
        self, on_papers: OnPapers, on_finished: OnFinished
    ) -> tuple[OnPapers, OnFinished]:
        """The loader's callbacks, except that its first report, when a batch, is kept for
        `take`."""

        def papers_or_keep(feed: Feed, new: list[int], merged: list[int]) -> object:
            if self._first(Batch(feed, new, merged)):
                return None
            return on_papers(feed, new, merged)

        def finished(feed: Feed, report: ParseReport, problem: str | None) -> object:
            self._first(None)  # no batch is coming first: `take` waits no more
            return on_finished(feed, report, problem)

        return papers_or_keep, finished

    def _first(self, batch: Batch | None) -> bool:
        """Whether `batch` is the first report and is kept."""
        if self._over.is_set():
            return False
        with self._lock:
            if self._over.is_set():
                return False
            self._over.set()
            self._batch = batch
            return batch is not None

    def take(self, timeout: float) -> Batch | None:
        """The first batch, if the loader has it within `timeout` seconds (else it will report
        it); only once."""
        self._over.wait(timeout)
        with self._lock:
            self._over.set()
            batch, self._batch = self._batch, None
        return batch


class _Cancelled(Exception):
    """Raised from a wait on the input when the loading is cancelled."""


class _Pending:
    """A feed's papers read but not yet reported."""

    def __init__(self, feed: Feed, on_papers: OnPapers) -> None:
        self.feed = feed
        self._on_papers = on_papers
        self.new: list[int] = []
        self.merged: list[int] = []
        self.reported_at = 0.0
        self.interval = BATCH_SECONDS

    @property
    def due(self) -> bool:
        return time.monotonic() - self.reported_at >= self.interval

    def report(self) -> None:
        if self.new or self.merged:
            self._on_papers(self.feed, self.new, self.merged)
            self.new, self.merged = [], []
            self.reported_at = time.monotonic()
            self.interval = min(2 * self.interval, LAST_BATCH_SECONDS)


def load_feeds(
    feeds: list[Feed],
    store: PaperStore,
    on_papers: OnPapers,
    on_finished: OnFinished,
    is_cancelled: Callable[[], bool],
    resume: threading.Event | None = None,
) -> None:
    """Read every feed into the store; report the first paper at once (`on_papers`), then
    batches, and the end of each feed (`on_finished`, with a one-line `problem` when it failed).

    The callbacks run in the loader's thread: the app turns them into messages. After that
    first report, reading waits until `resume` is set (if given; at most
    `RESUME_WAIT` s): parsing competes with the UI thread for the GIL, and the app should
    paint its first rows and finish its own start-up (its marks) at full speed meanwhile.
    While a pipe has nothing to read, what was read is reported at once, and cancelling
    ends the wait (so the app can quit while its input stays open).
    """
    for feed in feeds:
        report = ParseReport(feed.name)
        problem = None
        pending = _Pending(feed, on_papers)

        def waiting(pending: _Pending = pending) -> None:
            if is_cancelled():
                raise _Cancelled
            pending.report()

        try:
            for paper in feed.papers(report, waiting):
                if is_cancelled():
                    return
                position, is_new = store.add(paper)
                (pending.new if is_new else pending.merged).append(position)
                if pending.due:
                    pending.report()
                    if resume is not None:
                        resume.wait(RESUME_WAIT)
                        resume = None
        except _Cancelled:
            return
        except (InputError, FetchError) as error:
            problem = str(error)
        except Exception as error:  # a bug, not bad input: still one line, and no endless loading
            problem = f"{feed.name}: could not be read ({type(error).__name__}: {error})"
        pending.report()
        on_finished(feed, report, problem)
