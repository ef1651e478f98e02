"""The `?` help screen: every key, filterable by typing."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

FILTER_HELP = [
    ("words", "fuzzy filter over titles and authors; every word must match"),
    ("abs:word", "abstract has a word starting so (no typos; abs: words all match)"),
    ("is:unread / is:read", "only unread / read papers"),
    ("is:starred / is:unstarred", "only starred / not starred papers"),
    ("Enter (in the filter)", "back to the list, keeping the filter"),
    ("Escape", "clear the filter"),
]


class HelpScreen(ModalScreen[None]):
    """Key reference; type to narrow it, Escape to close."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Close help", priority=True)]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 90%; max-width: 100; height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    HelpScreen Input { margin-bottom: 1; }
    """

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys + FILTER_HELP
        self.shown: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]papers-tui keys[/b]  (type to search, Escape closes)")
            yield Input(placeholder="search keys…", id="help-filter")
            with VerticalScroll():
                yield Static(id="help-keys")

    def on_mount(self) -> None:
        self.show_keys("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_keys(event.value)

    def show_keys(self, needle: str) -> None:
        needle = needle.casefold().strip()
        self.shown = [
            (key, description)
            for key, description in self.keys
            if needle in key.casefold() or needle in description.casefold()
        ]
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, description in self.shown:
            table.add_row(key, description)
        self.query_one("#help-keys", Static).update(table)
