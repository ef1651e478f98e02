"""Progress of `papers-tui fetch` on stderr: a rich bar on a terminal, else a line each 10%."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Self, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class FetchProgress:
    """Days done out of `total`. On a terminal the bar stays at the bottom and lines written
    to stderr meanwhile (a failed day) show above it; in a log, `say` gets one line each time
    another tenth is done."""

    def __init__(
        self, total: int, what: str, say: Callable[[str], None], stream: TextIO | None = None
    ) -> None:
        self.total = total
        self.what = what
        self.say = say
        self.stream = stream or sys.stderr
        self.done = 0
        self._tenths = 0
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Self:
        if self.stream.isatty():
            from rich.console import Console
            from rich.markup import escape
            from rich.progress import MofNCompleteColumn, Progress, TimeElapsedColumn

            columns = (*Progress.get_default_columns()[:-1], MofNCompleteColumn())
            self._bar = Progress(*columns, TimeElapsedColumn(), console=Console(file=self.stream))
            # the description column is markup
            self._task = self._bar.add_task(escape(self.what), total=self.total)
            self._bar.start()
        return self

    def advance(self) -> None:
        self.done += 1
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task)
            return
        tenths = self.done * 10 // max(self.total, 1)
        if tenths > self._tenths:
            self._tenths = tenths
            self.say(f"fetched {self.done}/{self.total} days ({tenths * 10}%)")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
