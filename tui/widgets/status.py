"""The status line: counts, view, sort, loading and save problems."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from parsing.clean import clean_text


class StatusLine(Widget):
    """One line under the filter; every field is a reactive that repaints it."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    shown = reactive(0)
    total = reactive(0)
    unread = reactive(0)
    starred = reactive(0)
    view_label = reactive("all")
    sort_label = reactive("list order")
    reading = reactive(False)  # not `loading`: Widget.loading shows a spinner over the line
    indexing = reactive(False)
    save_error: reactive[str | None] = reactive(None)
    read_only = reactive(False)
    query_error: reactive[str | None] = reactive(None)

    def render(self) -> Text:
        text = Text()
        text.append(f"{self.shown:,}/{self.total:,} shown", style="bold")
        text.append(f" · {self.unread:,} unread · {self.starred:,} ★")
        text.append(f" · view: {self.view_label} · sort: {self.sort_label}")
        if self.reading:
            text.append(f" · loading… {self.total:,} papers", style="italic")
        elif self.indexing:
            text.append(" · indexing for search…", style="italic")
        if self.query_error:  # it quotes what was typed (or pasted)
            text.append(f" · {clean_text(self.query_error)}", style="bold yellow")
        if self.read_only:
            text.append(" · read-only state", style="bold yellow")
        if self.save_error:  # it names paths
            text.append(f" · NOT SAVED: {clean_text(self.save_error)}", style="bold red")
        return text
