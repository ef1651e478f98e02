"""Changes to Textual for the whole process, made on the fast path while an app runs.

`apply` makes them and returns the function that undoes them; `tui.runtime` calls both, as
the app starts and stops. On the stock path there is nothing to change.

- Strips freed without the cyclic collector (`strip_cycles`).
- The frame rate: Textual reads `TEXTUAL_FPS` once, when `textual.constants` is imported,
  into `constants.MAX_FPS` and `textual.screen.UPDATE_PERIOD` (the period of a screen's
  update timer, made when the screen first refreshes). Both are set for the app's run,
  unless `TEXTUAL_FPS` is set: then Textual's reading of it stands.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from tui.render import fast_path


def apply(frame_rate: int) -> Callable[[], None]:
    """The fast path's changes to Textual, at most `frame_rate` frames a second; the undo."""
    if not fast_path():
        return lambda: None
    from textual import constants, screen

    from tui.render import strip_cycles

    strip_cycles.install()
    if "TEXTUAL_FPS" in os.environ:
        return strip_cycles.uninstall
    usual = constants.MAX_FPS, screen.UPDATE_PERIOD
    constants.MAX_FPS, screen.UPDATE_PERIOD = frame_rate, 1 / frame_rate  # type: ignore[misc]

    def undo() -> None:
        strip_cycles.uninstall()
        constants.MAX_FPS, screen.UPDATE_PERIOD = usual  # type: ignore[misc]

    return undo
