"""Reading feeds into the store on a background thread, reported in batches."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.message import Message

from parsing.sources import InputError, ParseReport
from tui.feeds import Feed
from tui.fetch import FetchError
from tui.store import PaperStore

BATCH_SECONDS = 0.05


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
) -> None:
    """Read every feed into the store; post the first paper at once, then batches."""
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
        except (InputError, FetchError) as error:
            problem = str(error)
        if new or merged:
            post(PapersArrived(feed, new, merged))
        post(FeedFinished(feed, report, problem))
