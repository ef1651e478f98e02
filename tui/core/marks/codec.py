'''The state file's TOML shape, and the codec that reads and writes it (no file I/O here).

The file, as a user sees it::

    version = 3

    [papers."sparse mixture of experts for retrieval"]
    read = true
    read_at = 2025-03-14 09:02:03.123456+00:00
    starred = true
    starred_at = 2025-03-14 09:01:00+00:00
    note = """
    Why it matters: routing **per token**.
    - compare with dense retrieval"""
    note_at = 2025-03-14 09:05:00+00:00
    tags = [
        "moe",
        "retrieval",
    ]
    tags_at = 2025-03-14 09:06:00+00:00

    [papers."sparse mixture of experts for retrieval".paper]
    title = "Sparse Mixture of Experts for Retrieval"
    abstract = "..."

Each mark is a field (`FIELDS`) with the time it last changed beside it, `<field>_at`. A field
is stored once it was set: `read = true`, `starred = true`, a `note` (a multi-line string when
it has line breaks), `tags`; a starred paper, or one with a note or tags, keeps a `paper`
snapshot so an export works without the list file. A note and tags are the user's text, read
back cleaned (`clean_note`, `clean_tags` in `tui.core.marks.model`): a hand edit can hold
anything. A mark taken back keeps its time, `read = false` with `read_at`, `note = ""` with
`note_at` (a tombstone of that field), so that a merge knows the removal is newer than an
older mark another instance still holds; entries with no mark left are dropped after a while.
A field without a time of its own takes the entry's `updated`, which version 1 wrote for a
whole entry, else the file's modification time when the field is there (a hand edit), else it
was never set.

Versions 1 (one `updated` per entry) and 2 (read and star only) load as described. Each new
version keeps an older papers-tui from rewriting a file whose fields it does not know (it
would drop them as unknown): it leaves a newer file alone and runs read-only. Version 3 adds
`note` and `tags`. The merge rule is in `tui.core.marks.merge`.
'''

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate, compress, pairwise, repeat
from operator import add, is_not
from typing import Any, TypeGuard

from parsing.model import Paper
from parsing.records import paper_from_record, paper_to_record
from tui.core.marks.model import (
    FIELD_COLUMNS,
    FIELDS,
    NO_MARK,
    Mark,
    MarkCounts,
    chunks,
)

# tomllib and tomli_w are imported where a document is parsed or written: a start from the
# cache (`tui.core.state_cache`) needs neither, and they take milliseconds to import.
FORMAT_VERSION = 3
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)
# Record fields a snapshot leaves out: derived from other fields.
DERIVED_RECORD_FIELDS = frozenset({"key", "url", "arxiv_url"})
SNAPSHOT_FIELDS = frozenset(paper_to_record(Paper(title="x"))) - DERIVED_RECORD_FIELDS
TOP_LEVEL_FIELDS = ("version", "papers")
# the marks of version 1, whose `updated` is the time of each of them, there or not
VERSION_1_FIELDS = frozenset({"read", "starred"})
ENTRY_FIELDS = frozenset({"updated", "paper"} | {name for f in FIELDS for name in (f.name, f.time)})
DECODE_PIECE = 1 << 20  # bytes decoded per call


class StateFormatError(ValueError):
    """The document as a whole is not a state file we understand."""


@dataclass(frozen=True, slots=True)
class DecodedState:
    version: int
    entries: dict[str, Mark]
    unreadable: frozenset[str]  # keys of entries left out because a field had the wrong type
    problems: tuple[str, ...]  # one line per entry or field that was not understood
    counts: MarkCounts | None = None  # of the entries, when known without counting


def encode_entry(key: str, mark: Mark) -> str:
    """One paper's tables as TOML text; a document is the version line plus these, joined."""
    table: dict[str, Any] = {}
    for field in FIELDS:
        value, at = getattr(mark, field.name), getattr(mark, field.time)
        if at or value != field.default:  # set once: a mark, or the tombstone of one
            table[field.name] = value
            if at:
                table[field.time] = _datetime(at)
    if mark.keeps_snapshot and mark.paper is not None:
        table["paper"] = snapshot_record(mark.paper)
    import tomli_w

    # a note's line breaks as a multi-line string; every other string is one line (cleaned)
    return tomli_w.dumps({"papers": {key: table}}, multiline_strings=True)


def snapshot_record(paper: Paper) -> dict[str, Any]:
    """`paper_to_record` without derived fields, unknown (None) values and empty lists."""
    return {
        name: value
        for name, value in paper_to_record(paper).items()
        if name not in DERIVED_RECORD_FIELDS and value is not None and value != []
    }


