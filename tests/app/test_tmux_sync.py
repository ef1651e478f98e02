"""The real app in a real terminal with its state in a synced folder: a sync tool's conflicted
copy that appears while it runs is merged by the poll, saved, then moved to conflicts-merged/."""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path

import pytest
from tmux_session import PAPERS_TUI, TmuxSession
from waiting import wait_until

from parsing.model import Paper
from parsing.synthetic import render_text_copy
from tui.core.marks.codec import StateCodec
from tui.core.marks.model import Mark

pytestmark = [
    pytest.mark.app,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

READ = Paper("Sparse Mixture of Experts for Retrieval", "Plain abstract one.")
STARRED_ELSEWHERE = Paper("Diffusion Models for Protein Design", "Plain abstract two.")
COPY_NAME = "state.sync-conflict-20261202-101010-ABCDEFG.toml"


def test_a_conflicted_copy_appearing_while_the_app_runs_is_merged_saved_and_moved(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir()
    state = folder / "state.toml"
    list_file = tmp_path / "list.txt"
    list_file.write_text(
        render_text_copy([READ, STARRED_ELSEWHERE], "Jan 2", with_metadata=False),
        encoding="utf-8",
    )
    session = TmuxSession(f"{PAPERS_TUI} --state {state} {list_file}")
    try:
        session.wait_for(STARRED_ELSEWHERE.title)
        session.keys("r")  # a mark of this machine, saved before the copy appears
        assert wait_until(lambda: state.exists() and READ.key in state.read_text("utf-8"))

        # the other machine's star, written the way sync tools do: a temporary name, renamed
        mark = Mark(starred=True, starred_at=1_800_000_000_000_000, paper=STARRED_ELSEWHERE)
        temporary = folder / f".syncthing.{COPY_NAME}.tmp"
        temporary.write_bytes(b"".join(StateCodec().encode({STARRED_ELSEWHERE.key: mark})))
        os.rename(temporary, folder / COPY_NAME)

        session.wait_for("merged 1 conflicted")  # the notice
        session.wait_for("1 ★")
        moved = folder / "conflicts-merged" / COPY_NAME
        assert wait_until(moved.exists) and not (folder / COPY_NAME).exists()
        papers = tomllib.loads(state.read_text(encoding="utf-8"))["papers"]
        assert papers[STARRED_ELSEWHERE.key]["starred"] is True
        assert papers[READ.key]["read"] is True
    finally:
        session.close()
