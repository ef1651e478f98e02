"""Read and starred counts over the papers in the store, kept without rescanning it."""

from __future__ import annotations

from collections.abc import Iterable

from tui.state import TriageState
from tui.store import PaperStore
from tui.triage import Change, has_mark


class MarkCounter:
    """Counts for the status line; O(changes) per update, a full rescan only on demand."""

    def __init__(self, store: PaperStore, state: TriageState) -> None:
        self.store = store
        self.state = state
        self.read = 0
        self.starred = 0

    @property
    def unread(self) -> int:
        return len(self.store) - self.read

    def add(self, positions: Iterable[int]) -> None:
        """Papers new to the store."""
        for position in positions:
            key = self.store[position].key
            self.read += self.state.is_read(key)
            self.starred += self.state.is_starred(key)

    def apply(self, changes: Iterable[Change]) -> None:
        """Marks that were just flipped, by an action or by its undo."""
        for change in changes:
            key = change.paper.key
            if self.store.position(key) is None:
                continue
            delta = 1 if has_mark(self.state, key, change.mark) else -1
            if change.mark == "read":
                self.read += delta
            else:
                self.starred += delta

    def recount(self) -> None:
        """After marks changed behind our back (another instance saved)."""
        self.read = self.starred = 0
        self.add(range(len(self.store)))
