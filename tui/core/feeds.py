"""Where papers come from: files, standard input, the built-in sample, or a fetched day.

A feed is opened lazily (by the loader thread in the app, in order by the headless
commands), so nothing slow happens before the UI is up.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO, ClassVar

from parsing.model import Paper
from parsing.sources import InputError, ParseReport, iter_papers, read_path

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

    def papers(self, report: ParseReport, waiting: Waiting = None) -> Iterator[Paper]:
        raise NotImplementedError


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
