"""Which papers the list shows and in what order: view mode, sort order, query."""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, TypeVar

from tui.core.store import PaperStore

if TYPE_CHECKING:
    from tui.core.query import Query


class ViewMode(Enum):
    ALL = "all"
    UNREAD = "unread"
    STARRED = "starred"


class SortOrder(Enum):
    LIST = "list order"
    UPVOTES = "upvotes"
    PUBLISHED = "published"
    TITLE = "title"


E = TypeVar("E", bound=Enum)


def cycle(value: E) -> E:
    members = list(type(value))
    return members[(members.index(value) + 1) % len(members)]


def with_view_mode(query: Query, mode: ViewMode) -> Query:
    """The query's own qualifiers win; the view mode fills in what it leaves open."""
    if mode is ViewMode.UNREAD and query.want_read is None:
        return dataclasses.replace(query, want_read=False)
    if mode is ViewMode.STARRED and query.want_starred is None:
        return dataclasses.replace(query, want_starred=True)
    return query


def sort_positions(store: PaperStore, positions: list[int], order: SortOrder) -> list[int]:
    """Stable sort of store positions; unknown values go last."""
    if order is SortOrder.LIST:
        return positions
    if order is SortOrder.TITLE:
        return sorted(positions, key=lambda p: store[p].title.casefold())
    if order is SortOrder.UPVOTES:
        return sorted(positions, key=lambda p: -(store[p].upvotes or -1))
    return sorted(positions, key=lambda p: _newest_first(store[p].published_date))


def _newest_first(published: date | None) -> int:
    return -published.toordinal() if published else 0
