"""Notes and tags in the state: the file, hand edits, the cache, merges and undo."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from parsing.model import Paper
from tui.core.marks.codec import decode_document, encode_entry
from tui.core.marks.merge import expire_tombstones, newest
from tui.core.marks.model import NO_MARK, Mark, clean_note, clean_tags, split_tags
from tui.core.paths import state_cache_path
from tui.core.query import parse_query
from tui.core.search.index import SearchIndex
from tui.core.state.triage_state import TriageState
from tui.core.store import PaperStore
from tui.core.triage import Triage

ALPHA = Paper(title="Sparse Mixture of Experts for Retrieval", abstract="Routing tokens.")
BETA = Paper(title="Beta: a Second Paper")
NOTE = "Why it matters:\n\n- routing **per token**\n  - nested `code`"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "state.toml"


def entry_of(path: Path, key: str) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))["papers"][key]


# --- cleaning ---------------------------------------------------------------------------


def test_a_note_keeps_its_lines_and_indentation_but_no_controls() -> None:
    assert clean_note(NOTE) == NOTE
    assert clean_note("\n\nfirst\x1b]52;c;eA==\x07 line\r\n\t  second\u202e\n\n") == (
        "first]52;c;eA== line\nsecond"
    )


def test_tags_are_folded_words_without_commas_or_repeats() -> None:
    assert clean_tags(["RL", " #Agents ", "rl", "", "Reinforcement  Learning", "a\x1b[2Jb"]) == (
        "rl",
        "agents",
        "reinforcement-learning",
        "a[2jb",
    )
    assert split_tags(" RL, agents ,, Agents,") == ("rl", "agents")


# --- the file ---------------------------------------------------------------------------


def test_notes_and_tags_round_trip_through_the_file_format() -> None:
    mark = Mark(note=NOTE, note_at=5, tags=("rl", "agents"), tags_at=6, paper=ALPHA)
    text = "version = 3\n\n" + encode_entry(ALPHA.key, mark)
    assert 'note = """' in text  # line breaks as a multi-line string, readable by hand
    decoded = decode_document(text, default_updated=1)
    assert decoded.problems == () and decoded.entries == {ALPHA.key: mark}


def test_notes_and_tags_survive_a_reload_with_a_snapshot(path: Path) -> None:
    state = TriageState.load(path)
    state.set_note(ALPHA, NOTE)
    state.set_tags(BETA, ["rl", "Agents"])
    state.flush()
    entry = entry_of(path, ALPHA.key)
    assert entry["note"] == NOTE and "starred" not in entry
    assert entry["paper"]["title"] == ALPHA.title  # a note keeps a snapshot, like a star
    assert entry_of(path, BETA.key)["tags"] == ["rl", "agents"]
    for again in (TriageState.load(path), TriageState.load(path)):  # parsed, then the cache
        assert again.note(ALPHA.key) == NOTE and again.tags(BETA.key) == ("rl", "agents")
        assert again.marks()[ALPHA.key].paper == ALPHA
    assert state_cache_path(path).exists()


