"""The `N` screen: the note of one paper in a multi-line editor (markdown allowed; the app
shows it as plain text, never as markup)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea


class NoteScreen(ModalScreen[str | None]):
    """Edits a note: ctrl+s dismisses with the text, Escape with None (nothing saved)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save the note", priority=True),
        Binding("escape", "dismiss(None)", "Cancel", priority=True),
    ]

    DEFAULT_CSS = """
    NoteScreen { align: center middle; }
    NoteScreen > Vertical {
        width: 90%; max-width: 110; height: 80%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    NoteScreen #note-title { height: auto; max-height: 2; text-style: bold; }
    NoteScreen #note-help { height: 1; color: $text-muted; }
    NoteScreen TextArea { height: 1fr; }
    """

    def __init__(self, title: str, note: str) -> None:
        """`title`: the paper's (plain text); `note`: the text to start from."""
        super().__init__()
        self.paper_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Note: {self.paper_title}"), id="note-title")
            yield Static(
                "ctrl+s saves · Escape cancels · markdown is kept as written", id="note-help"
            )
            yield TextArea(self.note, soft_wrap=True, id="note")

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.move_cursor(editor.document.end)
        editor.focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)
