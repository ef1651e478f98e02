"""Fetched days of the Hugging Face list, kept on disk for offline use and fewer requests.

One file per day, `<cache>/days/YYYY-MM-DD.json`, holding the day's full JSON array exactly
in the API's shape. The fetch time is the file's modification time (set explicitly when the
file is written), so the files stay plain API JSON that any tool can read.

A cached day is fresh, and served without a request, when it was fetched after the day had
ended in UTC (the list is complete) or less than 30 minutes ago (today's list still grows).

Beside each day, `<cache>/days/parsed/YYYY-MM-DD.json` keeps its papers as parsed
(`tui.core.parsed_days`): a day is read from there while it matches the day's file, which
makes opening a thousand cached days several times faster.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from parsing.hf_json import parse_json_chunks
from parsing.model import Paper
from parsing.report import InputError, ParseReport
from tui.core.atomic import atomic_file
from tui.core.parsed_days import read_parsed, source_stamp, write_parsed
from tui.core.paths import day_cache_folder

MAX_AGE = timedelta(minutes=30)
_READ_SIZE = 1 << 16
_DAY_FILE = re.compile(r"(\d{4}-\d{2}-\d{2})\.json")


class DayCache:
    """The on-disk copies of fetched days."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else day_cache_folder()

    def path(self, day: date) -> Path:
        return self.root / f"{day.isoformat()}.json"

    def days(self) -> list[date]:
        """Every cached day, newest first (other files in the folder are not days)."""
        try:
            names = os.listdir(self.root)
        except OSError:  # no cache yet, or a folder that cannot be read
            return []
        days = []
        for name in names:
            found = _DAY_FILE.fullmatch(name)
            if found:
                try:
                    days.append(date.fromisoformat(found[1]))
                except ValueError:  # 2025-13-45.json
                    continue
        return sorted(days, reverse=True)

    def fetched_at(self, day: date) -> datetime | None:
        """When `day` was fetched (UTC), or None when it is not cached."""
        try:
            mtime = self.path(day).stat().st_mtime
        except OSError:  # missing, or a cache folder that cannot be used
            return None
        return datetime.fromtimestamp(mtime, UTC)

    def is_fresh(self, day: date, now: datetime, max_age: timedelta = MAX_AGE) -> bool:
        """True when the cached copy can be served without asking the server."""
        fetched = self.fetched_at(day)
        if fetched is None:
            return False
        day_over = datetime.combine(day + timedelta(days=1), time(), UTC)
        return fetched >= day_over or now - fetched < max_age

    def parsed_path(self, day: date) -> Path:
        return self.root / "parsed" / f"{day.isoformat()}.json"

    def papers(self, day: date) -> Iterator[Paper]:
        """The cached papers of `day`: from its parsed copy when that is current, else parsed
        as they are read (and the copy written); raises InputError if damaged."""
        path = self.path(day)
        source = source_stamp(path)
        copied = read_parsed(self.parsed_path(day), source)
        if copied is not None:
            yield from copied
            return
        report = ParseReport(str(path))
        papers = []
        with path.open(encoding="utf-8") as stream:
            chunks = iter(partial(stream.read, _READ_SIZE), "")
            for paper in parse_json_chunks(chunks, report, list_label=day.isoformat()):
                papers.append(paper)
                yield paper
        if report.truncated:
            raise InputError(f"{path}: the file ends in the middle of an item")
        self._write_parsed(day, papers, source)

    def _write_parsed(self, day: date, papers: list[Paper], source: list[int]) -> None:
        with contextlib.suppress(OSError):  # if it cannot be written, it is parsed next time
            write_parsed(self.parsed_path(day), papers, source)

    def write(
        self,
        day: date,
        items: list[Any],
        fetched_at: datetime,
        papers: list[Paper] | None = None,
    ) -> None:
        """Store the day's items atomically (temp file + rename), stamped with `fetched_at`,
        and their parsed copy: `papers` when the caller parsed them already (one for each
        item, in order), else parsed here."""
        self.root.mkdir(parents=True, exist_ok=True)
        with atomic_file(self.path(day), mtime=fetched_at.timestamp()) as file:
            file.write(json.dumps(items, ensure_ascii=False).encode("utf-8"))
        if papers is None:
            papers = list(self.papers(day))  # parsing writes the copy
        else:
            self._write_parsed(day, papers, source_stamp(self.path(day)))
