"""Mark counts and flags by store position follow the store and every mark change."""

from __future__ import annotations

from pathlib import Path

from parsing.synthetic import generate
from tui.core.counts import MarkCounter
from tui.core.state.triage_state import TriageState
from tui.core.store import PaperStore
from tui.core.triage import Triage

PAPERS = generate(6, seed=5)


def test_flags_and_counts_follow_arrivals_changes_and_undo(tmp_path: Path) -> None:
    state = TriageState.load(tmp_path / "state.toml")
    state.set_read(PAPERS[1], True)
    store = PaperStore()
    for paper in PAPERS[:4]:
        store.add(paper)
    counts = MarkCounter(store, state)
    counts.add(range(3))  # the fourth paper is in the store but not announced yet
    assert bytes(counts.read_flags) == b"\0\1\0"
    assert (counts.read, counts.starred) == (1, 0)

    triage = Triage(state)
    counts.apply(triage.toggle(PAPERS[2], "starred"))
    counts.apply(triage.toggle(PAPERS[3], "read"))  # not announced: no flag to set yet
    assert bytes(counts.starred_flags) == b"\0\0\1"
    counts.add([3])
    assert bytes(counts.read_flags) == b"\0\1\0\1"
    assert (counts.read, counts.starred, counts.unread) == (2, 1, 2)

    counts.apply(triage.undo())
    assert bytes(counts.read_flags) == b"\0\1\0\0"
    state.set_read(PAPERS[0], True)  # as another instance's save would
    counts.recount()
    assert bytes(counts.read_flags) == b"\1\1\0\0"
    assert (counts.read, counts.starred) == (2, 1)
    state.close()
