"""Streaming parser for the Hugging Face daily-papers JSON (`/api/daily_papers`) and for JSON lines.

A bare array (`[{...}, {...}]`, several arrays one after another are accepted too) or one
object per line is read from text chunks with `json.JSONDecoder.raw_decode` on a growing
buffer, so each paper is yielded as soon as its item is complete. JSON lines may hold API
items or our own `paper_to_record` records (`papers-tui list --format jsonl`).

Items that are not objects or have no title are skipped and counted; a JSON syntax error
raises `InputError` (papers before it were already yielded); input that ends inside an
item marks the report truncated.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from parsing.clean import clean_text
from parsing.model import Paper, new_paper, paper_key
from parsing.records import paper_from_record
from parsing.report import InputError, ParseReport

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
# A decoding error with none of these after it may only mean "the rest is still to come".
_STRUCTURE = re.compile(r'[][{}:,"]')
# Only a number may go on past the end of the text read so far: an object, an array, a
# string or a literal ends with its last character, and asking for more text waits on a
# pipe that stays open.
_DIGITS = frozenset("0123456789")
# Keys only our own records have (an API item has `paper`, a bare API paper has `summary`).
_RECORD_KEYS = frozenset({"key", "abstract", "author_names", "lists"})


class _Truncated(Exception):
    """The input ended inside a value."""


def parse_json_chunks(
    chunks: Iterable[str], report: ParseReport | None = None, list_label: str | None = None
) -> Iterator[Paper]:
    """Yield the papers of a JSON array or of JSON lines read from text chunks.

    `list_label` (the fetcher passes the ISO day) names the list of every API item;
    without it an item's list is the ISO day of `paper.submittedOnDailyAt`, else of its
    top-level `publishedAt`.
    """
    if report is None:
        report = ParseReport("JSON")
    buffer = _Buffer(chunks, report.name)
    labels: dict[str, tuple[str, ...]] = {}
    try:
        for item in _items(buffer, report):
            paper = _paper(item, list_label, labels)
            if paper is None:
                report.skipped_items += 1
            else:
                report.papers += 1
                yield paper
    except _Truncated:
        report.truncated = True


def _items(buffer: _Buffer, report: ParseReport) -> Iterator[Any]:
    first = buffer.next_char()
    if first == "\ufeff":
        buffer.pos += 1
        first = buffer.next_char()
    if first == "{":
        report.format = "jsonl"
        while buffer.next_char():
            yield buffer.value()
        return
    if first != "[":
        raise buffer.error("expected a JSON array or JSON lines")
    report.format = "json"
    while first == "[":
        buffer.pos += 1
        if buffer.next_char() == "]":
            buffer.pos += 1
        else:
            yield from _array_items(buffer)
        first = buffer.next_char()
    if first:
        raise buffer.error("unexpected text after the end of the array")


def _array_items(buffer: _Buffer) -> Iterator[Any]:
    """Items of an array whose `[` is consumed, up to and including its `]`."""
    while True:
        yield buffer.value()
        after = buffer.next_char()
        buffer.pos += 1
        if after == "]":
            return
        if after == ",":
            buffer.next_char()
        elif not after:
            raise _Truncated
        else:
            buffer.pos -= 1
            raise buffer.error("expected ',' or ']' between items")


class _Buffer:
    """Text not yet parsed, refilled from the chunks as needed."""

    def __init__(self, chunks: Iterable[str], name: str) -> None:
        self._chunks = iter(chunks)
        self._name = name
        self.text = ""
        self.pos = 0
        self.values = 0  # values decoded so far, to say where an error is
        self._ended = False

    def fill(self, at_least: int = 1) -> bool:
        """Append chunks (`at_least` characters if there are so many), dropping parsed text;
        False when the input has ended and nothing was added."""
        pieces = [self.text[self.pos :]]
        added = 0
        for chunk in self._chunks:
            pieces.append(chunk)
            added += len(chunk)
            if added >= at_least:
                break
        else:
            self._ended = True
        if not added:
            return False
        self.text = "".join(pieces)
        self.pos = 0
        return True

    def next_char(self) -> str:
        """Skip blanks; the character at `pos`, or "" at the end of the input."""
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.fill():
                return ""

    def value(self) -> Any:
        """Decode the value at `pos`, reading more text until it is complete."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except RecursionError:
                raise self.error("nested too deeply") from None
            except json.JSONDecodeError as error:
                cut = error.msg.startswith("Unterminated string") or not _STRUCTURE.search(
                    self.text, error.pos
                )
                if not cut:
                    raise self.error(error.msg) from None
                # Read as much again as the value has so far: a huge value is decoded
                # a few times, not once per chunk.
                if not self.fill(len(self.text) - self.pos):
                    raise _Truncated from None
                continue
            at_end = end == len(self.text) and not self._ended
            if at_end and self.text[end - 1] in _DIGITS and self.fill():
                continue  # a number at the very end may go on in the next chunk
            self.pos = end
            self.values += 1
            return value

    def error(self, problem: str) -> InputError:
        """An InputError saying which item is broken (counting from 1)."""
        return InputError(f"{self._name}: invalid JSON in item {self.values + 1}: {problem}")


