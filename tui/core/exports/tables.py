"""JSON and CSV: the papers and the marks as data, for scripts and spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from parsing.records import paper_to_record
from tui.core.exports.items import ExportItem

CSV_COLUMNS = (
    "key",
    "title",
    "authors",
    "arxiv_id",
    "url",
    "date",
    "upvotes",
    "organization",
    "read",
    "starred",
    "tags",
    "note",
)
LIST_SEPARATOR = "; "  # between the authors and between the tags of a cell
# What a spreadsheet takes for the start of a formula: such a cell gets a `'` in front.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def item_record(item: ExportItem) -> dict[str, Any]:
    """The paper's record (`parsing.records`) and the user's marks."""
    marks = {"read": item.read, "starred": item.starred, "note": item.note, "tags": item.tags}
    return paper_to_record(item.paper) | marks


def render_json(items: list[ExportItem]) -> str:
    """A JSON array of records."""
    return json.dumps([item_record(item) for item in items], ensure_ascii=False, indent=2) + "\n"


def _cell(value: Any) -> str:
    """A value as a cell: `true`/`false`, empty for unknown, text defused of formulas."""
    if isinstance(value, bool):
        return str(value).lower()
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_row(item: ExportItem) -> list[str]:
    paper = item.paper
    values = {
        "key": paper.key,
        "title": paper.title,
        "authors": LIST_SEPARATOR.join(paper.author_names),
        "arxiv_id": paper.arxiv_id,
        "url": paper.url,
        "date": paper.published_date.isoformat() if paper.published_date else None,
        "upvotes": paper.upvotes,
        "organization": paper.organization,
        "read": item.read,
        "starred": item.starred,
        "tags": LIST_SEPARATOR.join(item.tags),
        "note": item.note,
    }
    return [_cell(values[column]) for column in CSV_COLUMNS]


def render_csv(items: list[ExportItem]) -> str:
    """A header, then one row per paper (RFC 4180: CRLF line ends, quotes where needed)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(item) for item in items)
    return out.getvalue()
