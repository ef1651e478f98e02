"""Conflicted copies of the state file that sync tools leave beside it, when two machines
changed the file before either saw the other's change:

- Syncthing: `state.sync-conflict-20261202-101010-ABCDEFG.toml`
  (`<stem>.sync-conflict-<date>-<time>-<device>.<ext>`);
- Dropbox: `state (Alice's conflicted copy 2026-12-02).toml`, also without the name, and with a
  number (`... 2026-12-02 (1)).toml`, `... 2026-12-02) (1).toml`).

Only regular files beside the state file (its resolved path) whose name is one of these count.
Each is read with the state codec and merged into the marks field by field (`merge`: the newer
change of each mark wins, an unmark counts), so a mark added to `FIELDS` merges too. A copy
that cannot be read is left where it is, with one notice naming it. The app moves the copies it
merged into `conflicts-merged/` beside the state file once the merged marks are saved (never
before, so a crash in between loses nothing: the copy is merged again at the next start); the
commands that only read merge them in memory and move nothing.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tui.core.marks.codec import FORMAT_VERSION, StateFormatError, decode_document, decode_utf8
from tui.core.marks.merge import merge
from tui.core.marks.model import Mark
from tui.core.paths import merged_conflicts_folder
from tui.core.state.files import Signature, describe, file_signature

# A folder changed this recently may change again within the same tick of its modification
# time, unseen by a later stat: it is listed again at the next look.
RACY_NS = 1_000_000_000


def conflict_pattern(state_path: Path) -> re.Pattern[str]:
    """The names of the conflicted copies of `state_path` (a whole-name match)."""
    stem, suffix = re.escape(state_path.stem), re.escape(state_path.suffix)
    syncthing = rf"{stem}\.sync-conflict-\d{{8}}-\d{{6}}-[A-Z0-9]{{7}}{suffix}"
    number = r"(?: \(\d+\)| \d+)?"
    dropbox = (
        rf"{stem} \((?:[^()/]+['\u2019]s )?conflicted copy \d{{4}}-\d{{2}}-\d{{2}}{number}\)"
        rf"(?: \(\d+\))?{suffix}"
    )
    return re.compile(f"{syncthing}|{dropbox}")


def find_conflict_copies(state_path: Path) -> list[Path]:
    """The conflicted copies of `state_path` beside it, by name (none when the folder cannot be
    listed)."""
    pattern = conflict_pattern(state_path)
    try:
        with os.scandir(state_path.parent) as entries:
            return sorted(
                Path(entry.path)
                for entry in entries
                if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)
            )
    except OSError:
        return []


@dataclass(frozen=True, slots=True)
class ConflictCopy:
    path: Path
    entries: dict[str, Mark]


class CopyUnreadable(Exception):
    """A conflicted copy that is not a state file this version can merge whole."""


def read_copy(path: Path) -> ConflictCopy:
    """The marks of the copy at `path`; CopyUnreadable says why when it cannot be merged whole
    (a copy with a bad entry is left as it is, like one that is not a state file at all)."""
    try:
        data = path.read_bytes()
        decoded = decode_document(decode_utf8(data), os.stat(path).st_mtime_ns // 1000)
    except UnicodeDecodeError:
        raise CopyUnreadable("not UTF-8 text") from None
    except (OSError, StateFormatError) as exc:
        raise CopyUnreadable(describe(exc)) from None
    if decoded.version > FORMAT_VERSION:
        raise CopyUnreadable(f"written by a newer papers-tui (format version {decoded.version})")
    if decoded.problems:
        raise CopyUnreadable(decoded.problems[0])
    return ConflictCopy(path, decoded.entries)


def merge_copies(entries: Mapping[str, Mark], copies: Iterable[ConflictCopy]) -> dict[str, Mark]:
    """The entries that merging every copy into `entries` changes. Every entry of both sides
    merges per field (both count as unsaved changes to `merge`): nothing either knows is lost."""
    merged = dict(entries)
    for copy in copies:
        merged, _ = merge(merged, copy.entries, (), merged)
    return {key: mark for key, mark in merged.items() if entries.get(key) != mark}


def merged_notice(count: int, *, moved: bool) -> str:
    """The line that tells the user `count` copies were merged."""
    copies = "copy" if count == 1 else "copies"
    where = "moved to conflicts-merged/" if moved else "left in place: the state is only read here"
    return f"merged {count} conflicted {copies} of the state ({where})"


def move_merged(state_path: Path, copies: Iterable[Path]) -> tuple[int, list[str]]:
    """Move merged copies into `conflicts-merged/` beside `state_path` (never over a file there:
    a clash gets a `-2`, `-3`, ... suffix); returns how many moved and one line per copy that
    could not be moved. A copy already gone (another instance moved it) is skipped."""
    folder = merged_conflicts_folder(state_path)
    moved, problems = 0, []
    for copy in copies:
        try:
            folder.mkdir(exist_ok=True)
            os.rename(copy, free_name(folder / copy.name))
        except FileNotFoundError:
            continue
        except OSError as exc:
            problems.append(f"Could not move {copy} to {folder} ({describe(exc)})")
            continue
        moved += 1
    return moved, problems


def free_name(path: Path) -> Path:
    """`path`, or `<stem>-2<suffix>`, `<stem>-3<suffix>`, ... when that is taken."""
    candidate, number = path, 2
    while candidate.exists():
        candidate, number = path.with_name(f"{path.stem}-{number}{path.suffix}"), number + 1
    return candidate


class ConflictCopies:
    """The conflicted copies of one state file that are new since the last look.

    A look lists the folder only when its signature changed (a copy appears by a rename, which
    changes the folder), so a poll costs one `stat`. A copy given out or reported once is not
    given out again until it changes.
    """

    def __init__(self, state_path: Path) -> None:
        self.state_path = state_path
        self._folder_signature: Signature | None = None
        self._handled: dict[Path, Signature] = {}

    def folder_changed(self) -> bool:
        return self._folder_signature is None or (
            file_signature(self.state_path.parent) != self._folder_signature
        )

    def take(self) -> tuple[list[ConflictCopy], list[str]]:
        """The copies not given out yet, read, and one notice per copy that cannot be."""
        looked_at = time.time_ns()
        signature = file_signature(self.state_path.parent)
        racy = signature is None or signature[1] > looked_at - RACY_NS
        self._folder_signature = None if racy else signature
        copies, notices = [], []
        handled: dict[Path, Signature] = {}
        for path in find_conflict_copies(self.state_path):
            copy_signature = file_signature(path)
            if copy_signature is None:  # gone since the folder was listed
                continue
            handled[path] = copy_signature
            if self._handled.get(path) == copy_signature:
                continue
            try:
                copies.append(read_copy(path))
            except CopyUnreadable as exc:
                notices.append(f"Could not read the conflicted copy {path} ({exc}); left there")
        self._handled = handled
        return copies, notices
