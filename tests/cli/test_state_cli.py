"""Headless commands only read the state file: a bad one is reported and left as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import PAPERS, cli, records, text_copy, write

from tui.core.marks.codec import StateCodec
from tui.core.marks.model import Mark

READ = PAPERS[0]
GOOD_ENTRY = f'[papers."{READ.key}"]\nread = true\nupdated = 2025-01-01T00:00:00Z\n'
BAD_STATES = {
    "not toml": b'version = 1\n[papers."a"\nread = true\n',
    "a bad entry": f'version = 1\n\n{GOOD_ENTRY}\n[papers."b"]\nread = "yes"\n'.encode(),
    "a newer version": f"version = 99\n\n{GOOD_ENTRY}".encode(),
}
COMMANDS = {
    "list": ("list", "--filter", "is:unread"),
    "export": ("export", "--unread"),
}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
@pytest.mark.parametrize("content", BAD_STATES.values(), ids=BAD_STATES.keys())
def test_a_headless_command_reports_a_bad_state_file_and_leaves_it(
    tmp_path: Path, content: bytes, command: tuple[str, ...]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    state = write(folder, "state.toml", content)
    papers = write(tmp_path, "list.txt", text_copy(PAPERS))

    result = cli(*command, papers, "--state", state)
    assert result.returncode == 0
    [line] = result.stderr.splitlines()  # one line, naming the file
    assert str(state) in line
    assert state.read_bytes() == content
    assert list(folder.iterdir()) == [state]  # no corrupt copy, no lock file
    if command[0] == "list" and content != BAD_STATES["not toml"]:
        assert READ.title not in [record["title"] for record in records(result.stdout)]


CONFLICT_COPY = "state.sync-conflict-20261202-101010-ABCDEFG.toml"


def state_text(entries: dict[str, Mark]) -> bytes:
    return b"".join(StateCodec().encode(entries))


@pytest.mark.parametrize("command", [("export",), ("list", "--filter", "is:starred")])
def test_a_headless_command_reads_a_conflicted_copy_s_star_and_moves_nothing(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir()
    starred_at = 1_800_000_000_000_000
    state = write(folder, "state.toml", state_text({READ.key: Mark(read=True, read_at=1)}))
    mark = Mark(starred=True, starred_at=starred_at, paper=PAPERS[1])
    copy = write(folder, CONFLICT_COPY, state_text({PAPERS[1].key: mark}))
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    papers = write(tmp_path, "list.txt", text_copy(PAPERS))

    result = cli(*command, *([papers] if command[0] == "list" else []), "--state", state)
    assert result.returncode == 0, result.stderr
    assert PAPERS[1].title in result.stdout
    assert result.stderr.splitlines() == [
        "papers-tui: merged 1 conflicted copy of the state "
        "(left in place: the state is only read here)"
    ]
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    assert copy.exists()
