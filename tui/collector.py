"""When the garbage collector runs: not in the frame of a key, not over tables being built.

Textual makes thousands of tracked objects a frame that live a while in caches (each
`Strip` makes eight), so with CPython's default schedule a full collection runs every
second or so while keys come: 40-60 ms over the interface's ~30,000 objects (the papers,
index and marks are frozen out of it: see `PapersApp`), the slowest frames by far.
`IdleCollector` makes the automatic full pass wait ten times longer and runs the pass
itself once input pauses. Young collections (about a millisecond) run as usual, and
objects without reference cycles are freed at once as ever: only cycles wait longer.

`collections_paused` keeps automatic collection off while large containers are built
(state loads and saves), which young passes would otherwise scan again and again.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterator

# Middle-generation passes before an automatic full one (CPython's default is 10): with keys
# coming without pause, a full pass every 5-10 s instead of every second.
FULL_PASS_AFTER = 100
IDLE_SECONDS = 0.5  # no input for this long: a full pass that is due runs now
CHECK_SECONDS = 0.25  # how often the app asks


class IdleCollector:
    """Defers full collections to pauses in the input (one app at a time)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_input = clock()
        self._usual: tuple[int, int, int] | None = None  # thresholds before `start`

    def start(self) -> None:
        young, middle, full = self._usual = gc.get_threshold()
        gc.set_threshold(young, middle, max(full, FULL_PASS_AFTER))

    def stop(self) -> None:
        if self._usual is not None:
            gc.set_threshold(*self._usual)
            self._usual = None

    def note_input(self) -> None:
        self._last_input = self._clock()

    def collect_if_idle(self) -> bool:
        """Run a full collection if the usual schedule would have run one by now and input
        paused for `IDLE_SECONDS`; whether it ran."""
        if self._usual is None or not gc.isenabled():
            return False
        due = gc.get_count()[2] >= self._usual[2]
        if not due or self._clock() - self._last_input < IDLE_SECONDS:
            return False
        gc.collect()
        return True


@contextlib.contextmanager
def collections_paused(*, long_lived: bool = False) -> Iterator[None]:
    """No automatic collection meanwhile, in any thread: for work that builds containers of
    many entries (a state save or load makes several of 50,000), which every young pass
    would scan again (10-20 ms each, on whichever thread set it off).

    With `long_lived`, what was made joins the oldest generation at once (`freeze` and
    `unfreeze` move it there), so that young passes do not scan it either; unless some
    objects are frozen, which `unfreeze` would thaw. Nested or concurrent pauses end with
    collection back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if long_lived and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()
