"""The cache of parsed state entries: used only while it matches the TOML, harmless otherwise,
and the chunked codec that feeds it."""

from __future__ import annotations

import os
import threading
import time
import tomllib
import zlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from waiting import wait_until

import tui.core.marks.codec as marks_codec
import tui.core.marks.model as marks_model
from parsing.model import Paper
from tui.core.marks.codec import FORMAT_VERSION, DecodedState, StateCodec, decode_utf8, encode_entry
from tui.core.marks.merge import expire_tombstones
from tui.core.marks.model import EntriesLater, Mark, MarkCounts, MarkTable
from tui.core.paths import state_cache_path
from tui.core.state.saver import SaverTiming
from tui.core.state.triage_state import TriageState
from tui.core.state_cache import MAGIC, StateCache

ALPHA = Paper(
    title="Sparse Mixture of Experts for Retrieval",
    abstract="Routing tokens to experts.",
    authors=2,
    author_names=("Ada Lovelace", "Alan Turing"),
    published_date=date(2024, 9, 5),
    upvotes=7,
    lists=("Mar 14",),
    arxiv_id="2409.01234",
)
BETA = Paper(title="Beta: a Second Paper")
GAMMA = Paper(title="Gamma Rays and Gradient Descent", authors=4)
PAPERS = (ALPHA, BETA, GAMMA)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "state.toml"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the state parses (a load from the cache parses none)."""
    texts: list[str] = []
    real = StateCodec.decode

    def counting(codec: StateCodec, text: str, default_updated: int) -> DecodedState:
        texts.append(text)
        return real(codec, text, default_updated)

    monkeypatch.setattr(StateCodec, "decode", counting)
    return texts


def save_marks(path: Path, cache_path: Path | None = None) -> TriageState:
    state = TriageState.load(path, cache_path=cache_path)
    state.set_read(ALPHA, True)
    state.set_starred(ALPHA, True)
    state.set_read(BETA, True)
    state.set_starred(GAMMA, True)
    state.set_read(GAMMA, True)
    state.set_read(GAMMA, False)
    state.flush()
    return state


def marks_of(state: TriageState) -> tuple[object, ...]:
    """What the app can see of a state."""
    flags = [(state.is_read(paper.key), state.is_starred(paper.key)) for paper in PAPERS]
    return state.marked_keys(), state.starred_papers(), flags


def entries_of(state: TriageState) -> dict[str, Mark]:
    return state._table.entries  # times included: the cache must give them exactly


# --- when the cache is used ---------------------------------------------------------------


def test_a_load_after_a_save_reads_the_cache_and_gets_the_same_state(
    path: Path, tmp_path: Path, parses: list[str]
) -> None:
    saved = save_marks(path)
    assert state_cache_path(path).is_file()
    parses.clear()

    cached = TriageState.load(path)
    assert parses == []
    parsed = TriageState.load(path, cache_path=tmp_path / "elsewhere.bin")
    assert len(parses) == 1
    assert marks_of(cached) == marks_of(parsed) == marks_of(saved)
    assert marks_of(cached)[0] == (2, 2)
    assert entries_of(cached) == entries_of(parsed) == entries_of(saved)
    assert cached.notices == [] and not cached.read_only


def test_the_cache_lives_in_the_user_cache_folder(path: Path) -> None:
    cache = state_cache_path(path)
    assert cache.is_relative_to(Path(os.environ["XDG_CACHE_HOME"]) / "papers-tui" / "state")
    assert state_cache_path(path.parent / "." / path.name) == cache
    assert state_cache_path(path.with_name("other.toml")) != cache


def test_a_load_that_parses_writes_the_cache(path: Path, parses: list[str]) -> None:
    save_marks(path)
    state_cache_path(path).unlink()
    TriageState.load(path)
    assert len(parses) == 1 and state_cache_path(path).is_file()
    again = TriageState.load(path)
    assert len(parses) == 1 and marks_of(again)[0] == (2, 2)


def test_a_cached_state_saves_and_merges_like_a_parsed_one(path: Path) -> None:
    save_marks(path)
    first, second = TriageState.load(path), TriageState.load(path)  # both from the cache
    first.set_read(BETA, False)
    second.set_read(GAMMA, True)
    second.flush()
    first.flush()  # merges the second's save, which it reads in pieces
    assert first.is_read(GAMMA.key) and not first.is_read(BETA.key)
    after = TriageState.load(path)
    assert marks_of(after) == marks_of(first)
    assert entries_of(after) == entries_of(first)


def test_a_start_from_the_cache_makes_its_marks_only_when_needed(path: Path) -> None:
    save_marks(path)
    cached = TriageState.load(path)
    table = cached._table
    assert table._entries is None  # not made yet
    assert cached.marked_keys() == (2, 2)
    flags = [(cached.is_read(paper.key), cached.is_starred(paper.key)) for paper in PAPERS]
    assert flags == [(True, True), (True, False), (False, True)]
    assert not cached.is_read("no such paper") and not cached.is_starred("no such paper")
    assert table._entries is None  # the flags of a few keys come from a scan

    for number in range(marks_model.EARLY_LOOKUPS):
        assert not cached.is_read(f"another paper {number}")
    assert table._entries is not None  # too many lookups: the marks are made
    assert marks_of(cached) == marks_of(save_marks(path.with_name("again.toml")))


def test_a_mark_set_before_the_marks_are_made_keeps_every_other(path: Path) -> None:
    saved = save_marks(path)
    cached = TriageState.load(path)
    assert cached.is_read(ALPHA.key)  # an early lookup, then a change
    cached.set_read(ALPHA, False)
    cached.flush()
    assert not TriageState.load(path).is_read(ALPHA.key)
    expected = {key: mark for key, mark in entries_of(saved).items() if key != ALPHA.key}
    after = entries_of(TriageState.load(path))
    assert {key: mark for key, mark in after.items() if key != ALPHA.key} == expected


def test_entries_made_later_are_made_once_whichever_threads_ask() -> None:
    made: list[int] = []

    def make() -> dict[str, Mark]:
        made.append(1)
        time.sleep(0.05)  # long enough for every thread to ask meanwhile
        return {"alpha": Mark(read=True, read_at=1)}

    later = EntriesLater(["alpha"], [True], [False], make)
    tables = [MarkTable.later(later, MarkCounts(1, 0)) for _ in range(4)]
    threads = [threading.Thread(target=table.get, args=("alpha",)) for table in tables]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert made == [1]
    assert all(table.entries is tables[0].entries for table in tables)
    assert later.flags("alpha") is None  # made: no more scans


# --- when it is not -----------------------------------------------------------------------


def edit_in_place(path: Path, change: Callable[[str], str], *, keep_time: bool) -> None:
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    with path.open("r+", encoding="utf-8") as file:  # the same inode, as some editors do
        file.write(change(text))
        file.truncate()
    if keep_time:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_hand_edit_of_the_same_size_and_time_is_seen(path: Path, parses: list[str]) -> None:
    save_marks(path)
    before = path.stat()
    renamed = BETA.key.upper()  # as long as the key: only the content tells the difference
    edit_in_place(path, lambda text: text.replace(BETA.key, renamed), keep_time=True)
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )
    parses.clear()

    edited = TriageState.load(path)
    assert len(parses) == 1
    assert not edited.is_read(BETA.key) and edited.is_read(renamed)
    again = TriageState.load(path)  # the cache was rebuilt for the edited file
    assert len(parses) == 1 and again.is_read(renamed)


def test_a_hand_edit_is_seen_and_the_cache_rebuilt(path: Path, parses: list[str]) -> None:
    save_marks(path)
    added = '\n[papers."added by hand"]\nread = true\nupdated = 2025-01-01T00:00:00Z\n'
    edit_in_place(path, lambda text: text + added, keep_time=False)
    parses.clear()

    edited = TriageState.load(path)
    assert len(parses) == 1 and edited.is_read("added by hand") and edited.is_read(ALPHA.key)
    again = TriageState.load(path)
    assert len(parses) == 1 and entries_of(again) == entries_of(edited)


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda data: data[: len(data) // 2],
    "only the magic": lambda data: MAGIC,
    "empty": lambda data: b"",
    "a byte flipped": lambda data: (
        data[: len(data) // 2] + bytes([data[len(data) // 2] ^ 1]) + data[len(data) // 2 + 1 :]
    ),
    "another program's": lambda data: b"\x80" * len(data),
    "bad frames, right checksum": lambda data: rechecksummed(data[: len(MAGIC) + 4] + b"\x00" * 9),
}


def rechecksummed(data: bytes) -> bytes:
    head = len(MAGIC) + 4
    return MAGIC + zlib.crc32(data[head:]).to_bytes(4, "big") + data[head:]


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_cache_is_ignored_and_rebuilt(
    path: Path, parses: list[str], damage: Callable[[bytes], bytes]
) -> None:
    saved = save_marks(path)
    cache = state_cache_path(path)
    cache.write_bytes(damage(cache.read_bytes()))
    parses.clear()

    state = TriageState.load(path)
    assert len(parses) == 1 and state.notices == []
    assert entries_of(state) == entries_of(saved)
    again = TriageState.load(path)
    assert len(parses) == 1 and entries_of(again) == entries_of(saved)


def test_the_cache_of_another_file_is_not_used(path: Path, parses: list[str]) -> None:
    other = path.with_name("other.toml")
    save_marks(other)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('version = 1\n\n[papers."x"]\nread = true\nupdated = 2025-01-01T00:00:00Z\n')
    state_cache_path(path).write_bytes(state_cache_path(other).read_bytes())
    parses.clear()

    state = TriageState.load(path)
    assert len(parses) == 1 and state.marked_keys() == (1, 0) and state.is_read("x")


def test_an_unwritable_cache_costs_a_parse_and_nothing_else(
    path: Path, tmp_path: Path, parses: list[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    cache_path = blocker / "cache.bin"
    saved = save_marks(path, cache_path)
    assert saved.save_error is None and saved.notices == []

    state = TriageState.load(path, cache_path=cache_path)
    assert len(parses) == 1 and state.notices == []
    assert entries_of(state) == entries_of(saved)
    state.set_read(BETA, False)
    assert state.close().ok
    assert not TriageState.load(path, cache_path=cache_path).is_read(BETA.key)
    assert blocker.read_text() == "a file"


def test_a_newer_file_gets_no_cache(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(f'version = 4\n[papers."{ALPHA.key}"]\nread = true\n', encoding="utf-8")
    state = TriageState.load(path)
    assert state.read_only and state.is_read(ALPHA.key)
    assert not state_cache_path(path).exists()


def test_a_file_with_bad_entries_gets_a_cache_only_once_rewritten(
    path: Path, parses: list[str]
) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(
        f'version = 1\n\n[papers."{ALPHA.key}"]\nread = true\nupdated = 2025-01-01T00:00:00Z\n\n'
        f'[papers."{BETA.key}"]\nread = "yes"\n',
        encoding="utf-8",
    )
    state = TriageState.load(path)
    assert len(state.notices) == 1 and not state_cache_path(path).exists()
    state.flush()  # rewritten without the bad entry, and cached
    parses.clear()
    again = TriageState.load(path)
    assert parses == [] and again.is_read(ALPHA.key) and again.notices == []


# --- when it is written -------------------------------------------------------------------


def signature(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_ino, status.st_mtime_ns


def read_in_file(path: Path, paper: Paper) -> bool:
    return tomllib.loads(path.read_text(encoding="utf-8"))["papers"][paper.key]["read"]


def test_the_saver_writes_the_cache_once_saves_pause(path: Path, parses: list[str]) -> None:
    save_marks(path)
    cache = state_cache_path(path)
    written = signature(cache)
    state = TriageState.load(path, timing=SaverTiming(debounce=0.01, cache_delay=0.05))
    state.start()
    state.set_read(BETA, False)
    assert wait_until(lambda: signature(cache) != written)
    parses.clear()
    assert not TriageState.load(path).is_read(BETA.key) and parses == []
    assert state.close().ok


def test_a_cache_is_not_written_while_saves_go_on_but_at_close(
    path: Path, parses: list[str]
) -> None:
    save_marks(path)
    cache = state_cache_path(path)
    written = cache.read_bytes()
    state = TriageState.load(path, timing=SaverTiming(debounce=0.01, cache_delay=60))
    state.start()
    state.set_read(BETA, False)
    assert wait_until(lambda: not read_in_file(path, BETA))
    time.sleep(0.1)
    assert cache.read_bytes() == written  # stale now: a load would parse, and be right
    assert state.close().ok
    parses.clear()
    assert not TriageState.load(path).is_read(BETA.key) and parses == []


def test_an_instance_does_not_cache_a_file_another_replaced(path: Path, parses: list[str]) -> None:
    first = TriageState.load(path, timing=SaverTiming(debounce=0.01, poll=60, cache_delay=60))
    first.start()
    first.set_read(ALPHA, True)
    assert wait_until(lambda: path.exists() and ALPHA.key in path.read_text(encoding="utf-8"))
    second = TriageState.load(path)
    second.set_read(BETA, True)
    second.flush()  # merges ALPHA and caches its file
    assert first.close().ok  # its own save's cache would be stale now: it must not write it
    parses.clear()

    last = TriageState.load(path)
    assert parses == [] and last.is_read(ALPHA.key) and last.is_read(BETA.key)


def test_stale_temporary_cache_files_are_removed_by_the_first_save(path: Path) -> None:
    save_marks(path)
    cache = state_cache_path(path)
    stale = cache.with_name(f".{cache.name}.abc123.tmp")
    stale.write_bytes(b"half a cache")
    state = TriageState.load(path)
    state.set_read(BETA, False)
    state.flush()
    assert not stale.exists() and cache.exists()


def test_cache_reads_and_writes_do_not_raise(tmp_path: Path) -> None:
    cache = StateCache(tmp_path / "a-folder")
    cache.path.mkdir()
    assert cache.read() is None
    codec = StateCodec()
    codec.encode({"key": Mark(True, 1)})
    layout = codec.layout()
    assert layout is not None
    cache.write(b"digest", layout)  # a folder where the file should be: ignored
    assert list(tmp_path.iterdir()) == [cache.path] and cache.path.is_dir()


# --- the codec in chunks ------------------------------------------------------------------


def some_entries(count: int, word: str = "über") -> dict[str, Mark]:
    entries = {}
    for number in range(count):
        paper = Paper(title=f"Paper number {number}: {word}", abstract="ab\nstract")
        mark = Mark(read=number % 3 != 0, read_at=1_700_000_000_000_000 + number)
        if number % 4 == 0:
            mark = mark.with_star(paper, mark.updated + 1)
        if number % 5 == 0:  # a star taken back: a tombstone of that field
            mark = mark.with_star(None, mark.updated + 2)
        entries[paper.key] = mark
    return entries


def document(chunks: list[bytes]) -> str:
    return b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize("word", ["über", "ASCII"])
@pytest.mark.parametrize("chunk", [1, 3, 2000])
def test_the_codec_gives_the_same_document_in_any_chunks(
    monkeypatch: pytest.MonkeyPatch, chunk: int, word: str
) -> None:
    entries = some_entries(10, word)
    expected = f"version = {FORMAT_VERSION}\n\n" + "\n".join(
        encode_entry(k, m) for k, m in entries.items()
    )
    monkeypatch.setattr(marks_model, "CHUNK", chunk)
    codec = StateCodec()
    text = document(codec.encode(entries))
    assert text == expected

    layout = codec.layout()
    assert layout is not None and layout.keys == list(entries)
    assert layout.marks == list(entries.values())
    pieces = [text[start:end] for start, end in zip(layout.starts, layout.ends, strict=True)]
    assert pieces == [encode_entry(key, mark) for key, mark in entries.items()]

    reader = StateCodec()
    assert reader.decode(text, 0).entries == entries
    assert reader.layout() == layout

    adopted = StateCodec()
    adopted.adopt(text.encode("utf-8"), lambda: layout)
    assert adopted.layout() == layout
    changed = dict(entries)
    changed.pop(next(iter(entries)))
    changed["new"] = Mark(read=True, read_at=5)
    assert document(adopted.encode(changed)) == document(StateCodec().encode(changed))
    assert adopted.decode(text, 0).entries == entries


@pytest.mark.parametrize("chunk", [1, 3, 2000])
def test_tombstones_and_counts_in_any_chunks(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(marks_model, "CHUNK", chunk)
    entries = some_entries(10)
    old, new = Mark(read_at=5), Mark(read_at=1, starred_at=50)
    entries |= {"old tombstone": old, "new tombstone": new}
    kept = expire_tombstones(entries, older_than=10)
    assert "old tombstone" not in kept and kept["new tombstone"] is new
    assert len(kept) == len(entries) - 1
    assert expire_tombstones(kept, older_than=10) is kept  # nothing to drop: no copy
    table = MarkTable(dict(entries))
    assert table.counts() == (
        sum(mark.read for mark in entries.values()),
        sum(mark.starred for mark in entries.values()),
    )


def test_utf8_is_decoded_in_pieces_cut_at_newlines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(marks_codec, "DECODE_PIECE", 1)
    data = "über\n日本\n\n€ 🧪\nend".encode()
    assert decode_utf8(data) == data.decode("utf-8")
    assert decode_utf8(b"") == ""
    with pytest.raises(UnicodeDecodeError):
        decode_utf8(b"fine\ncaf\xe9\n")
