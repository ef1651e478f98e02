"""Conflicted copies of the state file left by sync tools: which names count, how they merge,
when they are moved to conflicts-merged/ (only once the merged marks are saved)."""

from __future__ import annotations

import errno
import os
import threading
import tomllib
from pathlib import Path

import pytest
from waiting import wait_until

import tui.core.state.triage_state as state_module
from parsing.model import Paper
from tui.core.marks.codec import StateCodec
from tui.core.marks.model import Mark
from tui.core.state.conflicts import ConflictCopy, conflict_pattern, merge_copies
from tui.core.state.saver import SaverTiming
from tui.core.state.triage_state import TriageState
from tui.core.triage import Triage

FAST = SaverTiming(debounce=0.01, poll=0.02, retry=0.02)
ALPHA, BETA, GAMMA = Paper(title="Alpha Paper"), Paper(title="Beta Paper"), Paper(title="Gamma")
SYNCTHING = "state.sync-conflict-20261202-101010-ABCDEFG.toml"
DROPBOX = "state (Alice's conflicted copy 2026-12-02).toml"
SECOND = 1_000_000  # microseconds
T = 1_800_000_000 * SECOND  # a time in 2027, after the marks made by the tests


@pytest.fixture
def path(tmp_path: Path) -> Path:
    folder = tmp_path / "Sync"
    folder.mkdir()
    return folder / "state.toml"


def write_state(path: Path, entries: dict[str, Mark]) -> None:
    path.write_bytes(b"".join(StateCodec().encode(entries)))


def papers_table(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))["papers"]


def merged_folder(path: Path) -> Path:
    return path.parent / "conflicts-merged"


def starred(paper: Paper, at: int) -> Mark:
    return Mark(starred=True, starred_at=at, paper=paper)


def unstarred(at: int) -> Mark:
    return Mark(starred=False, starred_at=at)


# --- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        SYNCTHING,
        "state.sync-conflict-20250101-000000-7XQ2ZZA.toml",
        DROPBOX,
        "state (Alice\u2019s conflicted copy 2026-12-02).toml",
        "state (MacBook-Pro's conflicted copy 2026-12-02).toml",
        "state (conflicted copy 2026-12-02).toml",
        "state (Alice's conflicted copy 2026-12-02 (1)).toml",
        "state (Alice's conflicted copy 2026-12-02 2).toml",
        "state (Alice's conflicted copy 2026-12-02) (1).toml",
    ],
)
def test_the_names_sync_tools_give_conflicted_copies_match(name: str) -> None:
    assert conflict_pattern(Path("/any/state.toml")).fullmatch(name)


@pytest.mark.parametrize(
    "name",
    [
        "state.toml",
        "state.toml.bak",
        "state.toml.lock",
        "state.toml.corrupt-20261202-101010",
        "other.sync-conflict-20261202-101010-ABCDEFG.toml",
        "other (Alice's conflicted copy 2026-12-02).toml",
        "state.sync-conflict-20261202-101010-ABCDEFG.toml.tmp",
        ".syncthing.state.sync-conflict-20261202-101010-ABCDEFG.toml.tmp",
        "state.sync-conflict-20261202-101010-ABCDEFG.json",
        "state.sync-conflict-2026-12-02-101010-ABCDEFG.toml",
        "state.sync-conflict-20261202-101010-abcdefg.toml",
        "state.sync-conflict.toml",
        "mystate.sync-conflict-20261202-101010-ABCDEFG.toml",
        "state (Alice's conflicted copy).toml",
        "state (Alice's copy 2026-12-02).toml",
        "state (Alice's conflicted copy 2026-12-02).toml.bak",
        "stateX(Alice's conflicted copy 2026-12-02).toml",
    ],
)
def test_near_misses_do_not_match(name: str) -> None:
    assert not conflict_pattern(Path("/any/state.toml")).fullmatch(name)


def test_the_pattern_follows_the_state_file_s_own_name() -> None:
    pattern = conflict_pattern(Path("/any/my.marks.toml"))
    assert pattern.fullmatch("my.marks.sync-conflict-20261202-101010-ABCDEFG.toml")
    assert not pattern.fullmatch(SYNCTHING)


# --- merging ------------------------------------------------------------------------------


