"""The `t` screen: a paper's tags on one line, comma-separated, the tags in use completed."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static


class TagSuggester(Suggester):
    """Completes the word after the last comma with a tag in use (the first of `tags`, the
    most used first, that starts with it and is not on the line yet)."""

    def __init__(self, tags: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        typed, _, last = value.rpartition(",")
        word = last.lstrip().casefold()
        if not word:
            return None
        on_the_line = {tag.strip().casefold() for tag in typed.split(",")}
        for tag in self.tags:
            if tag.startswith(word) and tag != word and tag not in on_the_line:
                return value + tag[len(word) :]
        return None


class TagsScreen(ModalScreen[str | None]):
    """Edits tags: Enter dismisses with the line, Escape with None (nothing saved)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", priority=True)]

    DEFAULT_CSS = """
    TagsScreen { align: center middle; }
    TagsScreen > Vertical {
        width: 90%; max-width: 110; height: auto;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    TagsScreen #tags-title { height: auto; max-height: 2; text-style: bold; }
    TagsScreen #tags-help { height: 1; color: $text-muted; }
    """

    def __init__(self, title: str, tags: Sequence[str], in_use: Sequence[str]) -> None:
        """`title`: the paper's (plain text); `tags`: its tags; `in_use`: every tag, the
        most used first (what completes)."""
        super().__init__()
        self.paper_title = title
        self.tags = tags
        self.in_use = in_use

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Tags: {self.paper_title}"), id="tags-title")
            yield Static(
                "comma-separated · → completes a tag in use · Enter saves · Escape cancels",
                id="tags-help",
            )
            yield Input(
                ", ".join(self.tags),
                placeholder="rl, agents",
                suggester=TagSuggester(self.in_use),
                id="tags",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)
