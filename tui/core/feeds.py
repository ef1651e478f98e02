"""Where papers come from: files, standard input, the built-in sample, or a fetched day.

A feed is opened lazily (by the loader thread in the app, in order by the headless
commands), so nothing slow happens before the UI is up.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, BinaryIO, ClassVar

from parsing.model import Paper
from parsing.sources import InputError, ParseReport, iter_papers, read_path
from tui.core.day_range import DayRange

if TYPE_CHECKING:  # imported when used: they import json, which a start need not wait for
    from pathlib import Path

    from tui.core.day_cache import DayCache
    from tui.core.range_fetch import DayResult

SAMPLE_NAME = "built-in sample"
Waiting = Callable[[], None] | None


@dataclass
class Feed:
    """One input. `note` may be set while reading (e.g. "offline: cached at ...").

    `waiting`, when given, is called while a pipe has nothing to read (`parsing.sources`).
    """

    name: str
    note: str | None = field(default=None, init=False)
    remote: ClassVar[bool] = False  # its papers may take a while: fetched over the network
    # Parts that failed while the rest still loads (a day of a range), one line each; filled
    # by the reading thread, taken by `take_problems` in another (a deque: both thread-safe).
    _problems: deque[str] = field(default_factory=deque, init=False, repr=False)

    @property
    def spans_days(self) -> bool:
        """Whether its papers come from several days of the list (rows then name their day)."""
        return False

    def papers(self, report: ParseReport, waiting: Waiting = None) -> Iterator[Paper]:
        raise NotImplementedError

    def take_problems(self) -> list[str]:
        """The problems not taken yet."""
        taken = []
        while self._problems:
            taken.append(self._problems.popleft())
        return taken


@dataclass
class FileFeed(Feed):
    def papers(self, report: ParseReport, waiting: Waiting = None) -> Iterator[Paper]:
        return read_path(self.name, report, waiting)  # a path may name a pipe: <(command)


@dataclass
class StreamFeed(Feed):
    stream: BinaryIO | None = None

    def papers(self, report: ParseReport, waiting: Waiting = None) -> Iterator[Paper]:
        if self.stream is None:
            raise InputError(f"{self.name}: standard input is closed")
        return iter_papers(self.stream, self.name, report, waiting=waiting)


@dataclass
class SampleFeed(Feed):
    name: str = SAMPLE_NAME

    def papers(self, report: ParseReport, waiting: Waiting = None) -> Iterator[Paper]:
        from importlib.resources import files

        path = files("tui") / "data" / "sample.txt"
        with path.open("rb") as stream:
            yield from iter_papers(stream, self.name, report)


@dataclass
class DayFeed(Feed):
    """A day of the Hugging Face list, from the network or the cache; with `seek` (-1 or
    1), the nearest day from `day` in that direction that has a list (see `load_day`)."""

    remote: ClassVar[bool] = True
    day: date | None = None
    refresh: bool = False
    seek: int = 0
    opened_day: date | None = field(default=None, init=False)

    def papers(self, report: ParseReport, waiting: Waiting = None) -> Iterator[Paper]:
        from tui.core.fetch import load_day

        load = load_day(self.day, seek=self.seek, refresh=self.refresh)
        self.opened_day = load.day
        self.name = f"Daily Papers {load.day.isoformat()}"
        self.note = load.note
        report.name = self.name
        for paper in load.papers:
            report.papers += 1
            self.note = load.note  # the cache may take over mid-way
            yield paper
        self.note = load.note


@dataclass
class RangeFeed(Feed):
    """Days of the Hugging Face list as one list, newest day first, each day's papers as soon
    as it and the days after it are done (`tui.core.range_fetch`: four at a time). A day that
    fails is a problem (`take_problems`) and the rest still load; `days_done` counts the days
    done so far, for the status line."""

    remote: ClassVar[bool] = True
    span: DayRange = field(default_factory=lambda: DayRange(date.today(), date.today()))
    refresh: bool = False
    days_done: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.name = f"Daily Papers {self.span.label}"  # the header names the range at once

    @property
    def spans_days(self) -> bool:
        return len(self.span) > 1

    def papers(self, report: ParseReport, waiting: Waiting = None) -> Iterator[Paper]:
        from tui.core.fetch import make_client
        from tui.core.fetch_errors import FetchError, NoListError
        from tui.core.range_fetch import RangeFetch

        days = self.span.days()
        fetch = RangeFetch(make_client(), refresh=self.refresh)
        done: dict[date, DayResult] = {}
        shown = 0  # days whose papers were handed on, in order
        failures: list[str] = []
        for result in fetch.results(days, waiting):
            self.days_done += 1
            if result.problem:
                failures.append(result.problem)
                self._problems.append(result.problem)
            done[result.day] = result
            while shown < len(days) and days[shown] in done:
                for paper in done.pop(days[shown]).papers:
                    report.papers += 1
                    yield paper
                shown += 1
        if not report.papers and failures:
            raise FetchError(f"nothing cached for {self.span.label}: {failures[0]}")
        if not report.papers:
            raise NoListError(f"no list for {self.span.label}")


@dataclass
class CachedFeed(Feed):
    """Every day of the day cache as one list, newest day first, each paper labelled with its
    day (`Paper.lists`); offline: no request is made. A damaged day is one line in the
    report (`ParseReport.unreadable_parts`) and the other days still load."""

    name: str = "cache"
    cache: DayCache | None = None  # the user's cache folder unless given
    days: list[date] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        from tui.core.day_cache import DayCache

        self.cache = self.cache or DayCache()
        self.days = self.cache.days()
        self.name = f"cache: {len(self.days)} day{'' if len(self.days) == 1 else 's'}"

    @property
    def spans_days(self) -> bool:
        return len(self.days) > 1

    def papers(self, report: ParseReport, waiting: Waiting = None) -> Iterator[Paper]:
        assert self.cache is not None  # set by __post_init__
        if not self.days:
            raise InputError(
                f"no day in the cache ({self.cache.root}): "
                "days are cached as they are opened (papers-tui --date DAY)"
            )
        for day in self.days:
            try:
                for paper in self.cache.papers(day):
                    report.papers += 1
                    yield paper
            except (InputError, OSError, ValueError) as error:
                report.unreadable_parts.append(_day_problem(self.cache.path(day), error))


def _day_problem(path: Path, error: Exception) -> str:
    """One line: why a cached day could not be read (the rest of the cache was)."""
    if isinstance(error, InputError):
        return str(error)
    if isinstance(error, UnicodeDecodeError):
        return f"{path}: not UTF-8 text"
    if isinstance(error, OSError):
        return f"{path}: {error.strerror or error}"
    return f"{path}: could not be read ({error})"


def feeds_from_specs(specs: list[str], stdin: BinaryIO | None = None) -> list[Feed]:
    """Files by name; `-` is standard input (or the pipe `take_piped_stdin` kept)."""
    pipe = stdin or (sys.stdin.buffer if sys.stdin is not None else None)
    return [StreamFeed("<stdin>", pipe) if spec == "-" else FileFeed(spec) for spec in specs]


def take_piped_stdin() -> BinaryIO | None:
    """When papers are piped in, keep the pipe for reading and give fd 0 back to the terminal.

    Textual reads keys from file descriptor 0, so the pipe moves to a new descriptor
    and the controlling terminal takes its place (what fzf does).
    """
    if sys.stdin is None or sys.stdin.isatty():
        return None
    pipe = os.fdopen(os.dup(0), "rb")
    try:
        terminal = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        return pipe
    os.dup2(terminal, 0)
    os.close(terminal)
    return pipe