def test_a_copy_s_other_star_and_newer_unstar_merge_per_field() -> None:
    ours = {ALPHA.key: starred(ALPHA, T), BETA.key: starred(BETA, T)}
    copy = {
        GAMMA.key: starred(GAMMA, T + SECOND),  # another star
        BETA.key: unstarred(T + 2 * SECOND),  # a newer unstar
        ALPHA.key: unstarred(T - SECOND),  # an older unstar: the star stays
    }
    changes = merge_copies(ours, [ConflictCopy(Path("copy"), copy)])
    assert changes == {GAMMA.key: copy[GAMMA.key], BETA.key: copy[BETA.key]}


def test_the_app_merges_a_copy_saves_then_moves_it(path: Path) -> None:
    write_state(path, {ALPHA.key: starred(ALPHA, T), BETA.key: starred(BETA, T)})
    write_state(
        path.with_name(SYNCTHING),
        {GAMMA.key: starred(GAMMA, T + SECOND), BETA.key: unstarred(T + 2 * SECOND)},
    )
    state = TriageState.load(path)
    assert state.is_starred(GAMMA.key) and not state.is_starred(BETA.key)
    assert (path.parent / SYNCTHING).exists()  # not before the merged marks are saved
    assert state.take_notices() == []

    state.flush()
    table = papers_table(path)
    assert table[GAMMA.key]["starred"] is True and table[GAMMA.key]["paper"]["title"] == "Gamma"
    assert table[BETA.key]["starred"] is False and table[ALPHA.key]["starred"] is True
    assert not (path.parent / SYNCTHING).exists()
    assert (merged_folder(path) / SYNCTHING).exists()
    assert state.take_notices() == [
        "merged 1 conflicted copy of the state (moved to conflicts-merged/)"
    ]
    assert state.close().ok


def test_several_copies_are_merged_and_counted(path: Path) -> None:
    write_state(path.with_name(SYNCTHING), {ALPHA.key: starred(ALPHA, T)})
    write_state(path.with_name(DROPBOX), {BETA.key: Mark(read=True, read_at=T)})
    state = TriageState.load(path)  # no state file yet: the copies make it
    state.flush()
    assert sorted(p.name for p in merged_folder(path).iterdir()) == sorted([SYNCTHING, DROPBOX])
    assert papers_table(path)[BETA.key]["read"] is True
    assert state.take_notices() == [
        "merged 2 conflicted copies of the state (moved to conflicts-merged/)"
    ]


def test_a_name_taken_in_conflicts_merged_gets_a_suffix(path: Path) -> None:
    merged_folder(path).mkdir()
    (merged_folder(path) / SYNCTHING).write_text("an earlier copy", encoding="utf-8")
    write_state(path.with_name(SYNCTHING), {ALPHA.key: starred(ALPHA, T)})
    TriageState.load(path).flush()
    assert (merged_folder(path) / SYNCTHING).read_text(encoding="utf-8") == "an earlier copy"
    moved = merged_folder(path) / SYNCTHING.replace(".toml", "-2.toml")
    assert ALPHA.key in tomllib.loads(moved.read_text(encoding="utf-8"))["papers"]


