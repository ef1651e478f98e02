"""What went wrong or was skipped while reading an input: shared by every parser.

Kept apart from `parsing.sources` so the parsers can fill a report and raise
`InputError` without importing the module that imports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class InputError(Exception):
    """An input the user gave cannot be read; `str(e)` is one line: "<name>: <what is wrong>"."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))  # newlines in a file name stay on one line


@dataclass
class ParseReport:
    """Filled in while parsing; read by the caller afterwards."""

    name: str
    format: str | None = None  # "text", "json", "jsonl"
    papers: int = 0
    stray_lines: int = 0
    skipped_items: int = 0
    truncated: bool = False
    replaced_bytes: int = 0  # invalid UTF-8 sequences replaced with U+FFFD
    # one line each, naming itself: a part that could not be read (the others were)
    unreadable_parts: list[str] = field(default_factory=list)

    def warnings(self) -> list[str]:
        """One-line human messages about what was skipped or repaired."""
        messages = []
        if self.stray_lines:
            messages.append(f"{_count(self.stray_lines, 'stray line')} skipped")
        if self.skipped_items:
            messages.append(f"{_count(self.skipped_items, 'malformed item')} skipped")
        if self.truncated:
            messages.append("the last entry is incomplete (truncated copy?)")
        if self.replaced_bytes:
            count = _count(self.replaced_bytes, "invalid UTF-8 sequence")
            messages.append(f"{count} replaced with U+FFFD")
        return [f"{self.name}: {message}" for message in messages] + self.unreadable_parts


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
