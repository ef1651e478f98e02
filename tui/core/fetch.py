"""A day of the Hugging Face Daily Papers list, from the network or the on-disk cache.

Papers stream: each page is parsed while its bytes arrive, so a slow response shows its
first papers before it ends. `load_day` settles which day is shown (and why) on the first
paper, then hands back the rest as an iterator.
"""

from __future__ import annotations

import codecs
import contextlib
import itertools
import json
import os
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.client import HTTPException, HTTPResponse
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPHandler, HTTPSHandler, Request, build_opener

import tui
from parsing.clean import clean_text
from parsing.hf_json import parse_json_chunks
from parsing.links import safe_link
from parsing.model import Paper
from parsing.report import InputError, ParseReport
from tui.core.day_cache import DayCache
from tui.core.fetch_errors import FetchError, NoListError

DEFAULT_ENDPOINT = "https://huggingface.co"
PAGE_SIZE = 100
TRIES = 3
MAX_RETRY_AFTER = 10.0  # seconds; a server asking for a longer wait is not retried
STEP_BACK_DAYS = 7  # how far back "today" looks for the latest day with a list
SEEK_DAYS = 14  # how far `[` and `]` look for a day with a list
_READ_SIZE = 1 << 16


@dataclass
class DayLoad:
    """The day being shown and its papers.

    `note` says why this day or this source (stepped back from an empty today, offline).
    If the connection breaks mid-way and the day is cached, the papers go on from the cache
    and `source` and `note` change while iterating.
    """

    day: date
    source: str  # "network" | "cache"
    note: str | None
    papers: Iterator[Paper] = field(default_factory=lambda: iter(()))


def utc_now() -> datetime:
    return datetime.now(UTC)


class _ReadTimeout:
    """Handler mixin: connect within the request's timeout, then allow `read_timeout` per read."""

    def __init__(self, read_timeout: float) -> None:
        super().__init__()
        self.read_timeout = read_timeout

    def do_open(self, http_class: Any, req: Request, **kwargs: Any) -> HTTPResponse:
        read_timeout = self.read_timeout

        class Connection(http_class):
            def connect(self) -> None:
                super().connect()
                self.sock.settimeout(read_timeout)

        return super().do_open(Connection, req, **kwargs)


class _HTTP(_ReadTimeout, HTTPHandler):
    pass


class _HTTPS(_ReadTimeout, HTTPSHandler):
    pass


@dataclass
class DailyPapersClient:
    """GETs of `/api/daily_papers`, page after page, with retries."""

    endpoint: str = DEFAULT_ENDPOINT
    connect_timeout: float = 5
    read_timeout: float = 20
    backoff: float = 0.5
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        self.endpoint = self.endpoint.rstrip("/")
        self._opener = build_opener(_HTTP(self.read_timeout), _HTTPS(self.read_timeout))

    def stream(self, day: date) -> Generator[Paper, None, list[Any]]:
        """Yield the day's papers as they arrive; return all raw items once complete."""
        items: list[Any] = []
        previous: list[Any] | None = None
        page = 0
        while True:
            page_items = yield from self._page(day, page)
            if page_items == previous:  # a server that ignores `p`: nothing more to get
                return items
            items.extend(page_items)
            if len(page_items) < PAGE_SIZE:
                return items
            previous = page_items
            page += 1

    def _page(self, day: date, page: int) -> Generator[Paper, None, list[Any]]:
        query = urlencode({"date": day.isoformat(), "limit": PAGE_SIZE, "p": page})
        url = f"{self.endpoint}/api/daily_papers?{query}"
        request = Request(url, headers={"User-Agent": user_agent(), "Accept": "application/json"})
        done = 0  # papers of this page already yielded: a retry skips them
        attempt = 1
        while True:
            text: list[str] = []
            report = ParseReport(f"daily papers {day} from {self.endpoint}")
            try:
                with self._opener.open(request, timeout=self.connect_timeout) as response:
                    chunks = _decoded_chunks(response, text)
                    papers = parse_json_chunks(chunks, report, list_label=day.isoformat())
                    for index, paper in enumerate(papers):
                        if index >= done:
                            done += 1
                            yield paper
                return _items(text, report)
            except InputError as error:
                raise FetchError(self._bad_body(text, error)) from None
            except (OSError, HTTPException) as error:
                self.sleep(self._retry_delay(day, error, attempt))
                attempt += 1

    def _retry_delay(self, day: date, error: OSError | HTTPException, attempt: int) -> float:
        """Seconds to wait before the next try; raises FetchError when not worth retrying."""
        wait = None
        if isinstance(error, HTTPError):
            error.close()
            if error.code in (400, 404):  # 400: a future day; 404: a day with no list
                raise NoListError(f"no list for {day.isoformat()}") from None
            if error.code != 429 and error.code < 500:
                raise FetchError(self._describe(error)) from None
            wait = _retry_after(error.headers.get("Retry-After"))
            if wait is not None and wait > MAX_RETRY_AFTER:
                raise FetchError(f"{self._describe(error)}, retry after {wait:g} s") from None
        if attempt == TRIES:
            raise FetchError(self._describe(error)) from None
        return wait if wait is not None else self.backoff * 2 ** (attempt - 1)

    def _describe(self, error: OSError | HTTPException) -> str:
        """One line; what the server said (its reason phrase) is outside text, so clean."""
        if isinstance(error, HTTPError):
            return f"{self.endpoint} answered HTTP {error.code} {clean_text(str(error.reason))}"
        reason = error.reason if isinstance(error, URLError) else error
        if isinstance(reason, TimeoutError):
            return f"{self.endpoint} did not answer in time"
        if isinstance(error, URLError):
            return f"cannot reach {self.endpoint}: {getattr(reason, 'strerror', None) or reason}"
        return f"connection to {self.endpoint} broke: {getattr(error, 'strerror', None) or error!r}"

    def _bad_body(self, text: list[str], error: InputError) -> str:
        if "".join(text[:2]).lstrip().startswith("<"):
            return f"{self.endpoint} sent an HTML page instead of the papers list"
        return str(error)