def decode_document(text: str, default_updated: int) -> DecodedState:
    """Entries from a state file's text; raises StateFormatError when it is not one.

    Entries are read one by one: an entry with a field of the wrong type is left out (its key is
    reported in `unreadable`), an unknown field is ignored; both are reported in `problems`.
    `default_updated` is the time of a field written without one (the file's modification
    time).
    """
    import tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StateFormatError(f"not valid TOML: {exc}") from None
    if not document:
        return DecodedState(FORMAT_VERSION, {}, frozenset(), ())
    problems = []
    version = document.get("version")
    if version is None and "papers" in document:  # a hand edit lost the line: marks are there
        version = FORMAT_VERSION
        problems.append(f"no 'version' line, read as version {FORMAT_VERSION}")
    if not _is_version(version) or version < 1:
        raise StateFormatError(f"'version' should be a whole number from 1, not {version!r}")
    papers = document.get("papers", {})
    if not isinstance(papers, dict):
        if version > FORMAT_VERSION:  # a newer shape: nothing we can show, nothing wrong
            return DecodedState(version, {}, frozenset(), ())
        raise StateFormatError(f"'papers' should be a table, not {_type_name(papers)}")
    problems.extend(
        f"unknown top-level field {name!r}" for name in document if name not in TOP_LEVEL_FIELDS
    )
    entries: dict[str, Mark] = {}
    unreadable: set[str] = set()
    for key, value in papers.items():
        mark = _decode_entry_or_report(key, value, default_updated, problems)
        if mark is None:
            unreadable.add(key)
        else:
            entries[key] = mark
    return DecodedState(version, entries, frozenset(unreadable), tuple(problems))


# A paper's table header as tomli_w writes it (a bare or quoted key), on a line of its own;
# found by a literal scan for the prefix, then checked with the pattern.
_HEADER_PREFIX = "[papers."
_ENTRY_HEADER = re.compile(
    r"""\[papers\.(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')\][ \t]*(?:#.*)?\r?$""",
    re.MULTILINE,
)


