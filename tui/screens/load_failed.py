"""Shown when the day's list could not be fetched and nothing is cached."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class LoadFailedScreen(ModalScreen[bool]):
    """Dismisses with True to open the built-in sample, False to quit."""

    BINDINGS = [
        Binding("o", "choose(True)", "Open the sample", priority=True),
        Binding("q,escape", "choose(False)", "Quit", priority=True),
    ]

    DEFAULT_CSS = """
    LoadFailedScreen { align: center middle; }
    LoadFailedScreen > Vertical {
        width: 70; height: auto; border: thick $error; background: $surface; padding: 1 2;
    }
    LoadFailedScreen Horizontal { height: auto; margin-top: 1; }
    LoadFailedScreen Button { margin-right: 2; }
    """

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Could not load the list[/b]")
            yield Static(self.problem, markup=False)
            with Horizontal():
                yield Button("Open the sample (o)", id="sample", variant="primary")
                yield Button("Quit (q)", id="quit")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "sample")

    def action_choose(self, open_sample: bool) -> None:
        self.dismiss(open_sample)
