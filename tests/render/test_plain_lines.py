"""The plain-box line path (the fast path) paints exactly what Textual's own styling paints,
line filters (true colour, dim) included."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from rich.style import Style
from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from tui.render.lines import PlainHorizontal, PlainScreen
from tui.render.plain_lines import PlainLineCache, PlainScrollBar
from tui.widgets.line_view import LineView

pytestmark = pytest.mark.usefixtures("fast_render")  # these test the fast path itself

FULL = "<full>"  # a line exactly as wide as the space beside the scrollbar, as ours are
LINES = ["short", FULL, "", "x" * 200]


class Lines(LineView):
    """A few fixed lines, some shorter and some wider than the box, some dim and in an ANSI
    colour (which the app's filters turn into true colour)."""

    def on_mount(self) -> None:
        self.set_content_height(len(LINES) * 10)

    def render_line(self, y: int) -> Strip:
        text = LINES[y % len(LINES)] if y < len(LINES) * 10 else ""
        if text == FULL:
            text = "=" * self.line_width
        style = self.base_style + Style(dim=y % 3 == 0, color="red" if y % 2 else None)
        return Strip([Segment(text, self.painted(style))])


class LinesApp(App):
    def __init__(self, css: str) -> None:
        self.CSS = f"Lines {{ {css} }}"
        super().__init__()

    def compose(self) -> ComposeResult:
        yield Lines()


async def both_paths(css: str) -> tuple[list[Strip], list[Strip], bool]:
    """The widget's lines through the plain path and through Textual's (with the styles
    left as they are and the app's filters applied by Textual), and whether the plain path
    applied."""
    app = LinesApp(css)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        widget = app.query_one(Lines)
        region = Region(0, 0, *widget.region.size)
        fast = widget.render_lines(region)
        plain = widget._painter.box is not None
        widget._styles_cache = StylesCache()
        widget.painted = lambda style: style  # type: ignore[method-assign]
        widget.get_line_filters = app.get_line_filters  # type: ignore[method-assign]
        slow = widget.render_lines(region)
    assert app.get_line_filters()  # there was filtering to do
    return fast, slow, plain


@pytest.mark.parametrize(
    ("css", "plain"),
    [
        ("", True),
        ("border-right: vkey red;", True),
        ("border-bottom: hkey blue; border-left: tall green;", True),
        ("border: round yellow; padding: 1 2;", True),
        ("padding: 0 1; background: $panel;", True),
        ("overflow-y: scroll; border-right: vkey red;", True),
        ("outline: heavy white;", False),
        ("tint: red 30%;", False),
        ("text-opacity: 50%;", False),
        ("hatch: cross red;", False),
    ],
)
async def test_plain_path_paints_what_textual_paints(css: str, plain: bool) -> None:
    fast, slow, applied = await both_paths(css)
    assert applied is plain
    assert [strip.text for strip in fast] == [strip.text for strip in slow]
    assert [list(strip) for strip in fast] == [list(strip) for strip in slow]


async def test_a_plain_lines_scroll_view_keeps_its_css_and_scrolls_with_a_plain_bar() -> None:
    app = LinesApp("")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        widget = app.query_one(Lines)
        assert widget.styles.overflow_y == "auto"  # ScrollView's default CSS still applies
        widget.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert widget.scroll_y == widget.max_scroll_y > 0
        assert isinstance(widget.vertical_scrollbar, PlainScrollBar)


@pytest.mark.parametrize("scroll_to", [0, 7, 13, 20])
async def test_the_plain_scrollbar_paints_what_textual_paints(scroll_to: int) -> None:
    app = LinesApp("")
    async with app.run_test(size=(60, 20)) as pilot:
        widget = app.query_one(Lines)
        widget.scroll_to(y=scroll_to, animate=False, immediate=True)
        await pilot.pause()
        bar = widget.vertical_scrollbar
        region = Region(0, 0, *bar.region.size)
        fast = bar.render_lines(region)
        bar._rows, bar._styles_cache = [], StylesCache()  # Textual's own path, same widget
        slow = Widget.render_lines(bar, region)
    assert [list(strip) for strip in fast] == [list(strip) for strip in slow]
    assert len({tuple(strip) for strip in fast}) > 1  # the thumb shows


async def test_painted_lines_leave_no_work_to_the_filters() -> None:
    app = LinesApp("")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        widget = app.query_one(Lines)
        lines = widget.render_lines(Region(0, 0, *widget.region.size))
    styles = [style for line in lines for _, style, _ in line if style is not None]
    assert widget.get_line_filters() == ()
    assert not any(style.dim for style in styles)  # dim was blended into the colour
    assert all(style.color is None or style.color.triplet for style in styles)  # true colour


def test_the_cache_falls_back_to_textual_until_prepared() -> None:
    assert PlainLineCache().box is None


class ContainersApp(App):
    CSS = "PlainHorizontal { height: 5; background: $panel; padding: 0 2; } Static { width: 10; }"

    def get_default_screen(self) -> Screen:
        return PlainScreen(id="_default")

    def compose(self) -> ComposeResult:
        with PlainHorizontal():
            yield Static("inside")


async def test_plain_screen_and_container_paint_what_textual_paints() -> None:
    app = ContainersApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        for widget in (app.screen, app.query_one(PlainHorizontal)):
            region = Region(0, 0, *widget.region.size)
            fast = widget.render_lines(region)
            assert widget._painter.box is not None  # the plain path applied
            widget._styles_cache = StylesCache()
            slow = widget.render_lines(region)
            assert [list(strip) for strip in fast] == [list(strip) for strip in slow]
