"""A scroll view's virtual size set without a layout pass of the screen (fast path).

Textual's `virtual_size` is a layout reactive: setting it relays out the whole screen and
repaints every widget, which made each cursor move (a new paper in the detail pane) and
each filter result (a new row count) cost a full frame. On the fast path the size changes
in place and the scrollbars are updated as a layout would update them (Textual's private
`_scroll_update`); only a scrollbar appearing or disappearing still relays out, as it
changes the width. On the stock path the size is set as Textual documents it.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget

from tui.render import fast_path


def set_virtual_size(view: ScrollView, size: Size) -> None:
    """`view.virtual_size = size`, in place on the fast path."""
    if size == view.virtual_size:
        return
    if fast_path():
        view.set_reactive(Widget.virtual_size, size)
        view._scroll_update(size)
    else:
        view.virtual_size = size
