"""A scrollable Line-API widget whose content size changes without a layout pass (on the
fast path: `tui.render.sizes`), its lines painted through `tui.render.lines`."""

from __future__ import annotations

from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView

from tui.render.lines import PlainLines
from tui.render.sizes import set_virtual_size


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
        # style, the line width and the path's `line_look` (the box's sides, line filters).
        self.look: object = None

    def set_content_height(self, height: int, *, repaint: bool = True) -> None:
        """Scroll over `height` lines; repaints the widget unless told not to (and on the
        fast path, relays out nothing else)."""
        set_virtual_size(self, Size(self.scrollable_content_region.width, height))
        if repaint:
            self.refresh()

    def prepare_frame(self) -> None:
        # `rich_style` walks every ancestor and the content region is worked out from the
        # styles: once per frame, not once per line.
        self.base_style = self.rich_style
        self.line_width = self.scrollable_content_region.width
        self.look = (self.base_style, self.line_width, self.line_look)
