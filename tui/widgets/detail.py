"""The detail pane: everything known about the paper under the cursor.

A Line-API widget: the text is wrapped once per paper (and per width) into strips, and a
new paper changes only this widget's virtual size, so a cursor move costs no layout pass
of the screen (a `Static` in a scroll container relaid the screen on every move).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from parsing.model import Paper
from tui.export import metadata_line, paper_links
from tui.widgets.line_view import LineView
from tui.widgets.wrap import wrap_strips


def paper_blocks(paper: Paper, *, read: bool, starred: bool) -> list[Text]:
    """Title, metadata and marks; the abstract; the links: paragraphs wrapped one by one."""
    head = Text()
    head.append(paper.title, style="bold")
    if meta := metadata_line(paper):
        head.append("\n")
        head.append(meta, style="dim")
    marks = ["★ starred" if starred else "not starred", "read" if read else "● unread"]
    head.append("\n")
    head.append("  ·  ".join(marks), style="italic")
    links = Text()
    for label, url in paper_links(paper):
        links.append(f"{label}: ", style="dim")
        links.append(url, style=Style(underline=True, link=url))
        links.append("\n")
    links.rstrip()
    return [head, Text(paper.abstract or "(no abstract)"), links]


class DetailPane(LineView, can_focus=False):
    """Scrollable, wrapped view of one paper."""

    DEFAULT_CSS = """
    DetailPane { padding: 0 1; overflow-x: hidden; background: $surface; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.blocks = [Text("No paper selected.", style="dim")]
        self._strips: list[Strip] = []
        self._wrapped_width = 0
        self._shown_key: str | None = None

    def show(self, paper: Paper | None, *, read: bool = False, starred: bool = False) -> None:
        """Show a paper (scrolled to the top when it is another paper than before)."""
        if paper is None:
            self.blocks = [Text("No paper selected.", style="dim")]
        else:
            self.blocks = paper_blocks(paper, read=read, starred=starred)
        key = paper.key if paper else None
        self._wrap()
        if key != self._shown_key:
            self._shown_key = key
            self.scroll_to(y=0, animate=False)

    @property
    def plain(self) -> str:
        """The text shown, without styles (for tests and screen readers)."""
        return "\n\n".join(block.plain for block in self.blocks)

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        self._wrapped_width = width
        if width <= 0:
            self._strips = []
        else:
            console = self.app.console
            blank = Strip.blank(0)
            self._strips = []
            for block in self.blocks:
                if self._strips:
                    self._strips.append(blank)
                self._strips += wrap_strips(block, console, width)
        self.set_content_height(len(self._strips))

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._wrapped_width:
            self._wrap()

    def render_line(self, y: int) -> Strip:
        width = self.line_width
        row = y + round(self.scroll_y)
        style = self.base_style
        if row >= len(self._strips):
            return Strip.blank(width, style)
        return self._strips[row].apply_style(style).crop_extend(0, width, style)
