"""The core (`tui/core`) and the parsers (`parsing`) stand apart from the UI: importing every
one of their modules imports no Textual, and nothing of the app, its widgets or its screens."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import parsing
import tui.core

# What the core may use of `tui` outside `tui.core`: the package itself.
ALLOWED_UI_SIDE = {"tui"}


def modules_below(package: object) -> list[str]:
    path = [str(Path(package.__file__).parent)]  # type: ignore[attr-defined]
    prefix = package.__name__ + "."  # type: ignore[attr-defined]
    return [module.name for module in pkgutil.walk_packages(path, prefix)]


def test_the_walk_finds_the_core_modules() -> None:
    found = modules_below(tui.core)
    assert {"tui.core.store", "tui.core.loader", "tui.core.search"} <= set(found)
    assert len(found) > 15


def test_the_core_and_the_parsers_never_import_the_ui() -> None:
    modules = modules_below(tui.core) + modules_below(parsing)
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    imported = json.loads(result.stdout)
    assert set(modules) <= set(imported)
    assert [name for name in imported if name.split(".")[0] == "textual"] == []
    ui_side = [
        name
        for name in imported
        if name.split(".")[0] == "tui"
        and not name.startswith("tui.core")
        and name not in ALLOWED_UI_SIDE
    ]
    assert ui_side == []
