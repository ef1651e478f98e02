"""Marks in memory (read, star, note, tags): one paper's `Mark`, the fields a mark has
(`FIELDS`), and the table of every paper's marks (`MarkTable`), with running counts."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import repeat
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

from parsing.clean import clean_text
from parsing.model import Paper
from tui.core.collector import collections_paused


class Mark(NamedTuple):
    """The marks of one paper, each with the time it last changed (microseconds since the
    epoch, exact in TOML; 0 when never set).

    A named tuple rather than a dataclass: a start builds tens of thousands of them from the
    cache (`tui.core.state_cache`) in one C loop, several times faster.
    """

    read: bool = False
    read_at: int = 0
    starred: bool = False
    starred_at: int = 0  # also the order of the stars
    paper: Paper | None = None  # snapshot, kept while starred or annotated (`keeps_snapshot`)
    note: str = ""  # the user's words on the paper (markdown, shown as plain text)
    note_at: int = 0
    tags: tuple[str, ...] = ()  # clean, lower case (`clean_tags`)
    tags_at: int = 0

    @property
    def is_tombstone(self) -> bool:
        return not any(MARKED(self))

    @property
    def keeps_snapshot(self) -> bool:
        """Starred, or with a note or tags: exports then need no list file."""
        return bool(self.starred or self.note or self.tags)

    @property
    def updated(self) -> int:
        """When any of its marks last changed."""
        return max(self.read_at, self.starred_at, self.note_at, self.tags_at)

    def with_read(self, value: bool, now: int) -> Mark:
        return self._replace(read=value, read_at=now)

    def with_star(self, paper: Paper | None, now: int) -> Mark:
        """Starred with `paper` as its snapshot, or unstarred when `paper` is None; starred
        again, it keeps its time and its place among the stars."""
        if paper is None:
            return self._replace(starred=False, starred_at=now).with_snapshot(self.paper)
        if self.starred:
            return self._replace(paper=paper)
        return self._replace(starred=True, starred_at=now, paper=paper)

    def with_note(self, note: str, paper: Paper, now: int) -> Mark:
        """With `note` (cleaned: `clean_note`), the snapshot `paper` kept while needed."""
        return self._replace(note=clean_note(note), note_at=now).with_snapshot(paper)

    def with_tags(self, tags: Iterable[str], paper: Paper, now: int) -> Mark:
        """With `tags` (cleaned: `clean_tags`), the snapshot `paper` kept while needed."""
        return self._replace(tags=clean_tags(tags), tags_at=now).with_snapshot(paper)

    def with_snapshot(self, paper: Paper | None) -> Mark:
        """With `paper` as its snapshot if it keeps one (`keeps_snapshot`), else none."""
        return self._replace(paper=paper if self.keeps_snapshot else None)


def clean_note(text: str) -> str:
    """A note safe to show and store: each line cleaned (`parsing.clean`) keeping its
    indentation (markdown lists and code), line breaks kept, blank lines at the ends dropped."""
    lines = []
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        cleaned = clean_text(line)
        lines.append(" " * indent + cleaned if cleaned else "")
    return "\n".join(lines).strip("\n")


def clean_tag(text: str) -> str:
    """One tag: cleaned (`parsing.clean`), lower case, without commas or a leading `#`,
    inner spaces joined by `-` ("Reinforcement Learning" is `reinforcement-learning`)."""
    return "-".join(clean_text(text.replace(",", " ")).casefold().lstrip("#").split())


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Each tag cleaned (`clean_tag`), empty ones and repeats left out, order kept."""
    return tuple(dict.fromkeys(filter(None, map(clean_tag, tags))))


def split_tags(text: str) -> tuple[str, ...]:
    """The tags of a comma-separated line, as typed in the app."""
    return clean_tags(text.split(","))


def _flag_value(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} should be true or false, not {value!r}")
    return value


def _note_value(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} should be a string, not {value!r}")
    return clean_note(value)


