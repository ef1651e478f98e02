"""Headless commands only read the state file: a bad one is reported and left as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import PAPERS, cli, records, text_copy, write

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
