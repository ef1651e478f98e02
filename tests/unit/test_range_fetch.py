"""Fetching many days at once against the fake hub: at most four requests in flight, each
day cached as it completes, never a complete past day twice, 429 storms, dropped
connections, and a fetch that resumes where an interrupted one stopped."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from archive import fill_archive
from hf_server import FakeHub, Reply, Streamed, dumps, make_items

from tui.core.day_cache import DayCache
from tui.core.day_range import DayRange
from tui.core.fetch import DailyPapersClient
from tui.core.range_fetch import FETCHERS, RangeFetch

PER_DAY = 3
ARCHIVE = DayRange(date(2025, 11, 20), date(2026, 2, 10))  # across a month and a year


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    with FakeHub() as server:
        fill_archive(server, ARCHIVE.first, ARCHIVE.last, PER_DAY)
        yield server


def fetcher(hub: FakeHub, tmp_path, sleeps: list[float] | None = None, **options) -> RangeFetch:
    def sleep(seconds: float) -> None:
        if sleeps is not None:
            sleeps.append(seconds)
        time.sleep(seconds)

    client = DailyPapersClient(hub.url, backoff=0.01, sleep=sleep)
    return RangeFetch(client, DayCache(tmp_path / "days"), **options)


def test_a_long_range_is_fetched_four_at_a_time_and_never_twice(hub, tmp_path):
    hub.delay = 0.02  # answers overlap, as they would over a real network
    days = ARCHIVE.days()
    results = list(fetcher(hub, tmp_path).results(days))
    assert sorted(result.day for result in results) == sorted(days)
    assert 2 <= hub.most_in_flight <= FETCHERS
    papers = {str(result.day): len(result.papers) for result in results}
    assert papers == {str(day): 0 if day.weekday() >= 5 else PER_DAY for day in days}
    assert all(result.problem is None and result.source == "network" for result in results)
    assert sorted(hub.days_asked()) == sorted(map(str, days))  # each day once

    again = list(fetcher(hub, tmp_path).results(days))
    assert len(hub.requests) == len(days)  # complete past days, with a list or not: cached
    assert {result.source for result in again} == {"cache"}
    assert {str(r.day): len(r.papers) for r in again} == papers


def test_a_429_storm_waits_as_asked_and_a_resumed_fetch_gets_the_failed_days(hub, tmp_path):
    days = DayRange(date(2025, 12, 29), date(2026, 1, 9)).days()
    hub.queue.extend(Reply(429, b"{}", {"Retry-After": "0.05"}) for _ in range(12))
    sleeps: list[float] = []
    first = list(fetcher(hub, tmp_path, sleeps).results(days))
    assert hub.most_in_flight <= FETCHERS
    assert sleeps and set(sleeps) == {0.05}  # Retry-After, not the backoff
    failed = sorted(result.day for result in first if result.problem)
    for result in first:
        if result.problem:
            assert result.problem.startswith(f"{result.day}: ") and "429" in result.problem
    asked_before = len(hub.requests)

    resumed = list(fetcher(hub, tmp_path).results(days))
    assert sorted(hub.days_asked()[asked_before:]) == sorted(map(str, failed))
    assert not any(result.problem for result in resumed)
    assert sum(len(result.papers) for result in resumed) == PER_DAY * 10


def test_a_connection_dropped_mid_answer_is_retried(hub, tmp_path):
    body = dumps(hub.days["2026-01-05"])  # a paper and a half, then the connection drops
    hub.queue.append(Streamed([body[: len(body) // 2]], complete=False))
    days = DayRange(date(2026, 1, 5), date(2026, 1, 5)).days()
    [result] = fetcher(hub, tmp_path).results(days)
    assert result.problem is None
    assert [paper.title for paper in result.papers] == [
        item["title"] for item in hub.days["2026-01-05"]
    ]
    assert hub.pages_asked("2026-01-05") == [0, 0]
    assert DayCache(tmp_path / "days").fetched_at(date(2026, 1, 5)) is not None


def test_an_interrupted_fetch_resumes_where_it_stopped(hub, tmp_path):
    days = ARCHIVE.days()
    results = fetcher(hub, tmp_path, fetchers=1).results(days)
    taken = [next(results) for _ in range(5)]
    results.close()  # as on Ctrl-C: the thread stops after the day in flight
    for thread in threading.enumerate():
        if thread.name == "range-fetch":
            thread.join(10)
    done_before = Counter(hub.days_asked())
    list(fetcher(hub, tmp_path).results(days))
    asked = Counter(hub.days_asked())
    assert all(count == 1 for count in asked.values())  # not one day twice
    assert {str(result.day) for result in taken} <= set(done_before)
    assert sorted(asked) == sorted(map(str, days))


def test_today_follows_the_30_minute_rule_and_later_days_are_not_asked(hub, tmp_path):
    today = date(2026, 1, 7)
    hub.days[str(today + timedelta(days=1))] = make_items(1, str(today))
    days = [today + timedelta(days=1), today]
    clock = [datetime(2026, 1, 7, 12, 0, tzinfo=UTC)]
    fetch = fetcher(hub, tmp_path, now=lambda: clock[0])
    sources = {r.day: r.source for r in fetch.results(days)}
    assert sources == {today: "network", today + timedelta(days=1): "future"}
    assert hub.days_asked() == [str(today)]
    clock[0] += timedelta(minutes=20)
    list(fetch.results(days))
    assert hub.days_asked() == [str(today)]  # fetched 20 minutes ago: fresh
    clock[0] += timedelta(minutes=20)
    assert {r.day: r.source for r in fetch.results(days)} == sources
    assert hub.days_asked() == [str(today), str(today)]