def _tags_value(value: object, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise TypeError(f"{name} should be a list of strings, not {value!r}")
    return clean_tags(value)


class MarkField(NamedTuple):
    """A mark that merges on its own: `Mark.<name>` and the time it last changed,
    `Mark.<time>` (`<name>_at`), the same keys in the file. `check` turns the file's value
    into the mark's (TypeError when it cannot); `rides` are attributes that go with the value
    (the star's snapshot; a note's and tags' snapshot is settled after a merge:
    `Mark.with_snapshot`)."""

    name: str
    time: str
    check: Callable[[object, str], Any] = _flag_value
    rides: tuple[str, ...] = ()

    @property
    def default(self) -> Any:
        return Mark._field_defaults[self.name]


FIELDS = (
    MarkField("read", "read_at"),
    MarkField("starred", "starred_at", rides=("paper",)),
    MarkField("note", "note_at", _note_value),
    MarkField("tags", "tags_at", _tags_value),
)
# per field: where its value and time are in a Mark, and every place a merge copies
FIELD_COLUMNS = [
    (
        Mark._fields.index(field.name),
        Mark._fields.index(field.time),
        tuple(map(Mark._fields.index, (field.name, field.time, *field.rides))),
    )
    for field in FIELDS
]
NO_MARK = Mark()
# Work over all entries goes this many at a time: each C call then holds the interpreter lock
# for about a millisecond, so the saver thread never stalls the UI thread for long.
CHUNK = 2000
# Keys whose flags a table made later (`EntriesLater`) finds by scanning, before it makes its
# marks: the first frame shows a paper or two.
EARLY_LOOKUPS = 8
T = TypeVar("T")


def chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """`items` in slices of `CHUNK`."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


READ = itemgetter(Mark._fields.index("read"))  # faster than attrgetter on a named tuple
STARRED = itemgetter(Mark._fields.index("starred"))
# the values of every field, all false in a tombstone
MARKED = itemgetter(*(Mark._fields.index(field.name) for field in FIELDS))


class MarkCounts(NamedTuple):
    read: int
    starred: int


class EntriesLater:
    """Entries known at first by their keys and flags, their marks made on first need.

    A start from the cache (`tui.core.state_cache`) would spend tens of milliseconds making the
    marks of 50,000 entries and the dict that finds them, which the first frame need not wait
    for: it shows a paper or two, whose flags a scan of the keys finds (in C, about a
    millisecond). The app then makes the entries in a background thread; any other use makes
    them at once, and so do lookups past `EARLY_LOOKUPS`.
    """

    def __init__(
        self,
        keys: list[str],
        read: list[bool],
        starred: list[bool],
        make: Callable[[], dict[str, Mark]],
    ) -> None:
        self._keys, self._read, self._starred, self._make = keys, read, starred, make
        self._early: dict[str, tuple[bool, bool]] = {}
        self._early_lock = threading.Lock()
        self._entries: dict[str, Mark] | None = None
        self._lock = threading.Lock()  # held while the entries are made

    def flags(self, key: str) -> tuple[bool, bool] | None:
        """(read, starred) of `key` found by a scan, or None once the entries are better made
        (or made). Never waits for the entries being made in another thread: no mark changes
        before they are made."""
        if self._entries is not None:
            return None
        with self._early_lock:
            flags = self._early.get(key)
            if flags is None and len(self._early) < EARLY_LOOKUPS:
                try:
                    index = self._keys.index(key)
                except ValueError:
                    flags = (False, False)
                else:
                    flags = (self._read[index], self._starred[index])
                self._early[key] = flags
            return flags

    def entries(self) -> dict[str, Mark]:
        """The entries, made once (from any thread)."""
        with self._lock:
            if self._entries is None:
                with collections_paused(long_lived=True):
                    self._entries = self._make()
                self._keys, self._read, self._starred = [], [], []  # no longer needed
            return self._entries


class MarkTable:
    """Entries by paper key with running counts, so the UI never scans the table; or, made
    `later`, entries to be made on first need."""

    __slots__ = ("_entries", "_later", "read_count", "starred_count")

    def __init__(
        self, entries: dict[str, Mark] | None = None, counts: MarkCounts | None = None
    ) -> None:
        """A table of `entries`, whose `counts` are counted unless given."""
        self._entries: dict[str, Mark] | None = entries if entries is not None else {}
        self._later: EntriesLater | None = None
        if counts is None:
            marks = list(self._entries.values())
            read = sum(sum(map(READ, part)) for part in chunks(marks))
            counts = MarkCounts(read, sum(sum(map(STARRED, part)) for part in chunks(marks)))
        self.read_count, self.starred_count = counts

    @classmethod
    def later(cls, entries: EntriesLater, counts: MarkCounts) -> MarkTable:
        """A table whose entries are made on first need."""
        table = cls({}, counts)
        table._entries, table._later = None, entries
        return table

    @property
    def entries(self) -> dict[str, Mark]:
        return self.make_entries()

    def make_entries(self) -> dict[str, Mark]:
        """The entries; those of a table made `later` are made now, in the calling thread."""
        entries = self._entries
        if entries is None:
            assert self._later is not None
            entries = self._entries = self._later.entries()
        return entries

    def is_read(self, key: str) -> bool:
        entries = self._entries
        if entries is None:
            return self._flags_before_entries(key)[0]
        return entries.get(key, NO_MARK).read

    def is_starred(self, key: str) -> bool:
        entries = self._entries
        if entries is None:
            return self._flags_before_entries(key)[1]
        return entries.get(key, NO_MARK).starred

    def flags_of(self, keys: list[str]) -> tuple[list[bool], list[bool]]:
        """(read, starred) of each key, in C loops once the entries are made (a batch of
        papers arriving looks its marks up at once)."""
        entries = self._entries
        if entries is None:
            return [self.is_read(key) for key in keys], [self.is_starred(key) for key in keys]
        marks = list(map(entries.get, keys, repeat(NO_MARK, len(keys))))
        return list(map(READ, marks)), list(map(STARRED, marks))

    def _flags_before_entries(self, key: str) -> tuple[bool, bool]:
        assert self._later is not None
        flags = self._later.flags(key)
        if flags is None:
            mark = self.entries.get(key, NO_MARK)
            flags = (mark.read, mark.starred)
        return flags

    def get(self, key: str) -> Mark:
        return self.entries.get(key, NO_MARK)

    def peek(self, key: str) -> Mark:
        """The mark of `key` if the entries are made, else `NO_MARK`: for painting a note or
        tags, which must not make them on the first frame (the app repaints once made)."""
        entries = self._entries
        return NO_MARK if entries is None else entries.get(key, NO_MARK)

    def put(self, key: str, mark: Mark) -> None:
        entries = self.entries
        old = entries.get(key, NO_MARK)
        self.read_count += mark.read - old.read
        self.starred_count += mark.starred - old.starred
        entries[key] = mark

    def counts(self) -> MarkCounts:
        return MarkCounts(self.read_count, self.starred_count)

    def starred_papers(self) -> list[Paper]:
        """Snapshots of starred papers, oldest star first (a title-only paper if none was kept)."""
        starred = [(key, mark) for key, mark in self.entries.items() if mark.starred]
        starred.sort(key=lambda item: item[1].starred_at)
        return [mark.paper or Paper(title=key) for key, mark in starred]
