"""The fast path's line joining (see `tui.render`): Textual's private styles cache and box
drawing are used here, nowhere else.

`PlainLineCache` is the styles cache of a `PlainLines` widget (`tui.render.lines`) on the
fast path; `PlainScrollBar` is Textual's scrollbar painted the same way, which such scroll
views use as their vertical bar.

A widget whose `PAINTS_LINES` is true also takes the app's line filters (ANSI colours to
true colour, dim) on itself: it styles its lines with `painted` styles, worked out once
per style rather than once per segment of every line painted, and Textual applies no
filter to its lines.

Textual passes every line a widget paints through `StylesCache.render_line`, which weighs
borders, padding, outline, hatch, tint and opacity afresh for each line: about 100 µs a
line here, so a full list and detail pane (80 lines, repainted when the list scrolls) took
8-9 ms a frame. Our panes are plain boxes (no outline, hatch, tint or opacity),
so a content line is just the widget's strip between its side borders and padding, worked
out once per frame. Any other box, and border and padding rows, go through Textual's code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual._border import get_box
from textual._styles_cache import StylesCache
from textual.color import Color
from textual.filter import LineFilter
from textual.geometry import Region, Size
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from tui.render.lines import PlainLines


class PlainBox(NamedTuple):
    """What every content line of a plain box shares in one frame."""

    rows: range  # widget lines that hold content (not border or padding rows)
    top: int  # widget line of content line 0
    outer: int  # cells of a whole line of the widget
    width: int  # content cells between the side borders and padding
    scrollable: int  # content cells left of the vertical scrollbar
    fill: Any  # rich style of padding, and of the cells that pad a short line
    left: tuple[Segment, ...]  # left border cell and padding, if any
    right: tuple[Segment, ...]  # right padding and border cell, if any
    beside_scrollbar: tuple[Segment, ...]  # blank cells under the scrollbar, then `right`


def plain_box(
    widget: Widget,
    cache: StylesCache,
    paint: Callable[[RichStyle], RichStyle],
    colors: tuple[Color, Color],
) -> PlainBox | None:
    """The frame's shared parts if `widget` is a plain box, else None (style it in full);
    their styles go through `paint`. `colors` are the widget's `background_colors`."""
    styles = widget.styles
    if (
        any(edge for edge, _color in styles.outline)
        or styles.tint.a
        or styles.text_opacity != 1
        or widget.opacity != 1
        or (styles.has_rule("hatch") and styles.hatch != "none")
    ):
        return None
    base_background, background = colors
    inner, outer = cache.get_inner_outer(base_background, background)
    fill = paint(inner.rich_style)
    _, pad_right, _, pad_left = styles.padding

    def blank(cells: int) -> tuple[Segment, ...]:
        return (Segment(" " * cells, fill),) if cells else ()

    def border(edge: tuple[str, Any], column: int) -> tuple[Segment, ...]:
        kind, color = edge
        if not kind:
            return ()
        box = get_box(kind, inner, outer, Style(foreground=base_background + color))  # type: ignore[arg-type]
        text, style, _ = box[1][column]
        return (Segment(text, paint(style) if style else style),)

    # A line: left border, padding, content (under the scrollbar too), padding, right border.
    width, height = widget.region.size
    gutter = styles.gutter
    content_width = width - gutter.width
    scrollbar = widget.scrollbar_size_vertical
    right = (*blank(pad_right), *border(styles.border.right, 2))
    return PlainBox(
        rows=range(gutter.top, height - gutter.bottom),
        top=gutter.top,
        outer=width,
        width=content_width,
        scrollable=content_width - scrollbar,
        fill=fill,
        left=(*border(styles.border.left, 0), *blank(pad_left)),
        right=right,
        beside_scrollbar=(*blank(scrollbar), *right),
    )


