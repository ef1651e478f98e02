"""The read/star state in one process: file format, merges, bad files, failing saves."""

from __future__ import annotations

import errno
import gc
import os
import stat
import tempfile
import threading
import tomllib
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import BinaryIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from waiting import wait_until

import tui.core.state.triage_state as state_module
from parsing.clean import clean_text
from parsing.model import Paper
from tui.core.marks.codec import FORMAT_VERSION, StateCodec, decode_document
from tui.core.marks.merge import merge, newest
from tui.core.marks.model import Mark
from tui.core.paths import default_state_path, fallback_state_path
from tui.core.state.saver import SaverTiming
from tui.core.state.triage_state import TriageState

FAST = SaverTiming(debounce=0.01, poll=0.02, retry=0.02)
ALPHA = Paper(
    title="Sparse Mixture of Experts for Retrieval",
    abstract='Routing "tokens" \\ to experts.\nSecond line.',
    authors=2,
    author_names=("Ada Lovelace", "Alan Turing"),
    published="Sep 5, 2024",
    published_date=date(2024, 9, 5),
    upvotes=7,
    lists=("Mar 14",),
    arxiv_id="2409.01234",
    github_repo="https://github.com/example/moe",
)
BETA = Paper(title="Beta: a Second Paper")
GAMMA = Paper(title="Gamma Rays and Gradient Descent", authors=4)


