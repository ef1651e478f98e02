"""The one atomic-write helper (`tui.core.atomic`) and the guarantees each caller asks of it."""

from __future__ import annotations

import os
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tui.core.atomic import USUAL_MODE, atomic_file, remove_stale_temp_files
from tui.core.day_cache import DayCache
from tui.core.export import write_export


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_file(target) as file:
        file.write(b"half of the new")
        raise RuntimeError("stopped mid-way")
    assert target.read_bytes() == b"old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.md"]


def test_a_new_file_is_private_unless_a_mode_is_given(tmp_path: Path) -> None:
    with atomic_file(tmp_path / "private") as file:
        file.write(b"x")
    with atomic_file(tmp_path / "usual", mode=0o644) as file:
        file.write(b"x")
    assert mode_of(tmp_path / "private") == 0o600
    assert mode_of(tmp_path / "usual") == 0o644


def test_keep_mode_keeps_the_permissions_of_the_file_replaced(tmp_path: Path) -> None:
    target = tmp_path / "state.toml"
    target.write_bytes(b"old")
    target.chmod(0o640)
    with atomic_file(target, durable=True, keep_mode=True) as file:
        file.write(b"new")
    assert target.read_bytes() == b"new" and mode_of(target) == 0o640


def test_an_export_gets_the_permissions_open_would_give(tmp_path: Path) -> None:
    target = tmp_path / "folder" / "papers.md"
    write_export(target, "# Papers\n")
    assert target.read_text(encoding="utf-8") == "# Papers\n"
    assert mode_of(target) == USUAL_MODE == 0o666 & ~_umask()


def test_a_cached_day_is_stamped_with_its_fetch_time(tmp_path: Path) -> None:
    cache = DayCache(tmp_path / "days")
    fetched = datetime(2025, 9, 8, 12, 30, tzinfo=UTC)
    cache.write(date(2025, 9, 8), [], fetched)
    assert cache.fetched_at(date(2025, 9, 8)) == fetched


def test_stale_temporary_files_of_one_target_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "state.toml"
    stale = tmp_path / ".state.toml.abc123.tmp"
    other = tmp_path / ".other.toml.abc123.tmp"
    stale.write_bytes(b"")
    other.write_bytes(b"")
    remove_stale_temp_files(target)
    assert not stale.exists() and other.exists()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