def _paper(item: Any, list_label: str | None, labels: dict[str, tuple[str, ...]]) -> Paper | None:
    """The paper of an API item, a bare API paper or one of our records; None if malformed."""
    if not isinstance(item, dict):
        return None
    inner = item.get("paper")
    if isinstance(inner, dict):
        return _api_paper(inner, item, list_label, labels)
    if _RECORD_KEYS.intersection(item):
        return _record_paper(item, list_label)
    return _api_paper(item, item, list_label, labels)


def _api_paper(
    paper: dict[str, Any],
    item: dict[str, Any],
    list_label: str | None,
    labels: dict[str, tuple[str, ...]],
) -> Paper | None:
    title = _text(paper.get("title")) or _text(item.get("title"))
    if not title:
        return None
    names = []
    visible = 0
    authors = paper.get("authors")
    if isinstance(authors, list):
        for author in authors:
            if isinstance(author, dict) and not author.get("hidden"):
                visible += 1
                name = _text(author.get("name"))
                if name:
                    names.append(name)
    published_date = _day(paper.get("publishedAt")) or _day(item.get("publishedAt"))
    submitted = _day(paper.get("submittedOnDailyAt"))
    if not list_label:
        day = submitted or _day(item.get("publishedAt"))
        list_label = day.isoformat() if day else None
    lists = labels.setdefault(list_label, (list_label,)) if list_label else ()
    keywords = paper.get("ai_keywords")
    return new_paper(  # every text field is clean: `_text` made it so
        title,
        _text(paper.get("summary")) or _text(item.get("summary")),
        visible or None,
        tuple(names),
        published_date.isoformat() if published_date else None,
        published_date,
        _count(paper.get("upvotes")),
        lists,
        _text(paper.get("id")) or None,
        _text(paper.get("githubRepo")) or None,
        _text(paper.get("projectPage")) or None,
        _text(paper.get("ai_summary")) or None,
        tuple(filter(None, map(_text, keywords))) if isinstance(keywords, list) else (),
        _organization(paper, item),
        _count(item.get("numComments")),
        _count(paper.get("githubStars")),
        _name(paper.get("submittedOnDailyBy")),
        submitted.isoformat() if submitted else None,
        paper_key(title),
    )


def _organization(paper: dict[str, Any], item: dict[str, Any]) -> str | None:
    """The organization's name: on the item, on the paper (either, both or neither), or
    the submitter's organization that some items carry instead."""
    for name in ("organization", "submitterOrganization"):
        found = _name(item.get(name)) or _name(paper.get(name))
        if found:
            return found
    return None


def _name(value: Any) -> str | None:
    """The `fullname` of an API object (a user or an organization), else its `name`."""
    if not isinstance(value, dict):
        return None
    return _text(value.get("fullname")) or _text(value.get("name")) or None


def _count(value: Any) -> int | None:
    """A count as the API gives it; None when absent or not a count (never a made-up 0)."""
    return value if type(value) is int and value >= 0 else None


def _record_paper(record: dict[str, Any], list_label: str | None) -> Paper | None:
    try:
        paper = paper_from_record(record)
    except (KeyError, TypeError, ValueError):
        return None
    if list_label and not paper.lists:
        return dataclasses.replace(paper, lists=(list_label,))
    return paper


def _text(value: Any) -> str:
    """A string, clean (`parsing.clean`), with runs of whitespace (arXiv line breaks, the
    two spaces of older titles) made single spaces; "" for anything else."""
    if not isinstance(value, str):
        return ""
    if "  " in value:
        value = " ".join(value.split())
    return clean_text(value)


def _day(value: Any) -> date | None:
    """The date of an ISO timestamp such as `2025-09-04T21:26:31.000Z`."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
