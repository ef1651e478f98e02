"""The status line: counts, view, sort, loading and save problems."""

from __future__ import annotations

from typing import Self

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from parsing.clean import clean_text

MAX_ROWS = 4  # a message longer than the line wraps onto this many rows at most


class StatusLine(Widget):
    """The line under the filter; every field is a reactive that repaints it. A long
    message (a filter error, a save error) wraps onto more rows: the line is laid out
    again only when the rows its text takes change, not on every count that changes."""

    DEFAULT_CSS = f"""
    StatusLine {{
        height: auto; max-height: {MAX_ROWS}; background: $panel; color: $text; padding: 0 1;
    }}
    """

    shown = reactive(0)
    total = reactive(0)
    unread = reactive(0)
    starred = reactive(0)
    view_label = reactive("all")
    sort_label = reactive("list order")
    reading = reactive(False)  # not `loading`: Widget.loading shows a spinner over the line
    days = reactive("")  # "days 3/7": the days of a range done so far
    indexing = reactive(False)
    indexing_abstracts = reactive(False)  # made when `abs:` is first typed
    reading_marks = reactive(False)  # the state file is parsed after the first frame
    save_error: reactive[str | None] = reactive(None)
    read_only = reactive(False)
    query_error: reactive[str | None] = reactive(None)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows = 1  # the rows the text took when last laid out or repainted

    def render(self) -> Text:
        text = Text()
        text.append(f"{self.shown:,}/{self.total:,} shown", style="bold")
        text.append(f" · {self.unread:,} unread · {self.starred:,} ★")
        text.append(f" · view: {self.view_label} · sort: {self.sort_label}")
        if self.reading:
            days = f"{self.days} · " if self.days else ""
            text.append(f" · loading… {days}{self.total:,} papers", style="italic")
        elif self.indexing:
            text.append(" · indexing for search…", style="italic")
        elif self.indexing_abstracts:
            text.append(" · indexing abstracts…", style="italic")
        if self.reading_marks:
            text.append(" · reading marks…", style="italic")
        if self.query_error:  # it quotes what was typed (or pasted)
            text.append(f" · {clean_text(self.query_error)}", style="bold yellow")
        if self.read_only:
            text.append(" · read-only state", style="bold yellow")
        if self.save_error:  # it names paths
            text.append(f" · NOT SAVED: {clean_text(self.save_error)}", style="bold red")
        return text

    def refresh(
        self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        """As Textual's, and a layout when the text now takes another number of rows."""
        if repaint and self.is_mounted:
            rows = self._rows_needed()
            layout = layout or rows != self._rows
            self._rows = rows
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _rows_needed(self) -> int:
        width = self.content_size.width
        text = self.render()
        if width <= 0 or text.cell_len <= width:
            return 1
        return min(MAX_ROWS, len(text.wrap(self.app.console, width)))
