"""Widgets that paint their lines through the fast path or Textual's stock one.

`PlainLines` is a widget mixin. When the widget is made it asks `tui.render.fast_path()`:

- fast path: its styles cache is a `PlainLineCache` (`tui.render.plain_lines`), which joins
  its content lines itself, and its vertical scrollbar is a `PlainScrollBar`;
- stock path: the widget is Textual's as it is; `painted` and `whole_line` return styles and
  lines as they are, and Textual styles, filters and pads them.

Either way a frame starts with `prepare_frame` (a hook), and a widget styles its lines with
`painted` and may hand back whole lines with `whole_line`: a widget's code is the same on
both paths, and so is what it looks like.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.containers import Horizontal
from textual.geometry import Region
from textual.screen import Screen
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget

from tui.render import fast_path


class LinePainter(Protocol):
    """What a `PlainLines` widget's lines go through (a `PlainLineCache`, or `StockLines`)."""

    @property
    def filters_applied(self) -> bool:
        """Whether `painted` applies the app's line filters (Textual then applies none)."""
        ...

    @property
    def look(self) -> object:
        """What a line made with `painted` and `whole_line` depends on, besides its content
        and the widget's own style and width."""
        ...

    def prepare(self, widget: Widget) -> None:
        """Work out what the lines of the frame about to be painted share."""

    def painted(self, style: RichStyle) -> RichStyle: ...

    def whole_line(self, segments: Iterable[Segment], cells: int) -> Strip: ...


class StockLines:
    """The stock path: styles and lines as they are, for Textual to style, filter and pad."""

    filters_applied = False
    look = None

    def prepare(self, widget: Widget) -> None:
        pass

    def painted(self, style: RichStyle) -> RichStyle:
        return style

    def whole_line(self, segments: Iterable[Segment], cells: int) -> Strip:
        return Strip(segments, cells)


STOCK_LINES = StockLines()


class PlainLines:
    """Mixin for a widget class: its lines through the process's path (see the module).

    Not itself a widget: Textual gathers default CSS along the first widget base only,
    so a widget mixin listed first would hide the CSS of the real base (ScrollView's
    `overflow: auto`).
    """

    PAINTS_LINES = False  # whether `render_line` styles its lines with `painted` styles

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plain = fast_path()
        self._painter: LinePainter = STOCK_LINES
        if self._plain:
            from tui.render.plain_lines import plain_line_cache

            self._painter = plain_line_cache(self, paints=self.PAINTS_LINES)  # type: ignore[arg-type]

    def render_lines(self, crop: Region) -> list[Strip]:
        self._painter.prepare(self)  # type: ignore[arg-type]
        self.prepare_frame()
        return super().render_lines(crop)  # type: ignore[misc]

    def prepare_frame(self) -> None:
        """Work out what the lines of the frame about to be painted share (a hook)."""

    def painted(self, style: RichStyle) -> RichStyle:
        """`style` as it will look: on the fast path, with the app's line filters applied
        (for `PAINTS_LINES` widgets)."""
        return self._painter.painted(style)

    def whole_line(self, segments: list[Segment], cells: int) -> Strip:
        """A content line as wide as the content left of the scrollbar: on the fast path,
        joined with the box's sides as the cache joins it (`PlainLineCache.whole_line`), a
        strip the cache takes as it is, which a widget may keep and paint again in later
        frames."""
        return self._painter.whole_line(segments, cells)

    @property
    def line_look(self) -> object:
        """What a line made with `painted` and `whole_line` depends on, besides its content
        and the widget's own style and width (as of the frame being painted)."""
        return self._painter.look

    def get_line_filters(self) -> Any:
        if self._painter.filters_applied:
            return ()  # the lines come out filtered
        return super().get_line_filters()  # type: ignore[misc]

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """Textual's property; on the fast path, the bar is a `PlainScrollBar`."""
        if self._plain:
            from tui.render.plain_lines import plain_vertical_scrollbar

            return plain_vertical_scrollbar(self)  # type: ignore[arg-type]
        return super().vertical_scrollbar  # type: ignore[misc]


class PlainHorizontal(PlainLines, Horizontal):
    """Textual's `Horizontal`, its own lines (behind its children, repainted with them)
    joined by a `PlainLineCache` on the fast path."""


class PlainScreen(PlainLines, Screen[None]):
    """Textual's `Screen`, its own lines (the background behind every widget, repainted
    with them) joined by a `PlainLineCache` on the fast path."""
