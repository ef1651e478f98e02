"""The list pane: a virtual list that paints only the rows on screen (Textual's Line API).

The view is a list of store positions; the widget holds no per-paper objects, so a
100,000-paper list costs one list of ints. With TL;DR rows on, every paper takes two lines
(its row, then its TL;DR dimmed), so a line's paper is still found by arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import FIFOCache
from textual.reactive import reactive
from textual.strip import Strip

from parsing.model import Paper
from tui.core.store import PaperStore
from tui.widgets.detail import tag_line
from tui.widgets.line_view import LineView

Highlighter = Callable[[str], list[tuple[int, int]]]
UNREAD_MARK = "●"
STAR_MARK = "★"
ROWS_KEPT = 512  # painted rows kept from frame to frame: scrolling repaints from them
NOTHING_MATCHES = "No paper matches: Escape clears the filter, v cycles the view."
DAY_CELLS = 6  # "11-22 " before the title when the list holds several days
TLDR_INDENT = 4  # cells before a TL;DR line: under the title, past the read and star marks
# Tags after a title take at most this share of its cells, and show only from this width.
TAGS_SHARE = 3
TAGS_FROM_WIDTH = 12


def paper_stats(paper: Paper) -> str:
    """Compact upvotes and author count for the right edge of a row."""
    upvotes = "" if paper.upvotes is None else f"▲{paper.upvotes}"
    count = paper.author_count
    authors = "" if count is None else f"{count}au"
    return f"{upvotes:>6} {authors:>5}"


def tags_text(tags: tuple[str, ...], title_width: int) -> str:
    """The tags as shown after a title of `title_width` cells: ` #rl #agents`, cut with an
    ellipsis to at most a third of it; "" without tags or room."""
    if not tags or title_width < TAGS_FROM_WIDTH:
        return ""
    text = " " + tag_line(tags)
    room = title_width // TAGS_SHARE
    return text if cell_len(text) <= room else set_cell_size(text, room - 1) + "…"


def list_day(paper: Paper) -> str:
    """The month and day of the paper's first list that is a day ("11-22"), else blanks:
    a fetched day's list label is its ISO day."""
    for label in paper.lists:
        if len(label) == 10 and label[4] == label[7] == "-":
            return label[5:]
    return " " * 5


def ascii_segments(
    text: str, width: int, spans: list[tuple[int, int]], style: Style, match_style: Style
) -> list[Segment]:
    """ASCII text padded or cut (with an ellipsis) to `width` cells, `spans` highlighted."""
    shown = len(text)
    if shown > width:
        shown = width - 1
        text = text[:shown] + "…"
    text = text.ljust(width)
    segments = []
    done = 0
    for start, end in spans:
        end = min(end, shown)
        if start >= end:
            continue
        if start > done:
            segments.append(Segment(text[done:start], style))
        segments.append(Segment(text[start:end], match_style))
        done = end
    if done < width:
        segments.append(Segment(text[done:], style))
    return segments


class RowStyles(NamedTuple):
    """The styles of one kind of row (read or not, under the cursor or not) and its parts."""

    row: Style
    unread_mark: Style
    star: Style
    match: Style
    stats: Style
    tldr: Style
    tags: Style


