"""The loader: its hand-over of the first batch to the UI thread (`FirstBatch`), its reports
through callbacks (no Textual message), and an input that stays open."""

from __future__ import annotations

import json
import os
import threading

from parsing.records import paper_to_record
from parsing.sources import ParseReport
from parsing.synthetic import generate
from tui.core.feeds import Feed, StreamFeed
from tui.core.loader import Batch, FirstBatch, load_feeds
from tui.core.store import PaperStore

FEED = Feed("list.txt")
Report = tuple[object, ...]  # what a callback was called with, the callback's name first


class Reports:
    """Records what the loader's callbacks (through `FirstBatch`) pass on."""

    def __init__(self, first_batch: FirstBatch) -> None:
        self.passed: list[Report] = []
        self.on_papers, self.on_finished = first_batch.reporting(
            lambda *args: self.passed.append(("papers", *args)),
            lambda *args: self.passed.append(("finished", *args)),
        )


def test_the_first_batch_is_kept_for_take_and_the_rest_passed_on() -> None:
    first_batch = FirstBatch()
    reports = Reports(first_batch)
    reports.on_papers(FEED, [0], [])
    reports.on_papers(FEED, [1, 2], [])
    assert reports.passed == [("papers", FEED, [1, 2], [])]
    assert first_batch.take(60.0) == Batch(FEED, [0], [])
    assert first_batch.take(60.0) is None  # only once


def test_take_waits_for_the_loader_thread() -> None:
    first_batch = FirstBatch()
    reports = Reports(first_batch)
    loader = threading.Thread(target=reports.on_papers, args=(FEED, [0], []))
    loader.start()
    assert first_batch.take(60.0) == Batch(FEED, [0], [])
    loader.join()
    assert reports.passed == []


def test_a_batch_after_take_gave_up_is_passed_on() -> None:
    first_batch = FirstBatch()
    reports = Reports(first_batch)
    assert first_batch.take(0) is None
    reports.on_papers(FEED, [0], [])
    assert reports.passed == [("papers", FEED, [0], [])]


def test_a_first_report_that_is_no_batch_is_passed_on_and_ends_the_wait() -> None:
    first_batch = FirstBatch()
    reports = Reports(first_batch)
    report = ParseReport(FEED.name)
    reports.on_finished(FEED, report, "list.txt: no such file")
    assert first_batch.take(60.0) is None  # at once: no batch is coming first
    assert reports.passed == [("finished", FEED, report, "list.txt: no such file")]


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

    def on_papers(_feed: Feed, new: list[int], _merged: list[int]) -> None:
        posted.extend(new)
        if len(posted) == len(papers):
            all_posted.set()

    feed = StreamFeed("<stdin>", os.fdopen(reader_fd, "rb"))
    loader = threading.Thread(
        target=load_feeds,
        args=([feed], store, on_papers, lambda *_: None, cancelled.is_set),
    )
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
