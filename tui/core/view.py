"""Which papers the list shows and in what order: view mode, sort order, query."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from enum import Enum
from operator import attrgetter
from typing import TYPE_CHECKING, TypeVar

from parsing.model import Paper
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
    COMMENTS = "comments"
    STARS = "stars"


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
    count = _COUNTS.get(order)
    if count is not None:
        return sorted(positions, key=lambda p: _most_first(count(store[p])))
    return sorted(positions, key=lambda p: _newest_first(store[p].published_date))


_COUNTS: dict[SortOrder, Callable[[Paper], int | None]] = {
    SortOrder.UPVOTES: attrgetter("upvotes"),
    SortOrder.COMMENTS: attrgetter("comments"),
    SortOrder.STARS: attrgetter("github_stars"),
}


def _most_first(count: int | None) -> tuple[bool, int]:
    return (count is None, -(count or 0))


def _newest_first(published: date | None) -> int:
    return -published.toordinal() if published else 0
