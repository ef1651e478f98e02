"""The on-disk cache of fetched days (files, fetch times, freshness)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hf_server import make_items

from parsing.report import InputError
from tui.core.day_cache import DayCache

DAY = date(2025, 9, 8)
FETCHED = datetime(2025, 9, 8, 9, 14, tzinfo=UTC)


def test_days_live_in_the_user_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert DayCache().path(DAY) == tmp_path / "papers-tui" / "days" / "2025-09-08.json"


def test_a_written_day_reads_back_as_papers_of_that_list(tmp_path):
    cache = DayCache(tmp_path)
    items = make_items(3)
    cache.write(DAY, items, FETCHED)
    assert json.loads(cache.path(DAY).read_text(encoding="utf-8")) == items
    papers = list(cache.papers(DAY))
    assert [p.title for p in papers] == [item["paper"]["title"] for item in items]
    assert {p.lists for p in papers} == {("2025-09-08",)}


def test_the_fetch_time_is_the_file_time(tmp_path):
    cache = DayCache(tmp_path)
    assert cache.fetched_at(DAY) is None
    cache.write(DAY, [], FETCHED)
    assert cache.fetched_at(DAY) == FETCHED


def test_a_rewrite_replaces_the_file_and_leaves_no_temp_files(tmp_path):
    cache = DayCache(tmp_path)
    cache.write(DAY, make_items(2), FETCHED)
    cache.write(DAY, make_items(1), FETCHED + timedelta(hours=1))
    assert len(list(cache.papers(DAY))) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025-09-08.json", "parsed"]
    assert [p.name for p in (tmp_path / "parsed").iterdir()] == ["2025-09-08.json"]


def test_a_failed_write_keeps_the_old_copy(tmp_path):
    cache = DayCache(tmp_path)
    cache.write(DAY, make_items(2), FETCHED)
    with pytest.raises(TypeError):
        cache.write(DAY, [object()], FETCHED + timedelta(hours=1))
    assert len(list(cache.papers(DAY))) == 2
    assert cache.fetched_at(DAY) == FETCHED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025-09-08.json", "parsed"]


def test_a_damaged_file_is_an_input_error(tmp_path):
    cache = DayCache(tmp_path)
    cache.write(DAY, [], FETCHED)
    cache.path(DAY).write_text('[{"paper": ', encoding="utf-8")
    with pytest.raises(InputError):
        list(cache.papers(DAY))


@pytest.mark.parametrize(
    ("fetched", "now", "fresh"),
    [
        (FETCHED, FETCHED + timedelta(minutes=29), True),  # today, recent
        (FETCHED, FETCHED + timedelta(minutes=31), False),  # today, stale
        (datetime(2025, 9, 9, 0, 5, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), True),  # done
        (datetime(2025, 9, 8, 23, 50, tzinfo=UTC), datetime(2025, 9, 10, tzinfo=UTC), False),
    ],
)
def test_freshness(tmp_path, fetched, now, fresh):
    cache = DayCache(tmp_path)
    cache.write(DAY, [], fetched)
    assert cache.is_fresh(DAY, now) is fresh


def test_nothing_cached_is_not_fresh(tmp_path):
    assert not DayCache(tmp_path).is_fresh(DAY, FETCHED)
