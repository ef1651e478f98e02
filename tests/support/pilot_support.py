"""Waiting for the app under Pilot: shared by the app and snapshot tests."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.screen import Screen


async def settle(pilot: Pilot, rounds: int = 500) -> None:
    """Wait until loading, a day switch and any filter computation are done, then a repaint."""
    for _ in range(rounds):
        await pilot.pause(0.01)
        if not pilot.app.busy:
            await pilot.pause()
            return
    raise AssertionError("the app did not settle")


async def wait_for_screen(pilot: Pilot, kind: type[Screen], rounds: int = 500) -> Screen:
    """Wait until the app shows a screen of `kind` (e.g. the load failure); return it."""
    for _ in range(rounds):
        await pilot.pause(0.01)
        if isinstance(pilot.app.screen, kind):
            return pilot.app.screen
    raise AssertionError(f"no {kind.__name__} came up")
