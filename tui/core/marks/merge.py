"""The merge rule of marks, per paper and field.

Each field takes the value with the newer time (at the same time a mark beats an unmark, in
every process); the snapshot goes with the star, and is kept (from either side) while the
merged mark is starred or has a note or tags. Each field is a `MarkField` (`FIELDS`): a note
from one instance and tags from another both stay. A running instance merges three ways: an
entry it changed and has not saved yet merges with the file's entry field by field; any other
entry follows the file (so an entry removed from the file, by hand or by tombstone expiry, is
removed in memory too). A missing file, or one moved aside as corrupt, removes nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from itertools import compress
from operator import is_not, not_
from typing import Any

from tui.core.marks.model import FIELD_COLUMNS, MARKED, NO_MARK, Mark, chunks


def newest(ours: Mark, theirs: Mark) -> Mark:
    """Each field from the entry where it changed last (`ours` itself when that is every
    field); ties break the same way in every process."""
    merged: list[Any] | None = None
    for value, at, columns in FIELD_COLUMNS:
        if (theirs[at], theirs[value]) > (ours[at], ours[value]):
            merged = merged or list(ours)
            for column in columns:
                merged[column] = theirs[column]
    if merged is None:
        return ours
    mark = Mark._make(merged)
    if mark.keeps_snapshot != (mark.paper is not None):
        mark = mark.with_snapshot(mark.paper or ours.paper or theirs.paper)
    return theirs if mark == theirs else mark


def merge(
    memory: Mapping[str, Mark],
    disk: Mapping[str, Mark] | None,
    unreadable: Collection[str],
    unsaved: Mapping[str, Mark],
) -> tuple[dict[str, Mark], bool]:
    """Three-way merge of memory with the file (see the module docstring).

    `disk` is None when the file holds nothing usable; `unreadable` are keys whose entry in the
    file could not be read (memory's entry is kept); `unsaved` are this instance's changes since
    its last save. Returns the merged entries and whether a mark differs from memory.
    """
    if disk is None:
        return dict(memory), False
    merged = dict(disk)
    for key in unreadable:
        if key in memory:
            merged[key] = memory[key]
    for key, mark in unsaved.items():
        on_disk = merged.get(key)
        merged[key] = mark if on_disk is None else newest(on_disk, mark)
    return merged, _visibly_differs(memory, merged)


def _visibly_differs(before: Mapping[str, Mark], after: Mapping[str, Mark]) -> bool:
    """Whether a mark (read, star, note, tags) differs; entries that are the same object are
    skipped at C speed (a merge keeps the objects of entries that did not change)."""
    for keys, marks in zip(chunks(list(after)), chunks(list(after.values())), strict=True):
        for key in compress(keys, map(is_not, map(before.get, keys), marks)):
            old, new = before.get(key, NO_MARK), after[key]
            if MARKED(old) != MARKED(new):
                return True
    for keys in chunks(list(before)):
        for key in compress(keys, map(not_, map(after.__contains__, keys))):
            if not before[key].is_tombstone:
                return True
    return False


def expire_tombstones(entries: dict[str, Mark], older_than: int) -> dict[str, Mark]:
    """Entries without the tombstones last changed before `older_than` (`entries` itself when
    none is that old). Tombstones are found at C speed: the saver runs this at every save."""
    expired: list[str] = []
    for keys, marks in zip(chunks(list(entries)), chunks(list(entries.values())), strict=True):
        tombstones = compress(keys, map(not_, map(any, map(MARKED, marks))))
        expired += (key for key in tombstones if entries[key].updated < older_than)
    if not expired:
        return entries
    kept = dict(entries)
    for key in expired:
        del kept[key]
    return kept
