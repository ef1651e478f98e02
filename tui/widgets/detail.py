"""The detail pane: everything known about the paper under the cursor.

A Line-API widget: the text is wrapped once per paper (and per width) into lines, and a
new paper changes only this widget's virtual size, so a cursor move costs no layout pass
of the screen (a `Static` in a scroll container relaid the screen on every move). The
lines are styled and padded for painting once per paper too, not once per frame.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip

from parsing.model import Paper
from tui.core.export import Link, metadata_line, paper_facts, paper_links
from tui.widgets.line_view import LineView
from tui.widgets.wrap import WrappedLine, wrap_lines

ABSTRACT_MATCH = "bold underline"  # as the list's title matches
Block = list[Text]  # lines, each wrapped on its own; blocks are set apart by a blank line


def paper_blocks(
    paper: Paper,
    *,
    read: bool,
    starred: bool,
    all_authors: bool = False,
    abstract_words: tuple[str, ...] = (),
    note: str = "",
    tags: tuple[str, ...] = (),
) -> list[Block]:
    """Title, metadata, marks and tags; the user's note; the TL;DR; the other extras; the
    abstract; the links (a repository's stars beside it). `all_authors` for the reader; the
    pane shows three. The abstract's words that the filter's `abs:` words (`abstract_words`)
    found are styled. The note is plain text (its markdown shown as written)."""
    head = [Text(paper.title, style="bold")]
    if meta := metadata_line(paper, all_authors=all_authors):
        head.append(Text(meta, style="dim"))
    marks = ["★ starred" if starred else "not starred", "read" if read else "● unread"]
    head.append(Text("  ·  ".join(marks), style="italic"))
    if tags:
        head.append(Text(tag_line(tags), style="dim"))
    blocks = [head]
    if note:
        blocks.append([Text("Note", style="bold"), *map(Text, note.split("\n"))])
    if paper.ai_summary:
        blocks.append([Text.assemble(("TL;DR  ", "bold"), (paper.ai_summary, "italic"))])
    if facts := paper_facts(paper):
        blocks.append([Text.assemble((f"{label}: ", "dim"), value) for label, value in facts])
    blocks.append([abstract_text(paper.abstract, abstract_words)])
    blocks.append([link_line(link) for link in paper_links(paper)])
    return blocks


def tag_line(tags: tuple[str, ...]) -> str:
    """Tags as the list and the pane show them: `#rl #agents`."""
    return " ".join(f"#{tag}" for tag in tags)


def abstract_text(abstract: str, abstract_words: tuple[str, ...]) -> Text:
    if not abstract:
        return Text("(no abstract)")
    text = Text(abstract)
    if not abstract_words:
        return text
    from tui.core.highlight import abstract_highlights  # rapidfuzz: not for the first frame

    for start, end in abstract_highlights(abstract, abstract_words):
        text.stylize(ABSTRACT_MATCH, start, end)
    return text


def link_line(link: Link) -> Text:
    """`Label: link`, and its note (stars) after it."""
    line = Text.assemble((f"{link.label}: ", "dim"), link_text(link))
    if link.note:
        line.append(f"  {link.note}", style="dim")
    return line


def link_text(link: Link) -> Text:
    """An OSC 8 link when it is safe to offer (`Link.url`), else plain text."""
    if link.url is None:
        return Text(link.text)
    return Text(link.text, style=Style(underline=True, link=link.url))


def plain_text(blocks: list[Block]) -> str:
    """What `blocks` show, without styles: lines, and a blank line between blocks."""
    return "\n\n".join("\n".join(line.plain for line in block) for block in blocks)


NO_PAPER: list[Block] = [[Text("No paper selected.", style="dim")]]


class DetailPane(LineView, can_focus=False):
    """Scrollable, wrapped view of one paper."""

    DEFAULT_CSS = """
    DetailPane { padding: 0 1; overflow-x: hidden; background: $surface; }
    """

    def __init__(self, *, all_authors: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.all_authors = all_authors  # the reader's: every visible author, not three
        self.blocks = NO_PAPER
        self._wrapped: list[WrappedLine] = []
        self._wrapped_for = Size(0, 0)  # the content size `_wrapped` was made for
        self._lines: list[Strip] | None = None  # the wrapped lines, styled and padded, whole
        self._lines_made_for: object = None
        self._blank = Strip.blank(0)  # a line below the text
        self._shown_key: str | None = None
        self._shown: tuple[object, ...] | None = None  # what `show` was last asked to show

    def show(
        self,
        paper: Paper | None,
        *,
        read: bool = False,
        starred: bool = False,
        abstract_words: tuple[str, ...] = (),
        note: str = "",
        tags: tuple[str, ...] = (),
    ) -> None:
        """Show a paper (scrolled to the top when it is another paper than before), the
        abstract's words that `abstract_words` (the filter's `abs:` words) found styled,
        with the user's `note` and `tags`. The same again changes nothing (a filter key
        that keeps the paper under the cursor)."""
        shown = (paper, read, starred, abstract_words, note, tags)
        if shown == self._shown:
            return
        self._shown = shown
        if paper is None:
            self.blocks = NO_PAPER
        else:
            self.blocks = paper_blocks(
                paper,
                read=read,
                starred=starred,
                all_authors=self.all_authors,
                abstract_words=abstract_words,
                note=note,
                tags=tags,
            )
        key = paper.key if paper else None
        self._wrap()
        if key != self._shown_key:
            self._shown_key = key
            self.scroll_to(y=0, animate=False)

    @property
    def plain(self) -> str:
        """The text shown, without styles (for tests and screen readers)."""
        return plain_text(self.blocks)

    def _wrap(self) -> None:
        """Wrap to the width the text has after layout: the content width, less the
        vertical scrollbar when the text is longer than the pane. Textual shows the bar
        then (`overflow-y: auto`) and it takes its columns without a resize, so the width
        is worked out here, as Textual will work it out, not read before the bar shows."""
        self._wrapped_for = (width, height) = self.container_size
        narrower = width - self.styles.scrollbar_size_vertical
        if self._rows_at_least(width) > height:  # longer than the pane at either width
            self._wrapped = self._wrapped_to(narrower)
        else:
            self._wrapped = self._wrapped_to(width)
            if len(self._wrapped) > height:
                self._wrapped = self._wrapped_to(narrower)
        self._lines = None
        self.set_content_height(len(self._wrapped))

    def _rows_at_least(self, width: int) -> int:
        """The fewest rows the text can take at `width`: each line its cells' worth, and a
        blank row between blocks (no wrapping needed to know a long abstract overflows)."""
        if width <= 0:
            return 0
        rows = (max(1, -(-line.cell_len // width)) for block in self.blocks for line in block)
        return sum(rows) + len(self.blocks) - 1

    def _wrapped_to(self, width: int) -> list[WrappedLine]:
        wrapped: list[WrappedLine] = []
        if width > 0:
            console = self.app.console
            for block in self.blocks:
                if wrapped:
                    wrapped.append(([], 0))
                for line in block:
                    wrapped += wrap_lines(line, console, width)
        return wrapped

    def prepare_frame(self) -> None:
        # A frame can be painted at a new size before the Resize event arrives: wrap here.
        if self.container_size != self._wrapped_for:
            self._wrap()
        super().prepare_frame()
        if self._lines is None or self.look != self._lines_made_for:
            self._lines_made_for = self.look
            self._lines = list(map(self._painted_line, self._wrapped))
            self._blank = self._painted_line(([], 0))

    def _painted_line(self, wrapped: WrappedLine) -> Strip:
        """A wrapped line on the pane's style, filtered, padded to the width of a line."""
        width, base, painted = self.line_width, self.base_style, self.painted
        segments, cells = wrapped
        if cells > width:
            segments, cells = list(Strip(segments, cells).crop(0, width)), width
        line = [
            Segment(text, painted(base + style if style else base)) for text, style, _ in segments
        ]
        if cells < width:
            line.append(Segment(" " * (width - cells), painted(base)))
        return self.whole_line(line, width)

    def render_line(self, y: int) -> Strip:
        row = y + round(self.scroll_y)
        lines = self._lines or []
        return lines[row] if row < len(lines) else self._blank