def user_agent() -> str:
    return f"papers-tui/{tui.__version__}"


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds; the HTTP-date form is ignored (ordinary backoff applies)."""
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _items(text: list[str], report: ParseReport) -> list[Any]:
    """The raw items of a page the parser went through (kept for the cache)."""
    try:
        items = json.loads("".join(text))
    except ValueError:
        items = None
    if not isinstance(items, list):
        raise InputError(f"{report.name}: expected one complete JSON array")
    return items


def _decoded_chunks(response: HTTPResponse, sink: list[str]) -> Iterator[str]:
    """The body as text, chunk by chunk as it arrives; each chunk is also added to `sink`."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    while True:
        data = response.read1(_READ_SIZE)
        text = decoder.decode(data, final=not data)
        if text:
            sink.append(text)
            yield text
        if not data:
            return


def load_day(
    day: date | None = None,
    *,
    seek: int = 0,
    refresh: bool = False,
    endpoint: str | None = None,
    cache: DayCache | None = None,
    connect_timeout: float = 5,
    read_timeout: float = 20,
    backoff: float = 0.5,
    now: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], None] = time.sleep,
) -> DayLoad:
    """Open `day` (default: today in UTC, or the latest of the last 7 days that has a list).

    With `seek` (-1 or 1), a day without a list (or with an empty one) is passed: the next
    day in that direction is tried, up to `SEEK_DAYS` days and never after today, and the
    note names the days passed. Fresh cached days are served without a request; otherwise
    the network is asked, and when it fails the cached copy (possibly older) is shown with
    an "offline" note. Raises NoListError when no day tried has papers, FetchError when
    neither the network nor the cache works. Returns as soon as the first paper is known.
    """
    cache = cache if cache is not None else DayCache()
    client = make_client(
        endpoint,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        backoff=backoff,
        sleep=sleep,
    )
    today = now().astimezone(UTC).date()
    asked = day if day is not None else today
    candidates = _candidates(asked, seek if day is not None else -1, today)
    if day is None:
        candidates = candidates[: STEP_BACK_DAYS + 1]
    passed: list[date] = []  # days tried that had no list
    for index, candidate in enumerate(candidates):
        note = _passed_note(day is None, asked, passed, candidate)
        if not refresh and cache.is_fresh(candidate, now()):
            papers = _peeked(cached_papers(cache, candidate))
            if papers is not None:
                return DayLoad(candidate, "cache", note, papers)
            passed.append(candidate)
            continue
        try:
            papers = _peeked(download_day(client, cache, candidate, now))
        except NoListError:
            papers = None
        except FetchError as error:
            return _offline(cache, candidates[index:], asked, error)
        if papers is not None:
            load = DayLoad(candidate, "network", note)
            load.papers = _finish_from_cache(load, papers, cache)
            return load
        passed.append(candidate)
    if not candidates:
        raise NoListError(f"no list after today, {today}")
    if day is None:
        raise NoListError(f"no list since {candidates[-1]}")
    raise NoListError(f"no list for {_days_text(passed)}")


