"""The state file's primitives: what identifies a version of it, the lock that serialises
writers, atomic replacement, and the place a bad file is set aside.

- Instances sharing the file serialise their read-merge-write with `fcntl.flock` on a sidecar
  `<name>.lock` (stdlib, no extra dependency; the lock file is never deleted, since deleting lock
  files races). Without `fcntl` (Windows) saves stay atomic but are not serialised.
- A file that cannot be read is never overwritten: it is moved aside to
  `<name>.corrupt-<YYYYmmdd-HHMMSS>`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from glob import escape
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock
    fcntl = None  # type: ignore[assignment]

TEMP_SUFFIX = ".tmp"

Signature = tuple[int, int, int]  # inode, mtime in ns, size: a cheap "did it change?"


def file_signature(path: Path) -> Signature | None:
    """What identifies one version of the file; None when there is no file."""
    try:
        status = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return status.st_ino, status.st_mtime_ns, status.st_size


@contextlib.contextmanager
def file_lock(lock_path: Path, *, required: bool = True) -> Iterator[bool]:
    """Hold an exclusive flock on `lock_path`; yields whether it is held.

    With `required=False` a lock file that cannot be opened yields False instead of raising
    (reading a file needs no lock to be safe; replacing it does).
    """
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        if required:
            raise
        yield False
        return
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield True
    finally:
        os.close(fd)  # closing releases the lock


def atomic_write(path: Path, chunks: Iterable[bytes]) -> None:
    """Replace `path` with `chunks` so that a crash leaves either the old or the new file; a
    file that was there keeps its permissions (a new one is private)."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.fchmod(fd, stat.S_IMODE(os.stat(path).st_mode))
        with os.fdopen(fd, "wb") as file:
            file.writelines(chunks)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if hasattr(os, "O_DIRECTORY"):
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def remove_stale_temp_files(path: Path) -> None:
    """Delete temporary files a killed writer left behind; call it holding the lock."""
    for temp in path.parent.glob(f".{escape(path.name)}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            temp.unlink()


def aside_path(path: Path) -> Path:
    """A free `<name>.corrupt-<YYYYmmdd-HHMMSS>[-n]` beside `path`."""
    stem = f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"
    candidate, number = path.with_name(stem), 2
    while candidate.exists():
        candidate, number = path.with_name(f"{stem}-{number}"), number + 1
    return candidate


def describe(exc: BaseException) -> str:
    """An exception as a short phrase for a one-line message."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
