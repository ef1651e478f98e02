"""The app's messages: what worker threads (the loader, the filter, the saver) report to the
UI thread, turned into Textual messages here so that the core never builds one."""

from __future__ import annotations

from textual.message import Message

from parsing.sources import ParseReport
from tui.core.feeds import DayFeed, Feed, RangeFeed
from tui.core.store import PaperStore


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


class ViewReady(Message):
    """A computed view for filter generation `generation` (stale ones are dropped)."""

    def __init__(self, generation: int, view: list[int]) -> None:
        super().__init__()
        self.generation = generation
        self.view = view


class AbstractsIndexed(Message):
    """Every abstract loaded is indexed for `abs:` words."""


class DayLoaded(Message):
    """Another day (or range) of the list was read into `store` (or failed with `problem`)."""

    def __init__(self, feed: DayFeed | RangeFeed, store: PaperStore, problem: str | None) -> None:
        super().__init__()
        self.feed = feed
        self.store = store
        self.problem = problem


class StateChanged(Message):
    """The saver thread merged another instance's marks, or has news (a notice, a save error)."""
