"""Regenerate the SVG screenshots in this folder from the real app on the built-in sample.

    python screenshots/make.py

State goes to a temporary folder, so your own marks are neither used nor touched.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE = (140, 40)

Scene = Callable[[object], Awaitable[None]]


async def settle(pilot) -> None:
    app = pilot.app
    for _ in range(300):
        await pilot.pause(0.01)
        if not app.busy:
            break
    await pilot.pause(0.2)


async def main_scene(pilot) -> None:
    await pilot.press("s", "j", "r", "j", "j", "s", "j", "r", "k")


async def filter_scene(pilot) -> None:
    await main_scene(pilot)
    await pilot.press("slash", *"diffusion")


async def help_scene(pilot) -> None:
    await pilot.press("question_mark")


async def reader_scene(pilot) -> None:
    await main_scene(pilot)
    await pilot.press("enter")


SCENES: dict[str, Scene] = {
    "main": main_scene,
    "filter": filter_scene,
    "help": help_scene,
    "reader": reader_scene,
}


async def shoot(name: str, scene: Scene) -> Path:
    from tui.app import PapersApp
    from tui.core.feeds import SampleFeed
    from tui.core.paths import default_state_path
    from tui.core.state.triage_state import TriageState

    app = PapersApp([SampleFeed()], TriageState.load(default_state_path()), today=date.today())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scene(pilot)
        await settle(pilot)
        path = HERE / f"{name}.svg"
        path.write_text(app.export_screenshot(title=f"papers-tui: {name}"), encoding="utf-8")
    return path


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            os.environ[name] = home
        for name, scene in SCENES.items():
            print(asyncio.run(shoot(name, scene)))


if __name__ == "__main__":
    main()
