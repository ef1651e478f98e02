"""Triage actions on marks (read, star, note, tags), with several levels of undo (bulk actions
undo as one)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from parsing.model import Paper
from tui.core.marks.model import clean_note, clean_tags
from tui.core.state.triage_state import TriageState

Mark = Literal["read", "starred", "note", "tags"]
Value = bool | str | tuple[str, ...]
UNDO_LEVELS = 100


@dataclass(frozen=True, slots=True)
class Change:
    paper: Paper
    mark: Mark
    before: Value


def has_mark(state: TriageState, key: str, mark: Mark) -> bool:
    return state.is_read(key) if mark == "read" else state.is_starred(key)


def mark_value(state: TriageState, key: str, mark: Mark) -> Value:
    """The value of one mark of `key`."""
    if mark == "note":
        return state.note(key)
    if mark == "tags":
        return state.tags(key)
    return has_mark(state, key, mark)


class Triage:
    """Sets marks through the state and remembers how to take them back."""

    def __init__(self, state: TriageState) -> None:
        self.state = state
        self._undo: list[list[Change]] = []

    def has(self, paper: Paper, mark: Mark) -> bool:
        return has_mark(self.state, paper.key, mark)

    def _apply(self, paper: Paper, mark: Mark, value: Value) -> None:
        if mark == "read":
            self.state.set_read(paper, bool(value))
        elif mark == "starred":
            self.state.set_starred(paper, bool(value))
        elif mark == "note":
            assert isinstance(value, str)
            self.state.set_note(paper, value)
        else:
            assert isinstance(value, tuple)
            self.state.set_tags(paper, value)

    def _remember(self, changes: list[Change]) -> None:
        if changes:
            self._undo.append(changes)
            del self._undo[:-UNDO_LEVELS]

    def set(self, papers: Iterable[Paper], mark: Mark, value: bool) -> list[Change]:
        """Set a mark on every paper that lacks it, as one undo step; returns the changes."""
        changes = [Change(p, mark, not value) for p in papers if self.has(p, mark) != value]
        for change in changes:
            self._apply(change.paper, mark, value)
        self._remember(changes)
        return changes

    def toggle(self, paper: Paper, mark: Mark) -> list[Change]:
        """Flip a mark."""
        return self.set([paper], mark, not self.has(paper, mark))

    def set_note(self, paper: Paper, text: str) -> list[Change]:
        """Set the note of `paper` (cleaned), as one undo step; no change when it is the same."""
        return self._annotate(paper, "note", clean_note(text))

    def set_tags(self, paper: Paper, tags: Iterable[str]) -> list[Change]:
        """Set the tags of `paper` (cleaned), as one undo step; no change when they are the
        same."""
        return self._annotate(paper, "tags", clean_tags(tags))

    def _annotate(self, paper: Paper, mark: Mark, value: str | tuple[str, ...]) -> list[Change]:
        before = mark_value(self.state, paper.key, mark)
        if value == before:
            return []
        self._apply(paper, mark, value)
        changes = [Change(paper, mark, before)]
        self._remember(changes)
        return changes

    def undo(self) -> list[Change]:
        """Take back the last action; returns what it changed (empty when nothing is left)."""
        if not self._undo:
            return []
        changes = self._undo.pop()
        for change in reversed(changes):
            self._apply(change.paper, change.mark, change.before)
        return changes
