"""A fake Hugging Face daily-papers API on 127.0.0.1, served from a thread, for tests.

    with FakeHub() as hub:                       # hub.url is the endpoint
        hub.days["2025-09-08"] = make_items(230)
        hub.no_list.add("2030-01-01")            # answered with HTTP 400
        hub.last_day = "2025-09-29"              # later days too, as the real API does
        hub.missing.add("2025-09-28")            # answered with HTTP 404
        hub.queue.append(Reply(500))             # queued answers come first, one per request
        ...
        hub.pages_asked("2025-09-08")            # [0, 1, 2]
        hub.failing.add("2025-09-10")            # answered with HTTP 500, every time
        hub.held["2025-09-11"] = threading.Event()  # its answers wait until the event is set
        hub.delay = 0.05                         # every answer waits (requests then overlap)
        hub.most_in_flight                       # the most requests it had at once

Every request is recorded in `hub.requests`. Titles and abstracts are synthetic. As the real
API, it also answers `week=YYYY-Www` and `month=YYYY-MM` (every day of it, paged).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.message import Message
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tui.core.day_range import RangeError, parse_week

_WAIT_LIMIT = 10.0  # seconds a paused answer waits before giving up (a failing test, not a hang)

_WORDS = [
    "sparse", "adaptive", "diffusion", "token", "routing", "latent", "memory", "contrastive",
    "agents", "retrieval", "reasoning", "compact", "multimodal", "vision", "speech", "graph",
    "policy", "reward", "curriculum",
]  # fmt: skip


def make_item(index: int, day: str = "2025-09-08") -> dict[str, Any]:
    """One list item in the API's shape, with made-up text derived from `index`."""
    words = [_WORDS[(index * 7 + k * 3) % len(_WORDS)] for k in range(4)]
    title = f"Paper {index}: " + " ".join(words).capitalize()
    arxiv_id = f"2509.{10000 + index:05d}"
    paper = {
        "id": arxiv_id,
        "authors": [
            {"_id": f"a{index}{k}", "name": f"Author {index}-{k}", "hidden": False}
            for k in range(1 + index % 3)
        ],
        "publishedAt": f"{day}T10:00:00.000Z",
        "submittedOnDailyAt": f"{day}T12:00:00.000Z",
        "title": title,
        "summary": f"We study {' and '.join(words)}. Résumé number {index} — synthetic text.",
        "upvotes": index % 40,
        "ai_keywords": words[:2],
    }
    if index % 2 == 0:
        paper["githubRepo"] = f"https://github.com/example/repo-{index}"
    if index % 3 == 0:
        paper["projectPage"] = f"https://example.org/p{index}"
    return {
        "paper": paper,
        "publishedAt": paper["publishedAt"],
        "title": title,
        "summary": paper["summary"],
        "thumbnail": f"https://example.org/t{index}.png",
        "numComments": index % 5,
        "submittedBy": {"name": "someone"},
        "isAuthorParticipating": False,
    }


def make_items(count: int, day: str = "2025-09-08", start: int = 0) -> list[dict[str, Any]]:
    return [make_item(start + n, day) for n in range(count)]


def dumps(items: list[dict[str, Any]]) -> bytes:
    return json.dumps(items, ensure_ascii=False).encode()


@dataclass
class Reply:
    """A canned answer."""

    status: int = 200
    body: bytes = b"[]"
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    reason: str | None = None  # the status line's reason phrase; None: the standard one


@dataclass
class Streamed:
    """A chunked 200 answer sent piece by piece; an Event among the pieces pauses until set.

    With `complete=False` the connection is cut after the pieces (no final chunk).
    """

    pieces: list[bytes | threading.Event]
    complete: bool = True
    finished: threading.Event = field(default_factory=threading.Event)


@dataclass
class Silence:
    """Accept the request and never answer (until the server stops)."""


Answer = Reply | Streamed | Silence


@dataclass
class Seen:
    """One request as the server received it."""

    path: str
    query: dict[str, str]
    headers: Message


