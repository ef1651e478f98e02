"""The app's process-wide settings: none at import, applied while an app runs, restored
after it (`tui.runtime`)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from locations import REPO
from pilot_support import settle
from textual import constants, screen
from textual.strip import Strip

from tui.app import PapersApp
from tui.core.feeds import SampleFeed
from tui.core.state.triage_state import TriageState
from tui.runtime import FRAME_RATE, FULL_PASS_AFTER, GIL_SWITCH_SECONDS

# What the process looks like, as JSON (run here and in a child interpreter).
PROCESS_STATE = """
import gc, os, signal, sys
from textual import constants, screen
from textual.strip import Strip

def process_state():
    return {
        "environ": dict(os.environ),
        "gc_threshold": list(gc.get_threshold()),
        "gc_enabled": gc.isenabled(),
        "gc_freeze_count": gc.get_freeze_count(),
        "switch_interval": sys.getswitchinterval(),
        "strip_methods": [Strip.divide.__module__, Strip.crop_extend.__module__],
        "max_fps": constants.MAX_FPS,
        "update_period": screen.UPDATE_PERIOD,
        "sighup": repr(signal.getsignal(signal.SIGHUP)),
    }
"""

IMPORT_EVERYTHING = """
import importlib, json, pkgutil
before = process_state()
imported = []
for package in ("parsing", "tui"):
    for info in pkgutil.walk_packages(importlib.import_module(package).__path__, package + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
print(json.dumps({"before": before, "after": process_state(), "imported": imported}))
"""


def process_state() -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(PROCESS_STATE, namespace)
    return json.loads(json.dumps(namespace["process_state"]()))


def test_importing_every_module_changes_nothing_global() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROCESS_STATE + IMPORT_EVERYTHING],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    report = json.loads(done.stdout)
    assert {"tui.app", "tui.runtime", "tui.render.plain_lines", "tui.render.settings"} <= set(
        report["imported"]
    )
    assert report["before"]["strip_methods"] == ["textual.strip", "textual.strip"]
    assert report["after"] == report["before"]


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a new process: nothing frozen, Textual's own frame rate."""
    gc.unfreeze()
    monkeypatch.delenv("TEXTUAL_FPS", raising=False)


def sample_app(tmp_path: Path) -> PapersApp:
    return PapersApp([SampleFeed()], TriageState.load(tmp_path / "state.toml"))


async def run_and_observe(tmp_path: Path) -> tuple[dict[str, Any], float]:
    """The process while an app runs (loaded, indexed), and its screen's update period."""
    app = sample_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)  # the marks are made and frozen after the first paint
        during = process_state()
        period = app.screen._update_timer._interval
        await pilot.press("q")
    return during, period


@pytest.mark.usefixtures("fresh_process", "fast_render")
async def test_an_app_run_on_the_fast_path_restores_the_process(tmp_path: Path) -> None:
    before = process_state()
    during, period = await run_and_observe(tmp_path)
    assert during["gc_threshold"] == [*before["gc_threshold"][:2], FULL_PASS_AFTER]
    assert during["gc_freeze_count"] > 0  # the papers, the index and the marks
    assert during["switch_interval"] == pytest.approx(GIL_SWITCH_SECONDS)
    assert during["strip_methods"] == ["tui.render.strip_cycles", "tui.render.strip_cycles"]
    assert (during["max_fps"], period) == (FRAME_RATE, pytest.approx(1 / FRAME_RATE))
    assert "HangUpHandler" in during["sighup"]
    assert process_state() == before


@pytest.mark.usefixtures("fresh_process", "stock_render")
async def test_an_app_run_on_the_stock_path_changes_nothing_in_textual(tmp_path: Path) -> None:
    before = process_state()
    during, period = await run_and_observe(tmp_path)
    assert during["gc_threshold"] == [*before["gc_threshold"][:2], FULL_PASS_AFTER]
    assert during["switch_interval"] == pytest.approx(GIL_SWITCH_SECONDS)
    assert during["strip_methods"] == before["strip_methods"]
    assert during["max_fps"] == constants.MAX_FPS == before["max_fps"]
    assert period == pytest.approx(screen.UPDATE_PERIOD)
    assert process_state() == before


@pytest.mark.usefixtures("fresh_process", "fast_render")
async def test_textual_fps_set_by_the_user_stands(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TEXTUAL_FPS", "30")  # read by Textual at its import: left to it
    during, _ = await run_and_observe(tmp_path)
    assert during["max_fps"] == constants.MAX_FPS
    assert during["strip_methods"] == ["tui.render.strip_cycles", "tui.render.strip_cycles"]
    assert Strip.divide.__module__ == "textual.strip"


@pytest.mark.usefixtures("fresh_process", "fast_render")
async def test_objects_frozen_before_the_app_stay_frozen(tmp_path: Path) -> None:
    kept = [object() for _ in range(10)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        await run_and_observe(tmp_path)
        assert gc.get_freeze_count() >= frozen  # `unfreeze` would have thawed them too
    finally:
        gc.unfreeze()
    assert kept