def _entry_starts(text: str) -> list[int]:
    """Offsets of the lines that open a paper's table (a first line never does: the version
    line comes first)."""
    starts = []
    line_start = text.find("\n" + _HEADER_PREFIX) + 1
    while line_start:
        if _ENTRY_HEADER.match(text, line_start):
            starts.append(line_start)
        line_start = text.find("\n" + _HEADER_PREFIX, line_start) + 1
    return starts


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each entry of a document lies: `text[starts[i]:ends[i]]` is the TOML text of entry
    `keys[i]`, which says `marks[i]`. Only for documents in which every entry was understood."""

    keys: list[str]
    marks: list[Mark]
    starts: Sequence[int]
    ends: Sequence[int]


_HEADER = f"version = {FORMAT_VERSION}\n"


def decode_utf8(data: bytes) -> str:
    """`data.decode()` a megabyte per C call (cut after newlines, which never split a
    character), so that a saver thread decoding 8 MB holds the interpreter lock briefly."""
    view, parts, start = memoryview(data), [], 0
    while start < len(data):
        end = data.find(b"\n", start + DECODE_PIECE) + 1 or len(data)
        parts.append(str(view[start:end], "utf-8"))
        start = end
    return "".join(parts)


def _cut(source: str | bytes, starts: Sequence[int], ends: Sequence[int]) -> Iterator[str]:
    """The texts at `starts`-`ends` of `source` (ASCII when bytes)."""
    pieces = map(source.__getitem__, map(slice, starts, ends))
    return map(bytes.decode, pieces) if isinstance(source, bytes) else pieces


def _layout_of(keys: list[str], marks: list[Mark], lengths: list[int]) -> Layout:
    """The layout of `_HEADER`, a blank line, then texts of `lengths` each followed by a
    newline (offsets in characters)."""
    first = len(_HEADER) + 1
    starts = list(accumulate(map(add, lengths, repeat(1)), initial=first))
    starts.pop()  # where a text after the last would start
    return Layout(keys, marks, starts, list(map(add, starts, lengths)))


class StateCodec:
    """Encodes and decodes state documents, reusing the TOML text of unchanged entries.

    tomli_w and tomllib are pure Python: 100,000 entries take seconds each way. A save writes
    the remembered text of every entry that did not change; a read splits the file at its paper
    headers and parses only pieces it has not seen. A file that does not split cleanly (a hand
    edit with a multi-line string, a table defined twice, ...) is parsed whole instead, with
    the same result. An unchanged hand-formatted entry is written back as the user wrote it.

    Built for a saver thread beside a UI thread: what is remembered holds no object per entry
    besides the strings and marks themselves (50,000 new tuples per save set off full garbage
    collections), and work over all entries goes `CHUNK` entries per C call, so the
    interpreter lock is never held long. `layout()` tells where the entries of the last
    document lie, so that a later start can `adopt` that document without parsing it.
    """

    def __init__(self) -> None:
        self._marks: dict[str, Mark] = {}  # entries whose text is known: what the text says
        self._texts: dict[str, str] = {}  # and that text
        self._keys_by_text: dict[str, str] | None = None  # the reverse, built when first read
        # a document to remember when needed
        self._adopted: tuple[bytes, Callable[[], Layout]] | None = None
        self._layout: Layout | None = None

    def encode(self, entries: Mapping[str, Mark]) -> list[bytes]:
        """The document's bytes, in chunks."""
        self._remember_adopted()
        known = self._marks
        keys, marks = list(entries), list(entries.values())
        lengths: list[int] = []
        data = [_HEADER.encode("utf-8")]  # then "\n" and the texts, "\n" between them
        for some_keys, some_marks in zip(chunks(keys), chunks(marks), strict=True):
            for key in compress(some_keys, map(is_not, map(known.get, some_keys), some_marks)):
                mark, was = entries[key], known.get(key)
                if was is None or was != mark:
                    self._learn(key, mark, encode_entry(key, mark))
                else:
                    known[key] = mark  # an equal mark: remember the one in use
            texts = list(map(self._texts.__getitem__, some_keys))
            lengths += map(len, texts)
            data.append(b"\n")
            data.append("\n".join(texts).encode("utf-8"))
        if len(known) > len(entries):  # it knows every key of `entries`, and others
            for key in [key for key in known if key not in entries]:
                self._forget(key)
        self._layout = _layout_of(keys, marks, lengths)
        return data

    def decode(self, text: str, default_updated: int) -> DecodedState:
        """Like `decode_document`, parsing only entries not seen before."""
        self._remember_adopted()
        self._layout = None
        decoded = self._decode_pieces(text, default_updated)
        return decoded if decoded is not None else decode_document(text, default_updated)

    def layout(self) -> Layout | None:
        """The layout of the document last encoded, decoded or adopted; None when it was not
        read in pieces or had an entry that was not fully understood."""
        if self._adopted is not None:
            return self._adopted[1]()
        return self._layout

    def adopt(self, data: bytes, layout: Callable[[], Layout]) -> None:
        """Take the document `data` (UTF-8) as read, its entries being as `layout()` (a trusted
        record) says. Cheap: the layout is asked for, and the document decoded and cut into
        entries, when the codec is next used.
        """
        self._adopted = (data, layout)
        self._layout = None

    def _remember_adopted(self) -> None:
        if self._adopted is None:
            return
        (data, make_layout), self._adopted = self._adopted, None
        layout = self._layout = make_layout()
        # offsets count characters, so bytes in an ASCII file: then no 8 MB text in one go
        source = data if data.isascii() else decode_utf8(data)
        marks: dict[str, Mark] = {}
        texts: dict[str, str] = {}
        columns = (layout.keys, layout.marks, layout.starts, layout.ends)
        for keys, some_marks, starts, ends in zip(*map(chunks, columns), strict=True):
            marks.update(zip(keys, some_marks, strict=True))
            texts.update(zip(keys, _cut(source, starts, ends), strict=True))
        self._marks, self._texts, self._keys_by_text = marks, texts, None

    def _learn(self, key: str, mark: Mark, text: str) -> None:
        self._forget(key)
        self._marks[key], self._texts[key] = mark, text
        if self._keys_by_text is not None:
            self._keys_by_text[text] = key

    def _forget(self, key: str) -> None:
        self._marks.pop(key, None)
        text = self._texts.pop(key, None)
        if text is not None and self._keys_by_text is not None:
            self._keys_by_text.pop(text, None)

    def _known_key(self, piece: str) -> str | None:
        if self._keys_by_text is None:
            self._keys_by_text = {text: key for key, text in self._texts.items()}
        return self._keys_by_text.get(piece)

    def _decode_pieces(self, text: str, default_updated: int) -> DecodedState | None:
        """The entries, or None when the file must be parsed whole."""
        import tomllib

        starts = _entry_starts(text)
        version = self._version(text[: starts[0]]) if starts else None
        if version is None or not 1 <= version <= FORMAT_VERSION:
            return None
        entries: dict[str, Mark] = {}
        unreadable: set[str] = set()
        problems: list[str] = []
        learnt: dict[str, str] = {}  # texts of entries parsed here, by key
        ends: list[int] | None = []  # None once a piece is not an exact slice of the text
        for start, end in pairwise([*starts, len(text)]):
            piece = text[start:end].rstrip() + "\n"
            key = self._known_key(piece)
            if key is not None:
                mark = self._marks[key]
            else:
                try:
                    key, value = _only_entry(tomllib.loads(piece))
                except (tomllib.TOMLDecodeError, ValueError):
                    return None
                before = len(problems)
                mark = _decode_entry_or_report(key, value, default_updated, problems)
                if mark is not None and len(problems) == before and _has_times(value):
                    learnt[key] = piece
                else:
                    ends = None
            if key in entries or key in unreadable:
                return None  # defined twice: the whole parse says what is wrong
            if mark is None:
                unreadable.add(key)
            else:
                entries[key] = mark
            if ends is not None and text.startswith(piece, start):
                ends.append(start + len(piece))
            else:
                ends = None
        for key, piece in learnt.items():
            self._learn(key, entries[key], piece)
        if ends is not None:
            self._layout = Layout(list(entries), list(entries.values()), starts, ends)
        return DecodedState(version, entries, frozenset(unreadable), tuple(problems))

    @staticmethod
    def _version(head: str) -> int | None:
        import tomllib

        try:
            document = tomllib.loads(head)
        except tomllib.TOMLDecodeError:
            return None
        version = document.get("version")
        return version if document.keys() == {"version"} and _is_version(version) else None


