"""The detail pane: everything known about the paper under the cursor."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from parsing.model import Paper
from tui.export import metadata_line, paper_links


def paper_text(paper: Paper, *, read: bool, starred: bool) -> Text:
    """Title, metadata, marks, abstract and links as one Rich text."""
    text = Text()
    text.append(paper.title, style="bold")
    text.append("\n")
    if meta := metadata_line(paper):
        text.append(meta, style="dim")
        text.append("\n")
    marks = ["★ starred" if starred else "not starred", "read" if read else "● unread"]
    text.append("  ·  ".join(marks), style="italic")
    text.append("\n\n")
    text.append(paper.abstract or "(no abstract)")
    text.append("\n\n")
    for label, url in paper_links(paper):
        text.append(f"{label}: ", style="dim")
        text.append(url, style=Style(underline=True, link=url))
        text.append("\n")
    return text


class DetailPane(VerticalScroll, can_focus=False):
    """Scrollable view of one paper."""

    DEFAULT_CSS = """
    DetailPane { padding: 0 1; }
    DetailPane > Static { width: 100%; }
    """

    def compose(self):
        yield Static(id="detail-body")

    def show(self, paper: Paper | None, *, read: bool = False, starred: bool = False) -> None:
        body = self.query_one("#detail-body", Static)
        if paper is None:
            body.update(Text("No paper selected.", style="dim"))
        else:
            body.update(paper_text(paper, read=read, starred=starred))
        self.scroll_home(animate=False)
