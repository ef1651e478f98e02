"""Inputs to papers: open a file or standard input, tell its format from its content, parse it.

The entry point of the CLI and the app. Everything streams: bytes are read with `read1`
(what is available, so a pipe that is still open delivers its first papers at once),
decoded incrementally, and each paper is yielded as soon as it is complete. A reader that
must not block (the app's loader) passes `waiting`: called when a pipe has nothing to read,
then every `WAIT_CHECK_SECONDS` while it still has nothing; it may raise to stop reading.
"""

from __future__ import annotations

import codecs
import os
import select
import stat
import sys
from collections.abc import Callable, Iterator
from itertools import chain
from typing import BinaryIO

from parsing.clean import LinesCheck
from parsing.model import Paper
from parsing.report import InputError, ParseReport
from parsing.text_copy import parse_checked_text_chunks

__all__ = ["InputError", "ParseReport", "iter_papers", "open_source", "read_path", "sniff_format"]

HEAD_SIZE = 65536  # the first read: the first papers show as soon as it is parsed
# Later reads: larger chunks cost the parser less per paper (fewer batches, longer runs of
# like records): 5% of a parse at 100,000 papers (benchmarks/parse.py).
CHUNK_SIZE = 262144
STDIN_NAME = "<stdin>"
WAIT_CHECK_SECONDS = 0.1
_BOM = codecs.BOM_UTF8
_BLANK_BYTES = b" \t\r\n\x0b\x0c"
_BINARY_SHARE = 0.1  # above this share of undecodable or control characters: not text
_SNIFF_SIZE = 8192
_CONTROL_BYTES = bytes(set(range(32)) - set(b"\t\n\r\x0c")) + b"\x7f"


def open_source(spec: str) -> tuple[BinaryIO, str]:
    """Open a path, or standard input for "-"; return the binary stream and its display name."""
    if spec == "-":
        return sys.stdin.buffer, STDIN_NAME
    try:
        return open(spec, "rb"), spec  # the caller closes it
    except FileNotFoundError:
        problem = "no such file"
    except IsADirectoryError:
        problem = "is a directory, not a file"
    except PermissionError:
        problem = "permission denied"
    except OSError as error:
        problem = error.strerror or str(error)
    raise InputError(f"{spec}: {problem}")


def read_path(
    spec: str, report: ParseReport | None = None, waiting: Callable[[], None] | None = None
) -> Iterator[Paper]:
    """The papers of a path (or "-"), parsed as they are read; the file is closed at the end."""
    stream, name = open_source(spec)
    try:
        yield from _parse_stream(stream, name, report, None, waiting)
    finally:
        if spec != "-":
            stream.close()


def iter_papers(
    stream: BinaryIO,
    name: str,
    report: ParseReport | None = None,
    list_label: str | None = None,
    waiting: Callable[[], None] | None = None,
) -> Iterator[Paper]:
    """Yield the papers of a binary stream, whatever its format, as soon as each is complete.

    Raises InputError (one line naming `name`) for input that is empty, binary, an HTML
    page, broken JSON, or holds no paper. `list_label` names the list of JSON items;
    `waiting` is the module docstring's.
    """
    yield from _parse_stream(stream, name, report, list_label, waiting)


def _parse_stream(
    stream: BinaryIO,
    name: str,
    report: ParseReport | None = None,
    list_label: str | None = None,
    waiting: Callable[[], None] | None = None,
) -> Iterator[Paper]:
    """Read the first bytes and pick the parser; its papers, then a check that there were
    some. Called by the generators above when they start, so nothing is read sooner; they
    iterate this chain directly, as each generator in between costs time per paper."""
    if report is None:
        report = ParseReport(name)
    read = getattr(stream, "read1", None) or stream.read
    if waiting is not None and _may_wait(stream):
        read = _read_when_ready(stream.fileno(), read, waiting)
    head = _read_head(read)
    kind = sniff_format(head, name)
    decoded = _decoded(head, read, report)
    if kind == "text":
        check = LinesCheck()
        papers = parse_checked_text_chunks(((t, check(data)) for t, data in decoded), report)
    else:
        from parsing.hf_json import parse_json_chunks  # with `json`: not for text inputs

        papers = parse_json_chunks((text for text, _ in decoded), report, list_label)
    return chain(papers, _found_some(report, report.papers, name))


