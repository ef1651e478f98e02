"""The loader's hand-over of its first batch to the UI thread (`tui.loader.FirstBatch`)."""

from __future__ import annotations

import threading

from textual.message import Message

from parsing.sources import ParseReport
from tui.feeds import Feed
from tui.loader import FeedFinished, FirstBatch, PapersArrived

FEED = Feed("list.txt")


def batch(*positions: int) -> PapersArrived:
    return PapersArrived(FEED, list(positions), [])


def test_the_first_batch_is_kept_for_take_and_the_rest_posted() -> None:
    posted: list[Message] = []
    first_batch = FirstBatch()
    post = first_batch.posting(posted.append)
    first, second = batch(0), batch(1, 2)
    post(first)
    post(second)
    assert posted == [second]
    assert first_batch.take(60.0) is first
    assert first_batch.take(60.0) is None  # only once


def test_take_waits_for_the_loader_thread() -> None:
    posted: list[Message] = []
    first_batch = FirstBatch()
    post = first_batch.posting(posted.append)
    first = batch(0)
    loader = threading.Thread(target=post, args=(first,))
    loader.start()
    assert first_batch.take(60.0) is first
    loader.join()
    assert posted == []


def test_a_batch_after_take_gave_up_is_posted() -> None:
    posted: list[Message] = []
    first_batch = FirstBatch()
    post = first_batch.posting(posted.append)
    assert first_batch.take(0) is None
    late = batch(0)
    post(late)
    assert posted == [late]


def test_a_first_message_that_is_no_batch_is_posted_and_ends_the_wait() -> None:
    posted: list[Message] = []
    first_batch = FirstBatch()
    post = first_batch.posting(posted.append)
    finished = FeedFinished(FEED, ParseReport(FEED.name), "list.txt: no such file")
    post(finished)
    assert first_batch.take(60.0) is None  # at once: no batch is coming first
    assert posted == [finished]
