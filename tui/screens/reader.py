"""Full-screen reading of one paper."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from parsing.model import Paper
from tui.widgets.detail import DetailPane
from tui.widgets.key_footer import KeyFooter


class ReaderScreen(Screen[None]):
    """The paper alone, wide; Escape goes back to the list."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", priority=True),
        Binding("j,down", "scroll('down')", "Scroll down", show=False),
        Binding("k,up", "scroll('up')", "Scroll up", show=False),
        Binding("space,pagedown", "scroll('page_down')", "Page down", show=False),
        Binding("pageup", "scroll('page_up')", "Page up", show=False),
    ]

    DEFAULT_CSS = """
    ReaderScreen DetailPane { padding: 1 4; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield DetailPane(id="reader", all_authors=True)
        yield KeyFooter()

    def show(
        self,
        paper: Paper | None,
        *,
        read: bool,
        starred: bool,
        abstract_words: tuple[str, ...] = (),
        note: str = "",
        tags: tuple[str, ...] = (),
    ) -> None:
        self.query_one(DetailPane).show(
            paper,
            read=read,
            starred=starred,
            abstract_words=abstract_words,
            note=note,
            tags=tags,
        )

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_scroll(self, how: str) -> None:
        pane = self.query_one(DetailPane)
        getattr(pane, f"scroll_{how}")(animate=False)
