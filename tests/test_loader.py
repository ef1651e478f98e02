"""The loader: its hand-over of the first batch to the UI thread (`tui.core.loader.FirstBatch`),
and an input that stays open."""

from __future__ import annotations

import json
import os
import threading

from textual.message import Message

from parsing.records import paper_to_record
from parsing.sources import ParseReport
from parsing.synthetic import generate
from tui.core.feeds import Feed, StreamFeed
from tui.core.loader import FeedFinished, FirstBatch, PapersArrived, load_feeds
from tui.core.store import PaperStore

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


def test_papers_read_from_an_open_pipe_are_posted_and_cancelling_ends_the_wait() -> None:
    """The writer sends ten JSON lines and keeps the pipe open: all ten are posted, and
    cancelling stops the loader although its read would still wait."""
    reader_fd, writer_fd = os.pipe()
    papers = generate(10, seed=5)
    os.write(writer_fd, "".join(json.dumps(paper_to_record(p)) + "\n" for p in papers).encode())
    store = PaperStore()
    posted: list[int] = []
    all_posted = threading.Event()
    cancelled = threading.Event()

    def post(message: Message) -> None:
        if isinstance(message, PapersArrived):
            posted.extend(message.new)
            if len(posted) == len(papers):
                all_posted.set()

    feed = StreamFeed("<stdin>", os.fdopen(reader_fd, "rb"))
    loader = threading.Thread(target=load_feeds, args=([feed], store, post, cancelled.is_set))
    loader.start()
    try:
        assert all_posted.wait(30), f"{len(posted)} of {len(papers)} posted"
        cancelled.set()
        loader.join(5)
        assert not loader.is_alive(), "the loader still waits on the open pipe"
    finally:
        os.close(writer_fd)
        loader.join()
    assert [store[position].title for position in posted] == [p.title for p in papers]
