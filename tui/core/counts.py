"""Read and starred marks by store position: counts for the status line, flags for the filter.

Kept in step with the store and the marks without rescanning either: one byte per paper
and mark, which the filter's `is:` qualifiers test for every candidate at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from tui.core.state.triage_state import TriageState
from tui.core.store import PaperStore
from tui.core.triage import Change, has_mark


class MarkCounter:
    """Counts and flags; O(changes) per update, a full rescan only on demand."""

    def __init__(self, store: PaperStore, state: TriageState) -> None:
        self.store = store
        self.state = state
        self.read_flags = bytearray()  # by store position: 1 when read
        self.starred_flags = bytearray()  # by store position: 1 when starred
        self.read = 0
        self.starred = 0

    @property
    def unread(self) -> int:
        return len(self.store) - self.read

    def add(self, positions: Iterable[int]) -> None:
        """Papers new to the store (positions in arrival order, following those known)."""
        store = self.store
        read, starred = self.state.flags_of([store[position].key for position in positions])
        self.read_flags.extend(read)
        self.starred_flags.extend(starred)
        self.read += sum(read)
        self.starred += sum(starred)

    def apply(self, changes: Iterable[Change]) -> None:
        """Marks that were just flipped, by an action or by its undo."""
        for change in changes:
            if change.mark not in ("read", "starred"):  # a note or tags: nothing counted
                continue
            key = change.paper.key
            position = self.store.position(key)
            if position is None or position >= len(self.read_flags):
                continue
            marked = has_mark(self.state, key, change.mark)
            flags = self.read_flags if change.mark == "read" else self.starred_flags
            if flags[position] == marked:
                continue
            flags[position] = marked
            if change.mark == "read":
                self.read += 1 if marked else -1
            else:
                self.starred += 1 if marked else -1

    def recount(self) -> None:
        """After marks changed behind our back (another instance saved)."""
        known = len(self.read_flags)
        self.read = self.starred = 0
        self.read_flags.clear()
        self.starred_flags.clear()
        self.add(range(known))