def test_a_crash_between_merge_and_save_leaves_the_copy(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_state(path, {ALPHA.key: starred(ALPHA, T)})
    before = path.read_bytes()
    write_state(path.with_name(DROPBOX), {BETA.key: starred(BETA, T)})

    def crash(*args: object, **options: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    crashing = TriageState.load(path)
    assert crashing.is_starred(BETA.key)
    with monkeypatch.context() as patch:  # the save dies before the file is replaced
        patch.setattr(state_module, "atomic_file", crash)
        crashing.flush()
    assert crashing.save_error is not None
    assert path.read_bytes() == before
    assert (path.parent / DROPBOX).exists() and not merged_folder(path).exists()

    restarted = TriageState.load(path)  # the next start merges it again
    restarted.flush()
    assert papers_table(path)[BETA.key]["starred"] is True
    assert (merged_folder(path) / DROPBOX).exists() and not (path.parent / DROPBOX).exists()


def test_an_unreadable_copy_is_left_with_one_notice(path: Path) -> None:
    bad = path.with_name(DROPBOX)
    bad.write_bytes(b"version = 2\n[papers\n")
    write_state(path.with_name(SYNCTHING), {ALPHA.key: starred(ALPHA, T)})
    state = TriageState.load(path, timing=FAST)
    notices = state.take_notices()
    assert len(notices) == 1 and str(bad) in notices[0] and "not valid TOML" in notices[0]
    state.flush()
    assert bad.exists() and (merged_folder(path) / SYNCTHING).exists()
    assert state.is_starred(ALPHA.key) and len(state.take_notices()) == 1  # the one merged

    (path.parent / "unrelated.txt").write_text("x", encoding="utf-8")  # the folder changes
    state._pick_up_changes()  # a poll: the unreadable copy is not reported again
    assert state.take_notices() == []
    bad.write_bytes(b"\xff\xfe not text")  # until it changes
    state._pick_up_changes()
    assert [notice for notice in state.take_notices() if "not UTF-8" in notice]
    assert state.close().ok and bad.exists()


def test_a_copy_with_a_bad_entry_is_left_whole(path: Path) -> None:
    copy = path.with_name(SYNCTHING)
    copy.write_text(
        'version = 2\n[papers."alpha paper"]\nread = true\n[papers."beta paper"]\nread = 3\n',
        encoding="utf-8",
    )
    state = TriageState.load(path)
    assert not state.is_read("alpha paper")
    assert [notice for notice in state.take_notices() if str(copy) in notice]
    state.flush()
    assert copy.exists()


def test_only_files_beside_the_resolved_state_file_count(tmp_path: Path) -> None:
    target_folder, link_folder = tmp_path / "Dropbox", tmp_path / "home"
    target_folder.mkdir()
    link_folder.mkdir()
    target = target_folder / "papers.toml"
    link = link_folder / "state.toml"
    link.symlink_to(target)
    write_state(link_folder / SYNCTHING, {ALPHA.key: starred(ALPHA, T)})  # beside the link
    copy_name = "papers.sync-conflict-20261202-101010-ABCDEFG.toml"
    write_state(target_folder / copy_name, {BETA.key: starred(BETA, T)})
    (target_folder / DROPBOX.replace("state", "papers")).mkdir()  # a folder: not a copy
    state = TriageState.load(link)
    assert state.is_starred(BETA.key) and not state.is_starred(ALPHA.key)
    state.flush()
    assert (target_folder / "conflicts-merged" / copy_name).exists()
    assert (link_folder / SYNCTHING).exists() and link.is_symlink()


def test_a_read_only_state_merges_in_memory_and_moves_nothing(path: Path) -> None:
    write_state(path, {ALPHA.key: starred(ALPHA, T)})
    before = path.read_bytes()
    write_state(path.with_name(SYNCTHING), {BETA.key: starred(BETA, T)})
    state = TriageState.load(path, read_only=True)
    assert [paper.title for paper in state.starred_papers()] == [ALPHA.title, BETA.title]
    assert state.take_notices() == [
        "merged 1 conflicted copy of the state (left in place: the state is only read here)"
    ]
    state.close()
    assert path.read_bytes() == before and (path.parent / SYNCTHING).exists()
    assert not merged_folder(path).exists()


def test_a_copy_that_appears_later_is_picked_up_by_the_poll(path: Path) -> None:
    state = TriageState.load(path, timing=FAST)
    state.set_read(ALPHA, True)
    state.flush()
    changed = threading.Event()
    state.start(on_external_change=changed.set)
    write_state(path.with_name(SYNCTHING), {BETA.key: starred(BETA, T)})
    assert changed.wait(10)
    assert wait_until(lambda: (merged_folder(path) / SYNCTHING).exists())
    assert state.is_starred(BETA.key) and state.is_read(ALPHA.key)
    assert papers_table(path)[BETA.key]["starred"] is True
    assert state.close().ok


def test_a_merge_is_not_an_undo_step(path: Path) -> None:
    state = TriageState.load(path, timing=FAST)
    triage = Triage(state)
    triage.toggle(ALPHA, "starred")
    write_state(path.with_name(SYNCTHING), {BETA.key: starred(BETA, T)})
    state._pick_up_changes()
    assert state.is_starred(BETA.key)
    assert [change.paper for change in triage.undo()] == [ALPHA]
    assert triage.undo() == []
    assert state.is_starred(BETA.key) and not state.is_starred(ALPHA.key)
