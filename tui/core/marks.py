"""Read and star marks in memory, their merge rule and their TOML shape (no file I/O here).

The file, as a user sees it::

    version = 2

    [papers."sparse mixture of experts for retrieval"]
    read = true
    read_at = 2025-03-14 09:02:03.123456+00:00
    starred = true
    starred_at = 2025-03-14 09:01:00+00:00

    [papers."sparse mixture of experts for retrieval".paper]
    title = "Sparse Mixture of Experts for Retrieval"
    abstract = "..."

Each mark is a field (`FIELDS`) with the time it last changed beside it, `<field>_at`. A field
is stored once it was set: `read = true`, `starred = true` (with a `paper` snapshot so an export
works without the list file). A mark taken back keeps its time, `read = false` with `read_at`
(a tombstone of that field), so that a merge knows the removal is newer than an older mark
another instance still holds; entries with no mark left are dropped after a while. A field
without a time of its own takes the entry's `updated`, which version 1 wrote for a whole entry,
else the file's modification time when the field is there (a hand edit), else it was never set.

Merge rule (per paper and field): each field takes the value with the newer time (at the same
time a mark beats an unmark, in every process); the snapshot goes with the star. A mark added
later (notes, tags) is a new `MarkField` and merges the same way. A running instance merges
three ways: an entry it changed and has not saved yet merges with the file's entry field by
field; any other entry follows the file (so an entry removed from the file, by hand or by
tombstone expiry, is removed in memory too). A missing file, or one moved aside as corrupt,
removes nothing.

Version 1 files (one `updated` per entry) load as described; the version is 2 because version 1
would read the `<field>_at` times as unknown fields and rewrite the file without them.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate, compress, pairwise, repeat
from operator import add, is_not, itemgetter, not_, or_
from typing import Any, NamedTuple, TypeGuard, TypeVar

from parsing.model import Paper
from parsing.records import paper_from_record, paper_to_record
from tui.collector import collections_paused

# tomllib and tomli_w are imported where a document is parsed or written: a start from the
# cache (`tui.core.state_cache`) needs neither, and they take milliseconds to import.
FORMAT_VERSION = 2
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)
# Record fields a snapshot leaves out: derived from other fields.
DERIVED_RECORD_FIELDS = frozenset({"key", "url", "arxiv_url"})
SNAPSHOT_FIELDS = frozenset(paper_to_record(Paper(title="x"))) - DERIVED_RECORD_FIELDS
TOP_LEVEL_FIELDS = ("version", "papers")


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
    paper: Paper | None = None  # snapshot, kept while starred

    @property
    def is_tombstone(self) -> bool:
        return not (self.read or self.starred)

    @property
    def updated(self) -> int:
        """When any of its marks last changed."""
        return max(self.read_at, self.starred_at)

    def with_read(self, value: bool, now: int) -> Mark:
        return self._replace(read=value, read_at=now)

    def with_star(self, paper: Paper | None, now: int) -> Mark:
        """Starred with `paper` as its snapshot, or unstarred when `paper` is None; starred
        again, it keeps its time and its place among the stars."""
        if paper is None:
            return self._replace(starred=False, starred_at=now, paper=None)
        if self.starred:
            return self._replace(paper=paper)
        return self._replace(starred=True, starred_at=now, paper=paper)


def _flag_value(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} should be true or false, not {value!r}")
    return value


class MarkField(NamedTuple):
    """A mark that merges on its own: `Mark.<name>` and the time it last changed,
    `Mark.<time>` (`<name>_at`), the same keys in the file. `check` turns the file's value
    into the mark's (TypeError when it cannot); `rides` are attributes that go with the value
    (the star's snapshot)."""

    name: str
    time: str
    check: Callable[[object, str], Any] = _flag_value
    rides: tuple[str, ...] = ()

    @property
    def default(self) -> Any:
        return Mark._field_defaults[self.name]


FIELDS = (MarkField("read", "read_at"), MarkField("starred", "starred_at", rides=("paper",)))
ENTRY_FIELDS = frozenset({"updated", "paper"} | {name for f in FIELDS for name in (f.name, f.time)})
# per field: where its value and time are in a Mark, and every place a merge copies
_MERGED = [
    (
        Mark._fields.index(field.name),
        Mark._fields.index(field.time),
        tuple(map(Mark._fields.index, (field.name, field.time, *field.rides))),
    )
    for field in FIELDS
]
NO_MARK = Mark()
_PAPER_INDEX = Mark._fields.index("paper")
# Work over all entries goes this many at a time: each C call then holds the interpreter lock
# for about a millisecond, so the saver thread never stalls the UI thread for long.
CHUNK = 2000
DECODE_PIECE = 1 << 20  # bytes decoded per call
# Keys whose flags a table made later (`EntriesLater`) finds by scanning, before it makes its
# marks: the first frame shows a paper or two.
EARLY_LOOKUPS = 8
T = TypeVar("T")


def chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """`items` in slices of `CHUNK`."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


_READ = itemgetter(Mark._fields.index("read"))  # faster than attrgetter on a named tuple
_STARRED = itemgetter(Mark._fields.index("starred"))


def newest(ours: Mark, theirs: Mark) -> Mark:
    """Each field from the entry where it changed last (`ours` itself when that is every
    field); ties break the same way in every process."""
    merged: list[Any] | None = None
    for value, at, columns in _MERGED:
        if (theirs[at], theirs[value]) > (ours[at], ours[value]):
            merged = merged or list(ours)
            for column in columns:
                merged[column] = theirs[column]
    if merged is None:
        return ours
    mark = Mark._make(merged)
    return theirs if mark == theirs else mark


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
            read = sum(sum(map(_READ, part)) for part in chunks(marks))
            counts = MarkCounts(read, sum(sum(map(_STARRED, part)) for part in chunks(marks)))
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

    def _flags_before_entries(self, key: str) -> tuple[bool, bool]:
        assert self._later is not None
        flags = self._later.flags(key)
        if flags is None:
            mark = self.entries.get(key, NO_MARK)
            flags = (mark.read, mark.starred)
        return flags

    def get(self, key: str) -> Mark:
        return self.entries.get(key, NO_MARK)

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


def merge(
    memory: Mapping[str, Mark],
    disk: Mapping[str, Mark] | None,
    unreadable: Collection[str],
    unsaved: Mapping[str, Mark],
) -> tuple[dict[str, Mark], bool]:
    """Three-way merge of memory with the file (see the module docstring).

    `disk` is None when the file holds nothing usable; `unreadable` are keys whose entry in the
    file could not be read (memory's entry is kept); `unsaved` are this instance's changes since
    its last save. Returns the merged entries and whether a read or star differs from memory.
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
    """Whether a read or star differs; entries that are the same object are skipped at C
    speed (a merge keeps the objects of entries that did not change)."""
    for keys, marks in zip(chunks(list(after)), chunks(list(after.values())), strict=True):
        for key in compress(keys, map(is_not, map(before.get, keys), marks)):
            old, new = before.get(key, NO_MARK), after[key]
            if (old.read, old.starred) != (new.read, new.starred):
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
        marked = map(or_, map(_READ, marks), map(_STARRED, marks))
        tombstones = compress(keys, map(not_, marked))
        expired += (key for key in tombstones if entries[key].updated < older_than)
    if not expired:
        return entries
    kept = dict(entries)
    for key in expired:
        del kept[key]
    return kept


# --- the TOML shape -----------------------------------------------------------------------


class StateFormatError(ValueError):
    """The document as a whole is not a state file we understand."""


@dataclass(frozen=True, slots=True)
class DecodedState:
    version: int
    entries: dict[str, Mark]
    unreadable: frozenset[str]  # keys of entries left out because a field had the wrong type
    problems: tuple[str, ...]  # one line per entry or field that was not understood
    counts: MarkCounts | None = None  # of the entries, when known without counting


def encode_entry(key: str, mark: Mark) -> str:
    """One paper's tables as TOML text; a document is the version line plus these, joined."""
    table: dict[str, Any] = {}
    for field in FIELDS:
        value, at = getattr(mark, field.name), getattr(mark, field.time)
        if at or value != field.default:  # set once: a mark, or the tombstone of one
            table[field.name] = value
            if at:
                table[field.time] = _datetime(at)
    if mark.starred and mark.paper is not None:
        table["paper"] = snapshot_record(mark.paper)
    import tomli_w

    return tomli_w.dumps({"papers": {key: table}})


def snapshot_record(paper: Paper) -> dict[str, Any]:
    """`paper_to_record` without derived fields, unknown (None) values and empty lists."""
    return {
        name: value
        for name, value in paper_to_record(paper).items()
        if name not in DERIVED_RECORD_FIELDS and value is not None and value != []
    }


def decode_document(text: str, default_updated: int) -> DecodedState:
    """Entries from a state file's text; raises StateFormatError when it is not one.

    Entries are read one by one: an entry with a field of the wrong type is left out (its key is
    reported in `unreadable`), an unknown field is ignored; both are reported in `problems`.
    `default_updated` is the time of a field written without one (the file's modification
    time).
    """
    import tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StateFormatError(f"not valid TOML: {exc}") from None
    if not document:
        return DecodedState(FORMAT_VERSION, {}, frozenset(), ())
    problems = []
    version = document.get("version")
    if version is None and "papers" in document:  # a hand edit lost the line: marks are there
        version = FORMAT_VERSION
        problems.append(f"no 'version' line, read as version {FORMAT_VERSION}")
    if not _is_version(version) or version < 1:
        raise StateFormatError(f"'version' should be a whole number from 1, not {version!r}")
    papers = document.get("papers", {})
    if not isinstance(papers, dict):
        if version > FORMAT_VERSION:  # a newer shape: nothing we can show, nothing wrong
            return DecodedState(version, {}, frozenset(), ())
        raise StateFormatError(f"'papers' should be a table, not {_type_name(papers)}")
    problems.extend(
        f"unknown top-level field {name!r}" for name in document if name not in TOP_LEVEL_FIELDS
    )
    entries: dict[str, Mark] = {}
    unreadable: set[str] = set()
    for key, value in papers.items():
        mark = _decode_entry_or_report(key, value, default_updated, problems)
        if mark is None:
            unreadable.add(key)
        else:
            entries[key] = mark
    return DecodedState(version, entries, frozenset(unreadable), tuple(problems))


# A paper's table header as tomli_w writes it (a bare or quoted key), on a line of its own;
# found by a literal scan for the prefix, then checked with the pattern.
_HEADER_PREFIX = "[papers."
_ENTRY_HEADER = re.compile(
    r"""\[papers\.(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')\][ \t]*(?:#.*)?\r?$""",
    re.MULTILINE,
)


def _entry_starts(text: str) -> list[int]:
    """Offsets of the lines that open a paper's table (a first line never does: the version
    line comes first)."""
    starts = []
    line_start = text.find("\n" + _HEADER_PREFIX) + 1
    while line_start:
        if _ENTRY_HEADER.match(text, line_start):
            starts.append(line_start)
        line_start = text.find("\n" + _HEADER_PREFIX, line_start) + 1
    return starts


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each entry of a document lies: `text[starts[i]:ends[i]]` is the TOML text of entry
    `keys[i]`, which says `marks[i]`. Only for documents in which every entry was understood."""

    keys: list[str]
    marks: list[Mark]
    starts: Sequence[int]
    ends: Sequence[int]


_HEADER = f"version = {FORMAT_VERSION}\n"


def decode_utf8(data: bytes) -> str:
    """`data.decode()` a megabyte per C call (cut after newlines, which never split a
    character), so that a saver thread decoding 8 MB holds the interpreter lock briefly."""
    view, parts, start = memoryview(data), [], 0
    while start < len(data):
        end = data.find(b"\n", start + DECODE_PIECE) + 1 or len(data)
        parts.append(str(view[start:end], "utf-8"))
        start = end
    return "".join(parts)


def _cut(source: str | bytes, starts: Sequence[int], ends: Sequence[int]) -> Iterator[str]:
    """The texts at `starts`-`ends` of `source` (ASCII when bytes)."""
    pieces = map(source.__getitem__, map(slice, starts, ends))
    return map(bytes.decode, pieces) if isinstance(source, bytes) else pieces


def _layout_of(keys: list[str], marks: list[Mark], lengths: list[int]) -> Layout:
    """The layout of `_HEADER`, a blank line, then texts of `lengths` each followed by a
    newline (offsets in characters)."""
    first = len(_HEADER) + 1
    starts = list(accumulate(map(add, lengths, repeat(1)), initial=first))
    starts.pop()  # where a text after the last would start
    return Layout(keys, marks, starts, list(map(add, starts, lengths)))


class StateCodec:
    """Encodes and decodes state documents, reusing the TOML text of unchanged entries.

    tomli_w and tomllib are pure Python: 100,000 entries take seconds each way. A save writes
    the remembered text of every entry that did not change; a read splits the file at its paper
    headers and parses only pieces it has not seen. A file that does not split cleanly (a hand
    edit with a multi-line string, a table defined twice, ...) is parsed whole instead, with
    the same result. An unchanged hand-formatted entry is written back as the user wrote it.

    Built for a saver thread beside a UI thread: what is remembered holds no object per entry
    besides the strings and marks themselves (50,000 new tuples per save set off full garbage
    collections), and work over all entries goes `CHUNK` entries per C call, so the
    interpreter lock is never held long. `layout()` tells where the entries of the last
    document lie, so that a later start can `adopt` that document without parsing it.
    """

    def __init__(self) -> None:
        self._marks: dict[str, Mark] = {}  # entries whose text is known: what the text says
        self._texts: dict[str, str] = {}  # and that text
        self._keys_by_text: dict[str, str] | None = None  # the reverse, built when first read
        # a document to remember when needed
        self._adopted: tuple[bytes, Callable[[], Layout]] | None = None
        self._layout: Layout | None = None

    def encode(self, entries: Mapping[str, Mark]) -> list[bytes]:
        """The document's bytes, in chunks."""
        self._remember_adopted()
        known = self._marks
        keys, marks = list(entries), list(entries.values())
        lengths: list[int] = []
        data = [_HEADER.encode("utf-8")]  # then "\n" and the texts, "\n" between them
        for some_keys, some_marks in zip(chunks(keys), chunks(marks), strict=True):
            for key in compress(some_keys, map(is_not, map(known.get, some_keys), some_marks)):
                mark, was = entries[key], known.get(key)
                if was is None or was != mark:
                    self._learn(key, mark, encode_entry(key, mark))
                else:
                    known[key] = mark  # an equal mark: remember the one in use
            texts = list(map(self._texts.__getitem__, some_keys))
            lengths += map(len, texts)
            data.append(b"\n")
            data.append("\n".join(texts).encode("utf-8"))
        if len(known) > len(entries):  # it knows every key of `entries`, and others
            for key in [key for key in known if key not in entries]:
                self._forget(key)
        self._layout = _layout_of(keys, marks, lengths)
        return data

    def decode(self, text: str, default_updated: int) -> DecodedState:
        """Like `decode_document`, parsing only entries not seen before."""
        self._remember_adopted()
        self._layout = None
        decoded = self._decode_pieces(text, default_updated)
        return decoded if decoded is not None else decode_document(text, default_updated)

    def layout(self) -> Layout | None:
        """The layout of the document last encoded, decoded or adopted; None when it was not
        read in pieces or had an entry that was not fully understood."""
        if self._adopted is not None:
            return self._adopted[1]()
        return self._layout

    def adopt(self, data: bytes, layout: Callable[[], Layout]) -> None:
        """Take the document `data` (UTF-8) as read, its entries being as `layout()` (a trusted
        record) says. Cheap: the layout is asked for, and the document decoded and cut into
        entries, when the codec is next used.
        """
        self._adopted = (data, layout)
        self._layout = None

    def _remember_adopted(self) -> None:
        if self._adopted is None:
            return
        (data, make_layout), self._adopted = self._adopted, None
        layout = self._layout = make_layout()
        # offsets count characters, so bytes in an ASCII file: then no 8 MB text in one go
        source = data if data.isascii() else decode_utf8(data)
        marks: dict[str, Mark] = {}
        texts: dict[str, str] = {}
        columns = (layout.keys, layout.marks, layout.starts, layout.ends)
        for keys, some_marks, starts, ends in zip(*map(chunks, columns), strict=True):
            marks.update(zip(keys, some_marks, strict=True))
            texts.update(zip(keys, _cut(source, starts, ends), strict=True))
        self._marks, self._texts, self._keys_by_text = marks, texts, None

    def _learn(self, key: str, mark: Mark, text: str) -> None:
        self._forget(key)
        self._marks[key], self._texts[key] = mark, text
        if self._keys_by_text is not None:
            self._keys_by_text[text] = key

    def _forget(self, key: str) -> None:
        self._marks.pop(key, None)
        text = self._texts.pop(key, None)
        if text is not None and self._keys_by_text is not None:
            self._keys_by_text.pop(text, None)

    def _known_key(self, piece: str) -> str | None:
        if self._keys_by_text is None:
            self._keys_by_text = {text: key for key, text in self._texts.items()}
        return self._keys_by_text.get(piece)

    def _decode_pieces(self, text: str, default_updated: int) -> DecodedState | None:
        """The entries, or None when the file must be parsed whole."""
        import tomllib

        starts = _entry_starts(text)
        version = self._version(text[: starts[0]]) if starts else None
        if version is None or not 1 <= version <= FORMAT_VERSION:
            return None
        entries: dict[str, Mark] = {}
        unreadable: set[str] = set()
        problems: list[str] = []
        learnt: dict[str, str] = {}  # texts of entries parsed here, by key
        ends: list[int] | None = []  # None once a piece is not an exact slice of the text
        for start, end in pairwise([*starts, len(text)]):
            piece = text[start:end].rstrip() + "\n"
            key = self._known_key(piece)
            if key is not None:
                mark = self._marks[key]
            else:
                try:
                    key, value = _only_entry(tomllib.loads(piece))
                except (tomllib.TOMLDecodeError, ValueError):
                    return None
                before = len(problems)
                mark = _decode_entry_or_report(key, value, default_updated, problems)
                if mark is not None and len(problems) == before and _has_times(value):
                    learnt[key] = piece
                else:
                    ends = None
            if key in entries or key in unreadable:
                return None  # defined twice: the whole parse says what is wrong
            if mark is None:
                unreadable.add(key)
            else:
                entries[key] = mark
            if ends is not None and text.startswith(piece, start):
                ends.append(start + len(piece))
            else:
                ends = None
        for key, piece in learnt.items():
            self._learn(key, entries[key], piece)
        if ends is not None:
            self._layout = Layout(list(entries), list(entries.values()), starts, ends)
        return DecodedState(version, entries, frozenset(unreadable), tuple(problems))

    @staticmethod
    def _version(head: str) -> int | None:
        import tomllib

        try:
            document = tomllib.loads(head)
        except tomllib.TOMLDecodeError:
            return None
        version = document.get("version")
        return version if document.keys() == {"version"} and _is_version(version) else None


def _only_entry(document: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The one paper a piece of the file defines; ValueError when it defines anything else."""
    papers = document.get("papers")
    if document.keys() != {"papers"} or not isinstance(papers, dict) or len(papers) != 1:
        raise ValueError("not a single paper")
    ((key, value),) = papers.items()
    if not isinstance(value, dict):
        raise ValueError("not a table")
    return key, value


def _decode_entry_or_report(
    key: str, value: object, default_updated: int, problems: list[str]
) -> Mark | None:
    try:
        return _decode_entry(key, value, default_updated, problems)
    except (TypeError, ValueError, KeyError, OverflowError) as exc:
        problems.append(f"papers.{key!r}: {_reason(exc)}")
        return None


def _decode_entry(key: str, value: object, default_updated: int, problems: list[str]) -> Mark:
    if not isinstance(value, dict):
        raise TypeError(f"should be a table, not {_type_name(value)}")
    problems.extend(
        f"papers.{key!r}: unknown field {name!r}" for name in value if name not in ENTRY_FIELDS
    )
    updated = _time(value["updated"], "updated") if "updated" in value else None
    mark = list(NO_MARK)
    for field, (value_index, time_index, _) in zip(FIELDS, _MERGED, strict=True):
        name, time_name = field.name, field.time
        if name in value:
            mark[value_index] = field.check(value[name], name)
        if time_name in value:
            mark[time_index] = _time(value[time_name], time_name)
        elif updated is not None:
            mark[time_index] = updated
        elif name in value:
            mark[time_index] = default_updated
    if _STARRED(mark):
        mark[_PAPER_INDEX] = _snapshot(key, value.get("paper"), problems)
    return Mark._make(mark)


def _has_times(entry: dict[str, Any]) -> bool:
    """Whether every field of `entry` has its time in the text (no file time stands in)."""
    return "updated" in entry or all(f.time in entry for f in FIELDS if f.name in entry)


def _snapshot(key: str, record: object, problems: list[str]) -> Paper | None:
    """The paper a star keeps; a bad one is reported and dropped, the marks stay."""
    if record is None:
        return None
    where = f"papers.{key!r}.paper"
    try:
        if not isinstance(record, dict):
            raise TypeError(f"should be a table, not {_type_name(record)}")
        problems.extend(
            f"{where}: unknown field {name!r}"
            for name in record
            if name not in SNAPSHOT_FIELDS | DERIVED_RECORD_FIELDS
        )
        paper = paper_from_record(record)
        if paper.key != key:
            raise ValueError(f"title {paper.title!r} does not match the key")
    except (TypeError, ValueError, KeyError, OverflowError) as exc:
        problems.append(f"{where}: {_reason(exc)} (snapshot dropped, marks kept)")
        return None
    return paper


def _time(value: object, name: str) -> int:
    """Microseconds since the epoch from a TOML date-time, date or number of seconds."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.astimezone()  # a local date-time
        return (moment - EPOCH) // ONE_MICROSECOND
    if isinstance(value, date):
        return (datetime.combine(value, time()).astimezone() - EPOCH) // ONE_MICROSECOND
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        microseconds = round(value * 1_000_000)
        _datetime(microseconds)  # OverflowError when it cannot be written back
        return microseconds
    raise TypeError(f"{name} should be a date-time or seconds since 1970, not {value!r}")


def _datetime(microseconds: int) -> datetime:
    return EPOCH + timedelta(microseconds=microseconds)


def _is_version(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _type_name(value: object) -> str:
    return "a table" if isinstance(value, dict) else type(value).__name__


def _reason(exc: Exception) -> str:
    return f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
