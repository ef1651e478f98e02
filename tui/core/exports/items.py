"""What every export format writes of a paper: the paper and the user's marks on it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from parsing.model import Paper
from tui.core.marks.model import NO_MARK

if TYPE_CHECKING:  # the markdown export (and so the detail pane) need not load the state
    from tui.core.state.triage_state import TriageState


class ExportItem(NamedTuple):
    paper: Paper
    read: bool
    starred: bool
    note: str = ""
    tags: tuple[str, ...] = ()


def export_items(papers: Iterable[Paper], state: TriageState | None = None) -> list[ExportItem]:
    """Each paper with its marks from `state` (none without a state: `list --format md`)."""
    if state is None:
        return [ExportItem(paper, read=False, starred=False) for paper in papers]
    marks = state.marks()
    items = []
    for paper in papers:
        mark = marks.get(paper.key, NO_MARK)
        items.append(ExportItem(paper, mark.read, mark.starred, mark.note, mark.tags))
    return items


def note_lines(note: str) -> list[str]:
    """A note's lines that hold something, without their outer spaces."""
    return [line.strip() for line in note.splitlines() if line.strip()]
