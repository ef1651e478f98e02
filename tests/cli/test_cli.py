"""The headless command line, driven through the installed `papers-tui` script.

Every run asserts that no traceback reaches stderr. Fetching goes to a fake API on
127.0.0.1 (`hf_server`); every other test points HF_ENDPOINT at a closed port.
"""

from __future__ import annotations

import dataclasses
import json
import os
import selectors
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hf_server import FakeHub, closed_port_url, make_items
from hostile import FORBIDDEN_IN_OUTPUT, write_hostile_json
from locations import SEEDS
from markdown_check import expected_document, parse

import tui
from parsing.model import Paper
from parsing.sources import read_path
from parsing.synthetic import generate, render_hf_json, render_text_copy
from tui.core.exports.items import export_items
from tui.core.state.triage_state import TriageState

SCRIPT = Path(sys.executable).parent / "papers-tui"
TIMEOUT = 30  # seconds: a hung command fails the test instead of blocking the suite
DAY = date(2025, 9, 8)
LABEL = "Mar 14"
PAPERS = [dataclasses.replace(paper, lists=(LABEL,)) for paper in generate(6, seed=11)]
TITLES = [paper.title for paper in PAPERS]
RECORD_FIELDS = {"key", "title", "abstract", "authors", "author_names", "published", "upvotes"}
RECORD_FIELDS |= {"lists", "arxiv_id", "url"}


