"""Opening inputs, sniffing their format, decoding, and one-line errors for bad input."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from parsing import sources
from parsing.records import paper_to_record
from parsing.sources import InputError, ParseReport, iter_papers, open_source, read_path
from parsing.synthetic import generate, render_hf_json, render_text_copy

PAPERS = generate(5, seed=21)
TEXT = render_text_copy(PAPERS, "Mar 14", with_metadata=False)
TITLES = [paper.title for paper in PAPERS]


def parse_bytes(data: bytes, name: str = "list.txt") -> tuple[list[str], ParseReport]:
    report = ParseReport(name)
    return [paper.title for paper in iter_papers(io.BytesIO(data), name, report)], report


def assert_one_line_error(error: InputError, name: str, words: str) -> None:
    message = str(error)
    assert message.startswith(f"{name}: ")
    assert words in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (TEXT.encode(), "text"),
        (render_hf_json(PAPERS).encode(), "json"),
        ("".join(json.dumps(paper_to_record(p)) + "\n" for p in PAPERS).encode(), "jsonl"),
    ],
)
def test_format_is_sniffed_from_content(data: bytes, fmt: str) -> None:
    titles, report = parse_bytes(b"\xef\xbb\xbf \n\t" + data, "no-extension")
    assert titles == TITLES
    assert report.format == fmt


@pytest.mark.parametrize("newline", [b"\r\n", b"\r", b"\n"])
def test_bom_and_any_line_ending(newline: bytes) -> None:
    data = b"\xef\xbb\xbf" + TEXT.encode().replace(b"\n", newline)
    titles, report = parse_bytes(data)
    assert titles == TITLES
    assert report.warnings() == []


def test_invalid_utf8_is_replaced_counted_and_warned() -> None:
    data = TEXT.encode()
    start = data.index(PAPERS[1].abstract.encode())
    data = data[:start] + b"\xff\xfe bad \xc3" + data[start:]
    report = ParseReport("list.txt")
    papers = list(iter_papers(io.BytesIO(data), "list.txt", report))
    assert [paper.title for paper in papers] == TITLES
    assert papers[1].abstract.startswith("\ufffd\ufffd bad \ufffd")
    assert report.replaced_bytes == 3
    assert report.warnings() == ["list.txt: 3 invalid UTF-8 sequences replaced with U+FFFD"]


def test_a_real_replacement_character_is_not_counted() -> None:
    data = TEXT.replace(PAPERS[0].abstract, "\ufffd" + PAPERS[0].abstract).encode()
    assert parse_bytes(data)[1].replaced_bytes == 0


def test_warnings_are_one_line_each_and_name_the_input() -> None:
    report = ParseReport("x.txt", stray_lines=3, skipped_items=1, truncated=True, replaced_bytes=1)
    assert report.warnings() == [
        "x.txt: 3 stray lines skipped",
        "x.txt: 1 malformed item skipped",
        "x.txt: the last entry is incomplete (truncated copy?)",
        "x.txt: 1 invalid UTF-8 sequence replaced with U+FFFD",
    ]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty file"),
        (b" \n\r\n\t  \n", "empty file"),
        (b"\xef\xbb\xbf\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (bytes(range(128, 256)) * 20, "binary data"),
        (b"  <!DOCTYPE html>\n<html><body>Daily Papers</body></html>", "HTML page"),
        (b"<html lang='en'>", "HTML page"),
        (b"new\nSubscribe\nUpvote\n12\n", "no papers found"),
        (b"[]", "no papers found"),
        (b'[1, {"no": "title"}]', "no papers found"),
        (b'[{"title": "A Title"} {"title": "B"}]', "invalid JSON"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(data: bytes, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_bytes(data, "bad.txt")
    assert_one_line_error(caught.value, "bad.txt", words)


def test_no_papers_message_says_what_was_skipped() -> None:
    with pytest.raises(InputError, match=r"no papers found \(2 lines or items skipped\)"):
        parse_bytes(b"Upvote\n12\n")


def test_missing_file(tmp_path: Path) -> None:
    name = str(tmp_path / "nope.txt")
    with pytest.raises(InputError) as caught:
        open_source(name)
    assert_one_line_error(caught.value, name, "no such file")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        list(read_path(str(tmp_path)))
    assert_one_line_error(caught.value, str(tmp_path), "is a directory")


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(TEXT, encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read a chmod 000 file (root)")
        with pytest.raises(InputError) as caught:
            open_source(str(path))
        assert_one_line_error(caught.value, str(path), "permission denied")
    finally:
        path.chmod(0o600)


def test_dash_is_standard_input() -> None:
    stream, name = open_source("-")
    assert (stream, name) == (sys.stdin.buffer, "<stdin>")


def test_read_path_reads_and_closes_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "list"
    path.write_text(TEXT, encoding="utf-8")
    opened: list[io.BufferedReader] = []
    real_open = open

    def spy(*args, **kwargs):
        stream = real_open(*args, **kwargs)
        opened.append(stream)
        return stream

    monkeypatch.setattr(sources, "open", spy, raising=False)
    report = ParseReport(str(path))
    assert [paper.title for paper in read_path(str(path), report)] == TITLES
    assert report.papers == len(TITLES)
    assert opened and all(stream.closed for stream in opened)


def test_unbuffered_stream_without_read1(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text(TEXT, encoding="utf-8")
    with open(path, "rb", buffering=0) as stream:
        assert [paper.title for paper in iter_papers(stream, "list.txt")] == TITLES


def test_first_paper_arrives_while_the_pipe_is_still_open() -> None:
    """A writer thread sends one page, then waits until the reader has a paper."""
    first_part = render_text_copy(PAPERS[:2], "Mar 14", with_metadata=True)
    rest = render_text_copy(PAPERS[2:], "Mar 15", with_metadata=True)
    reader_fd, writer_fd = os.pipe()
    got_first = threading.Event()
    wrote_rest_before_first = []

    def write() -> None:
        with os.fdopen(writer_fd, "wb") as pipe:
            pipe.write(first_part.encode())
            pipe.flush()
            # Safety valve only: a parser that waits for EOF would hang the test forever.
            wrote_rest_before_first.append(not got_first.wait(timeout=30))
            pipe.write(rest.encode())

    writer = threading.Thread(target=write)
    writer.start()
    with os.fdopen(reader_fd, "rb") as stream:
        papers = iter_papers(stream, "<stdin>")
        first = next(papers)
        got_first.set()
        remaining = list(papers)
    writer.join()
    assert wrote_rest_before_first == [False]
    assert [first.title] + [paper.title for paper in remaining] == TITLES
    assert [paper.lists for paper in remaining] == [("Mar 14",)] + [("Mar 15",)] * 3


def test_latin1_text_is_read_with_replacements_not_refused() -> None:
    data = TEXT.replace(PAPERS[0].abstract, "Café résumé. " + PAPERS[0].abstract).encode("latin-1")
    titles, report = parse_bytes(data)
    assert titles == TITLES
    assert report.replaced_bytes == 3


def test_parsing_never_imports_the_ui() -> None:
    code = (
        "import sys, parsing, parsing.sources, parsing.synthetic; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'tui', 'rich'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


class Stop(Exception):
    """Raised by a test's `waiting` hook to end the reading."""


def test_waiting_is_called_while_an_open_pipe_has_nothing_and_may_stop_the_reading() -> None:
    reader_fd, writer_fd = os.pipe()
    lines = "".join(json.dumps(paper_to_record(paper)) + "\n" for paper in PAPERS[:3])
    os.write(writer_fd, lines.encode())
    read: list[str] = []
    waits: list[int] = []  # how many papers were read at each call

    def waiting() -> None:
        waits.append(len(read))
        if len(waits) == 3:
            raise Stop

    try:
        with os.fdopen(reader_fd, "rb") as stream, pytest.raises(Stop):
            for paper in iter_papers(stream, "<stdin>", waiting=waiting):
                read.append(paper.title)
    finally:
        os.close(writer_fd)
    assert read == TITLES[:3]
    assert waits == [3, 3, 3]


def test_waiting_is_never_called_for_a_file(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text(TEXT, encoding="utf-8")
    waits: list[bool] = []
    titles = [paper.title for paper in read_path(str(path), waiting=lambda: waits.append(True))]
    assert titles == TITLES
    assert waits == []
