"""A machine-written copy of the state file's parsed entries, so that a start skips the parse.

tomllib is pure Python: a state of 50,000 marks takes seconds to parse at every start. The
entries of the state file last written or parsed are kept in
`<user cache>/papers-tui/state/<hash of the state file's path>.bin` with the SHA-256 of that
file's bytes (when `tui.core.state` writes it: see there). A start uses them only when the state
file's bytes have that digest (it reads and hashes them anyway, the hash beside the cache's
reading), so a hand edit, even one that keeps the size and modification time, is a miss. The
TOML stays the state of record: a cache that is missing, stale, truncated, corrupt, unreadable
or unwritable costs one parse, never a mark.

The file: `MAGIC`, a CRC-32 of the rest (damage is a miss, not wrong marks), then frames, each
a length and a marshal blob: a header (tag, digest, counts), the keys `CHUNK` at a time (see
`tui.core.marks.model`), per mark field (`FIELDS`) its values as a list and its times as an
int64 array, the text spans as int64 arrays, and the snapshots `SNAPSHOTS_PER_FRAME` at a
time, each the tuple of its paper's fields (the date as an ordinal): a paper is rebuilt
without the checks a record from the TOML needs.
Columns load at C speed, and each C call that holds the interpreter lock while the saver
thread writes stays short (about a millisecond). A read checks the frames' shape and keeps
them: keys and flags answer at once, the marks are made when first needed (`CachedState`).
Change `MAGIC` whenever the frames or the meaning of a decoded entry change.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import sys
import threading
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import fields as dataclass_fields
from datetime import date
from itertools import compress, repeat
from operator import is_not, itemgetter
from pathlib import Path
from typing import Any

from parsing.model import Paper, new_paper, paper_fields
from tui.core.atomic import atomic_file
from tui.core.collector import collections_paused
from tui.core.marks.codec import Layout
from tui.core.marks.model import FIELDS, EntriesLater, Mark, MarkCounts, MarkTable, chunks

MAGIC = b"papers-tui state cache 5\n"  # 5: notes and tags
SNAPSHOTS_PER_FRAME = 200
_CRC_SIZE = 4
_LENGTH_SIZE = 8
_TAG = ("columns", sys.byteorder)  # int64 arrays are read in this machine's byte order
_COLUMN = {name: itemgetter(index) for index, name in enumerate(Mark._fields)}


def content_digest(*chunks: bytes) -> bytes:
    """The digest that ties a cache to one version of the state file (SHA-256: hardware
    accelerated on most CPUs, ~5 ms for 8 MB, and hashlib releases the GIL meanwhile)."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.digest()


# mark fields' values (lists) and times (int64 arrays) by Mark field name; text starts and
# ends (int64 arrays); {index: snapshot fields}
_Columns = tuple[dict[str, Any], array, array, dict[int, tuple[Any, ...]]]


class CachedState:
    """The entries of the state file whose bytes have `toml_digest`: their keys, flags and
    counts at once, their marks when first needed (see `tui.core.marks.model.EntriesLater`)."""

    def __init__(self, toml_digest: bytes, keys: list[str], rest: _Columns) -> None:
        self.toml_digest = toml_digest
        self.keys = keys
        self.read, self.starred = rest[0]["read"], rest[0]["starred"]
        self.counts = MarkCounts(self.read.count(True), self.starred.count(True))
        self._rest: _Columns | None = rest  # until the marks are made
        self._layout: Layout | None = None
        self._lock = threading.Lock()

    def table(self) -> MarkTable:
        """The entries as a table whose marks are made on first need."""

        def entries() -> dict[str, Mark]:
            layout = self.layout()
            made: dict[str, Mark] = {}
            for keys, marks in zip(chunks(layout.keys), chunks(layout.marks), strict=True):
                made.update(zip(keys, marks, strict=True))
            return made

        later = EntriesLater(self.keys, self.read, self.starred, entries)
        return MarkTable.later(later, self.counts)

    def layout(self) -> Layout:
        """The entries' layout, its marks made once (from any thread, `CHUNK` at a time: a UI
        thread beside it gets the interpreter lock within a millisecond or two)."""
        with self._lock:
            if self._layout is None:
                with collections_paused(long_lived=True):
                    self._layout = self._make_layout()
                self._rest = None  # no longer needed
            return self._layout

    def _make_layout(self) -> Layout:
        assert self._rest is not None
        fields, starts, ends, snapshots = self._rest
        papers: list[Paper | None] = [None] * len(self.keys)
        for index, snapshot in snapshots.items():
            papers[index] = _snapshot_paper(*snapshot)
        by_name = {name: _as_list(column) for name, column in fields.items()} | {"paper": papers}
        columns = [by_name[name] for name in Mark._fields]
        marks: list[Mark] = []
        for part in zip(*map(chunks, columns), strict=True):
            marks += map(tuple.__new__, repeat(Mark), zip(*part, strict=True))  # Mark._make in C
        return Layout(self.keys, marks, starts, ends)


