"""Process-wide settings for the app's run: applied when it starts, restored when it stops.

Importing a module of `tui` changes nothing global (a test checks). What the app changes
for the whole process, for speed, is made by its `AppRuntime` in one place, as the app
starts (its Load event) and undone as it stops (its Unmount):

- the interpreter's switch interval (`GIL_SWITCH_SECONDS`);
- the garbage collector's schedule (`IdleCollector`), and what the app freezes out of it
  (`AppRuntime.freeze`: the papers, the index, the marks), thawed at the end;
- Textual, on the fast path only (`tui.render.settings`): strips freed without the
  collector, and the frame rate (`FRAME_RATE`);
- what SIGHUP does (`tui.hangup`), once the app's signals are set up (its Mount).

On Textual's stock path (`tui.render`), one notice says so in Textual's log.

`IdleCollector`: Textual makes thousands of tracked objects a frame that live a while in
caches (each `Strip` makes eight), so with CPython's default schedule a full collection runs
every second or so while keys come: 40-60 ms over the interface's ~30,000 objects (the
papers, index and marks are frozen out of it), the slowest frames by far. It makes the
automatic full pass wait ten times longer and runs the pass itself once input pauses. Young
collections (about a millisecond) run as usual, and objects without reference cycles are
freed at once as ever: only cycles wait longer.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.render import settings as render_settings
from tui.render import stock_notice

if TYPE_CHECKING:
    from textual.app import App

    from tui.hangup import HangUpHandler

# The UI thread waits this long for the GIL while a loader or filter thread runs Python
# (the default is 5 ms): keys and frames are handled sooner, workers lose a little speed.
GIL_SWITCH_SECONDS = 0.001
# Textual paints at most 60 frames a second, so a filter result that arrives just after the
# frame echoing the typed key waits up to 17 ms for the next one; at 120 the wait halves
# (frames are only painted when something changed, so an idle app costs nothing more).
FRAME_RATE = 120
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


class AppRuntime:
    """The process-wide settings of one app's run (see the module's docstring)."""

    def __init__(self) -> None:
        self.collector = IdleCollector()
        self._undo: list[Callable[[], None]] = []  # in the order the settings were made
        self._thaw = False  # whether `stop` unfreezes: nothing was frozen before `start`

    @property
    def started(self) -> bool:
        return bool(self._undo)

    def start(self, app: App) -> None:
        """Apply the settings for `app`'s run (idempotent)."""
        if self.started:
            return
        usual_interval = sys.getswitchinterval()
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        self._undo.append(lambda: sys.setswitchinterval(usual_interval))
        self.collector.start()
        self._undo.append(self.collector.stop)
        self._undo.append(render_settings.apply(FRAME_RATE))
        self._thaw = gc.get_freeze_count() == 0
        app.set_interval(CHECK_SECONDS, self.collector.collect_if_idle)
        if notice := stock_notice():
            app.log.warning(notice)

    def answer_hang_ups(self, handler: HangUpHandler) -> None:
        """Let `handler` answer SIGHUP until `stop` (see `tui.hangup`)."""
        handler.install()
        self._undo.append(handler.uninstall)

    def freeze(self) -> None:
        """Keep what exists now out of the collector's passes (`gc.freeze`), for data that
        lives as long as the app: full passes grow with every paper (~0.2 s at 100,000)
        and stall the UI meanwhile. `stop` thaws it, unless objects were frozen before
        `start` (`gc.unfreeze` cannot tell them apart: all then stay frozen)."""
        gc.freeze()

    def stop(self) -> None:
        """Restore what `start` changed, and thaw what `freeze` froze (idempotent)."""
        while self._undo:
            self._undo.pop()()
        if self._thaw:
            self._thaw = False
            gc.unfreeze()
