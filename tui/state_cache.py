"""A machine-written copy of the state file's parsed entries, so that a start skips the parse.

tomllib is pure Python: a state of 50,000 marks takes seconds to parse at every start. The
entries of the state file last written or parsed are kept in
`<user cache>/papers-tui/state/<hash of the state file's path>.bin` with the SHA-256 of that
file's bytes (when `tui.state` writes it: see there). A start uses them only when the state
file's bytes have that digest (it reads and hashes them anyway, the hash beside the cache's
reading), so a hand edit, even one that keeps the size and modification time, is a miss. The
TOML stays the state of record: a cache that is missing, stale, truncated, corrupt, unreadable
or unwritable costs one parse, never a mark.

The file: `MAGIC`, a CRC-32 of the rest (damage is a miss, not wrong marks), then frames, each
a length and a marshal blob: a header (tag, digest, counts), the keys `tui.marks.CHUNK` at a
time, `updated` times and text spans as int64 arrays, read and starred flags, and the starred
entries' snapshots `SNAPSHOTS_PER_FRAME` at a time. Columns load at C speed, and each C call
that holds the interpreter lock while the saver thread writes stays short (about a
millisecond). Change `MAGIC` whenever the frames or the meaning of a decoded entry change.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
import threading
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from glob import escape
from itertools import compress, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import platformdirs

from parsing.model import Paper
from parsing.records import paper_from_record
from tui.marks import Layout, Mark, MarkCounts, chunks, snapshot_record

MAGIC = b"papers-tui state cache 1\n"
TEMP_SUFFIX = ".tmp"
SNAPSHOTS_PER_FRAME = 200
_CRC_SIZE = 4
_LENGTH_SIZE = 8
_TAG = ("columns", sys.byteorder)  # int64 arrays are read in this machine's byte order
_UPDATED, _READ, _STARRED = map(itemgetter, map(Mark._fields.index, ("updated", "read", "starred")))


def content_digest(*chunks: bytes) -> bytes:
    """The digest that ties a cache to one version of the state file (SHA-256: hardware
    accelerated on most CPUs, ~5 ms for 8 MB, and hashlib releases the GIL meanwhile)."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.digest()


def default_cache_path(state_path: Path) -> Path:
    """Where the cache of the state file at `state_path` lives (honours XDG_CACHE_HOME)."""
    name = hashlib.sha256(os.fsencode(os.path.realpath(state_path))).hexdigest()[:32]
    return platformdirs.user_cache_path("papers-tui") / "state" / f"{name}.bin"


@dataclass(frozen=True, slots=True)
class CachedState:
    """The entries of the state file whose bytes have `toml_digest`."""

    toml_digest: bytes
    layout: Layout
    counts: MarkCounts


def digest_in_background(data: bytes) -> Callable[[], bytes]:
    """Start `content_digest(data)` in a thread, which runs beside the caller since hashlib
    lets go of the GIL; the function returned waits for the digest."""
    digests: list[bytes] = []
    thread = threading.Thread(target=lambda: digests.append(content_digest(data)), daemon=True)
    thread.start()

    def wait() -> bytes:
        thread.join()
        return digests[0] if digests else content_digest(data)

    return wait


