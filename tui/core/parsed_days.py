"""A compact copy of a cached day's papers as parsed, so that opening many cached days
(`--cached`) does not parse the API's JSON again.

The API's JSON of a day is large (every author with ids and user objects) and parsing it
costs a few times decoding it; the copy holds only the papers' fields, one JSON array a
paper in `Paper`'s field order, and loads with one `json.loads`. It stays valid while its
source does: it records the size and modification time of the day's JSON file, and a copy
that does not match, or cannot be read, is ignored (the day is parsed again).

The copy is our own file in the user's cache, but its text is still checked once before its
papers are made without cleaning: a copy with anything `parsing.clean` would change, or with
a `\\u` escape that could hide one, has its papers made through `Paper`, which cleans them.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

from parsing.clean import is_clean
from parsing.model import Paper, new_paper
from tui.core.atomic import atomic_file

FORMAT = 1
# `new_paper`'s arguments, in order: every field, `key` last.
COLUMNS = tuple(field.name for field in fields(Paper))
_TUPLE_COLUMNS = tuple(
    index for index, field in enumerate(fields(Paper)) if field.type.startswith("tuple")
)
_DATE_COLUMN = COLUMNS.index("published_date")


def source_stamp(path: Path) -> list[int]:
    """What the copy of `path` must match: its size and modification time."""
    status = path.stat()
    return [status.st_size, status.st_mtime_ns]


def write_parsed(path: Path, papers: list[Paper], source: list[int]) -> None:
    """Write the copy of `papers`, parsed from a file whose `source_stamp` is `source`."""
    rows = [[_plain(getattr(paper, name)) for name in COLUMNS] for paper in papers]
    document = {"format": FORMAT, "source": source, "columns": COLUMNS, "papers": rows}
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as file:
        file.write(json.dumps(document, ensure_ascii=False).encode("utf-8"))


def read_parsed(path: Path, source: list[int]) -> list[Paper] | None:
    """The papers of the copy at `path` if it is a copy of the source stamped `source`; None
    when there is none, it is of another version of the source, or it is damaged."""
    try:
        text = path.read_text(encoding="utf-8")
        document = json.loads(text)
        if (
            document.get("format") != FORMAT
            or document.get("source") != source
            or document.get("columns") != list(COLUMNS)
        ):
            return None
        make = new_paper if "\\u" not in text and is_clean(text) else _cleaned_paper
        return [make(*_typed(row)) for row in document["papers"]]
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return None  # a missing or damaged copy: the day's JSON is parsed instead


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _typed(row: list[Any]) -> list[Any]:
    """A row's JSON values as `Paper` holds them (tuples, a date); TypeError when the row is
    not a paper's."""
    if len(row) != len(COLUMNS):
        raise TypeError("not a paper's row")
    for index in _TUPLE_COLUMNS:
        row[index] = tuple(row[index])
    if row[_DATE_COLUMN] is not None:
        row[_DATE_COLUMN] = date.fromisoformat(row[_DATE_COLUMN])
    return row


def _cleaned_paper(*row: Any) -> Paper:
    """A paper made through `Paper`, which cleans every field (and derives the key)."""
    return Paper(*row[:-1])
