"""What every export format writes of a paper: the paper and the user's marks on it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from parsing.model import Paper

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
    # TODO(lead): note and tags from the marks
    return [
        ExportItem(paper, read=state.is_read(paper.key), starred=state.is_starred(paper.key))
        for paper in papers
    ]


def note_lines(note: str) -> list[str]:
    """A note's lines that hold something, without their outer spaces."""
    return [line.strip() for line in note.splitlines() if line.strip()]
