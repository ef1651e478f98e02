"""The `E` screen: the export formats, to pick the one the starred papers are written in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.exports.formats import FORMATS


class ExportFormatScreen(ModalScreen[str | None]):
    """Numbered formats; Enter or a format's number dismisses with its name (`md`,
    `bibtex`, …), Escape with None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", priority=True),
        *(Binding(str(number), f"choose({number})", show=False) for number in range(1, 10)),
    ]

    DEFAULT_CSS = """
    ExportFormatScreen { align: center middle; }
    ExportFormatScreen > Vertical {
        width: 72; height: auto;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ExportFormatScreen OptionList { height: auto; }
    """

    def __init__(self, initial: str) -> None:
        """`initial`: the format highlighted first (the config's `export_format`)."""
        super().__init__()
        self.names = list(FORMATS)
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Export the starred papers as[/b]  (Enter or a number; Escape closes)")
            options = OptionList(
                *(
                    Option(f"{number}  {FORMATS[name].label} (.{FORMATS[name].suffix})", id=name)
                    for number, name in enumerate(self.names, 1)
                )
            )
            options.highlighted = self.names.index(self.initial)
            yield options

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_choose(event.option_index + 1)

    def action_choose(self, number: int) -> None:
        """Export as format `number` (from 1), if it exists."""
        if 1 <= number <= len(self.names):
            self.dismiss(self.names[number - 1])