class StateCache:
    """Reads and writes the cache of one state file; failures are misses, never errors."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def read(self) -> CachedState | None:
        """What is cached, if anything; the caller checks `toml_digest`."""
        try:
            data = self.path.read_bytes()
        except OSError:
            return None
        head = len(MAGIC) + _CRC_SIZE
        crc = zlib.crc32(memoryview(data)[head:]).to_bytes(_CRC_SIZE, "big")
        if not data.startswith(MAGIC) or data[len(MAGIC) : head] != crc:
            return None  # not ours, truncated or damaged
        try:
            return _unpack(_read_frames(memoryview(data)[head:]))
        except (ValueError, TypeError, EOFError, KeyError, IndexError, StopIteration):
            return None

    def write(self, toml_digest: bytes, layout: Layout) -> None:
        """Keep `layout` as the entries of the state file whose bytes have `toml_digest`
        (nothing happens when that fails: OSError, or ValueError from marshal)."""
        with contextlib.suppress(OSError, ValueError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(
                dir=self.path.parent, prefix=f".{self.path.name}.", suffix=TEMP_SUFFIX
            )
            try:
                with os.fdopen(fd, "wb") as file:  # no fsync: a torn cache is only a miss
                    file.write(MAGIC + bytes(_CRC_SIZE))
                    crc = 0
                    for frame in self._frames(layout, toml_digest):
                        blob = marshal.dumps(frame)
                        length = len(blob).to_bytes(_LENGTH_SIZE, "big")
                        crc = zlib.crc32(blob, zlib.crc32(length, crc))
                        file.writelines((length, blob))
                    file.seek(len(MAGIC))
                    file.write(crc.to_bytes(_CRC_SIZE, "big"))
                os.replace(temp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise

    def _frames(self, layout: Layout, toml_digest: bytes) -> Iterator[Any]:
        """The frames, made one at a time (see the module docstring)."""
        marks = layout.marks
        starred = list(map(_STARRED, marks))
        stars = list(compress(range(len(marks)), starred))
        key_frames = list(chunks(layout.keys))
        star_frames = range(0, len(stars), SNAPSHOTS_PER_FRAME)
        yield (_TAG, toml_digest, len(marks), len(key_frames), len(star_frames))
        yield from key_frames
        yield array("q", map(_UPDATED, marks)).tobytes()
        yield list(map(_READ, marks))
        yield starred
        yield array("q", layout.starts).tobytes()
        yield array("q", layout.ends).tobytes()
        for start in star_frames:
            frame = {}  # index: (starred_at, snapshot record or None)
            for index in stars[start : start + SNAPSHOTS_PER_FRAME]:
                mark = marks[index]
                record = None if mark.paper is None else snapshot_record(mark.paper)
                frame[index] = (mark.starred_at, record)
            yield frame

    def remove_stale_temp_files(self) -> None:
        """Delete temporary files a killed writer left; call it holding the state file's lock."""
        for temp in self.path.parent.glob(f".{escape(self.path.name)}.*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                temp.unlink()


def _read_frames(data: memoryview) -> Iterator[Any]:
    offset = 0
    while offset < len(data):
        length = int.from_bytes(data[offset : offset + _LENGTH_SIZE], "big")
        offset += _LENGTH_SIZE
        yield marshal.loads(data[offset : offset + length])
        offset += length


def _unpack(frames: Iterator[Any]) -> CachedState | None:
    tag, digest, count, key_frames, star_frames = next(frames)
    if tag != _TAG:
        return None  # another machine's
    keys: list[str] = []
    for _ in range(key_frames):
        keys += next(frames)
    updated = _int64s(next(frames)).tolist()
    read, starred = next(frames), next(frames)
    starts, ends = _int64s(next(frames)), _int64s(next(frames))
    if any(len(column) != count for column in (keys, updated, read, starred, starts, ends)):
        return None
    starred_at: list[int | None] = [None] * count
    papers: list[Paper | None] = [None] * count
    for _ in range(star_frames):
        for index, (at, record) in next(frames).items():
            starred_at[index] = at
            papers[index] = None if record is None else paper_from_record(record)
    rows = zip(updated, read, starred, starred_at, papers, strict=True)
    marks: list[Mark] = list(map(tuple.__new__, repeat(Mark), rows))  # Mark._make at C speed
    counts = MarkCounts(read.count(True), starred.count(True))
    return CachedState(digest, Layout(keys, marks, starts, ends), counts)


def _int64s(data: bytes) -> array[int]:
    numbers = array("q")
    numbers.frombytes(data)
    return numbers
