"""The detail pane: everything known about the paper under the cursor.

A Line-API widget: the text is wrapped once per paper (and per width) into strips, and a
new paper changes only this widget's virtual size, so a cursor move costs no layout pass
of the screen (a `Static` in a scroll container relaid the screen on every move).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

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


class DetailPane(ScrollView, can_focus=False):
    """Scrollable, wrapped view of one paper."""

    DEFAULT_CSS = """
    DetailPane { padding: 0 1; overflow-x: hidden; background: $surface; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = Text("No paper selected.", style="dim")
        self._strips: list[Strip] = []
        self._wrapped_width = 0
        self._shown_key: str | None = None

    def show(self, paper: Paper | None, *, read: bool = False, starred: bool = False) -> None:
        """Show a paper (scrolled to the top when it is another paper than before)."""
        if paper is None:
            self.text = Text("No paper selected.", style="dim")
        else:
            self.text = paper_text(paper, read=read, starred=starred)
        key = paper.key if paper else None
        self._wrap()
        if key != self._shown_key:
            self._shown_key = key
            self.scroll_to(y=0, animate=False)

    @property
    def plain(self) -> str:
        """The text shown, without styles (for tests and screen readers)."""
        return self.text.plain

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        self._wrapped_width = width
        if width <= 0:
            self._strips = []
        else:
            console = self.app.console
            lines = self.text.wrap(console, width)
            self._strips = [Strip(line.render(console, end="")) for line in lines]
        self.virtual_size = Size(width, len(self._strips))
        self.refresh()

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._wrapped_width:
            self._wrap()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = y + round(self.scroll_y)
        style = self.rich_style
        if row >= len(self._strips):
            return Strip.blank(width, style)
        return self._strips[row].apply_style(style).crop_extend(0, width, style)
