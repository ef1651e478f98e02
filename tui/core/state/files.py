"""The state file's primitives: what identifies a version of it, the lock that serialises
writers, and the place a bad file is set aside (it is replaced with `tui.core.atomic`).

- Instances sharing the file serialise their read-merge-write with `fcntl.flock` on a sidecar
  `<name>.lock` (stdlib, no extra dependency; the lock file is never deleted, since deleting lock
  files races). Without `fcntl` (Windows) saves stay atomic but are not serialised.
- A file that cannot be read is never overwritten: it is moved aside to
  `<name>.corrupt-<YYYYmmdd-HHMMSS>`.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock
    fcntl = None  # type: ignore[assignment]

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