def make_client(endpoint: str | None = None, **options: Any) -> DailyPapersClient:
    """A client of `endpoint`, else `HF_ENDPOINT`, else Hugging Face; FetchError if that is
    not an http(s) URL. `options`: those of `DailyPapersClient`."""
    endpoint = endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT
    if safe_link(endpoint) is None:
        raise FetchError(f"HF_ENDPOINT is not an http(s) URL: {clean_text(endpoint)!r}")
    return DailyPapersClient(endpoint, **options)


def _candidates(asked: date, seek: int, today: date) -> list[date]:
    """The days to try in turn: `asked`, then (with `seek`) the next ones in that
    direction, `SEEK_DAYS` in all; none after today when going forward."""
    if not seek:
        return [asked]
    days = [asked + timedelta(days=n * seek) for n in range(SEEK_DAYS)]
    return [candidate for candidate in days if candidate <= today] if seek > 0 else days


def _passed_note(walking_back: bool, asked: date, passed: list[date], showing: date) -> str | None:
    if not passed:
        return None
    if walking_back:
        return f"no list for {asked} yet: showing {showing}"
    return f"no list for {_days_text(passed)}: showing {showing}"


def _days_text(days: list[date]) -> str:
    """Days for a note: a few by name, a longer run by its ends."""
    if len(days) <= 3:
        return ", ".join(map(str, days))
    return f"{days[0]} … {days[-1]} ({len(days)} days)"


def download_day(
    client: DailyPapersClient, cache: DayCache, day: date, now: Callable[[], datetime]
) -> Iterator[Paper]:
    """The day's papers from the network; once all have come, the day is cached (with the
    papers as its parsed copy when each item gave one: not after a skipped item or a page a
    server sent twice)."""
    papers: list[Paper] = []
    items = yield from _kept(client.stream(day), papers)
    with contextlib.suppress(OSError):  # an unwritable cache only costs a later request
        cache.write(day, items, now(), papers if len(papers) == len(items) else None)


def _kept(
    stream: Generator[Paper, None, list[Any]], papers: list[Paper]
) -> Generator[Paper, None, list[Any]]:
    """`stream`, each paper also appended to `papers`; returns what `stream` returns."""
    while True:
        try:
            paper = next(stream)
        except StopIteration as finished:
            return finished.value
        papers.append(paper)
        yield paper


def cached_papers(cache: DayCache, day: date) -> Iterator[Paper]:
    """The cached papers; a damaged file becomes a FetchError."""
    try:
        yield from cache.papers(day)
    except InputError as error:
        raise FetchError(f"damaged cache (refresh to fetch the day again): {error}") from None


def _peeked(papers: Iterator[Paper]) -> Iterator[Paper] | None:
    """None when `papers` is empty, else an iterator over all of them (the first one read)."""
    first = next(papers, None)
    return None if first is None else itertools.chain([first], papers)


def _offline(
    cache: DayCache,
    candidates: list[date],
    asked: date,
    error: FetchError,
) -> DayLoad:
    """The latest cached day among `candidates` (no more requests), or FetchError."""
    for day in candidates:
        fetched = cache.fetched_at(day)
        if fetched is None:
            continue
        papers = _peeked(cached_papers(cache, day))
        if papers is not None:
            return DayLoad(day, "cache", _offline_note(day, asked, fetched), papers)
    raise FetchError(f"{error}; nothing cached for {asked}")


def _offline_note(day: date, asked: date, fetched: datetime) -> str:
    showing = "" if day == asked else f"showing {day}, "
    return f"offline: {showing}cached at {fetched.astimezone():%Y-%m-%d %H:%M}"


def _finish_from_cache(load: DayLoad, papers: Iterator[Paper], cache: DayCache) -> Iterator[Paper]:
    """Stream `papers`; if the network fails mid-way, go on with the cached copy if any."""
    seen: set[str] = set()
    try:
        for paper in papers:
            seen.add(paper.key)
            yield paper
    except FetchError:
        fetched = cache.fetched_at(load.day)
        if fetched is None:
            raise
        load.source = "cache"
        load.note = _offline_note(load.day, load.day, fetched)
        yield from (p for p in cached_papers(cache, load.day) if p.key not in seen)