class FakeHub:
    """The fake server; a context manager that starts and stops it."""

    def __init__(self) -> None:
        self.days: dict[str, list[dict[str, Any]]] = {}
        self.no_list: set[str] = set()
        self.last_day: str | None = None
        self.missing: set[str] = set()
        self.failing: set[str] = set()
        self.held: dict[str, threading.Event] = {}
        self.queue: deque[Answer] = deque()
        self.requests: list[Seen] = []
        self.delay = 0.0
        self.in_flight = 0
        self.most_in_flight = 0
        self._counting = threading.Lock()
        self.stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        serve = partial(self._server.serve_forever, poll_interval=0.01)  # quick shutdown
        self._thread = threading.Thread(target=serve, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def pages_asked(self, day: str) -> list[int]:
        """The `p` values asked for `day`, in order."""
        return [int(r.query.get("p", 0)) for r in self.requests if r.query.get("date") == day]

    def days_asked(self) -> list[str]:
        """The days asked for (page 0), in order; a day asked twice is there twice."""
        return [r.query["date"] for r in self.requests if r.query.get("p", "0") == "0"]

    def counting(self, change: int) -> None:
        """A request starts (1) or ends (-1)."""
        with self._counting:
            self.in_flight += change
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def __enter__(self) -> FakeHub:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def answer(self, query: dict[str, str]) -> Answer:
        """The queued answer if any, else the day's page: HTTP 400 for days in `no_list` or
        after `last_day`, 404 for days in `missing`, an empty list for other unknown days."""
        if self.queue:
            return self.queue.popleft()
        if "week" in query or "month" in query:
            return self._many_days(query)
        day = query.get("date", "")
        if day in self.no_list or (self.last_day is not None and day > self.last_day):
            return Reply(400, b'{"error":"Date must be in the past"}')
        if day in self.missing:
            return Reply(404, b'{"error":"Daily papers not found"}')
        if day in self.failing:
            return Reply(500, b'{"error":"Internal Error"}')
        return _page(self.days.get(day, []), query)

    def _many_days(self, query: dict[str, str]) -> Reply:
        """The items of every day of `week=` or `month=`, newest day first."""
        try:
            if "week" in query:
                days = [str(day) for day in parse_week(query["week"]).days()]
            else:
                days = sorted((day for day in self.days if day[:7] == query["month"]), reverse=True)
        except RangeError:
            return Reply(400, b'{"error":"Invalid week"}')
        return _page([item for day in days for item in self.days.get(day, [])], query)


def _page(items: list[dict[str, Any]], query: dict[str, str]) -> Reply:
    limit, page = int(query.get("limit", 50)), int(query.get("p", 0))
    return Reply(body=dumps(items[page * limit : (page + 1) * limit]))


def _handler_for(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = dict(parse_qsl(url.query))
            hub.requests.append(Seen(url.path, query, self.headers))
            self.close_connection = True
            hub.counting(1)
            self.in_flight = True
            try:
                time.sleep(hub.delay)
                if (held := hub.held.get(query.get("date", ""))) is not None:
                    held.wait(_WAIT_LIMIT)
                self._answer(url.path, query)
            finally:
                self._answered()

        def _answered(self) -> None:
            """No longer in flight: called before the answer goes out, as the client may ask
            again as soon as it has what it needs (the status line alone, for a 404)."""
            if self.in_flight:
                self.in_flight = False
                hub.counting(-1)

        def _answer(self, path: str, query: dict[str, str]) -> None:
            if path != "/api/daily_papers":
                self._reply(Reply(404, b'{"error":"not found"}'))
                return
            answer = hub.answer(query)
            if isinstance(answer, Silence):
                hub.stopping.wait(_WAIT_LIMIT * 3)
            elif isinstance(answer, Streamed):
                self._stream(answer)
            else:
                self._reply(answer)

        def _reply(self, reply: Reply) -> None:
            self._answered()
            self.send_response(reply.status, reply.reason)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(reply.body)

        def _stream(self, streamed: Streamed) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for piece in streamed.pieces:
                    if isinstance(piece, threading.Event):
                        piece.wait(_WAIT_LIMIT)
                    else:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                        self.wfile.flush()
                if streamed.complete:
                    self._answered()
                    self.wfile.write(b"0\r\n\r\n")
            finally:
                streamed.finished.set()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

    return Handler


def closed_port_url() -> str:
    """An endpoint on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
