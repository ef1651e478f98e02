"""Whole files or nothing: a file is written beside its target under a temporary name, then
renamed over it, so that a reader, or a crash, finds the old file or the new one, never half
of one. Every file papers-tui writes goes this way (the state file, its cache, exports, the
day cache); each says what more it needs (fsync, permissions, a modification time)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from glob import escape
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".tmp"


def _read_umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


UMASK = _read_umask()  # read once at import: os.umask briefly changes it for every thread
USUAL_MODE = 0o666 & ~UMASK  # what `open` gives a new file


@contextlib.contextmanager
def atomic_file(
    path: Path,
    *,
    durable: bool = False,
    keep_mode: bool = False,
    mode: int | None = None,
    mtime: float | None = None,
) -> Iterator[BinaryIO]:
    """A binary file to write the new `path` into: it replaces `path` when the block ends
    without an exception; otherwise it is removed and `path` is left as it was.

    - `durable`: the data and the rename are on the disk when the block ends (fsync of the
      file, then of its folder), so that a power cut too leaves one whole version;
    - `keep_mode`: a file already at `path` keeps its permission bits;
    - `mode`: the permission bits of a new file (default: private, as `mkstemp` makes it);
    - `mtime`: the file's modification time.

    The temporary file is `.<name>.<random>.tmp` beside `path` (`remove_stale_temp_files`).
    The folder must exist.
    """
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as file:
            if keep_mode:
                with contextlib.suppress(FileNotFoundError):
                    os.fchmod(file.fileno(), stat.S_IMODE(os.stat(path).st_mode))
            elif mode is not None:
                os.fchmod(file.fileno(), mode)
            yield file
            file.flush()
            if durable:
                os.fsync(file.fileno())
        if mtime is not None:
            os.utime(temp, (mtime, mtime))
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if durable and hasattr(os, "O_DIRECTORY"):
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def remove_stale_temp_files(path: Path) -> None:
    """Delete the temporary files a killed writer of `path` left behind; only while no other
    writer may be at work on it (for the state file: holding its lock)."""
    for temp in path.parent.glob(f".{escape(path.name)}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            temp.unlink()
