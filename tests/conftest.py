"""Shared fixtures: no test touches the user's real folders. The tests are grouped by level:
`unit/` (parsers and the core, in process), `cli/` (the command line and the state file in real
processes), `render/` (the render fence and the process-wide runtime), `app/` (the app under
Pilot, snapshots, tmux); `support/` holds what they share (importable by module name)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "support"))

from tui.render import STOCK_RENDER_VARIABLE, fast_path, stock_reason


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point the XDG folders at a temporary place for every test."""
    home = tmp_path_factory.mktemp("xdg")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    return home


def render_path(monkeypatch: pytest.MonkeyPatch, *, stock: bool) -> Iterator[None]:
    """This test on the stock render path, or the fast one (`tui.render`)."""
    if stock:
        monkeypatch.setenv(STOCK_RENDER_VARIABLE, "1")
    else:
        monkeypatch.delenv(STOCK_RENDER_VARIABLE, raising=False)
    stock_reason.cache_clear()
    try:
        if not stock and not fast_path():
            pytest.skip(f"no fast path here: {stock_reason()}")
        yield
    finally:
        stock_reason.cache_clear()  # chosen again, as the environment is restored


@pytest.fixture
def fast_render(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The fast render path for this test (skipped where Textual is outside the tested
    versions)."""
    yield from render_path(monkeypatch, stock=False)


@pytest.fixture
def stock_render(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Textual's stock render path for this test."""
    yield from render_path(monkeypatch, stock=True)
