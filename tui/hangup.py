"""SIGHUP: the terminal was closed under the app (a window closed, an ssh link dropped), or
someone asked it to quit.

With the terminal still there, the app quits as for SIGTERM. With the terminal gone, a
normal quit would never end: Textual's output thread stops at the first write that fails,
and its shutdown then waits forever to queue the lines that restore the screen. So the
marks are saved and the process ends at once; there is no screen left to restore.

A plain `signal.signal` handler, not the event loop's: it runs even while the loop is
stuck in such a wait, as it would be when the hangup comes during a quit.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import termios
import threading
from collections.abc import Callable
from types import FrameType

SAVE_SECONDS = 5.0  # the most a last save may take before the process ends anyway


def terminal_is_gone(descriptor: int) -> bool:
    """True when `descriptor` is a terminal that hung up (its other end closed)."""
    try:
        termios.tcgetattr(descriptor)
    except termios.error as error:  # ENOTTY for what is no terminal, EIO once hung up
        return error.args[0] == errno.EIO
    except (OSError, ValueError):
        return False
    return False


class HangUpHandler:
    """Installed by the app while it runs; `save` returns whether the marks were saved."""

    def __init__(self, quit_app: Callable[[], None], save: Callable[[], bool]) -> None:
        self._quit_app = quit_app
        self._save = save
        self._previous: object = None

    def install(self) -> None:
        """From the main thread only (signal handlers can be set nowhere else)."""
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGHUP, self._handle)

    def uninstall(self) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGHUP, self._previous)  # type: ignore[arg-type]
            self._previous = None

    def _handle(self, number: int, frame: FrameType | None) -> None:
        if not terminal_is_gone(sys.__stderr__.fileno()):
            self._quit_app()
            return
        # Saved from another thread: the main thread, interrupted here, may hold a lock the
        # save needs; then the process ends after SAVE_SECONDS with what the saver thread,
        # which writes each mark within a second, already wrote.
        saved: list[bool] = []
        saver = threading.Thread(target=lambda: saved.append(self._save()), daemon=True)
        saver.start()
        saver.join(SAVE_SECONDS)
        os._exit(0 if saved == [True] else 1)
