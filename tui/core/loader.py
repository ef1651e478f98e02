"""Reading feeds into the store on a background thread, reported in batches."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from textual.message import Message

from parsing.sources import InputError, ParseReport
from tui.core.feeds import Feed
from tui.core.fetch_errors import FetchError
from tui.core.store import PaperStore

BATCH_SECONDS = 0.05
RESUME_WAIT = 0.5  # seconds the loader waits at most after its first post


class PapersArrived(Message):
    """New store positions (papers seen for the first time) and merged ones."""

    def __init__(self, feed: Feed, new: list[int], merged: list[int]) -> None:
        super().__init__()
        self.feed = feed
        self.new = new
        self.merged = merged


class FeedFinished(Message):
    """One feed is done; `problem` is a one-line error when it failed."""

    def __init__(self, feed: Feed, report: ParseReport, problem: str | None) -> None:
        super().__init__()
        self.feed = feed
        self.report = report
        self.problem = problem


class FirstBatch:
    """Hands the loader's first batch straight to the UI thread, which waits for it once.

    Textual lays out and paints the screen right after mounting it, before it handles
    queued messages: a first batch posted as a message shows only in a second layout and
    frame. The app waits briefly (`take`) before its first frame instead, so that this
    frame already has papers. Every other message is posted as usual.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._over = threading.Event()  # the first message went by, or `take` is done
        self._batch: PapersArrived | None = None

    def posting(self, post: Callable[[Message], object]) -> Callable[[Message], object]:
        """`post`, except that the loader's first message, when a batch, is kept for `take`."""

        def post_or_keep(message: Message) -> object:
            if not self._over.is_set():
                with self._lock:
                    if not self._over.is_set():
                        self._over.set()
                        if isinstance(message, PapersArrived):
                            self._batch = message
                            return None
            return post(message)

        return post_or_keep

    def take(self, timeout: float) -> PapersArrived | None:
        """The first batch, if the loader has it within `timeout` seconds (else it will post
        it); only once."""
        self._over.wait(timeout)
        with self._lock:
            self._over.set()
            batch, self._batch = self._batch, None
        return batch


class _Cancelled(Exception):
    """Raised from a wait on the input when the loading is cancelled."""


class _Batch:
    """A feed's papers read but not yet posted."""

    def __init__(self, feed: Feed, post: Callable[[Message], object]) -> None:
        self.feed = feed
        self._post = post
        self.new: list[int] = []
        self.merged: list[int] = []
        self.posted_at = 0.0

    def post(self) -> None:
        if self.new or self.merged:
            self._post(PapersArrived(self.feed, self.new, self.merged))
            self.new, self.merged = [], []
            self.posted_at = time.monotonic()


def load_feeds(
    feeds: list[Feed],
    store: PaperStore,
    post: Callable[[Message], object],
    is_cancelled: Callable[[], bool],
    resume: threading.Event | None = None,
) -> None:
    """Read every feed into the store; post the first paper at once, then batches.

    After that first post, reading waits until `resume` is set (if given; at most
    `RESUME_WAIT` s): parsing competes with the UI thread for the GIL, and the app should
    paint its first rows and finish its own start-up (its marks) at full speed meanwhile.
    While a pipe has nothing to read, what was read is posted at once, and cancelling
    ends the wait (so the app can quit while its input stays open).
    """
    for feed in feeds:
        report = ParseReport(feed.name)
        problem = None
        batch = _Batch(feed, post)

        def waiting(batch: _Batch = batch) -> None:
            if is_cancelled():
                raise _Cancelled
            batch.post()

        try:
            for paper in feed.papers(report, waiting):
                if is_cancelled():
                    return
                position, is_new = store.add(paper)
                (batch.new if is_new else batch.merged).append(position)
                if time.monotonic() - batch.posted_at >= BATCH_SECONDS:
                    batch.post()
                    if resume is not None:
                        resume.wait(RESUME_WAIT)
                        resume = None
        except _Cancelled:
            return
        except (InputError, FetchError) as error:
            problem = str(error)
        except Exception as error:  # a bug, not bad input: still one line, and no endless loading
            problem = f"{feed.name}: could not be read ({type(error).__name__}: {error})"
        batch.post()
        post(FeedFinished(feed, report, problem))
