"""The filter line."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

EDIT_KEYS = {"backspace": "delete_left", "delete": "delete_right"}


class FilterInput(Input):
    """An Input that applies Backspace and Delete in the order they were typed.

    Input inserts characters when it receives their key, but runs Backspace as a binding
    only after the key has bubbled to the app; after a stall, "ab⌫c" would become "ab".
    """

    async def _on_key(self, event: events.Key) -> None:
        action = EDIT_KEYS.get(event.key)
        if action is None:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        await self.run_action(action)