@pytest.fixture(autouse=True)
def private_temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fallback files go to a temporary folder of the test (XDG folders: conftest.py)."""
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "state.toml"


def papers_table(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))["papers"]


def asides(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.corrupt-*"))


# --- the file ---------------------------------------------------------------------------


def test_default_state_path_is_in_the_xdg_data_home() -> None:
    data_home = Path(os.environ["XDG_DATA_HOME"])
    assert default_state_path() == data_home / "papers-tui" / "state.toml"


def test_marks_survive_a_reload(path: Path) -> None:
    state = TriageState.load(path)
    state.set_read(ALPHA, True)
    state.set_starred(ALPHA, True)
    state.set_starred(GAMMA, True)
    state.set_read(BETA, True)
    state.flush()

    again = TriageState.load(path)
    assert (again.is_read(ALPHA.key), again.is_starred(ALPHA.key)) == (True, True)
    assert (again.is_read(BETA.key), again.is_starred(BETA.key)) == (True, False)
    assert (again.is_read(GAMMA.key), again.is_starred(GAMMA.key)) == (False, True)
    assert again.starred_papers() == [ALPHA, GAMMA]
    assert again.marked_keys() == (2, 2)
    assert again.notices == [] and again.save_error is None and not again.read_only


def test_the_file_holds_only_marks_and_a_snapshot_without_derived_fields(path: Path) -> None:
    state = TriageState.load(path)
    state.set_starred(ALPHA, True)
    state.set_read(BETA, True)
    state.set_read(BETA, False)  # back to the default: a tombstone
    state.flush()

    document = tomllib.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == FORMAT_VERSION
    alpha = document["papers"][ALPHA.key]
    assert alpha.keys() == {"starred", "starred_at", "paper"}  # never read: no read field
    assert alpha["starred"] is True and alpha["starred_at"].tzinfo is not None
    snapshot = alpha["paper"]
    assert snapshot["title"] == ALPHA.title and snapshot["abstract"] == ALPHA.abstract
    assert set(snapshot) == {
        "title",
        "abstract",
        "authors",
        "author_names",
        "published",
        "published_date",
        "upvotes",
        "lists",
        "arxiv_id",
        "github_repo",
    }  # no derived key or urls, no unknown (None) project_page
    assert document["papers"][BETA.key].keys() == {"read", "read_at"}
    assert document["papers"][BETA.key]["read"] is False  # a tombstone of the read mark
    assert GAMMA.key not in document["papers"]


def test_tombstones_expire(path: Path) -> None:
    state = TriageState.load(path, timing=SaverTiming(tombstone_ttl=0))
    state.set_read(BETA, True)
    state.set_read(ALPHA, True)
    state.set_read(BETA, False)
    state.flush()
    assert list(papers_table(path)) == [ALPHA.key]


def test_stars_keep_the_order_they_were_given_in(path: Path) -> None:
    state = TriageState.load(path)
    for paper in (GAMMA, ALPHA, BETA):
        state.set_starred(paper, True)
    state.set_read(ALPHA, True)  # a later change of a starred paper keeps its place
    state.set_starred(GAMMA, True)  # starring again too
    assert state.starred_papers() == [GAMMA, ALPHA, BETA]
    state.set_starred(GAMMA, False)
    state.set_starred(GAMMA, True)
    state.flush()
    assert TriageState.load(path).starred_papers() == [ALPHA, BETA, GAMMA]


def test_ui_calls_do_not_write(path: Path) -> None:
    state = TriageState.load(path)
    state.set_read(ALPHA, True)
    state.set_starred(BETA, True)
    assert state.is_read(ALPHA.key) and state.is_starred(BETA.key)
    assert not path.exists()


def test_a_burst_of_marks_is_one_write(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writes: list[Path] = []
    real_file = state_module.atomic_file

    def counting_file(target: Path, **options: bool) -> AbstractContextManager[BinaryIO]:
        writes.append(target)
        return real_file(target, **options)

    monkeypatch.setattr(state_module, "atomic_file", counting_file)
    state = TriageState.load(path, timing=SaverTiming(debounce=0.5))
    state.start()
    papers = [Paper(title=f"Burst paper {number}") for number in range(30)]
    for paper in papers:
        state.set_read(paper, True)
    assert wait_until(lambda: path.exists() and len(papers_table(path)) == 30)
    assert writes == [path]
    assert state.close().ok
    assert writes == [path]  # nothing left to write at close


def test_the_saver_writes_with_automatic_collection_paused(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    collecting_during_writes: list[bool] = []
    real_file = state_module.atomic_file

    def noting_file(target: Path, **options: bool) -> AbstractContextManager[BinaryIO]:
        collecting_during_writes.append(gc.isenabled())
        return real_file(target, **options)

    monkeypatch.setattr(state_module, "atomic_file", noting_file)
    state = TriageState.load(path, timing=SaverTiming(debounce=0))
    state.start()
    state.set_read(ALPHA, True)
    assert wait_until(lambda: path.exists())
    assert state.close().ok
    assert collecting_during_writes == [False]
    assert gc.isenabled()


def test_close_saves_what_is_left_and_stops_the_saver(path: Path) -> None:
    before = set(threading.enumerate())
    state = TriageState.load(path, timing=SaverTiming(debounce=60))
    state.start()
    [saver] = set(threading.enumerate()) - before
    state.set_read(ALPHA, True)
    result = state.close()
    assert result.ok and result.message is None
    assert papers_table(path)[ALPHA.key]["read"] is True
    assert not saver.is_alive()


def test_stale_temporary_files_are_removed_by_the_first_save(path: Path) -> None:
    path.parent.mkdir(parents=True)
    stale = path.parent / f".{path.name}.abc123.tmp"
    stale.write_text("half a file")
    state = TriageState.load(path)
    assert stale.exists()  # another instance may be writing it: only the lock holder knows
    state.set_read(ALPHA, True)
    state.flush()
    assert not stale.exists()


def test_hand_written_entries_are_understood(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(
        "version = 1\n"
        f'[papers."{BETA.key}"]\nread = true\n'  # no time: the file's time stands in
        f'[papers."{GAMMA.key}"]\nstarred = true\nupdated = 2025-01-02\n'  # no snapshot
        f'[papers."{ALPHA.key}"]\nread = true\nupdated = 1735689600.5\n',
        encoding="utf-8",
    )
    state = TriageState.load(path)
    assert state.notices == []
    assert state.is_read(BETA.key) and state.is_read(ALPHA.key) and state.is_starred(GAMMA.key)
    assert [paper.key for paper in state.starred_papers()] == [GAMMA.key]


def test_a_link_to_a_file_not_written_yet_is_written_through(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "state.toml"
    target.parent.mkdir()
    link = tmp_path / "state.toml"
    link.symlink_to(target)
    state = TriageState.load(link)
    state.set_starred(ALPHA, True)
    state.flush()
    assert link.is_symlink() and link.resolve() == target
    assert papers_table(target)[ALPHA.key]["starred"] is True
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # a new state file is private


# --- bad files ----------------------------------------------------------------------------

BAD_FILES = {
    "bad toml": b'version = 1\n[papers."a"\nread = true\n',
    "not utf-8": b"version = 1\n# caf\xe9\n",
    "papers not a table": b"version = 1\npapers = 3\n",
    "version a string": b'version = "1"\n',
    "version zero": b"version = 0\n",
    "no papers and no version": b'colour = "red"\n',
}


@pytest.mark.parametrize("content", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_corrupt_file_is_moved_aside_never_overwritten(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    state = TriageState.load(path)
    [aside] = asides(path)
    assert aside.read_bytes() == content
    assert len(state.notices) == 1 and str(aside) in state.notices[0]
    assert state.marked_keys() == (0, 0) and not state.read_only

    state.set_read(ALPHA, True)
    state.flush()
    assert papers_table(path)[ALPHA.key]["read"] is True
    assert aside.read_bytes() == content


def test_bad_entries_are_left_out_after_copying_the_file_aside(path: Path) -> None:
    path.parent.mkdir(parents=True)
    content = (
        "version = 1\n\n"
        f'[papers."{ALPHA.key}"]\nread = true\nupdated = 2025-01-01T00:00:00Z\n\n'
        f'[papers."{BETA.key}"]\nread = "yes"\n\n'  # wrong type: left out
        f'[papers."{GAMMA.key}"]\nread = true\ncolour = "red"\n\n'  # unknown field: ignored
        '[papers."other"]\nstarred = true\n[papers."other".paper]\ntitle = "Not Other"\n'
    ).encode()
    path.write_bytes(content)

    state = TriageState.load(path)
    [aside] = asides(path)
    assert aside.read_bytes() == content and path.read_bytes() == content
    assert len(state.notices) == 1
    assert "3 unreadable parts" in state.notices[0] and str(aside) in state.notices[0]
    assert state.is_read(ALPHA.key) and state.is_read(GAMMA.key)
    assert not state.is_read(BETA.key) and state.is_starred("other")  # its snapshot is bad

    state.flush()  # the file is rewritten without the bad parts
    assert set(papers_table(path)) == {ALPHA.key, GAMMA.key, "other"}
    assert "paper" not in papers_table(path)["other"]
    assert "colour" not in papers_table(path)[GAMMA.key]
    assert TriageState.load(path).notices == []
    assert asides(path) == [aside]


def test_a_bad_snapshot_is_dropped_and_its_marks_are_kept(path: Path) -> None:
    path.parent.mkdir(parents=True)
    content = (
        "version = 1\n\n"
        '[papers."other"]\nread = true\nstarred = true\nupdated = 2025-01-01T00:00:00Z\n'
        '[papers."other".paper]\ntitle = "Not Other"\n\n'  # a snapshot of another paper
        f'[papers."{BETA.key}"]\nstarred = true\npaper = "not a table"\n\n'
        f'[papers."{GAMMA.key}"]\nstarred = true\n[papers."{GAMMA.key}".paper]\nauthors = 2\n'
    ).encode()
    path.write_bytes(content)

    state = TriageState.load(path)
    [aside] = asides(path)
    assert aside.read_bytes() == content
    [notice] = state.notices
    assert "3 unreadable parts" in notice and "snapshot dropped, marks kept" in notice
    assert state.is_read("other") and state.is_starred("other")
    assert state.is_starred(BETA.key) and state.is_starred(GAMMA.key)
    assert state.marked_keys() == (1, 3)
    assert [paper.title for paper in state.starred_papers()] == ["other", BETA.key, GAMMA.key]

    state.flush()  # rewritten without the bad snapshots, with the marks
    table = papers_table(path)
    assert table["other"]["read"] is True and table["other"]["starred"] is True
    assert all("paper" not in table[key] for key in ("other", BETA.key, GAMMA.key))
    assert TriageState.load(path).notices == []


def test_a_file_without_its_version_line_keeps_its_marks(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(f'[papers."{ALPHA.key}"]\nread = true\n', encoding="utf-8")
    state = TriageState.load(path)
    assert state.is_read(ALPHA.key) and "no 'version' line" in state.notices[0]
    assert len(asides(path)) == 1


@pytest.mark.parametrize(
    "content",
    [
        f'version = 4\n[papers."{ALPHA.key}"]\nread = true\nrating = 5\n',
        "version = 4\npapers = [1, 2]\n",
    ],
    ids=["known shape", "unknown shape"],
)
def test_a_newer_file_is_left_untouched_and_marks_go_to_the_fallback(
    path: Path, content: str
) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    before = path.read_bytes()
    state = TriageState.load(path, timing=FAST)
    assert state.read_only and "version 4" in state.notices[0]
    state.start()
    state.set_starred(BETA, True)
    state.flush()
    result = state.close()

    assert path.read_bytes() == before and asides(path) == []
    assert not result.ok and result.fallback_path == fallback_state_path()
    assert str(fallback_state_path()) in (result.message or "")
    assert papers_table(fallback_state_path())[BETA.key]["starred"] is True


def test_a_newer_file_shows_the_marks_it_can(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(f'version = 4\n[papers."{ALPHA.key}"]\nread = true\n', encoding="utf-8")
    state = TriageState.load(path)
    assert state.read_only and state.is_read(ALPHA.key)
    assert state.close().ok  # nothing changed, nothing to rescue


def test_an_empty_file_is_an_empty_state(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text("")
    state = TriageState.load(path)
    assert state.notices == [] and state.marked_keys() == (0, 0) and asides(path) == []


def test_a_folder_in_place_of_the_file_makes_the_state_read_only(path: Path) -> None:
    path.mkdir(parents=True)
    state = TriageState.load(path)
    assert state.read_only and "Could not read" in state.notices[0]
    state.set_read(ALPHA, True)
    assert state.is_read(ALPHA.key)
    result = state.close()
    assert result.fallback_path is not None and path.is_dir()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_moved_aside(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text("version = 1\n")
    path.chmod(0)
    state = TriageState.load(path)
    assert len(asides(path)) == 1 and "moved to" in state.notices[0]


def test_a_corrupted_file_is_set_aside_while_running(path: Path) -> None:
    changed = threading.Event()
    state = TriageState.load(path, timing=FAST)
    state.set_read(ALPHA, True)
    state.flush()
    state.start(on_external_change=changed.set)
    edited = path.with_name("edited")
    edited.write_text("this is = not [ toml")
    edited.replace(path)  # a whole edit at once, as an editor saves

    assert changed.wait(10)
    assert wait_until(lambda: path.exists() and ALPHA.key in papers_table(path))  # rewritten
    assert [aside.read_text() for aside in asides(path)] == ["this is = not [ toml"]
    assert "moved to" in state.take_notices()[0] and state.notices == []
    state.close()


def test_a_deleted_file_is_written_again_from_memory(path: Path) -> None:
    state = TriageState.load(path, timing=FAST)
    state.set_read(ALPHA, True)
    state.flush()
    state.start()
    path.unlink()
    assert wait_until(lambda: path.exists() and ALPHA.key in papers_table(path))
    state.close()


# --- failing saves ------------------------------------------------------------------------


def check_failing_state(state: TriageState, reason: str) -> None:
    """Saves fail: the app keeps working, the error is one line, close() rescues the marks."""
    state.set_read(ALPHA, True)
    state.set_starred(BETA, True)
    state.flush()
    assert state.save_error is not None and "\n" not in state.save_error
    assert reason in state.save_error
    assert state.is_read(ALPHA.key) and state.is_starred(BETA.key)
    state.set_read(GAMMA, True)
    assert state.marked_keys() == (2, 1)

    result = state.close()
    assert not result.ok and result.fallback_path == fallback_state_path()
    assert fallback_state_path().name == f"papers-tui-state-{os.getpid()}.toml"
    assert str(fallback_state_path()) in (result.message or "")
    rescued = TriageState.load(fallback_state_path())
    assert rescued.is_read(ALPHA.key) and rescued.is_read(GAMMA.key)
    assert rescued.starred_papers() == [BETA]


def test_a_path_under_a_regular_file_cannot_be_saved(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    state = TriageState.load(blocker / "state.toml", timing=FAST)
    assert state.notices == [] and not state.read_only
    state.start()
    check_failing_state(state, "Not a directory")
    assert blocker.read_text() == "a file"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_a_read_only_folder_cannot_be_saved(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.parent.chmod(0o500)
    try:
        check_failing_state(TriageState.load(path, timing=FAST), "Permission denied")
    finally:
        path.parent.chmod(0o700)


def test_a_full_disk_is_retried_until_it_works(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = TriageState.load(path, timing=FAST)
    state.set_read(BETA, True)
    state.flush()
    before = path.read_bytes()
    real_file = state_module.atomic_file
    monkeypatch.setattr(state_module, "atomic_file", raise_disk_full)
    changes = threading.Event()
    state.start(on_external_change=changes.set)
    state.set_read(ALPHA, True)
    assert changes.wait(10)
    assert state.save_error is not None and "No space left on device" in state.save_error
    assert path.read_bytes() == before and state.is_read(ALPHA.key)

    changes.clear()
    monkeypatch.setattr(state_module, "atomic_file", real_file)
    assert wait_until(lambda: state.save_error is None)
    assert changes.wait(10)  # told that the error is gone
    assert papers_table(path)[ALPHA.key]["read"] is True
    assert state.close().ok


def test_a_failed_save_forgets_nothing_another_instance_saved(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = TriageState.load(path), TriageState.load(path)
    second.set_read(BETA, True)
    second.flush()
    first.set_read(ALPHA, True)
    with monkeypatch.context() as patch:  # the save reads BETA's version, then fails
        patch.setattr(state_module, "atomic_file", raise_disk_full)
        first.flush()
    assert first.save_error is not None
    first.flush()
    assert set(papers_table(path)) == {ALPHA.key, BETA.key}


def raise_disk_full(*args: object, **options: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_failed_write_leaves_no_temporary_file(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = TriageState.load(path)
    state.set_read(ALPHA, True)
    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", raise_disk_full)
        state.flush()
    assert state.save_error is not None and "No space left on device" in state.save_error
    assert list(path.parent.iterdir()) == [path.parent / "state.toml.lock"]


# --- several instances --------------------------------------------------------------------


def test_another_instance_s_save_is_picked_up_by_polling(path: Path) -> None:
    writer = TriageState.load(path)
    writer.set_read(BETA, True)
    writer.flush()
    reader = TriageState.load(path, timing=FAST)
    changed = threading.Event()
    reader.start(on_external_change=changed.set)

    writer.set_read(ALPHA, True)
    writer.set_read(BETA, False)
    writer.flush()
    assert changed.wait(10)
    assert reader.is_read(ALPHA.key) and not reader.is_read(BETA.key)
    assert reader.marked_keys() == (1, 0)
    reader.close()


def test_a_save_merges_what_another_instance_saved(path: Path) -> None:
    first, second = TriageState.load(path), TriageState.load(path)
    first.set_read(ALPHA, True)
    second.set_starred(BETA, True)
    second.flush()
    first.flush()
    assert first.is_starred(BETA.key)
    table = papers_table(path)
    assert table[ALPHA.key]["read"] is True and table[BETA.key]["starred"] is True


def test_the_newest_change_wins_whoever_saves_last(path: Path) -> None:
    first, second = TriageState.load(path), TriageState.load(path)
    first.set_starred(ALPHA, True)  # older ...
    second.set_starred(ALPHA, True)
    second.set_starred(ALPHA, False)  # ... newer: an unmark
    second.set_read(BETA, True)  # older ...
    first.set_read(BETA, True)
    first.set_read(BETA, False)  # ... newer: an unmark
    second.flush()
    first.flush()
    merged = TriageState.load(path)
    assert not merged.is_starred(ALPHA.key) and not merged.is_read(BETA.key)


def test_merge_rules() -> None:
    old, new = Mark(read=True, read_at=1), Mark(read=True, read_at=2)
    memory = {"kept": old, "clean": old, "unreadable": old, "mine": new}
    disk = {"kept": old, "mine": old, "theirs": new}
    merged, changed = merge(memory, disk, {"unreadable"}, {"mine": new})
    assert merged == {"kept": old, "mine": new, "theirs": new, "unreadable": old}
    assert changed  # "clean" went, "theirs" came
    unread = Mark(read_at=3)
    assert merge(memory, {**disk, "mine": unread}, (), {"mine": new})[0]["mine"] == unread
    assert merge(memory, None, (), {}) == (memory, False)


def test_each_field_merges_on_its_own_time() -> None:
    paper = Paper(title="Merged")
    read = Mark(read=True, read_at=10, starred_at=5)  # the star was taken back at 5
    starred = Mark(read_at=2, starred=True, starred_at=8, paper=paper)
    both = Mark(read=True, read_at=10, starred=True, starred_at=8, paper=paper)
    assert newest(read, starred) == newest(starred, read) == both
    unstarred = Mark(read=True, read_at=1, starred_at=9)  # a newer unmark: a tombstone
    assert newest(both, unstarred) == newest(unstarred, both) == Mark(True, 10, False, 9)
    assert newest(both, both) is both
    tie = Mark(starred_at=8)  # the same time: the mark wins, in every process
    assert newest(both, tie) is both and newest(tie, both) == both


def test_a_read_and_a_star_from_two_instances_both_stay(path: Path) -> None:
    first, second = TriageState.load(path), TriageState.load(path)
    first.set_read(ALPHA, True)
    second.set_starred(ALPHA, True)  # newer, but of another field
    first.flush()
    second.flush()  # merges the read in
    for state in (second, TriageState.load(path)):
        assert (state.is_read(ALPHA.key), state.is_starred(ALPHA.key)) == (True, True)
        assert state.starred_papers() == [ALPHA]


def test_unmarks_are_tombstones_of_their_field(path: Path) -> None:
    before = TriageState.load(path)
    before.set_read(ALPHA, True)
    before.set_starred(ALPHA, True)
    before.set_read(BETA, True)
    before.flush()
    first, second = TriageState.load(path), TriageState.load(path)
    second.set_starred(ALPHA, False)
    first.set_read(ALPHA, False)  # newer, of the other field
    first.set_starred(BETA, True)
    second.set_read(BETA, False)  # newer: the older read elsewhere loses
    second.flush()
    first.flush()  # merges the second's unmarks in
    for state in (first, TriageState.load(path)):
        assert (state.is_read(ALPHA.key), state.is_starred(ALPHA.key)) == (False, False)
        assert (state.is_read(BETA.key), state.is_starred(BETA.key)) == (False, True)
    entry = papers_table(path)[ALPHA.key]
    assert (entry["read"], entry["starred"]) == (False, False) and "paper" not in entry


def test_a_file_of_the_whole_entry_format_still_loads(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(  # as version 1 wrote it: one time for the whole entry
        "version = 1\n\n"
        f'[papers."{ALPHA.key}"]\nread = true\nstarred = true\n'
        "updated = 1970-01-01T00:00:20Z\nstarred_at = 1970-01-01T00:00:10Z\n\n"
        f'[papers."{ALPHA.key}".paper]\ntitle = "{ALPHA.title}"\n\n'
        f'[papers."{BETA.key}"]\nread = false\nupdated = 1970-01-01T00:00:30Z\n',
        encoding="utf-8",
    )
    state = TriageState.load(path)
    assert state.notices == [] and not state.read_only
    second = 1_000_000
    assert state._table.entries == {  # `updated` is the time of every field without its own
        ALPHA.key: Mark(True, 20 * second, True, 10 * second, Paper(title=ALPHA.title)),
        BETA.key: Mark(False, 30 * second, False, 30 * second),  # a tombstone of both
    }
    state.set_read(GAMMA, True)
    state.flush()
    assert tomllib.loads(path.read_text(encoding="utf-8"))["version"] == FORMAT_VERSION
    again = TriageState.load(path)
    assert again._table.entries == state._table.entries and again.notices == []


# --- the codec ----------------------------------------------------------------------------


def test_a_hand_formatted_entry_is_written_back_as_written(path: Path) -> None:
    path.parent.mkdir(parents=True)
    mine = f'[papers."{ALPHA.key}"]  # my favourite\nread   = true\nupdated = 2025-01-01T00:00:00Z'
    path.write_text(f"version = 1\n\n{mine}\n", encoding="utf-8")
    state = TriageState.load(path)
    state.set_read(BETA, True)
    state.flush()
    assert mine in path.read_text(encoding="utf-8")
    assert state.notices == [] and TriageState.load(path).is_read(ALPHA.key)


def test_files_that_do_not_split_at_headers_are_read_whole() -> None:
    tricky = (
        "version = 1\n"
        '[papers."a"]\nstarred = true\nupdated = 2025-01-01T00:00:00Z\n'
        '[papers."a".paper]\ntitle = "A"\nabstract = """two\n[papers."b"]\nlines"""\n'
    )
    decoded = StateCodec().decode(tricky, 0)
    assert list(decoded.entries) == ["a"] and decoded.problems == ()
    assert decoded.entries["a"].paper == Paper(title="A", abstract='two\n[papers."b"]\nlines')
    twice = 'version = 1\n[papers."a"]\nread = true\n[papers."a"]\nread = false\n'
    with pytest.raises(ValueError, match="TOML"):
        StateCodec().decode(twice, 0)


texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=60) | st.sampled_from(
    ['"quoted" \\ back\\slash', "line\nbreak\r\n", "emoji 🧪🚀", "\x00\x07\x1b\x7f", '"""']
)