def test_a_hand_edited_note_and_tags_are_cleaned(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(
        "version = 3\n\n"
        f'[papers."{ALPHA.key}"]\n'
        'note = """\nline one \\u001b[31mred\n  indented"""\n'
        'tags = ["ML", "#Vision ", "ml", "two words"]\n',
        encoding="utf-8",
    )
    state = TriageState.load(path)
    assert state.notices == []
    assert state.note(ALPHA.key) == "line one [31mred\n  indented"
    assert state.tags(ALPHA.key) == ("ml", "vision", "two-words")
    assert not state.marks()[ALPHA.key].is_tombstone


@pytest.mark.parametrize("field", ["note = 3", 'tags = "rl"', "tags = [1]"])
def test_a_note_or_tags_of_the_wrong_type_is_an_unreadable_entry(field: str) -> None:
    decoded = decode_document(f'version = 3\n[papers."a"]\n{field}\n', default_updated=1)
    assert decoded.unreadable == {"a"} and "papers.'a'" in decoded.problems[0]


def test_a_version_2_file_still_loads(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(
        f'version = 2\n\n[papers."{ALPHA.key}"]\nread = true\nread_at = 1970-01-01T00:00:20Z\n',
        encoding="utf-8",
    )
    state = TriageState.load(path)
    assert state.notices == [] and not state.read_only
    assert state.is_read(ALPHA.key) and state.note(ALPHA.key) == ""


def test_a_cleared_note_is_a_tombstone_of_its_field(path: Path) -> None:
    state = TriageState.load(path)
    state.set_note(ALPHA, "gone soon")
    state.set_note(ALPHA, "")
    state.flush()
    entry = entry_of(path, ALPHA.key)
    assert entry["note"] == "" and "note_at" in entry and "paper" not in entry
    mark = state.marks()[ALPHA.key]
    assert mark.is_tombstone
    assert expire_tombstones({ALPHA.key: mark}, older_than=mark.note_at + 1) == {}


# --- merges -----------------------------------------------------------------------------


def test_a_note_and_tags_merge_on_their_own_times() -> None:
    noted = Mark(note="mine", note_at=10, tags_at=3, paper=ALPHA)
    tagged = Mark(note="older", note_at=2, tags=("rl",), tags_at=8, paper=ALPHA)
    both = Mark(note="mine", note_at=10, tags=("rl",), tags_at=8, paper=ALPHA)
    assert newest(noted, tagged) == newest(tagged, noted) == both


def test_the_snapshot_stays_while_a_merged_mark_needs_it() -> None:
    starred = Mark(starred=True, starred_at=5, note="x", note_at=1, paper=ALPHA)
    cleared = Mark(note="", note_at=9)  # the note taken back elsewhere: no snapshot there
    assert newest(starred, cleared) == Mark(starred=True, starred_at=5, note_at=9, paper=ALPHA)
    unstarred = Mark(starred_at=7)  # the star taken back elsewhere: the note keeps it
    assert newest(starred, unstarred).paper == ALPHA
    assert newest(Mark(starred_at=7, note_at=9), starred).paper is None  # nothing left


def test_a_note_from_one_instance_and_tags_from_another_both_stay(path: Path) -> None:
    first, second = TriageState.load(path), TriageState.load(path)
    first.set_note(ALPHA, NOTE)
    second.set_tags(ALPHA, ["rl"])  # newer, but of another field
    first.flush()
    second.flush()  # merges the note in
    for state in (second, TriageState.load(path)):
        assert state.note(ALPHA.key) == NOTE and state.tags(ALPHA.key) == ("rl",)


# --- the API ------------------------------------------------------------------------------


def test_tags_in_use_are_counted_most_used_first(path: Path) -> None:
    state = TriageState.load(path)
    state.set_tags(ALPHA, ["vision", "rl"])
    state.set_tags(BETA, ["rl"])
    assert state.tags_in_use() == {"rl": 2, "vision": 1}


def test_notes_and_tags_are_undone_one_change_at_a_time(path: Path) -> None:
    triage = Triage(TriageState.load(path))
    state = triage.state
    assert triage.set_note(ALPHA, "first")
    assert triage.set_note(ALPHA, "second")
    assert triage.set_tags(ALPHA, ["RL", "agents"])
    assert triage.set_tags(ALPHA, ["rl", "agents"]) == []  # the same once cleaned: no step
    assert [change.mark for change in triage.undo()] == ["tags"]
    assert state.tags(ALPHA.key) == ()
    triage.undo()
    assert state.note(ALPHA.key) == "first"
    triage.undo()
    assert state.note(ALPHA.key) == "" and state.marks()[ALPHA.key].paper is None


def test_painting_does_not_make_the_marks_of_a_start_from_the_cache(path: Path) -> None:
    state = TriageState.load(path)
    state.set_tags(ALPHA, ["rl"])
    state.flush()
    again = TriageState.load(path)  # from the cache: marks made on first need
    assert again.shown_mark(ALPHA.key) is NO_MARK
    again.make_marks()
    assert again.shown_mark(ALPHA.key).tags == ("rl",)


# --- the filter -------------------------------------------------------------------------

FILTERED = [
    Paper(title="Alpha"),
    Paper(title="Beta"),
    Paper(title="Gamma"),
]
FILTER_MARKS = {
    "alpha": Mark(note="A strong Baseline\nfor retrieval", note_at=1, tags=("rl",), tags_at=1),
    "beta": Mark(tags=("agents", "rl-theory"), tags_at=1),
    "gamma": Mark(read=True, read_at=1),
}


def filtered_titles(text: str) -> list[str]:
    query = parse_query(text)
    assert query.error is None, query.error
    store = PaperStore()
    for paper in FILTERED:
        store.add(paper)
    index = SearchIndex()
    index.sync(store)
    positions = index.match(query, None, b"", b"", marks=FILTER_MARKS)
    assert positions is not None
    return [store[position].title for position in positions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("note:base", ["Alpha"]),  # a word's prefix, as abs: does
        ("note:retrieval", ["Alpha"]),  # on the note's second line
        ("note:line", []),  # not inside a word
        ("-note:base", ["Beta", "Gamma"]),
        ("has:note", ["Alpha"]),
        ("-has:note", ["Beta", "Gamma"]),
        ("has:tags", ["Alpha", "Beta"]),
        ("tag:RL", ["Alpha"]),  # exact (not rl-theory), case folded
        ("tag:#rl-theory", ["Beta"]),
        ("-tag:rl", ["Beta", "Gamma"]),
        ("tag:rl has:note alp", ["Alpha"]),
    ],
)
def test_notes_and_tags_filter(text: str, expected: list[str]) -> None:
    assert filtered_titles(text) == expected


def test_note_and_tag_qualifiers_need_an_argument() -> None:
    assert parse_query("note:").error == '"note:" needs a word, as in note:baseline'
    assert parse_query("tag:,").error == '"tag:" needs a tag, as in tag:rl'
    assert "has:note" in (parse_query("has:nothing").error or "")