class PlainLineCache(StylesCache):
    """A widget's styles cache that joins content lines itself when the box is plain, and
    with `paints`, styles them with the app's line filters applied (see `painted`)."""

    def __init__(self, *, paints: bool = False) -> None:
        super().__init__()
        self.box: PlainBox | None = None
        self.paints = paints
        self._filters: tuple[LineFilter, ...] = ()
        self._background = Color(0, 0, 0)
        self._painted: dict[RichStyle, RichStyle] = {}

    def prepare(self, widget: Widget) -> None:
        """Work out the shared parts of `widget`'s lines for the frame about to be painted."""
        colors = widget.background_colors  # walks every ancestor: once a frame
        if self.paints:
            filters = tuple(widget.app.get_line_filters())
            background = colors[1]
            if filters != self._filters or background != self._background:
                self._filters, self._background = filters, background
                self._painted.clear()
        self.box = plain_box(widget, self, self.painted, colors)

    @property
    def filters_applied(self) -> bool:
        """Whether the lines come out filtered: Textual then applies no filter to them."""
        return self.paints

    @property
    def look(self) -> object:
        """What a joined, `painted` line depends on besides its content: the box's sides,
        the line filters and the widget's background."""
        return self.box, self._filters, self._background

    def painted(self, style: RichStyle) -> RichStyle:
        """`style` as the app's line filters leave it (as it is, without `paints`): each
        filter changes the style of every segment on its own, so a style is filtered once,
        not once per segment painted."""
        done = self._painted.get(style)
        if done is None:
            done = style
            for line_filter in self._filters:
                done = line_filter.apply([Segment(" ", done)], self._background)[0].style
            self._painted[style] = done
        return done

    def render_line(  # the signature of `StylesCache.render_line`, its tail passed on as is
        self,
        styles: Any,
        y: int,
        size: Size,
        content_size: Size,
        padding: Any,
        base_background: Any,
        background: Any,
        render_content_line: Callable[[int], Strip],
        *rest: Any,
    ) -> Strip:
        box = self.box
        if box is None or y not in box.rows:
            strip = super().render_line(
                styles, y, size, content_size, padding, base_background, background,
                render_content_line, *rest,
            )  # fmt: skip
            if self.paints:  # Textual's lines, filtered as Textual would have
                for line_filter in self._filters:
                    strip = strip.apply_filter(line_filter, self._background)
            return strip
        line = render_content_line(y - box.top)
        if line.cell_length == box.outer:  # a whole line, which the widget joined itself
            return line
        if line.cell_length == box.scrollable:  # our widgets' lines: no copy to pad them
            return self.whole_line(line, box.scrollable)
        line = line.adjust_cell_length(box.width, box.fill)
        return Strip([*box.left, *line, *box.right], size.width)

    def whole_line(self, segments: Iterable[Segment], cells: int) -> Strip:
        """A content line of `cells` cells (as wide as the content left of the scrollbar)
        joined with the box's sides; as it is if the box is not plain (the cache then
        styles it in full) or `cells` is another width."""
        box = self.box
        if box is None or cells != box.scrollable:
            return Strip(segments, cells)
        return Strip([*box.left, *segments, *box.beside_scrollbar], box.outer)


def plain_vertical_scrollbar(widget: Widget) -> ScrollBar:
    """`widget.vertical_scrollbar` as Textual makes it, but a `PlainScrollBar`: a bar is
    repainted whenever the list scrolls, 41 lines at a time."""
    if widget._vertical_scrollbar is None:
        bar = PlainScrollBar(
            vertical=True, name="vertical", thickness=widget.scrollbar_size_vertical
        )
        bar.display = False
        widget._vertical_scrollbar = bar
        widget.app._start_widget(widget, bar)
    return widget._vertical_scrollbar


def plain_line_cache(widget: Widget, *, paints: bool) -> PlainLineCache:
    """A `PlainLineCache` made the styles cache of `widget` (a `PlainLines` widget)."""
    cache = PlainLineCache(paints=paints)
    widget._styles_cache = cache
    return cache


class PlainScrollBar(PlainLines, ScrollBar):
    """Textual's scrollbar, its lines joined by a `PlainLineCache`; a vertical bar's cells
    are styled as Textual styles them, without its general path for Rich renderables."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rows: list[Strip] = []
        self._cells: dict[tuple[str, RichStyle | None], Strip] = {}  # a strip per look
        self._cells_made_for: tuple[RichStyle, int] | None = None  # base style, width

    def render_lines(self, crop: Region) -> list[Strip]:
        bar = self.render()
        if not (self.vertical and isinstance(bar, ScrollBarRender)):
            self._rows = []
            return super().render_lines(crop)
        width, height = self.size
        colours = bar.style if isinstance(bar.style, RichStyle) else RichStyle.parse(bar.style)
        cells = bar.render_bar(
            size=height,
            virtual_size=bar.virtual_size,
            window_size=bar.window_size,
            position=bar.position,
            thickness=width,
            vertical=True,
            back_color=colours.bgcolor or RichColor.parse("#555555"),
            bar_color=colours.color or RichColor.parse("bright_magenta"),
        )
        base = self.visual_style.rich_style
        if (base, width) != self._cells_made_for:
            self._cells_made_for = (base, width)
            self._cells.clear()
        self._rows = [self._cell(text, style, base, width) for text, style, _ in cells.segments]
        return super().render_lines(crop)

    def _cell(self, text: str, style: RichStyle | None, base: RichStyle, width: int) -> Strip:
        """The row of one look (a bar has a few: track, thumb, thumb ends), made once: the
        same strips a frame and from frame to frame, so that Textual's caches on them hit."""
        strip = self._cells.get((text, style))
        if strip is None:
            strip = self._cells[text, style] = Strip([Segment(text, base + style)], width)
        return strip

    def render_line(self, y: int) -> Strip:
        if not self._rows:
            return super().render_line(y)
        return self._rows[y]
