"""The filter line."""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.widgets import Input

EDIT_KEYS = {"backspace": "delete_left", "delete": "delete_right"}


class FilterInput(Input):
    """An Input that applies Backspace and Delete in the order they were typed, and whose
    keys cost no layout pass.

    Input inserts characters when it receives their key, but runs Backspace as a binding
    only after the key has bubbled to the app; after a stall, "ab⌫c" would become "ab".
    And Input sets its virtual size on every change, which the next layout sets back: a
    layout of the whole screen per key (~10 ms at 140 columns). Here the size is set in
    place first, so Input's own assignment changes nothing.
    """

    def _watch_value(self, value: str) -> None:
        self.set_reactive(Input.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)

    async def _on_key(self, event: events.Key) -> None:
        action = EDIT_KEYS.get(event.key)
        if action is None:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        await self.run_action(action)
