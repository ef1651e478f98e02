"""Triage actions on marks, with several levels of undo (bulk actions undo as one)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from parsing.model import Paper
from tui.core.state.triage_state import TriageState

Mark = Literal["read", "starred"]
UNDO_LEVELS = 100


@dataclass(frozen=True, slots=True)
class Change:
    paper: Paper
    mark: Mark
    before: bool


def has_mark(state: TriageState, key: str, mark: Mark) -> bool:
    return state.is_read(key) if mark == "read" else state.is_starred(key)


class Triage:
    """Sets marks through the state and remembers how to take them back."""

    def __init__(self, state: TriageState) -> None:
        self.state = state
        self._undo: list[list[Change]] = []

    def has(self, paper: Paper, mark: Mark) -> bool:
        return has_mark(self.state, paper.key, mark)

    def _apply(self, paper: Paper, mark: Mark, value: bool) -> None:
        if mark == "read":
            self.state.set_read(paper, value)
        else:
            self.state.set_starred(paper, value)

    def set(self, papers: Iterable[Paper], mark: Mark, value: bool) -> list[Change]:
        """Set a mark on every paper that lacks it, as one undo step; returns the changes."""
        changes = [Change(p, mark, not value) for p in papers if self.has(p, mark) != value]
        for change in changes:
            self._apply(change.paper, mark, value)
        if changes:
            self._undo.append(changes)
            del self._undo[:-UNDO_LEVELS]
        return changes

    def toggle(self, paper: Paper, mark: Mark) -> list[Change]:
        """Flip a mark."""
        return self.set([paper], mark, not self.has(paper, mark))

    def undo(self) -> list[Change]:
        """Take back the last action; returns what it changed (empty when nothing is left)."""
        if not self._undo:
            return []
        changes = self._undo.pop()
        for change in reversed(changes):
            self._apply(change.paper, change.mark, change.before)
        return changes