def read_in_background(path: Path) -> Callable[[], tuple[bytes, bytes]]:
    """Start reading `path` and hashing its bytes in a thread, which runs beside the caller
    (file reads and hashlib let go of the GIL); the function returned waits for the bytes
    and their `content_digest`, or raises what reading raised."""
    outcome: list[tuple[bytes, bytes] | Exception] = []

    def read() -> tuple[bytes, bytes]:
        data = path.read_bytes()
        return data, content_digest(data)

    def work() -> None:
        try:
            outcome.append(read())
        except Exception as exc:  # raised again by `wait`, in the caller's thread
            outcome.append(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()

    def wait() -> tuple[bytes, bytes]:
        thread.join()
        result = outcome[0] if outcome else read()
        if isinstance(result, Exception):
            raise result
        return result

    return wait


class StateCache:
    """Reads and writes the cache of one state file; failures are misses, never errors."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def read(self, wanted: Callable[[], bytes] | None = None) -> CachedState | None:
        """What is cached, if anything; the caller checks `toml_digest`. With `wanted`, the
        digest of the state file as it is now (asked for once the header is read), a cache of
        another version is a miss before its entries are unpacked."""
        try:
            data = self.path.read_bytes()
        except OSError:
            return None
        head = len(MAGIC) + _CRC_SIZE
        crc = zlib.crc32(memoryview(data)[head:]).to_bytes(_CRC_SIZE, "big")
        if not data.startswith(MAGIC) or data[len(MAGIC) : head] != crc:
            return None  # not ours, truncated or damaged
        try:
            return _unpack(_read_frames(memoryview(data)[head:]), wanted)
        except (ValueError, TypeError, EOFError, KeyError, IndexError, StopIteration):
            return None

    def write(self, toml_digest: bytes, layout: Layout) -> None:
        """Keep `layout` as the entries of the state file whose bytes have `toml_digest`
        (nothing happens when that fails: OSError, or ValueError from marshal)."""
        with contextlib.suppress(OSError, ValueError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_file(self.path) as file:  # not durable: a torn cache is only a miss
                file.write(MAGIC + bytes(_CRC_SIZE))
                crc = 0
                for frame in self._frames(layout, toml_digest):
                    blob = marshal.dumps(frame)
                    length = len(blob).to_bytes(_LENGTH_SIZE, "big")
                    crc = zlib.crc32(blob, zlib.crc32(length, crc))
                    file.writelines((length, blob))
                file.seek(len(MAGIC))
                file.write(crc.to_bytes(_CRC_SIZE, "big"))

    def _frames(self, layout: Layout, toml_digest: bytes) -> Iterator[Any]:
        """The frames, made one at a time (see the module docstring)."""
        marks = layout.marks
        papers = list(map(_COLUMN["paper"], marks))
        with_paper = list(compress(range(len(marks)), map(is_not, papers, repeat(None))))
        key_frames = list(chunks(layout.keys))
        snapshot_frames = range(0, len(with_paper), SNAPSHOTS_PER_FRAME)
        yield (_TAG, toml_digest, len(marks), len(key_frames), len(snapshot_frames))
        yield from key_frames
        for field in FIELDS:
            yield list(map(_COLUMN[field.name], marks))
            yield array("q", map(_COLUMN[field.time], marks)).tobytes()
        yield array("q", layout.starts).tobytes()
        yield array("q", layout.ends).tobytes()
        for start in snapshot_frames:
            indexes = with_paper[start : start + SNAPSHOTS_PER_FRAME]
            yield {index: _snapshot_fields(papers[index]) for index in indexes}


def _read_frames(data: memoryview) -> Iterator[Any]:
    offset = 0
    while offset < len(data):
        length = int.from_bytes(data[offset : offset + _LENGTH_SIZE], "big")
        offset += _LENGTH_SIZE
        yield marshal.loads(data[offset : offset + length])
        offset += length


def _unpack(frames: Iterator[Any], wanted: Callable[[], bytes] | None) -> CachedState | None:
    """What the frames hold, checked for shape (their bytes are those written: see `read`);
    None when they are not of the `wanted` digest."""
    tag, digest, count, key_frames, snapshot_frames = next(frames)
    if tag != _TAG:
        return None  # another machine's
    if wanted is not None and digest != wanted():
        return None  # another version of the state file
    keys: list[str] = []
    for _ in range(key_frames):
        keys += next(frames)
    fields: dict[str, Any] = {}
    for field in FIELDS:
        fields[field.name], fields[field.time] = next(frames), _int64s(next(frames))
    starts, ends = _int64s(next(frames)), _int64s(next(frames))
    if any(len(column) != count for column in (keys, starts, ends, *fields.values())):
        return None
    snapshots: dict[int, tuple[Any, ...]] = {}
    for _ in range(snapshot_frames):
        snapshots.update(next(frames))
    for index, snapshot in snapshots.items():
        if not 0 <= index < count or len(snapshot) != _SNAPSHOT_LENGTH:
            return None
    return CachedState(digest, keys, (fields, starts, ends, snapshots))


# Where the date is in a snapshot's fields: marshal writes it as its ordinal.
_PUBLISHED_DATE = [item.name for item in dataclass_fields(Paper)].index("published_date")


def _snapshot_fields(paper: Paper) -> tuple[Any, ...]:
    """Every field of `paper` in `new_paper`'s order, in types marshal writes."""
    fields = paper_fields(paper)
    day = fields[_PUBLISHED_DATE]
    ordinal = None if day is None else day.toordinal()
    return (*fields[:_PUBLISHED_DATE], ordinal, *fields[_PUBLISHED_DATE + 1 :])


_SNAPSHOT_LENGTH = len(_snapshot_fields(Paper(title="x")))


def _snapshot_paper(*fields: Any) -> Paper:
    """The paper of `_snapshot_fields`."""
    day = fields[_PUBLISHED_DATE]
    published_date = None if day is None else date.fromordinal(day)
    return new_paper(*fields[:_PUBLISHED_DATE], published_date, *fields[_PUBLISHED_DATE + 1 :])


def _as_list(column: list[Any] | array[int]) -> list[Any]:
    return column.tolist() if isinstance(column, array) else column


def _int64s(data: bytes) -> array[int]:
    numbers = array("q")
    numbers.frombytes(data)
    return numbers
