"""The filter line."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import Input

EDIT_KEYS = {"backspace": "delete_left", "delete": "delete_right"}


class FilterInput(Input):
    """An Input that applies Backspace and Delete in the order they were typed, and whose
    keys cost no layout pass. Public API only: the same on both render paths.

    Input inserts characters when it receives their key, but runs Backspace as a binding
    only after the key has bubbled to the app; after a stall, "ab⌫c" would become "ab".
    And Input sets its virtual size on every change, which the next layout sets back: a
    layout of the whole screen per key (~10 ms at 140 columns). Here the size is set in
    place first (when the value is validated, before Input's watcher runs), so Input's own
    assignment changes nothing.

    Enter goes back to the list through the app's `leave_filter`, bound here rather than at
    the app: a config that moves `read_full` off Enter would take Enter from the app.
    """

    BINDINGS = [Binding("enter", "app.leave_filter", show=False, priority=True)]

    def validate_value(self, value: str) -> str:
        self.set_reactive(Input.virtual_size, Size(self.content_width, 1))
        return value

    async def on_key(self, event: events.Key) -> None:
        """Handled before Input's own key handler, which `prevent_default` skips."""
        action = EDIT_KEYS.get(event.key)
        if action is None:
            return
        event.stop()
        event.prevent_default()
        await self.run_action(action)
