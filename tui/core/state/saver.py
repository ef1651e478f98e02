"""The saver thread: it saves at most `debounce` seconds after the first unsaved change, polls
the file for other instances' saves, retries failed saves and writes the cache once saves pause.
What each of those does is the state's (`tui.core.state.triage_state`): the thread only keeps
the time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SaverTiming:
    """How the saver paces itself, in seconds (tests shorten these)."""

    debounce: float = 0.3  # a save starts this long after the first unsaved change
    poll: float = 1.0  # how often the file is checked for other instances' saves
    retry: float = 5.0  # wait after a failed save
    cache_delay: float = 3.0  # the cache is written once no save followed the last for this long
    tombstone_ttl: float = 30 * 24 * 3600  # how long an unmark is remembered for merges


class Saver:
    """Runs the state's jobs when they are due, on a thread of its own."""

    def __init__(
        self,
        timing: SaverTiming,
        *,
        save_due: Callable[[], float | None],
        save: Callable[[], None],
        file_changed: Callable[[], bool],
        pick_up: Callable[[], None],
        cache_due: Callable[[], float | None],
        write_cache: Callable[[], None],
    ) -> None:
        """`save_due` and `cache_due` give the monotonic time a save or a cache write is due
        (None: nothing to do); `file_changed` says whether another instance may have saved,
        and `pick_up` merges its marks in."""
        self.timing = timing
        self._save_due, self._save = save_due, save
        self._file_changed, self._pick_up = file_changed, pick_up
        self._cache_due, self._write_cache = cache_due, write_cache
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="state-saver", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Something changed: look again at what is due."""
        self._wake.set()

    def stop(self) -> None:
        """Stop the thread and wait for it (a save under way is finished)."""
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        next_poll = time.monotonic() + self.timing.poll
        while True:
            self._wake.clear()
            if self._stopping:
                return
            due = self._save_due()
            now, cache_due = time.monotonic(), self._cache_due()
            if due is not None and due <= now:
                self._save()
            elif next_poll <= now:
                next_poll = now + self.timing.poll
                if self._file_changed():
                    self._pick_up()
            elif cache_due is not None and cache_due <= now:
                self._write_cache()
            else:
                self._wake.wait(min(t for t in (next_poll, due, cache_due) if t is not None) - now)