def _only_entry(document: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The one paper a piece of the file defines; ValueError when it defines anything else."""
    papers = document.get("papers")
    if document.keys() != {"papers"} or not isinstance(papers, dict) or len(papers) != 1:
        raise ValueError("not a single paper")
    ((key, value),) = papers.items()
    if not isinstance(value, dict):
        raise ValueError("not a table")
    return key, value


def _decode_entry_or_report(
    key: str, value: object, default_updated: int, problems: list[str]
) -> Mark | None:
    try:
        return _decode_entry(key, value, default_updated, problems)
    except (TypeError, ValueError, KeyError, OverflowError) as exc:
        problems.append(f"papers.{key!r}: {_reason(exc)}")
        return None


def _decode_entry(key: str, value: object, default_updated: int, problems: list[str]) -> Mark:
    if not isinstance(value, dict):
        raise TypeError(f"should be a table, not {_type_name(value)}")
    problems.extend(
        f"papers.{key!r}: unknown field {name!r}" for name in value if name not in ENTRY_FIELDS
    )
    updated = _time(value["updated"], "updated") if "updated" in value else None
    mark = list(NO_MARK)
    for field, (value_index, time_index, _) in zip(FIELDS, FIELD_COLUMNS, strict=True):
        name, time_name = field.name, field.time
        if name in value:
            mark[value_index] = field.check(value[name], name)
        if time_name in value:
            mark[time_index] = _time(value[time_name], time_name)
        elif updated is not None and (name in value or name in VERSION_1_FIELDS):
            mark[time_index] = updated
        elif name in value:
            mark[time_index] = default_updated
    decoded = Mark._make(mark)
    if decoded.keeps_snapshot:
        return decoded._replace(paper=_snapshot(key, value.get("paper"), problems))
    return decoded


def _has_times(entry: dict[str, Any]) -> bool:
    """Whether every field of `entry` has its time in the text (no file time stands in)."""
    return "updated" in entry or all(f.time in entry for f in FIELDS if f.name in entry)


def _snapshot(key: str, record: object, problems: list[str]) -> Paper | None:
    """The paper a star keeps; a bad one is reported and dropped, the marks stay."""
    if record is None:
        return None
    where = f"papers.{key!r}.paper"
    try:
        if not isinstance(record, dict):
            raise TypeError(f"should be a table, not {_type_name(record)}")
        problems.extend(
            f"{where}: unknown field {name!r}"
            for name in record
            if name not in SNAPSHOT_FIELDS | DERIVED_RECORD_FIELDS
        )
        paper = paper_from_record(record)
        if paper.key != key:
            raise ValueError(f"title {paper.title!r} does not match the key")
    except (TypeError, ValueError, KeyError, OverflowError) as exc:
        problems.append(f"{where}: {_reason(exc)} (snapshot dropped, marks kept)")
        return None
    return paper


def _time(value: object, name: str) -> int:
    """Microseconds since the epoch from a TOML date-time, date or number of seconds."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.astimezone()  # a local date-time
        return (moment - EPOCH) // ONE_MICROSECOND
    if isinstance(value, date):
        return (datetime.combine(value, time()).astimezone() - EPOCH) // ONE_MICROSECOND
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        microseconds = round(value * 1_000_000)
        _datetime(microseconds)  # OverflowError when it cannot be written back
        return microseconds
    raise TypeError(f"{name} should be a date-time or seconds since 1970, not {value!r}")


def _datetime(microseconds: int) -> datetime:
    return EPOCH + timedelta(microseconds=microseconds)


def _is_version(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _type_name(value: object) -> str:
    return "a table" if isinstance(value, dict) else type(value).__name__


def _reason(exc: Exception) -> str:
    return f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
