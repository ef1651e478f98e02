"""Reading feeds into the store on a background thread, reported in batches."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from textual.message import Message

from parsing.sources import InputError, ParseReport
from tui.feeds import Feed
from tui.fetch_errors import FetchError
from tui.store import PaperStore

BATCH_SECONDS = 0.05
FIRST_PAINT_WAIT = 0.5  # seconds the loader waits for the first rows to be painted


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


def load_feeds(
    feeds: list[Feed],
    store: PaperStore,
    post: Callable[[Message], object],
    is_cancelled: Callable[[], bool],
    first_shown: threading.Event | None = None,
) -> None:
    """Read every feed into the store; post the first paper at once, then batches.

    After that first post, reading waits until `first_shown` is set (if given; at most
    `FIRST_PAINT_WAIT` s): parsing competes with the UI thread for the GIL, and the app
    should paint its first rows at full speed.
    """
    for feed in feeds:
        report = ParseReport(feed.name)
        problem = None
        new: list[int] = []
        merged: list[int] = []
        last_post = 0.0
        try:
            for paper in feed.papers(report):
                if is_cancelled():
                    return
                position, is_new = store.add(paper)
                (new if is_new else merged).append(position)
                now = time.monotonic()
                if now - last_post >= BATCH_SECONDS:
                    post(PapersArrived(feed, new, merged))
                    new, merged, last_post = [], [], now
                    if first_shown is not None:
                        first_shown.wait(FIRST_PAINT_WAIT)
                        first_shown = None
        except (InputError, FetchError) as error:
            problem = str(error)
        if new or merged:
            post(PapersArrived(feed, new, merged))
        post(FeedFinished(feed, report, problem))