class PaperList(LineView, can_focus=True):
    """Rows of papers with a cursor.

    The app binds the movement keys to the `action_*` methods below and watches `cursor`
    (a watcher runs in the same turn, so the detail pane repaints in the same frame).
    """

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--read",
        "paper-list--unread-mark",
        "paper-list--star",
        "paper-list--match",
        "paper-list--stats",
        "paper-list--tldr",
        "paper-list--tags",
    }

    DEFAULT_CSS = """
    PaperList {
        overflow-x: hidden;
        background: $surface;
        & > .paper-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .paper-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .paper-list--read { text-style: dim; }
        & > .paper-list--unread-mark { color: $accent; }
        & > .paper-list--star { color: $warning; }
        & > .paper-list--match { color: $text-accent; text-style: bold underline; }
        & > .paper-list--stats { text-style: dim; }
        & > .paper-list--tldr { text-style: dim italic; }
        & > .paper-list--tags { text-style: dim; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    def __init__(
        self,
        store: PaperStore,
        is_read: Callable[[str], bool],
        is_starred: Callable[[str], bool],
        tags_of: Callable[[str], tuple[str, ...]] = lambda key: (),
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.is_read = is_read
        self.is_starred = is_starred
        self.tags_of = tags_of
        self.view: list[int] = []
        self.filtered = False  # the view comes from a filter or a view mode
        self.highlighter: Highlighter | None = None
        self.lines_per_paper = 1  # 2 with the TL;DR rows
        self._row_styles: dict[tuple[bool, bool], RowStyles] = {}
        # Painted lines by paper and marks; (id(paper), read, starred, tags, under the
        # cursor, the paper's line): (paper, line). Kept while the styles, the width and the
        # view stay the same.
        self._rows: FIFOCache[
            tuple[int, bool, bool, tuple[str, ...], bool, int], tuple[Paper, Strip]
        ]
        self._rows = FIFOCache(ROWS_KEPT)
        self._painted_for: object = None
        self._show_day = False

    @property
    def show_day(self) -> bool:
        """Whether each row names its list day (a list of several days)."""
        return self._show_day

    @show_day.setter
    def show_day(self, show: bool) -> None:
        if show != self._show_day:
            self._show_day = show
            self._rows.clear()
            self.refresh()

    @property
    def _day_cells(self) -> int:
        """Cells of the day label before the title ("11-22 "), when shown."""
        return DAY_CELLS if self._show_day else 0

    @property
    def current(self) -> int | None:
        """Store position under the cursor, or None for an empty view."""
        return self.view[self.cursor] if self.view else None

    def set_view(self, view: list[int], keep: int | None = None, filtered: bool = False) -> None:
        """Show these store positions; keep the cursor on `keep` if it is still shown.
        `filtered`: a filter or view mode chose them (an empty view says nothing matches)."""
        self.view = view
        self.filtered = filtered
        self._rows.clear()  # a new filter highlights other words
        row = 0
        if keep is not None:
            try:
                row = view.index(keep)
            except ValueError:
                row = 0
        self._resize()
        self.cursor = row

    def extend_view(self, positions: Sequence[int]) -> None:
        """Append rows (papers still arriving) without moving the cursor."""
        was_empty = not self.view
        first_new_line = len(self.view) * self.lines_per_paper
        self.view = [*self.view, *positions]  # a new list: the old one may be shared
        self.set_content_height(len(self.view) * self.lines_per_paper, repaint=False)
        if was_empty and self.view:
            self.cursor = 0
        else:  # only the new lines, if on screen: a long list grows below it, unseen
            self.refresh_lines(first_new_line, len(positions) * self.lines_per_paper)

    @property
    def shows_tldr(self) -> bool:
        return self.lines_per_paper == 2

    def show_tldr(self, shown: bool) -> None:
        """TL;DR rows on or off; the cursor's paper stays in view."""
        self.lines_per_paper = 2 if shown else 1
        self._rows.clear()
        self._resize()
        self._scroll_cursor_into_view()

    def _resize(self) -> None:
        self.set_content_height(len(self.view) * self.lines_per_paper)

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self.view) - 1)) if self.view else 0

    def watch_cursor(self, old: int, new: int) -> None:
        top = round(self.scroll_y)
        self._scroll_cursor_into_view()
        if round(self.scroll_y) == top:  # no scroll: only the two papers' lines changed
            for row in (old, new):
                for line in range(row * self.lines_per_paper, (row + 1) * self.lines_per_paper):
                    self.refresh_line(line)
        else:
            self.refresh()

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height or 1
        top = round(self.scroll_y)
        first = self.cursor * self.lines_per_paper
        last = first + self.lines_per_paper - 1
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last >= top + height:
            self.scroll_to(y=last - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self._resize()
        self._scroll_cursor_into_view()

    def move_to(self, position: int) -> bool:
        """Put the cursor on a store position if it is in the view."""
        try:
            self.cursor = self.view.index(position)
        except ValueError:
            return False
        return True

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.view) - 1

    def action_page_down(self) -> None:
        self.cursor += self._page()

    def action_page_up(self) -> None:
        self.cursor -= self._page()

    def _page(self) -> int:
        """Papers a page moves: one fewer than fit, so the last stays in sight."""
        return max(1, self.scrollable_content_region.height // self.lines_per_paper - 1)

    def on_click(self, event: events.Click) -> None:
        row = (event.y + round(self.scroll_y)) // self.lines_per_paper
        if 0 <= row < len(self.view):
            self.cursor = row

    def prepare_frame(self) -> None:
        super().prepare_frame()
        # Row styles and rows last until the look of a line or the focus change, or the
        # stylesheet is applied again (`notify_style_update`).
        painted_for = (self.look, self.has_focus)
        if painted_for != self._painted_for:
            self._painted_for = painted_for
            self._row_styles.clear()
            self._rows.clear()

    def notify_style_update(self) -> None:
        self._painted_for = None
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.line_width
        row, part = divmod(y + round(self.scroll_y), self.lines_per_paper)
        if row >= len(self.view):
            if row == 0 and part == 0 and self.filtered:
                return self._nothing_matches(width)
            return Strip.blank(width, self.painted(self.base_style))
        paper = self.store[self.view[row]]
        key = paper.key
        read = self.is_read(key)
        starred = self.is_starred(key)
        tags = self.tags_of(key)
        under_cursor = row == self.cursor
        kept_as = (id(paper), read, starred, tags, under_cursor, part)
        kept = self._rows.get(kept_as)
        if kept is not None and kept[0] is paper:
            return kept[1]
        styles = self._row_styles.get((read, under_cursor)) or self._styles_of(read, under_cursor)
        if part:
            strip = self._tldr_line(paper, width, styles)
            self._rows[kept_as] = (paper, strip)
            return strip
        stats = paper_stats(paper)
        title_width = width - 5 - len(stats) - self._day_cells
        segments = self._row_segments(
            paper, read, starred, tags, stats, max(1, title_width), styles
        )
        if title_width >= 1:  # the parts fill the row exactly
            strip = self.whole_line(segments, width)
        else:  # narrower than a row's parts
            strip = Strip(segments).crop_extend(0, width, styles.row)
        self._rows[kept_as] = (paper, strip)
        return strip

    def _tldr_line(self, paper: Paper, width: int, styles: RowStyles) -> Strip:
        """The paper's TL;DR under its title, cut with an ellipsis; blank without one."""
        summary = paper.ai_summary or ""
        indent = TLDR_INDENT + self._day_cells
        text_width = width - indent
        if text_width < 1:  # narrower than the indent
            return Strip.blank(width, styles.row)
        segments = self._fitted_segments(summary, text_width, [], styles.tldr, styles.tldr)
        return self.whole_line([Segment(" " * indent, styles.row), *segments], width)

    def _nothing_matches(self, width: int) -> Strip:
        style = self.base_style + self.get_component_rich_style("paper-list--read", partial=True)
        return Strip([Segment(NOTHING_MATCHES, self.painted(style))]).crop_extend(
            0, width, self.painted(self.base_style)
        )

    def _styles_of(self, read: bool, under_cursor: bool) -> RowStyles:
        """The styles of a row's parts, filtered (`painted`), worked out once per kind."""
        row = self.base_style
        if read:
            row += self.get_component_rich_style("paper-list--read", partial=True)
        if under_cursor:
            row += self.get_component_rich_style("paper-list--cursor", partial=True)

        def part(name: str) -> Style:
            return self.painted(
                row + self.get_component_rich_style(f"paper-list--{name}", partial=True)
            )

        styles = RowStyles(
            self.painted(row),
            part("unread-mark"),
            part("star"),
            part("match"),
            part("stats"),
            part("tldr"),
            part("tags"),
        )
        self._row_styles[read, under_cursor] = styles
        return styles

    def _row_segments(
        self,
        paper: Paper,
        read: bool,
        starred: bool,
        tags: tuple[str, ...],
        stats: str,
        title_width: int,
        styles: RowStyles,
    ) -> list[Segment]:
        unread = " " if read else UNREAD_MARK
        star = STAR_MARK if starred else " "
        shown_tags = tags_text(tags, title_width)
        title_width -= cell_len(shown_tags)
        day = [Segment(list_day(paper) + " ", styles.stats)] if self._show_day else []
        segments = [
            Segment(f" {unread}", styles.unread_mark),
            Segment(star + " ", styles.star),
            *day,
            *self._title_segments(paper.title, title_width, styles),
        ]
        if shown_tags:
            segments.append(Segment(shown_tags, styles.tags))
        segments.append(Segment(" " + stats, styles.stats))
        return segments

    def _title_segments(self, title: str, width: int, styles: RowStyles) -> list[Segment]:
        """The title in exactly `width` cells, matches highlighted, cut with an ellipsis."""
        spans = self.highlighter(title) if self.highlighter is not None else []
        return self._fitted_segments(title, width, spans, styles.row, styles.match)

    def _fitted_segments(
        self, text: str, width: int, spans: list[tuple[int, int]], style: Style, match: Style
    ) -> list[Segment]:
        """`text` in exactly `width` cells, `spans` in `match`, cut with an ellipsis."""
        if text.isascii():  # one cell per character: cut and style without Rich text
            return ascii_segments(text, width, spans, style, match)
        rich_text = Text(text, style=style, no_wrap=True, overflow="ellipsis", end="")
        for start, end in spans:
            rich_text.stylize(match, start, end)
        rich_text.truncate(width, overflow="ellipsis", pad=True)
        return list(rich_text.render(self.app.console))