def _may_wait(stream: BinaryIO) -> bool:
    """True for a pipe, a socket or a terminal: a read may wait for the writer."""
    try:
        return not stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):  # no descriptor (BytesIO) or closed
        return False


def _read_when_ready(
    descriptor: int, read: Callable[[int], bytes], waiting: Callable[[], None]
) -> Callable[[int], bytes]:
    """`read`, called only once the descriptor has bytes or their end (so it does not
    block); `waiting()` meanwhile. `read` is the stream's `read1` with chunks larger than
    its buffer, so no bytes wait in the buffer while the descriptor has none."""

    def read_ready(size: int) -> bytes:
        timeout = 0.0
        while not select.select([descriptor], [], [], timeout)[0]:
            waiting()
            timeout = WAIT_CHECK_SECONDS
        return read(size)

    return read_ready


def _found_some(report: ParseReport, before: int, name: str) -> Iterator[Paper]:
    """Nothing, or InputError if the report counted no paper since `before`."""
    if report.papers == before:
        skipped = report.stray_lines + report.skipped_items
        detail = f" ({skipped} lines or items skipped)" if skipped else ""
        raise InputError(f"{name}: no papers found{detail}")
    yield from ()


def check_path(spec: str) -> None:
    """Raise InputError now for a file that cannot be a list (missing, binary, HTML, empty).

    Cheap (it reads the first bytes only), so the app can refuse bad files before it takes
    over the terminal; a file with no papers is only found by reading it.
    """
    stream, name = open_source(spec)
    with stream:
        sniff_format(_read_head(stream.read), name)


def sniff_format(head: bytes, name: str) -> str:
    """The format, "text" or "json" (array or lines), from the first bytes; else InputError."""
    body = head.removeprefix(_BOM).lstrip(_BLANK_BYTES)
    if not body:
        raise InputError(f"{name}: empty file")
    if b"\x00" in head or _looks_binary(head):
        raise InputError(f"{name}: binary data, not a papers list")
    first = body[:1]
    if first == b"<":
        raise InputError(f"{name}: looks like an HTML page, not a papers list")
    return "json" if first in (b"[", b"{") else "text"


def _read_head(read: Callable[[int], bytes]) -> bytes:
    """The first bytes, read until something other than blanks and a byte-order mark."""
    head = b""
    while True:
        chunk = read(HEAD_SIZE)
        if not chunk:
            return head
        head += chunk
        if not _BOM.startswith(head) and head.removeprefix(_BOM).lstrip(_BLANK_BYTES):
            return head


def _looks_binary(head: bytes) -> bool:
    """Mostly control bytes or invalid UTF-8 at the start: an image, an archive, UTF-16 ..."""
    sample = head[:_SNIFF_SIZE]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    invalid = sample.decode("utf-8", "replace").count("\ufffd")
    return controls + invalid > _BINARY_SHARE * len(sample)


def _decoded(
    head: bytes, read: Callable[[int], bytes], report: ParseReport
) -> Iterator[tuple[str, bytes]]:
    """Text of the stream (starting with `head`), chunk by chunk with the bytes it is made
    of: UTF-8, a leading BOM dropped, bad bytes replaced with U+FFFD and counted in
    `report.replaced_bytes`."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")("replace")
    chunk = head
    while chunk:
        text = decoder.decode(chunk)
        if "\ufffd" in text:  # minus the U+FFFD that were in the input as such
            report.replaced_bytes += max(0, text.count("\ufffd") - chunk.count(b"\xef\xbf\xbd"))
        yield text, chunk
        chunk = read(CHUNK_SIZE)
    text = decoder.decode(b"", final=True)
    if text:
        report.replaced_bytes += text.count("\ufffd")
        yield text, b""
