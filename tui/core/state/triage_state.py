"""The marks of papers (read, star, note, tags), kept in memory, saved by a background thread
(`saver`), merged between instances.

- Saves write a temporary file in the same folder, fsync it, `os.replace` it over the state file
  and fsync the folder: a crash leaves the old file or the new one, never half of one. The path
  is resolved once: a symlinked state file is written through (the link stays a link, the file
  keeps its permissions), with the lock and temporary files beside the file itself.
- Reads take no lock (a replace is atomic): only writing and setting a bad file aside do, so
  a starting or polling instance never delays another one's save (the lock: `files`).
- Conflicted copies a sync tool leaves beside the file (`conflicts`) are merged at load and by
  the poll, and moved aside once their marks are saved.
- The UI thread only updates memory (a dict store under a short lock). The saver thread writes
  at most `debounce` seconds after the first unsaved change, polls the file for other
  instances' saves, and retries failed saves; `close()` writes what is left, or a fallback file.
- A file that cannot be read is never overwritten: it is moved aside and the state starts
  empty. A file that can be read but has bad entries keeps its good ones: the bad entries are
  skipped, the original is copied aside first, and the file is rewritten. A file with a newer
  format version is left alone and the state is read-only. A state loaded read-only (the
  headless commands) reports a bad file and leaves it exactly as it is. The merge rule and the
  file's shape are described in `tui.core.marks.merge` and `tui.core.marks.codec`.
- A start does not parse the file when the cache (`tui.core.state_cache`) holds the entries of
  exactly its bytes (the file is read and hashed beside the cache's reading), and makes their
  marks only when first needed (`EntriesLater` in `tui.core.marks.model`). A start that parses
  it writes the cache, and so does the saver once `cache_delay` passed after a save with no
  other save, `flush` and `close`. Saves and polls parse only what changed (`StateCodec` in
  `tui.core.marks.codec`); polling is a `stat` until the file changes. The saver's work over
  all marks goes in short C calls (see `CHUNK` in `tui.core.marks.model`), so the UI thread
  gets the interpreter lock within a few milliseconds while it saves, and runs with automatic
  garbage collection paused: young passes, whichever thread set them off, would scan its
  50,000-entry containers each time.
- The app's start does not wait for a file the cache has not seen (a sync tool or a hand edit
  changed it): 100,000 marks take seconds to parse. `load(parse_later=True)` then returns
  with no marks, and `finish_loading` (a background thread, after the first paint) parses the
  file; marks set meanwhile are kept, merged field by field with the file's (the newest change
  wins, as between instances), and the app is told to repaint. Nothing is saved or polled
  before that, and `flush`, `close` and `starred_papers` wait for it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from parsing.model import Paper
from tui.core.atomic import atomic_file, remove_stale_temp_files
from tui.core.collector import collections_paused
from tui.core.marks.codec import (
    FORMAT_VERSION,
    DecodedState,
    Layout,
    StateCodec,
    StateFormatError,
    decode_utf8,
)
from tui.core.marks.merge import expire_tombstones, merge, newest
from tui.core.marks.model import Mark, MarkCounts, MarkTable
from tui.core.paths import fallback_state_path, state_cache_path
from tui.core.state.conflicts import ConflictCopies, merge_copies, merged_notice, move_merged
from tui.core.state.files import (
    Signature,
    aside_path,
    describe,
    file_lock,
    file_signature,
)
from tui.core.state.saver import Saver, SaverTiming
from tui.core.state_cache import (
    StateCache,
    content_digest,
    read_in_background,
)


@dataclass(frozen=True, slots=True)
class CloseResult:
    """Outcome of the final save: `ok` when every mark is in the state file."""

    ok: bool
    fallback_path: Path | None = None  # where the marks were written instead
    problem: str | None = None  # one line: why the state file was not written

    @property
    def message(self) -> str | None:
        """One line for the user, None when all went well."""
        if self.ok:
            return None
        if self.fallback_path is not None:
            return f"{self.problem}; your marks were written to {self.fallback_path}"
        return f"{self.problem}; marks of this session could not be saved"


_UNCHANGED: Final = object()  # the file is as this instance last read or wrote it
_PARSE_LATER: Final = object()  # loading: the cache missed, the parse waits for `finish_loading`


class _NeedsLock(Exception):
    """The file must be set aside, which only the holder of the lock may do."""

    def __init__(self, problem: str, decoded: DecodedState | None) -> None:
        super().__init__(problem)
        self.problem = problem  # one line: what is wrong with the file
        self.decoded = decoded  # what could be read of it


class TriageState:
    """Marks of papers (read, starred, note, tags), kept in memory and saved by a background
    thread.

    Methods the UI calls (`is_read`, `is_starred`, `note`, `tags`, the `set_*` methods,
    `marked_keys`, `tags_in_use`) touch memory only. `load`, `flush` and `close` do file I/O
    and block.
    """

    def __init__(
        self,
        path: Path,
        timing: SaverTiming | None = None,
        cache_path: Path | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        # resolved once: a symlinked file is written through (the link stays a link), and the
        # lock, temporary and corrupt copies go beside the file itself
        self.path = Path(os.path.realpath(path))
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.timing = timing or SaverTiming()
        self.read_only = read_only  # then the file is never changed, even when it is bad
        self.notices: list[str] = []
        self.save_error: str | None = None
        self._table = MarkTable()
        self._unsaved: dict[str, Mark] = {}  # changed here, not yet in the file
        self._unsaved_since: float | None = None  # monotonic time of the first unsaved change
        self._rewrite = False  # the file needs writing although no mark changed
        self._failed_at = 0.0
        self._last_time = 0
        self._disk_signature: Signature | None = None  # stat of the version known here
        self._disk_digest: bytes | None = None  # and its content digest
        self._swept = False  # stale temporary files removed
        self._codec = StateCodec()
        self._cache = StateCache(cache_path or state_cache_path(self.path))
        self._loading = False  # the cache is read (and written after a parse) only by `load`
        self._parse_later = False  # a load that misses the cache leaves the parse for later
        self._parse_pending = False  # and left it: no marks of the file yet
        self._load_lock = threading.Lock()  # held while `finish_loading` parses
        self._unwritten_cache: tuple[bytes, Layout] | None = None  # the last save's entries
        self._cache_due: float | None = None  # monotonic time to write them to the cache
        self._conflicts = ConflictCopies(self.path)
        self._merged_copies: dict[Path, None] = {}  # conflicted copies merged, not yet saved
        self._lock = threading.Lock()  # guards the fields above between UI and saver
        self._io_lock = threading.Lock()  # one read-merge-write at a time in this process
        self._saver = Saver(
            self.timing,
            save_due=self._save_due,
            save=lambda: self._sync(write=True),
            file_changed=self._file_changed,
            pick_up=self._pick_up_changes,
            cache_due=lambda: self._cache_due,
            write_cache=self._write_cache,
        )
        self._on_external_change: Callable[[], None] | None = None
        self._app_should_know = False

    # --- the API for the app ------------------------------------------------------------

    @classmethod
    def load(
        cls,
        path: Path,
        *,
        timing: SaverTiming | None = None,
        cache_path: Path | None = None,
        read_only: bool = False,
        parse_later: bool = False,
    ) -> TriageState:
        """The state saved at `path`; file problems become `notices`, never exceptions.

        `cache_path` is where parsed entries are cached (default: `state_cache_path`).
        A `read_only` state (for commands that only read) leaves a bad file as it is.
        `parse_later`: a file the cache does not hold is parsed by `finish_loading`, not here.
        """
        state = cls(path, timing, cache_path, read_only=read_only)
        state._parse_later = parse_later
        with collections_paused(long_lived=True):
            state._load()
            state._merge_conflict_copies()
        return state

    @property
    def loading(self) -> bool:
        """The file's marks are not known yet: `finish_loading` has not parsed it."""
        return self._parse_pending

    def finish_loading(self) -> None:
        """Parse the file `load` left for later, if it did (blocking: call it from a
        background thread), keeping the marks set meanwhile; then the app is told to repaint
        (`start`'s callback), and marks set meanwhile are saved."""
        with self._load_lock:
            if not self._parse_pending:
                return
            self._parse_later = False
            with collections_paused(long_lived=True):
                self._load()
            self._parse_pending = False
            self._app_should_know = True
        self._tell_app()
        self._saver.wake()

    def is_read(self, key: str) -> bool:
        return self._table.is_read(key)

    def is_starred(self, key: str) -> bool:
        return self._table.is_starred(key)

    def flags_of(self, keys: list[str]) -> tuple[list[bool], list[bool]]:
        """(read, starred) of each of `keys`."""
        return self._table.flags_of(keys)

    def make_marks(self) -> None:
        """Make the marks a start from the cache left for later (`EntriesLater`) now, in the
        calling thread: a background one, so that the UI thread need not."""
        self._table.make_entries()

    def set_read(self, paper: Paper, value: bool) -> None:
        self._record(paper.key, lambda mark, now: mark.with_read(value, now))

    def set_starred(self, paper: Paper, value: bool) -> None:
        """Star with a snapshot of `paper` (so export works without the list), or unstar."""
        snapshot = paper if value else None
        self._record(paper.key, lambda mark, now: mark.with_star(snapshot, now))

    def note(self, key: str) -> str:
        return self._table.get(key).note

    def tags(self, key: str) -> tuple[str, ...]:
        return self._table.get(key).tags

    def shown_mark(self, key: str) -> Mark:
        """The mark of `key` for painting: `NO_MARK` until the marks a start from the cache
        left for later are made (`make_marks`), so that the first frame does not make them."""
        return self._table.peek(key)

    def shown_tags(self, key: str) -> tuple[str, ...]:
        """The tags of `key` for painting a row (see `shown_mark`)."""
        return self._table.peek(key).tags

    def marks(self) -> Mapping[str, Mark]:
        """Every mark by paper key (the filter's notes and tags); not a copy: read only."""
        return self._table.entries

    def set_note(self, paper: Paper, text: str) -> None:
        """Set the note of `paper` (cleaned; "" removes it), keeping a snapshot while needed."""
        self._record(paper.key, lambda mark, now: mark.with_note(text, paper, now))

    def set_tags(self, paper: Paper, tags: Iterable[str]) -> None:
        """Set the tags of `paper` (cleaned; none removes them), keeping a snapshot while
        needed."""
        tags = tuple(tags)
        self._record(paper.key, lambda mark, now: mark.with_tags(tags, paper, now))

    def tags_in_use(self) -> dict[str, int]:
        """Every tag with the number of papers that carry it, the most used first (then by
        name)."""
        with self._lock:
            marks = list(self._table.entries.values())
        counts = Counter(tag for mark in marks for tag in mark.tags)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def starred_papers(self) -> list[Paper]:
        """Snapshots of the starred papers in the order they were starred (once the file
        is read: see `finish_loading`)."""
        self.finish_loading()
        with self._lock:
            return self._table.starred_papers()

    def marked_keys(self) -> MarkCounts:
        """How many papers are read and how many starred (O(1))."""
        return self._table.counts()

    def take_notices(self) -> list[str]:
        """The notices not shown yet, emptying the list."""
        with self._lock:
            notices, self.notices = self.notices, []
        return notices

    def start(self, on_external_change: Callable[[], None] | None = None) -> None:
        """Start the saver thread.

        `on_external_change` is called in the saver thread after another instance's marks were
        merged in, and when `notices`, `read_only` or `save_error` changed: repaint from it
        (e.g. with `App.call_from_thread`).
        """
        self._on_external_change = on_external_change
        self._saver.start()
        if self._app_should_know:  # `finish_loading` ended before there was an app to tell
            self._tell_app()

    def flush(self) -> None:
        """Save unsaved marks and the cache now (blocking); a failure is left in `save_error`."""
        self._sync(write=True)
        self._write_cache()

    def close(self) -> CloseResult:
        """Stop the saver and save; if that fails, write the marks to `fallback_state_path()`."""
        self._saver.stop()
        self._sync(write=True)
        self._write_cache()
        with self._lock:
            if not (self._unsaved or self._rewrite):
                return CloseResult(ok=True)
            entries = self._table.entries.copy()
            problem = self.save_error or f"{self.path} is read-only this session"
        target = fallback_state_path()
        try:
            with self._io_lock:
                self._write(target, self._codec.encode(entries))
        except Exception as exc:  # the last chance: report it, never raise at exit
            return CloseResult(False, None, f"{problem}; writing {target} failed: {describe(exc)}")
        return CloseResult(False, target, problem)

    # --- memory -------------------------------------------------------------------------

    def _record(self, key: str, change: Callable[[Mark, int], Mark]) -> None:
        with self._lock:
            now = max(time.time_ns() // 1000, self._last_time + 1)  # strictly increasing
            self._last_time = now
            mark = change(self._table.get(key), now)
            self._table.put(key, mark)
            self._unsaved[key] = mark
            if self._unsaved_since is None:
                self._unsaved_since = time.monotonic()
                self._saver.wake()

    def _notice(self, message: str) -> None:
        with self._lock:
            self.notices.append(message)
            self._app_should_know = True

    def _become_read_only(self, message: str) -> None:
        self.read_only = True
        self._notice(message)

    # --- the file -----------------------------------------------------------------------

    @staticmethod
    def _write(path: Path, chunks: Iterable[bytes]) -> None:
        """Replace `path` with `chunks`, on the disk when this returns (fsync of the file and
        the folder); a file that was there keeps its permissions (a new one is private)."""
        with atomic_file(path, durable=True, keep_mode=True) as file:
            file.writelines(chunks)

    def _load(self) -> None:
        self._loading = True
        try:
            found = self._read(trust_stat=False)
        except OSError as exc:
            self._become_read_only(
                f"Could not read {self.path} ({describe(exc)}); marks will not be saved there"
            )
            return
        finally:
            self._loading = False
        if found is _PARSE_LATER:
            self._parse_pending = True
            return
        table = None
        if isinstance(found, MarkTable):  # from the cache
            table = found
        elif isinstance(found, DecodedState):
            table = MarkTable(found.entries, found.counts)  # decoding made this dict
        with self._lock:
            if table is not None:
                for key, mark in self._unsaved.items():  # set while the file was parsed
                    table.put(key, newest(table.get(key), mark))
                self._table = table
            self._app_should_know = False  # load's notices are read by the app right after

    def _read(self, *, trust_stat: bool) -> DecodedState | MarkTable | object | None:
        """Read without the lock (a replace is atomic); take it only to set a bad file aside."""
        try:
            return self._read_file(trust_stat=trust_stat, may_fix=False)
        except _NeedsLock as needed:
            if self.read_only:
                self._notice(f"{needed.problem}; the file was left as it is")
                return needed.decoded
            with file_lock(self.lock_path, required=False):
                return self._read_file(trust_stat=False, may_fix=True)

    def _read_file(
        self, *, trust_stat: bool, may_fix: bool
    ) -> DecodedState | MarkTable | object | None:
        """The file's entries, `_UNCHANGED`, or None when it holds nothing usable; while
        loading, a table of them when the cache holds them, else `_PARSE_LATER` when the load
        leaves the parse for later.

        Unchanged means the content is the version last read or written here; `trust_stat`
        accepts an unchanged stat instead (cheap, for polling; a reused inode within one mtime
        tick could fool it, so saves always compare content). Moves an unreadable file aside
        and copies a partly readable one aside (`may_fix`: only holding the lock, else raises
        _NeedsLock), and turns the state read-only for a newer format; raises OSError when the
        file could not be read for another reason (nothing was changed then).
        """
        signature = file_signature(self.path)
        if signature is None:
            self._forget_file()
            return None
        if trust_stat and signature == self._disk_signature:
            return _UNCHANGED
        if self._loading and self._parse_later and not self._cache.path.exists():
            return _PARSE_LATER  # no cache to compare the bytes with: all is read later
        try:
            if self._loading:  # read and hashed while the cache is read
                contents = read_in_background(self.path)
                cached = self._cache.read(lambda: contents()[1])
                data, digest = contents()
            else:
                data = self.path.read_bytes()
                cached, digest = None, content_digest(data)
        except (FileNotFoundError, NotADirectoryError):
            self._forget_file()
            return None
        except PermissionError as exc:
            return self._set_aside(describe(exc), may_fix)
        if digest == self._disk_digest:
            self._disk_signature = signature
            return _UNCHANGED
        if cached is not None and cached.toml_digest == digest:  # this very content
            self._codec.adopt(data, cached.layout)
            self._disk_signature, self._disk_digest = signature, digest
            return cached.table()
        if self._loading and self._parse_later:
            return _PARSE_LATER
        try:
            decoded = self._decode(data, digest, signature[1] // 1000)
        except (UnicodeDecodeError, StateFormatError) as exc:
            reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else describe(exc)
            return self._set_aside(reason, may_fix)
        if decoded.version > FORMAT_VERSION:
            self._become_read_only(
                f"{self.path} was written by a newer papers-tui (format version "
                f"{decoded.version}); it is left untouched and marks are not saved to it"
            )
        elif decoded.problems:
            self._keep_original(data, decoded, may_fix)
        self._disk_signature, self._disk_digest = signature, digest
        return decoded

    def _decode(self, data: bytes, digest: bytes, default_updated: int) -> DecodedState:
        """The entries of `data`, whose digest is `digest`, parsed (and cached, while
        loading). Raises UnicodeDecodeError or StateFormatError when `data` is not a state
        file."""
        decoded = self._codec.decode(decode_utf8(data), default_updated)
        layout = self._codec.layout()
        if self._loading and layout is not None:
            self._cache.write(digest, layout)
        return decoded

    def _forget_file(self) -> None:
        if self._disk_digest is not None:  # the file we knew is gone: write memory back
            self._rewrite = True
        self._disk_signature = self._disk_digest = None

    def _keep_original(self, data: bytes, decoded: DecodedState, may_fix: bool) -> None:
        """Copy a partly readable file aside before it is rewritten without the bad parts."""
        count = len(decoded.problems)
        summary = f"{count} unreadable part{'s' if count > 1 else ''} ({decoded.problems[0]})"
        if not may_fix:
            raise _NeedsLock(f"Ignored {summary} of {self.path}", decoded)
        copy = aside_path(self.path)
        try:
            self._write(copy, [data])
        except OSError as exc:
            self._become_read_only(
                f"{self.path} has {summary} and could not be copied aside ({describe(exc)}); "
                "marks will not be saved there"
            )
            return
        self._rewrite = True
        self._notice(f"Ignored {summary} of {self.path}; the original was copied to {copy}")

    def _set_aside(self, reason: str, may_fix: bool) -> None:
        """Move an unreadable file out of the way (it is never overwritten)."""
        if not may_fix:
            raise _NeedsLock(f"Could not read {self.path} ({reason})", None)
        target = aside_path(self.path)
        try:
            os.rename(self.path, target)
        except OSError as exc:
            self._become_read_only(
                f"Could not read {self.path} ({reason}) nor move it aside ({describe(exc)}); "
                "marks will not be saved there"
            )
            return
        self._disk_digest = self._disk_signature = None
        self._rewrite = True
        self._notice(f"Could not read {self.path} ({reason}); it was moved to {target}")

    def _sync(self, *, write: bool) -> None:
        """Merge the file into memory and, when `write`, save the merged marks."""
        self.finish_loading()
        with self._io_lock, collections_paused():
            started = time.monotonic()
            with self._lock:
                if self.read_only or (write and not (self._unsaved or self._rewrite)):
                    return
                unsaved = dict(self._unsaved)
                memory = self._table.entries.copy()
                merged_copies = list(self._merged_copies)
            try:
                merged, changed = (self._save if write else self._pick_up)(memory, unsaved)
            except Exception as exc:  # whatever failed, the marks stay in memory
                # and the file may hold what memory lacks: read it in full next time
                self._disk_signature = self._disk_digest = None
                if write:
                    self._save_failed(exc)
                return
            if merged is not None:
                self._install(merged, unsaved, saved=write, started=started)
                if write and merged_copies:
                    self._move_merged_copies(merged_copies)
            if changed or self._app_should_know:
                self._tell_app()

    def _pick_up_changes(self) -> None:
        """Merge another instance's save, then the conflicted copies new beside the file."""
        self._sync(write=False)
        if self._conflicts.folder_changed() and self._merge_conflict_copies():
            self._tell_app()

    def _merge_conflict_copies(self) -> bool:
        """Merge the conflicted copies new beside the file into memory (`conflicts`); returns
        whether a mark changed. Their marks are saved as this instance's own changes, and the
        copies moved aside once that save is done; a read-only state only merges."""
        with self._io_lock:
            copies, notices = self._conflicts.take()
            for notice in notices:
                self._notice(notice)
            if not copies:
                return False
            with self._lock:
                memory = self._table.entries.copy()
            changes = merge_copies(memory, copies)
            with self._lock:
                for key, mark in changes.items():  # with what changed here meanwhile
                    mark = newest(self._table.get(key), mark)
                    self._table.put(key, mark)
                    if not self.read_only:
                        self._unsaved[key] = mark
                if not self.read_only:
                    self._merged_copies.update(dict.fromkeys(copy.path for copy in copies))
                    self._rewrite = True
                    self._saver.wake()
            if self.read_only:
                self._notice(merged_notice(len(copies), moved=False))
            return bool(changes)

    def _move_merged_copies(self, copies: list[Path]) -> None:
        """Move conflicted copies whose marks were just saved into `conflicts-merged/`."""
        moved, problems = move_merged(self.path, copies)
        with self._lock:
            for copy in copies:
                self._merged_copies.pop(copy, None)
        for problem in problems:
            self._notice(problem)
        if moved:
            self._notice(merged_notice(moved, moved=True))

    def _pick_up(
        self, memory: dict[str, Mark], unsaved: dict[str, Mark]
    ) -> tuple[dict[str, Mark] | None, bool]:
        """Merge in another instance's save: the merged entries (None when there is nothing
        new) and whether a visible mark changed."""
        found = self._read(trust_stat=True)
        if self.read_only or not isinstance(found, DecodedState):
            return None, False
        return merge(memory, found.entries, found.unreadable, unsaved)

    def _save(
        self, memory: dict[str, Mark], unsaved: dict[str, Mark]
    ) -> tuple[dict[str, Mark] | None, bool]:
        """Like `_pick_up`, then write the merged entries; all holding the lock."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:  # a file where a folder should be
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)) from None
        with file_lock(self.lock_path):
            if not self._swept:
                remove_stale_temp_files(self.path)
                remove_stale_temp_files(self._cache.path)
                self._swept = True
            found = self._read_file(trust_stat=False, may_fix=True)
            if self.read_only:  # a newer version wrote it meanwhile: leave it alone
                return None, False
            merged, changed = memory, False
            if isinstance(found, DecodedState):
                merged, changed = merge(memory, found.entries, found.unreadable, unsaved)
            now = time.time_ns() // 1000
            merged = expire_tombstones(merged, now - round(self.timing.tombstone_ttl * 1e6))
            chunks = self._codec.encode(merged)
            self._write(self.path, chunks)
            digest = content_digest(*chunks)
            self._disk_signature, self._disk_digest = file_signature(self.path), digest
            layout = self._codec.layout()
            if layout is not None:  # cached once the saves pause: that costs the saver ~40 ms
                self._unwritten_cache = (digest, layout)
                self._cache_due = time.monotonic() + self.timing.cache_delay
            return merged, changed

    def _write_cache(self) -> None:
        """Cache the entries of the last save, if the file is still the one it wrote.

        Holding the file's lock, like saves: caches are written in the order of the files.
        """
        with self._io_lock, collections_paused():
            pending, self._unwritten_cache, self._cache_due = self._unwritten_cache, None, None
            if pending is None:
                return
            digest, layout = pending
            with contextlib.suppress(OSError), file_lock(self.lock_path, required=False) as held:
                current = file_signature(self.path)
                if held and digest == self._disk_digest and current == self._disk_signature:
                    self._cache.write(digest, layout)

    def _install(
        self, merged: dict[str, Mark], unsaved: dict[str, Mark], *, saved: bool, started: float
    ) -> None:
        table = MarkTable(merged)
        with self._lock:
            newer = {
                key: mark for key, mark in self._unsaved.items() if unsaved.get(key) is not mark
            }
            for key, mark in newer.items():
                table.put(key, mark)
            self._table = table
            if saved:
                self._unsaved = newer
                self._unsaved_since = started if newer else None
                self._rewrite = False
                if self.save_error is not None:
                    self.save_error = None
                    self._app_should_know = True

    def _save_failed(self, exc: BaseException) -> None:
        message = (
            f"Marks not saved to {self.path}: {describe(exc)} "
            f"(retrying every {self.timing.retry:g} s)"
        )
        with self._lock:
            self._failed_at = time.monotonic()
            if message != self.save_error:
                self.save_error = message
                self._app_should_know = True
        if self._app_should_know:
            self._tell_app()

    def _tell_app(self) -> None:
        callback = self._on_external_change
        if callback is None:  # told once there is an app (`start`)
            return
        self._app_should_know = False
        with contextlib.suppress(Exception):  # the app's repaint must not stop the saver
            callback()

    # --- what the saver thread asks ----------------------------------------------------

    def _save_due(self) -> float | None:
        """Monotonic time the next save is due, None when there is nothing to save."""
        with self._lock:
            if self._parse_pending or self.read_only or not (self._unsaved or self._rewrite):
                return None
            due = (self._unsaved_since or 0.0) + self.timing.debounce
            if self.save_error is not None:
                due = max(due, self._failed_at + self.timing.retry)
            return due

    def _file_changed(self) -> bool:
        """Whether the file changed or a conflicted copy may have appeared beside it."""
        try:
            if self._parse_pending or self.read_only:
                return False
            return (
                file_signature(self.path) != self._disk_signature
                or self._conflicts.folder_changed()
            )
        except OSError:
            return False
