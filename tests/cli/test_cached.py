"""`--cached`: every day of the day cache as one list, offline, through the installed script."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from hf_server import FakeHub, Reply, make_items
from test_cli import cli, records, stderr_lines

from tui.core.day_cache import DayCache

DAYS = [date(2025, 9, 5), date(2025, 9, 8), date(2025, 9, 9)]  # written out of order
FETCHED = datetime(2025, 9, 10, tzinfo=UTC)


@pytest.fixture
def failing_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """A hub that answers every request with an error, and records it."""
    with FakeHub() as hub:
        hub.queue.extend(Reply(500) for _ in range(50))
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        yield hub


@pytest.fixture
def cache() -> DayCache:
    """Three cached days of three papers each (the user's cache folder: XDG, conftest)."""
    days = DayCache()
    for number, day in enumerate(DAYS):
        days.write(day, make_items(3, day.isoformat(), start=10 * number), FETCHED)
    (days.root / "notes.txt").write_text("not a day", encoding="utf-8")
    return days


def test_list_cached_is_every_day_newest_first_with_no_request(cache, failing_hub):
    result = cli("list", "--cached")
    assert result.returncode == 0, result.stderr
    rows = records(result.stdout)
    assert [row["lists"] for row in rows] == [["2025-09-09"]] * 3 + [["2025-09-08"]] * 3 + [
        ["2025-09-05"]
    ] * 3
    assert [row["title"].split(":")[0] for row in rows[:4]] == [
        "Paper 20",
        "Paper 21",
        "Paper 22",
        "Paper 10",
    ]
    assert result.stderr == ""
    assert failing_hub.requests == []


def test_a_damaged_day_is_one_line_and_the_other_days_still_load(cache, failing_hub):
    cache.path(DAYS[1]).write_text('[{"paper": {"title": "cut', encoding="utf-8")
    cache.path(DAYS[0]).write_bytes(b"\xff\xfe not json")
    result = cli("list", "--cached")
    assert result.returncode == 0, result.stderr
    assert {row["lists"][0] for row in records(result.stdout)} == {"2025-09-09"}
    lines = stderr_lines(result)
    assert len(lines) == 2  # one line per damaged day, each naming its file
    assert "2025-09-08.json" in lines[0] and "2025-09-05.json" in lines[1]
    assert failing_hub.requests == []


def test_an_empty_cache_says_so_in_one_line(failing_hub):
    result = cli("list", "--cached")
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(stderr_lines(result)) == 1
    assert "no day in the cache" in result.stderr
    assert failing_hub.requests == []


def test_export_all_cached_groups_the_papers_by_day(cache, failing_hub):
    result = cli("export", "--all", "--cached")
    assert result.returncode == 0, result.stderr
    headings = [line for line in result.stdout.splitlines() if line.startswith("## ")]
    assert headings == ["## 2025-09-09", "## 2025-09-08", "## 2025-09-05"]
    assert failing_hub.requests == []


def test_cached_with_a_file_or_a_day_is_one_line(cache, failing_hub, tmp_path):
    for extra in (["--date", "2025-09-08"], [str(tmp_path / "list.txt")]):
        result = cli("list", "--cached", *extra)
        assert result.returncode == 1
        assert len(stderr_lines(result)) == 1
        assert "--cached" in result.stderr
