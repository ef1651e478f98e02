"""In-memory paper store: arrival order, one record per paper, O(1) lookup by key."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from parsing.model import Paper

# Counts that only grow: the larger known one wins (a known 0 beats an unknown).
_COUNTS = ("upvotes", "comments", "github_stars")
_MERGED_APART = frozenset({"key", "lists", "title", *_COUNTS})


def merge_papers(old: Paper, new: Paper) -> Paper:
    """The same paper seen in another list: keep what is known, add what is new."""
    lists = old.lists + tuple(label for label in new.lists if label not in old.lists)
    changes: dict[str, object] = {"lists": lists}
    for item in dataclasses.fields(Paper):
        name = item.name
        if name in _MERGED_APART:
            continue
        if not getattr(old, name) and getattr(new, name):
            changes[name] = getattr(new, name)
    for name in _COUNTS:
        known, seen = getattr(old, name), getattr(new, name)
        if seen is not None and (known is None or seen > known):
            changes[name] = seen
    return dataclasses.replace(old, **changes)


class PaperStore:
    """Papers in arrival order.

    Appends come from a loader thread while the UI reads: a list append and a dict
    store are atomic under the GIL, and a merged record replaces its slot in place,
    so readers always see a complete `Paper`.
    """

    def __init__(self) -> None:
        self._papers: list[Paper] = []
        self._positions: dict[str, int] = {}

    def add(self, paper: Paper) -> tuple[int, bool]:
        """Store a paper; return its position and whether it is new."""
        position = self._positions.get(paper.key)
        if position is None:
            position = len(self._papers)
            self._papers.append(paper)
            self._positions[paper.key] = position
            return position, True
        self._papers[position] = merge_papers(self._papers[position], paper)
        return position, False

    def position(self, key: str) -> int | None:
        return self._positions.get(key)

    def get(self, key: str) -> Paper | None:
        position = self._positions.get(key)
        return None if position is None else self._papers[position]

    def __len__(self) -> int:
        return len(self._papers)

    def __getitem__(self, position: int) -> Paper:
        return self._papers[position]

    def __iter__(self) -> Iterator[Paper]:
        return iter(self._papers)