@st.composite
def papers(draw: st.DrawFn) -> Paper:
    names = tuple(draw(st.lists(texts, max_size=3)))
    optional = st.none() | texts
    return Paper(
        title=draw(texts.filter(clean_text)),  # a title that cleaning leaves non-empty
        abstract=draw(texts),
        authors=len(names) if names else draw(st.none() | st.integers(0, 500)),
        author_names=names,
        published=draw(optional),
        published_date=draw(st.none() | st.dates()),
        upvotes=draw(st.none() | st.integers(0, 10**6)),
        lists=tuple(draw(st.lists(texts, max_size=2))),
        arxiv_id=draw(optional),
        github_repo=draw(optional),
        project_page=draw(optional),
    )


@settings(max_examples=100, deadline=None)
@given(paper=papers(), other=papers())
def test_starred_snapshots_come_back_identical(paper: Paper, other: Paper) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.toml"
        state = TriageState.load(path)
        state.set_starred(paper, True)
        state.set_read(other, True)
        state.flush()
        cached = TriageState.load(path)
        parsed = TriageState.load(path, cache_path=Path(folder) / "another-cache.bin")
        for again in (cached, parsed):
            assert again.notices == []
            [snapshot] = again.starred_papers()
            assert snapshot == paper and snapshot.key == paper.key
            assert again.is_read(other.key)
        text = path.read_text(encoding="utf-8")
        assert StateCodec().decode(text, 0) == decode_document(text, 0)
