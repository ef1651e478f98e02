"""The main screen: the list and the detail pane, side by side or stacked."""

from __future__ import annotations

from textual import events

from tui.render.lines import PlainScreen

NARROW_WIDTH = 110  # fewer columns than this: the panes are stacked (`Screen.narrow` in app.tcss)


class MainScreen(PlainScreen):
    """Lays the panes out for the terminal's current width: when it is resized while this
    screen is shown, and when it comes back (it may have been resized under the reader).

    Not the app's Resize handler: that runs before Textual's own records the new size,
    so `App.size` there is the previous one (the layout followed the previous size).
    """

    def on_resize(self, event: events.Resize) -> None:
        self._lay_out_for(event.size.width)

    def on_screen_resume(self) -> None:
        self._lay_out_for(self.app.size.width)

    def _lay_out_for(self, width: int) -> None:
        self.set_class(width < NARROW_WIDTH, "narrow")
