"""The `?` help screen: every key once, and the filter's qualifiers; filterable by typing."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

FILTER_HELP = [
    ("words", "fuzzy filter over titles and authors; every word must match"),
    ("abs:WORD", "the abstract has a word starting with WORD (3 letters or more; no typos)"),
    ("is:unread / is:read", "only unread / read papers"),
    ("is:starred / is:unstarred", "only starred / not starred papers"),
    ("org: / author: / kw:WORD", "an organization word / an author / a keyword starts with WORD"),
    ("has:code / project / tldr", "has a repository / a project page / a TL;DR"),
    ("upvotes:>=N", "compare a count (also comments:, stars:; >, <, <=, =); unknown never matches"),
    ("day:YYYY-MM-DD / day:YYYY-MM", "a paper of that day / month of the list (a range)"),
    ("note:WORD / has:note", "your note has a word starting with WORD / you wrote a note (N)"),
    ("tag:NAME / has:tags", "you tagged it NAME (exact, any case) / you tagged it (t)"),
    ("-QUALIFIER", "negates it: -is:read, -has:code, -tag:rl, -abs:survey"),
]

# Keys that scroll the list of keys, and how.
SCROLL_KEYS = [
    ("down,j", "scroll_down"),
    ("up,k", "scroll_up"),
    ("pagedown", "scroll_page_down"),
    ("pageup", "scroll_page_up"),
    ("home", "scroll_home"),
    ("end", "scroll_end"),
]


class KeySearch(Input):
    """The search field: `j` and `k` scroll the keys until a search is typed, then they
    are letters of it (an Input takes every letter from its screen's bindings)."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if key in ("j", "k") and not self.value:
            return False
        return super().check_consume_key(key, character)


class HelpScreen(ModalScreen[None]):
    """Key reference; type to narrow it, arrows, j/k, PgUp/PgDn, Home/End scroll it,
    Escape closes it."""

    BINDINGS = [
        Binding("escape", "close", "Close help", priority=True),
        *(
            Binding(keys, f"scroll('{how}')", show=False, priority=True)
            for keys, how in SCROLL_KEYS
        ),
    ]

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
        self.keys = keys
        self.shown: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                "[b]papers-tui keys[/b]  (type to search; ↑↓ j k PgUp PgDn Home End scroll;"
                " Escape closes)"
            )
            yield KeySearch(placeholder="search keys…", id="help-filter")
            with VerticalScroll(id="help-scroll", can_focus=False):
                yield Static(id="help-keys")

    def on_mount(self) -> None:
        self.show_keys("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_keys(event.value)

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_scroll(self, how: str) -> None:
        getattr(self.query_one("#help-scroll", VerticalScroll), how)(animate=False)

    def show_keys(self, needle: str) -> None:
        needle = needle.casefold().strip()

        def matching(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
            return [row for row in rows if any(needle in part.casefold() for part in row)]

        keys, qualifiers = matching(self.keys), matching(FILTER_HELP)
        self.shown = keys + qualifiers
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, description in keys:
            table.add_row(Text(key), Text(description))
        if qualifiers:
            table.add_row()
            table.add_row(Text("Filter (after /)", style="underline"))
            for key, description in qualifiers:
                table.add_row(Text(key), Text(description))
        self.query_one("#help-keys", Static).update(table)
