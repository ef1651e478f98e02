"""Many days of the Hugging Face list at once: the range feed of the app and `papers-tui fetch`.

Each day is fetched on its own (`/api/daily_papers?date=...`), by at most `FETCHERS` threads,
so at most that many requests are in flight; the client's retries, backoff and `Retry-After`
apply to each. A day comes from the cache when fresh (`DayCache.is_fresh`), and is written to
the cache as soon as it is complete, so an interrupted fetch resumes where it stopped. A past
day without a list (HTTP 400/404) is cached as an empty list, and is not asked for again.

The threads are daemons: Ctrl-C ends the process at once, and a day still in flight is
simply fetched again next time (the cache is written atomically, never half).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

from parsing.model import Paper
from tui.core.day_cache import DayCache
from tui.core.fetch import (
    DailyPapersClient,
    cached_papers,
    download_day,
    utc_now,
)
from tui.core.fetch_errors import FetchError, NoListError

FETCHERS = 4  # requests in flight at most: polite to the server, and enough to fill a pipe
POLL_SECONDS = 0.1  # how often `waiting` is called while no day is done


@dataclass
class DayResult:
    """One day of a range, done. `source`: where its papers came from ("future": a day after
    today, not asked for). `problem`: why the fetch failed, as one line naming the day; the
    papers are then those of an older cached copy, if any."""

    day: date
    papers: list[Paper] = field(default_factory=list)
    source: Literal["network", "cache", "future"] = "network"
    problem: str | None = None


@dataclass
class RangeFetch:
    """Fetches days into the cache and hands back their papers."""

    client: DailyPapersClient
    cache: DayCache = field(default_factory=DayCache)
    refresh: bool = False
    now: Callable[[], datetime] = utc_now
    fetchers: int = FETCHERS

    def results(
        self, days: list[date], waiting: Callable[[], None] | None = None
    ) -> Iterator[DayResult]:
        """Each day's result as it completes (not in `days` order). `waiting` is called every
        `POLL_SECONDS` while none is ready; what it raises stops the fetch. Closing the
        iterator stops the threads after the days in flight."""
        todo: queue.SimpleQueue[date] = queue.SimpleQueue()
        for day in days:
            todo.put(day)
        done: queue.SimpleQueue[DayResult] = queue.SimpleQueue()
        stop = threading.Event()

        def work() -> None:
            while not stop.is_set():
                try:
                    day = todo.get_nowait()
                except queue.Empty:
                    return
                done.put(self.day(day))

        for _ in range(min(self.fetchers, len(days))):
            threading.Thread(target=work, name="range-fetch", daemon=True).start()
        try:
            for _ in days:
                while True:
                    try:
                        yield done.get(timeout=POLL_SECONDS)
                        break
                    except queue.Empty:
                        if waiting is not None:
                            waiting()
        finally:
            stop.set()

    def day(self, day: date) -> DayResult:
        """One day: from the cache when fresh, else from the network (then cached)."""
        now = self.now()
        if day > now.astimezone(UTC).date():
            return DayResult(day, source="future")
        if not self.refresh and self.cache.is_fresh(day, now):
            with contextlib.suppress(FetchError):  # a damaged copy is fetched again
                return DayResult(day, list(cached_papers(self.cache, day)), "cache")
        try:
            return DayResult(day, list(download_day(self.client, self.cache, day, self.now)))
        except NoListError:
            with contextlib.suppress(OSError):  # an unwritable cache only costs a request
                self.cache.write(day, [], self.now())
            return DayResult(day)
        except FetchError as error:
            return self._stale(day, error)
        except Exception as error:  # a bug, not the network: one line for the day, not a hang
            return DayResult(day, problem=f"{day}: {type(error).__name__}: {error}")

    def _stale(self, day: date, error: FetchError) -> DayResult:
        """The older cached copy of a day that could not be fetched, if there is one."""
        fetched = self.cache.fetched_at(day)
        if fetched is not None:
            with contextlib.suppress(FetchError):
                papers = list(cached_papers(self.cache, day))
                when = f"{fetched.astimezone():%Y-%m-%d %H:%M}"
                return DayResult(day, papers, "cache", f"{day}: {error} (cached at {when} shown)")
        return DayResult(day, problem=f"{day}: {error}")
