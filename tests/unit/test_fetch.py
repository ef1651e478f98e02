"""load_day against a fake daily-papers API on 127.0.0.1 (never the real internet)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hf_server import FakeHub, Reply, Silence, Streamed, closed_port_url, dumps, make_items

import tui
from tui.core.day_cache import DayCache
from tui.core.fetch import SEEK_DAYS, FetchError, load_day
from tui.core.fetch_errors import NoListError
from tui.core.parsed_days import read_parsed, source_stamp

NOW = datetime(2025, 9, 8, 15, 0, tzinfo=UTC)
TODAY = NOW.date()
YESTERDAY = TODAY - timedelta(days=1)
BACKOFF = 0.01


@pytest.fixture(autouse=True)
def no_internet(monkeypatch) -> None:
    """No proxy; without a fake server, the endpoint refuses connections."""
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("HF_ENDPOINT", closed_port_url())


@pytest.fixture
def cache() -> DayCache:
    return DayCache()


@pytest.fixture
def hub(monkeypatch) -> Iterator[FakeHub]:
    with FakeHub() as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        yield server


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def load(cache, sleeps):
    """load_day with fast timeouts, a fixed clock and recorded sleeps."""

    def call(day: date | None = TODAY, now: datetime = NOW, **options: Any):
        options = {"connect_timeout": 1, "read_timeout": 2, "backoff": BACKOFF} | options
        return load_day(day, cache=cache, now=lambda: now, sleep=sleeps.append, **options)

    return call


def add_day(hub: FakeHub, day: date, count: int) -> list[dict[str, Any]]:
    items = make_items(count, day.isoformat())
    hub.days[day.isoformat()] = items
    return items


def titles(items: list[dict[str, Any]]) -> list[str]:
    return [item["paper"]["title"] for item in items]


def test_a_normal_day_streams_every_paper_with_its_links(hub, cache, load):
    items = add_day(hub, TODAY, 12)
    result = load()
    papers = list(result.papers)
    assert (result.day, result.source, result.note) == (TODAY, "network", None)
    assert [p.title for p in papers] == titles(items)
    first = papers[0]
    assert first.arxiv_id == items[0]["paper"]["id"]
    assert first.author_names == ("Author 0-0",)
    assert first.github_repo == items[0]["paper"]["githubRepo"]
    assert first.project_page == items[0]["paper"]["projectPage"]
    assert first.lists == ("2025-09-08",)
    assert hub.requests[0].query == {"date": "2025-09-08", "limit": "100", "p": "0"}
    assert json.loads(cache.path(TODAY).read_text()) == items


def test_a_cache_that_cannot_be_written_does_not_stop_the_papers(hub, tmp_path, sleeps):
    items = add_day(hub, TODAY, 2)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    result = load_day(TODAY, cache=DayCache(blocker / "days"), now=lambda: NOW, sleep=sleeps.append)
    assert [p.title for p in result.papers] == titles(items)


def test_the_request_names_the_app_and_its_version(hub, load):
    add_day(hub, TODAY, 1)
    list(load().papers)
    assert hub.requests[0].headers["User-Agent"] == f"papers-tui/{tui.__version__}"


@pytest.mark.parametrize(("count", "pages"), [(230, [0, 1, 2]), (100, [0, 1]), (99, [0])])
def test_pages_are_followed_until_a_short_one(hub, cache, load, count, pages):
    items = add_day(hub, TODAY, count)
    papers = list(load().papers)
    assert [p.title for p in papers] == titles(items)
    assert hub.pages_asked("2025-09-08") == pages
    assert len(json.loads(cache.path(TODAY).read_text())) == count


def test_an_empty_day_has_no_list(hub, load):
    with pytest.raises(NoListError, match=r"^no list for 2025-09-08$"):
        load()
    assert hub.pages_asked("2025-09-08") == [0]


@pytest.mark.parametrize("answer", ["400", "404"])
def test_a_400_or_404_means_no_list_for_that_day_and_is_not_retried(
    hub, cache, load, sleeps, answer
):
    day = TODAY + timedelta(days=3) if answer == "400" else YESTERDAY
    if answer == "400":
        hub.last_day = TODAY.isoformat()
    else:
        hub.missing.add(day.isoformat())
    with pytest.raises(NoListError, match=f"^no list for {day.isoformat()}$"):
        load(day)
    assert len(hub.requests) == 1
    assert sleeps == []
    assert cache.fetched_at(day) is None


@pytest.mark.parametrize("today_answer", ["empty", "400", "404"])
def test_today_without_a_list_falls_back_to_the_latest_day(hub, load, today_answer):
    if today_answer == "400":
        hub.no_list.add(TODAY.isoformat())
    elif today_answer == "404":
        hub.missing.add(TODAY.isoformat())
    items = add_day(hub, YESTERDAY, 3)
    result = load(None)
    assert result.day == YESTERDAY
    assert result.note == "no list for 2025-09-08 yet: showing 2025-09-07"
    assert [p.title for p in result.papers] == titles(items)
    assert [p.lists for p in load(YESTERDAY).papers] == [("2025-09-07",)] * 3


def test_today_looks_back_at_most_a_week(hub, load):
    with pytest.raises(NoListError, match=r"^no list since 2025-09-01$"):
        load(None)
    assert len(hub.requests) == 8


def test_seeking_back_passes_the_days_without_a_list_and_names_them(hub, load, sleeps):
    start = TODAY - timedelta(days=1)
    hub.missing.add("2025-09-06")  # 404
    hub.no_list.add("2025-09-05")  # 400; 2025-09-04 is empty
    items = add_day(hub, date(2025, 9, 3), 2)
    add_day(hub, start, 1)
    result = load(date(2025, 9, 6), seek=-1)
    assert result.day == date(2025, 9, 3)
    assert result.note == "no list for 2025-09-06, 2025-09-05, 2025-09-04: showing 2025-09-03"
    assert [p.title for p in result.papers] == titles(items)
    assert sleeps == []


def test_seeking_forward_never_goes_beyond_today(hub, load):
    items = add_day(hub, TODAY, 2)
    hub.missing.add(YESTERDAY.isoformat())
    result = load(TODAY - timedelta(days=2), seek=1)
    assert (result.day, result.note) == (
        TODAY,
        "no list for 2025-09-06, 2025-09-07: showing 2025-09-08",
    )
    assert [p.title for p in result.papers] == titles(items)
    hub.days.clear()
    with pytest.raises(NoListError, match=r"^no list for 2025-09-07, 2025-09-08$"):
        load(YESTERDAY, seek=1, refresh=True)  # refresh: today is cached
    with pytest.raises(NoListError, match=r"^no list after today, 2025-09-08$"):
        load(TODAY + timedelta(days=1), seek=1)
    assert max(r.query["date"] for r in hub.requests) == TODAY.isoformat()


def test_seeking_gives_up_after_two_weeks(hub, load):
    start = TODAY - timedelta(days=1)
    add_day(hub, start - timedelta(days=SEEK_DAYS), 1)  # one day too far
    with pytest.raises(NoListError, match=r"^no list for 2025-09-07 … 2025-08-25 \(14 days\)$"):
        load(start, seek=-1)
    assert len(hub.requests) == SEEK_DAYS == 14


def test_a_server_error_is_retried_with_backoff(hub, load, sleeps):
    items = add_day(hub, TODAY, 5)
    hub.queue.extend([Reply(500, b"oops"), Reply(503, b"busy")])
    assert [p.title for p in load().papers] == titles(items)
    assert len(hub.requests) == 3
    assert sleeps == [BACKOFF, 2 * BACKOFF]


def test_429_waits_as_long_as_retry_after_says(hub, load, sleeps):
    items = add_day(hub, TODAY, 5)
    hub.queue.append(Reply(429, b"{}", {"Retry-After": "2"}))
    assert [p.title for p in load().papers] == titles(items)
    assert sleeps == [2.0]


def test_a_long_retry_after_is_not_waited_for(hub, load, sleeps):
    hub.queue.append(Reply(429, b"{}", {"Retry-After": "3600"}))
    with pytest.raises(FetchError, match=r"HTTP 429.*retry after 3600 s"):
        load()
    assert (len(hub.requests), sleeps) == (1, [])


def test_three_failures_give_up_with_the_status(hub, load, sleeps):
    html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    hub.queue.extend([Reply(502, html, {"Content-Type": "text/html"})] * 3)
    with pytest.raises(FetchError, match="answered HTTP 502 Bad Gateway; nothing cached"):
        load()
    assert len(hub.requests) == 3


def test_other_client_errors_are_not_retried(hub, load):
    hub.queue.append(Reply(403, b"{}"))
    with pytest.raises(FetchError, match="HTTP 403"):
        load()
    assert len(hub.requests) == 1


def test_malformed_json_is_a_one_line_error(hub, load, sleeps):
    hub.queue.append(Reply(body=b'[{"paper": nope},\n' + dumps(make_items(2))[1:]))
    with pytest.raises(FetchError, match="invalid JSON in item 1") as caught:
        list(load().papers)
    assert "\n" not in str(caught.value)
    assert sleeps == []


def test_a_complete_answer_that_ends_mid_array_is_an_error(hub, load):
    hub.queue.append(Reply(body=dumps(make_items(3))[:-40]))
    with pytest.raises(FetchError, match="expected one complete JSON array"):
        list(load().papers)


def test_an_html_page_with_status_200_is_named_as_such(hub, load):
    page = b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head></html>"
    hub.queue.append(Reply(200, page, {"Content-Type": "text/html"}))
    with pytest.raises(FetchError, match="sent an HTML page instead of the papers list"):
        load()


def test_a_server_that_never_answers_times_out(hub, load, sleeps):
    hub.queue.extend([Silence()] * 3)
    with pytest.raises(FetchError, match="did not answer in time"):
        load(connect_timeout=0.5, read_timeout=0.2)
    assert len(hub.requests) == 3
    assert sleeps == [BACKOFF, 2 * BACKOFF]


def test_papers_arrive_before_a_slow_response_ends(hub, load):
    items = make_items(4)
    gate = threading.Event()
    first, rest = dumps(items[:1]), dumps(items[1:])
    slow = Streamed([first[:-1] + b",", gate, rest[1:]])
    hub.queue.append(slow)
    result = load()
    papers = iter(result.papers)
    assert next(papers).title == items[0]["paper"]["title"]
    assert (result.day, result.note) == (TODAY, None)
    assert not slow.finished.is_set()
    gate.set()
    assert [p.title for p in papers] == titles(items[1:])


def test_a_page_cut_mid_way_is_fetched_again_without_repeating_papers(hub, load):
    items = add_day(hub, TODAY, 6)
    hub.queue.append(Streamed([dumps(items)[:-300]], complete=False))
    assert [p.title for p in load().papers] == titles(items)
    assert hub.pages_asked("2025-09-08") == [0, 0]


def test_a_connection_lost_mid_way_goes_on_from_the_cache(hub, cache, load):
    items = make_items(6)
    cache.write(TODAY, items, NOW - timedelta(hours=2))
    hub.queue.extend([Streamed([dumps(items[:2])[:-1] + b","], complete=False)] * 3)
    result = load()
    papers = [p.title for p in result.papers]
    assert papers == titles(items)
    assert result.source == "cache"
    assert result.note is not None and result.note.startswith("offline: cached at ")


def test_a_connection_lost_mid_way_without_cache_fails_while_iterating(hub, load):
    items = make_items(6)
    hub.queue.extend([Streamed([dumps(items[:2])[:-1] + b","], complete=False)] * 3)
    result = load()
    with pytest.raises(FetchError, match="broke"):
        list(result.papers)


def test_offline_without_a_cache_is_an_error(load, sleeps):
    refused = r"^cannot reach http://127\.0\.0\.1:\d+: .*; nothing cached for 2025-09-08$"
    with pytest.raises(FetchError, match=refused):
        load(None, endpoint=closed_port_url())
    assert sleeps == [BACKOFF, 2 * BACKOFF]


def test_offline_shows_the_cached_copy_with_its_time(cache, load):
    items = make_items(5)
    fetched = NOW - timedelta(hours=2)
    cache.write(TODAY, items, fetched)
    result = load(None, endpoint=closed_port_url())
    assert (result.day, result.source) == (TODAY, "cache")
    assert result.note == f"offline: cached at {fetched.astimezone():%Y-%m-%d %H:%M}"
    assert [p.title for p in result.papers] == titles(items)


def test_offline_today_shows_the_latest_cached_day(cache, load):
    cache.write(YESTERDAY, make_items(2), NOW - timedelta(hours=20))
    result = load(None, endpoint=closed_port_url())
    assert result.day == YESTERDAY
    assert result.note is not None and result.note.startswith("offline: showing 2025-09-07, ")


def test_a_fresh_copy_of_today_is_served_without_a_request(hub, cache, load):
    items = make_items(3)
    cache.write(TODAY, items, NOW - timedelta(minutes=10))
    result = load()
    assert (result.source, [p.title for p in result.papers]) == ("cache", titles(items))
    assert hub.requests == []


def test_today_older_than_half_an_hour_is_fetched_again(hub, cache, load):
    add_day(hub, TODAY, 3)
    cache.write(TODAY, make_items(1), NOW - timedelta(minutes=31))
    result = load()
    assert (result.source, len(list(result.papers))) == ("network", 3)
    assert len(hub.requests) == 1
    assert cache.fetched_at(TODAY) == NOW


def test_a_past_day_is_fetched_once(hub, cache, load):
    add_day(hub, YESTERDAY, 3)
    assert len(list(load(YESTERDAY).papers)) == 3
    later = NOW + timedelta(days=30)
    result = load(YESTERDAY, now=later)
    assert (result.source, len(list(result.papers))) == ("cache", 3)
    assert len(hub.requests) == 1


def test_a_past_day_cached_before_it_ended_is_fetched_again(hub, cache, load):
    add_day(hub, YESTERDAY, 3)
    cache.write(YESTERDAY, make_items(1), datetime.combine(YESTERDAY, datetime.min.time(), UTC))
    assert len(list(load(YESTERDAY).papers)) == 3
    assert len(hub.requests) == 1


def test_refresh_fetches_even_a_fresh_copy(hub, cache, load):
    items = add_day(hub, TODAY, 2)
    cache.write(TODAY, make_items(7), NOW - timedelta(minutes=1))
    result = load(refresh=True)
    assert [p.title for p in result.papers] == titles(items)
    assert len(hub.requests) == 1


def parsed_copy(cache: DayCache, day: date) -> list | None:
    return read_parsed(cache.parsed_path(day), source_stamp(cache.path(day)))


def test_a_fetched_day_keeps_the_papers_it_streamed_as_its_parsed_copy(hub, cache, load):
    add_day(hub, TODAY, 12)
    papers = list(load().papers)
    assert parsed_copy(cache, TODAY) == papers
    cache.parsed_path(TODAY).unlink()
    assert list(cache.papers(TODAY)) == papers  # the same as parsing the day's file


def test_a_page_sent_twice_leaves_a_copy_of_the_day_s_items_only(hub, cache, load):
    items = make_items(100, TODAY.isoformat())
    hub.queue.extend([Reply(body=dumps(items)), Reply(body=dumps(items))])  # `p` ignored
    streamed = list(load().papers)
    assert len(streamed) == 200  # the repeat is only noticed once it has come
    copy = parsed_copy(cache, TODAY)
    assert copy is not None and [p.title for p in copy] == titles(items)
