"""The `O` screen: every link of a paper, to pick the one to open in the browser."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.export import Link

NOT_SAFE = "not a safe link: shown, never opened"


class LinksScreen(ModalScreen[str | None]):
    """Numbered links; Enter or a link's number dismisses with its URL, Escape with None.
    A link that is not safe (`Link.url` None) is listed as plain text and cannot be chosen."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", priority=True),
        *(Binding(str(number), f"choose({number})", show=False) for number in range(1, 10)),
    ]

    DEFAULT_CSS = """
    LinksScreen { align: center middle; }
    LinksScreen > Vertical {
        width: 90%; max-width: 110; height: auto;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    LinksScreen OptionList { height: auto; max-height: 20; }
    """

    def __init__(self, links: list[Link]) -> None:
        super().__init__()
        self.links = links

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                "[b]Links[/b]  (Enter or a number opens one in the browser; Escape closes)"
            )
            yield OptionList(
                *(
                    Option(self._row(number, link), disabled=link.url is None)
                    for number, link in enumerate(self.links, 1)
                )
            )

    @staticmethod
    def _row(number: int, link: Link) -> Text:
        """The link as plain text: its label, its text and, for an unsafe one, why not."""
        row = Text(f"{number}  {link.label}: {link.text}")
        if link.url is None:
            row.append(f"  ({NOT_SAFE})", style="italic")
        return row

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_choose(event.option_index + 1)

    def action_choose(self, number: int) -> None:
        """Open link `number` (from 1), if it exists and is safe."""
        if 1 <= number <= len(self.links) and (url := self.links[number - 1].url):
            self.dismiss(url)