@pytest.fixture(autouse=True)
def cli_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy, no real endpoint, a wide terminal for tables (XDG dirs: conftest)."""
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("HF_ENDPOINT", closed_port_url())
    monkeypatch.setenv("COLUMNS", "200")


def cli(*args: str | Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the script to completion (environment: this process's)."""
    result = subprocess.run(
        [SCRIPT, *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
    )
    assert "Traceback" not in result.stderr
    return result


def records(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


def titles_of(stdout: str) -> list[str]:
    return [record["title"] for record in records(stdout)]


def stderr_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return result.stderr.splitlines()


def text_copy(papers: list[Paper], with_metadata: bool = True) -> str:
    return render_text_copy(papers, LABEL, with_metadata)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def make_state(
    path: Path, *, read: tuple[Paper, ...] = (), starred: tuple[Paper, ...] = ()
) -> Path:
    """A state file written in-process, as the app would leave it."""
    state = TriageState.load(path)
    for paper in read:
        state.set_read(paper, True)
    for paper in starred:
        state.set_starred(paper, True)
    assert state.close().ok
    return path


def read_until_line(process: subprocess.Popen[bytes]) -> bytes:
    """What the process printed up to its first newline, waiting at most TIMEOUT seconds."""
    assert process.stdout is not None
    received = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while b"\n" not in received:
            assert selector.select(TIMEOUT), f"no output within {TIMEOUT} s"
            chunk = os.read(process.stdout.fileno(), 65536)  # raw: communicate() reads the rest
            assert chunk, "stdout closed before a line was printed"
            received += chunk
    return received


def test_help_and_version():
    top = cli("--help")
    assert top.returncode == 0
    assert "list" in top.stdout and "export" in top.stdout
    version = cli("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"papers-tui {tui.__version__}"


# --- list -----------------------------------------------------------------------------------


def test_jsonl_has_one_record_per_paper_with_its_fields(tmp_path):
    result = cli("list", write(tmp_path, "a.txt", text_copy(PAPERS)), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    rows = records(result.stdout)
    assert [row["title"] for row in rows] == TITLES
    for row, paper in zip(rows, PAPERS, strict=True):
        assert row.keys() >= RECORD_FIELDS
        assert row["key"] == paper.key
        assert row["abstract"] == paper.abstract
        assert row["authors"] == paper.author_count
        assert row["upvotes"] == paper.upvotes
        assert row["published_date"] == paper.published_date.isoformat()
        assert row["lists"] == [LABEL]
        assert row["arxiv_id"] is None  # a copied page has no ids: the url is a search
        assert row["url"].startswith("https://huggingface.co/papers?q=")


def test_a_paper_in_two_files_is_listed_again_with_both_lists(tmp_path):
    text = write(tmp_path, "a.txt", text_copy(PAPERS[:4]))
    api = write(tmp_path, "b.json", render_hf_json(PAPERS[3:], DAY))
    result = cli("list", text, api)
    assert result.returncode == 0, result.stderr
    assert titles_of(result.stdout) == TITLES[:4] + TITLES[3:]  # streamed, then merged
    rows = {row["title"]: row for row in records(result.stdout)}  # the last line of each
    assert list(rows) == TITLES
    shared = rows[TITLES[3]]
    assert shared["lists"] == [LABEL, DAY.isoformat()]
    assert shared["arxiv_id"] == PAPERS[3].arxiv_id  # known from the JSON copy only
    for paper in PAPERS[4:]:
        row = rows[paper.title]
        assert row["arxiv_id"] == paper.arxiv_id
        assert row["url"] == f"https://huggingface.co/papers/{paper.arxiv_id}"
        assert row["author_names"] == list(paper.author_names)
        assert row["authors"] == len(paper.author_names)


def test_markdown_groups_papers_by_list(tmp_path):
    text = write(tmp_path, "a.txt", text_copy(PAPERS[:4]))
    api = write(tmp_path, "b.json", render_hf_json(PAPERS[3:], DAY))
    result = cli("list", text, api, "--format", "md")
    assert result.returncode == 0, result.stderr
    output = result.stdout
    first, second = output.index(f"## {LABEL}\n"), output.index(f"## {DAY.isoformat()}\n")
    assert first < second
    for title in TITLES[:4]:
        assert first < output.index(title) < second
        assert output.count(f"### [{title}]") == 1
    for title in TITLES[4:]:
        assert second < output.index(title)
    assert f"https://arxiv.org/abs/{PAPERS[5].arxiv_id}" in output


def test_table_shows_every_title(tmp_path):
    result = cli("list", write(tmp_path, "a.txt", text_copy(PAPERS)), "--format", "table")
    assert result.returncode == 0, result.stderr
    assert "Title" in result.stdout and "Upvotes" in result.stdout
    for title in TITLES:
        assert title in result.stdout  # COLUMNS=200: no title is wrapped


def test_stdin_streams_the_first_paper_before_the_input_ends():
    text = text_copy(PAPERS[:3], with_metadata=False)
    cut = text.index(TITLES[2]) + len(TITLES[2]) + 1  # header, 2 papers, the third's title
    with subprocess.Popen(
        [SCRIPT, "list", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdin is not None
        process.stdin.write(text[:cut].encode())
        process.stdin.flush()
        early = read_until_line(process)  # stdin is still open here
        assert json.loads(early.split(b"\n")[0])["title"] == TITLES[0]
        rest, errors = process.communicate(text[cut:].encode(), timeout=TIMEOUT)
    assert process.returncode == 0, errors
    assert b"Traceback" not in errors
    assert titles_of((early + rest).decode()) == TITLES[:3]


@pytest.mark.parametrize("form", ["json", "jsonl"])
def test_stdin_held_open_prints_each_json_item_as_it_arrives(form):
    items = make_items(3)
    pieces = [json.dumps(item) for item in items]  # each write ends right after an item
    if form == "json":
        pieces = ["[" + pieces[0], *("," + piece for piece in pieces[1:])]
    else:
        pieces = [pieces[0], *("\n" + piece for piece in pieces[1:])]
    with subprocess.Popen(
        [SCRIPT, "list", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdin is not None
        for piece, item in zip(pieces, items, strict=True):
            process.stdin.write(piece.encode())
            process.stdin.flush()
            line = read_until_line(process)  # the pipe stays open
            assert json.loads(line)["title"] == item["paper"]["title"]
        rest, errors = process.communicate(b"]" if form == "json" else b"\n", timeout=TIMEOUT)
    assert process.returncode == 0, errors
    assert rest == b""


def test_a_list_pasted_twice_into_one_input_prints_each_paper_once():
    twice = text_copy(PAPERS[:2]) + text_copy(PAPERS[1:3])
    result = cli("list", "-", stdin=twice)
    assert result.returncode == 0, result.stderr
    assert titles_of(result.stdout) == TITLES[:3]


@pytest.mark.parametrize("stdin", [False, True])
def test_two_pages_in_one_input_give_what_two_files_give(tmp_path, stdin):
    papers = generate(12, seed=4)
    march = render_text_copy(papers[:8], "Mar 11", with_metadata=True)
    august = render_text_copy(papers[3:], "Aug 8", with_metadata=True)  # 5 papers in both
    two_files = cli("list", write(tmp_path, "a.txt", march), write(tmp_path, "b.txt", august))
    if stdin:
        one_input = cli("list", "-", stdin=march + august)
    else:
        one_input = cli("list", write(tmp_path, "both.txt", march + august))
    assert one_input.returncode == two_files.returncode == 0, one_input.stderr
    assert one_input.stdout == two_files.stdout
    last = {row["key"]: row for row in records(one_input.stdout)}  # the last line of a key
    assert [row["title"] for row in last.values()] == [paper.title for paper in papers]
    assert [row["lists"] for row in last.values()] == (
        [["Mar 11"]] * 3 + [["Mar 11", "Aug 8"]] * 5 + [["Aug 8"]] * 4
    )


# --- bad input ------------------------------------------------------------------------------


def test_each_bad_input_is_one_line_and_the_good_ones_are_still_listed(tmp_path):
    (tmp_path / "folder").mkdir()
    bad = {
        tmp_path / "missing.txt": "no such file",
        tmp_path / "folder": "directory",
        write(tmp_path, "image.png", bytes(range(256)) * 8): "binary",
        write(tmp_path, "page.html", "<!DOCTYPE html>\n<html><body>Papers</body></html>\n"): "HTML",
        write(tmp_path, "empty.txt", ""): "empty",
        write(tmp_path, "header.txt", text_copy([])): "no papers",
    }
    good = write(tmp_path, "good.txt", text_copy(PAPERS[:2]))
    result = cli("list", *bad, good, "--format", "md")
    assert result.returncode == 1
    lines = stderr_lines(result)
    assert len(lines) == len(bad)
    for line, (path, problem) in zip(lines, bad.items(), strict=True):
        assert line.startswith(f"papers-tui: {path}: ")
        assert problem.casefold() in line.casefold()
    for title in TITLES[:2]:
        assert title in result.stdout


def test_a_single_bad_input_on_stdin_is_one_line_and_nothing_else():
    result = cli("list", "-", stdin="<html><head><title>Daily Papers</title></head></html>")
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = stderr_lines(result)
    assert line.startswith("papers-tui: <stdin>: ")
    assert "HTML" in line


def test_an_unreadable_file_is_one_line(tmp_path):
    locked = write(tmp_path, "locked.txt", text_copy(PAPERS[:1]))
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("this user (root) reads files whatever their mode")
        result = cli("list", locked)
    finally:
        locked.chmod(0o600)
    assert result.returncode == 1
    assert stderr_lines(result) == [f"papers-tui: {locked}: permission denied"]


def test_an_unwritable_export_target_is_one_line(tmp_path):
    state = make_state(tmp_path / "state.toml", starred=(PAPERS[0],))
    result = cli("export", "--state", state, "-o", tmp_path)  # a folder, not a file
    assert result.returncode == 1
    assert len(stderr_lines(result)) == 1
    assert str(tmp_path) in result.stderr


# --- export and filters, with a state written in-process ------------------------------------


def test_export_starred_from_the_state_alone(tmp_path):
    state = TriageState.load(tmp_path / "state.toml")
    for paper in (PAPERS[0], PAPERS[4], PAPERS[1]):
        state.set_starred(paper, True)
    state.set_starred(PAPERS[1], False)
    state.set_read(PAPERS[2], True)
    assert state.close().ok

    result = cli("export", "--state", state.path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Starred papers\n")
    for paper in PAPERS:
        assert (paper.title in result.stdout) == (paper in (PAPERS[0], PAPERS[4]))

    limited = cli("export", "--state", state.path, write(tmp_path, "a.txt", text_copy(PAPERS[:3])))
    assert limited.returncode == 0, limited.stderr
    assert TITLES[0] in limited.stdout and TITLES[4] not in limited.stdout

    target = tmp_path / "out" / "starred.md"
    written = cli("export", "--starred", "--state", state.path, "-o", target)
    assert written.returncode == 0, written.stderr
    assert written.stdout == ""
    assert target.read_text(encoding="utf-8") == result.stdout
    assert str(target) in written.stderr


@pytest.mark.parametrize(
    ("which", "heading", "expected"),
    [("--unread", "# Unread papers", TITLES[1:3]), ("--all", "# All papers", TITLES[:3])],
)
def test_export_unread_or_all_of_the_given_lists(tmp_path, which, heading, expected):
    state = make_state(tmp_path / "state.toml", read=(PAPERS[0],), starred=(PAPERS[4],))
    result = cli("export", which, "--state", state, write(tmp_path, "a.txt", text_copy(PAPERS[:3])))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(heading + "\n")
    assert [title for title in TITLES if title in result.stdout] == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("radiance", TITLES[1:2]),
        ("is:unread", [TITLES[1], TITLES[3]]),
        ("is:starred", TITLES[2:3]),
        ("survey is:starred", TITLES[2:3]),  # "survey" alone: TITLES[0] and TITLES[2]
    ],
)
def test_filter_words_and_qualifiers(tmp_path, query, expected):
    state = make_state(tmp_path / "state.toml", read=PAPERS[::2], starred=PAPERS[2:3])
    papers = write(tmp_path, "a.txt", text_copy(PAPERS[:4]))
    result = cli("list", papers, "--state", state, "--filter", query)
    assert result.returncode == 0, result.stderr
    assert sorted(titles_of(result.stdout)) == sorted(expected)


def test_a_bad_filter_is_one_line(tmp_path):
    result = cli("list", write(tmp_path, "a.txt", text_copy(PAPERS[:2])), "--filter", "is:stared")
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(stderr_lines(result)) == 1
    assert "is:stared" in result.stderr


# --- fetching a day -------------------------------------------------------------------------


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    with FakeHub() as server:
        server.days[DAY.isoformat()] = make_items(4, DAY.isoformat())
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        yield server


def test_list_fetches_the_day_then_serves_it_offline_from_the_cache(hub, monkeypatch):
    items = hub.days[DAY.isoformat()]
    fetched = cli("list", "--date", DAY.isoformat(), "--format", "jsonl")
    assert fetched.returncode == 0, fetched.stderr
    rows = records(fetched.stdout)
    assert [row["arxiv_id"] for row in rows] == [item["paper"]["id"] for item in items]
    for row in rows:
        assert row["url"] == f"https://huggingface.co/papers/{row['arxiv_id']}"
        assert row["lists"] == [DAY.isoformat()]
    assert hub.pages_asked(DAY.isoformat()) == [0]

    monkeypatch.setenv("HF_ENDPOINT", closed_port_url())
    offline = cli("list", "--date", DAY.isoformat(), "--refresh")  # --refresh: ask the network
    assert offline.returncode == 0, offline.stderr
    assert offline.stdout == fetched.stdout
    assert len(stderr_lines(offline)) == 1
    assert "offline" in offline.stderr


def test_offline_with_nothing_cached_is_one_line_and_exit_2():
    result = cli("list", "--date", DAY.isoformat())
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(stderr_lines(result)) == 1
    assert DAY.isoformat() in result.stderr


@pytest.mark.parametrize(
    ("day", "answer"),
    [("2030-01-01", "400, a future day"), ("2025-09-07", "404"), ("2025-09-06", "an empty list")],
)
@pytest.mark.parametrize("command", ["list", "export --all"])
def test_a_day_without_papers_is_one_line_and_exit_1(hub, day, answer, command):
    hub.last_day = DAY.isoformat()
    hub.missing.add("2025-09-07")
    result = cli(*command.split(), "--date", day)
    assert result.returncode == 1, answer
    assert "## " not in result.stdout  # export still writes its heading, as for an empty file
    assert stderr_lines(result) == [f"papers-tui: no list for {day}"]


def test_export_all_of_a_fetched_day(hub):
    result = cli("export", "--all", "--date", DAY.isoformat())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# All papers\n")
    assert f"## {DAY.isoformat()}\n" in result.stdout
    for item in hub.days[DAY.isoformat()]:
        paper = item["paper"]
        assert f"[{paper['title']}](<https://huggingface.co/papers/{paper['id']}>)" in result.stdout


# --- the shared real copies -----------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "count"), [("000", 94), ("002", 182), ("003", 93)])
def test_shared_seed_lists_every_paper(prefix, count):
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"no shared seed {prefix}_*.txt in {SEEDS}")
    result = cli("list", found[0], "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    assert len(records(result.stdout)) == count


# --- the reader goes away, the user presses Ctrl-C ------------------------------------------


@pytest.fixture(scope="module")
def long_list(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough papers that every format's output is far larger than a pipe's buffer."""
    path = tmp_path_factory.mktemp("long") / "long.txt"
    path.write_text(text_copy(generate(400, seed=3)), encoding="utf-8")
    return path


@pytest.mark.parametrize("form", ["jsonl", "md", "table"])
def test_a_reader_that_leaves_after_one_line_ends_it_quietly(long_list, form):
    """`papers-tui list FILE | head -1`."""
    with subprocess.Popen(
        [SCRIPT, "list", long_list, "--format", form],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        read_until_line(process)
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        errors = process.stderr.read()
        process.wait(TIMEOUT)
    assert errors == b""
    assert process.returncode == 0


@pytest.mark.parametrize("form", ["md", "table"])
def test_a_reader_gone_before_any_output_ends_it_quietly(tmp_path, form):
    """`papers-tui list FILE | true`: even a short output fails, when flushed at the end."""
    papers = write(tmp_path, "a.txt", text_copy(PAPERS[:1]))
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run(
            [SCRIPT, "list", papers, "--format", form],
            stdout=writer,
            stderr=subprocess.PIPE,
            timeout=TIMEOUT,
        )
    finally:
        os.close(writer)
    assert result.stderr == b""
    assert result.returncode == 0


def test_ctrl_c_while_waiting_on_stdin_exits_without_a_traceback():
    text = text_copy(PAPERS[:2])
    cut = text.index(TITLES[1])  # the first paper is complete, the input goes on
    with subprocess.Popen(
        [SCRIPT, "list", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # a shell runs background jobs with SIGINT ignored, which the child would inherit
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    ) as process:
        assert process.stdin is not None
        process.stdin.write(text[:cut].encode())
        process.stdin.flush()
        read_until_line(process)
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 130
    assert b"Traceback" not in errors
    assert b"KeyboardInterrupt" not in errors


def test_the_app_refuses_bad_files_before_taking_the_terminal(tmp_path):
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    result = cli(binary, tmp_path / "missing.txt")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and "binary data" in lines[0] and "missing.txt" in lines[1]


# --- hostile text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--format", "jsonl"),
        ("list", "--format", "md"),
        ("list", "--format", "table"),
        ("export", "--all"),
    ],
)
def test_headless_output_of_hostile_text_has_no_control_characters(tmp_path, args):
    hostile = write_hostile_json(tmp_path / "hostile.json")
    result = cli(*args, "--state", tmp_path / "state.toml", hostile)
    assert result.returncode == 0, result.stderr
    assert result.stdout
    for forbidden in FORBIDDEN_IN_OUTPUT:
        assert forbidden not in result.stdout + result.stderr, repr(forbidden)


@pytest.mark.parametrize(
    ("args", "heading"),
    [(("list", "--format", "md"), "Papers"), (("export", "--all"), "All papers")],
)
def test_markdown_of_hostile_text_has_only_our_links_and_headings(tmp_path, args, heading):
    hostile = write_hostile_json(tmp_path / "hostile.json")
    result = cli(*args, "--state", tmp_path / "state.toml", hostile)
    assert result.returncode == 0, result.stderr
    expected = expected_document(export_items(read_path(str(hostile))), heading)
    assert parse(result.stdout) == expected


def test_a_table_prints_titles_as_they_are_never_as_markup(tmp_path):
    titles = ["[/x]", "[b]x[/b] bold?", "[link=http://evil]x[/link]", "[red]not red[/red] :smile:"]
    papers = [
        dataclasses.replace(paper, title=title)
        for paper, title in zip(PAPERS[:4], titles, strict=True)
    ]
    hostile = write_hostile_json(tmp_path / "hostile.json")
    table = write(tmp_path, "markup.json", render_hf_json(papers, DAY))
    result = cli("list", table, hostile, "--format", "table")
    assert result.returncode == 0, result.stderr
    for paper in [*papers, *read_path(str(hostile))]:
        assert paper.title in result.stdout
