"""A scrollable Line-API widget whose content size changes without a layout pass.

Textual's `virtual_size` is a layout reactive: setting it relays out the whole screen and
repaints every widget, which made each cursor move (a new paper in the detail pane) and
each filter result (a new row count) cost a full frame. Here the size changes in place;
only a scrollbar appearing or disappearing still relays out, as it changes the width.
"""

from __future__ import annotations

from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget

from tui.widgets.plain_lines import PlainLines


class LineView(PlainLines, ScrollView):
    """Base of the list and detail panes: `content_height` and a per-frame base style.

    Subclasses style their lines with `painted` styles (`PAINTS_LINES`).
    """

    PAINTS_LINES = True

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.base_style = Style()  # `rich_style` as of the frame being painted
        self.line_width = 0  # content cells of a line (scrollbar excluded), as of that frame
        # What a painted line depends on besides its content, as of that frame: the base
        # style, the line width, the box's sides and the line filters.
        self.look: object = None

    def set_content_height(self, height: int) -> None:
        """Scroll over `height` lines; repaints the widget, relays out nothing else."""
        size = Size(self.scrollable_content_region.width, height)
        if size != self.virtual_size:
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)
        self.refresh()

    def prepare_frame(self) -> None:
        # `rich_style` walks every ancestor and the content region is worked out from the
        # styles: once per frame, not once per line.
        self.base_style = self.rich_style
        self.line_width = self.scrollable_content_region.width
        cache = self._line_cache
        self.look = (self.base_style, self.line_width, cache.box, cache.painting)
