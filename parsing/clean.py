"""The one boundary for outside text: what may reach the terminal, a note or stderr.

Every word shown comes from someone else (the Hugging Face API, a saved page, a state file
edited by hand, a server's reason phrase, a file name). A terminal obeys what it is sent:
ESC and C1 controls start sequences that write the clipboard (OSC 52), make links (OSC 8)
or clear the screen (CSI); bidi overrides reorder what is shown; zero-width and other
format characters make a row's width differ between Textual's count and the terminal's.

The rule is Python's own definition of printable (`str.isprintable`): a character of a
"Other" or "Separator" category, but the ASCII space, does not stay. Whitespace among them
(tab, line breaks, no-break and other spaces) becomes a single space; the rest (C0 and C1
controls, DEL, format characters such as U+200B-U+200F, U+202A-U+202E and U+2066-U+2069,
lone surrogates, private-use and unassigned code points) is removed. So are the emoji
variation selectors (U+FE0E, U+FE0F): printable, but Rich counts "❤️" two cells wide and
terminals draw it in one, which shifts the rest of a row.
"""

from __future__ import annotations

import codecs

_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
_PRINTABLE_ASCII_AND_LINE_ENDS = _PRINTABLE_ASCII + b"\n\r"
_SHORT = 64  # characters: below this, `isprintable` beats encoding and translating
_VARIATION_SELECTORS = {0xFE0E: None, 0xFE0F: None}


def is_clean(text: str, *, lines: bool = False) -> bool:
    """True when `clean_text` would at most strip the ends of `text` (of each of its lines
    with `lines`, which lets the line ends "\\n" and "\\r" pass).

    A check in C over the UTF-8 bytes: printable ASCII, nearly all of a list, is dropped in
    one pass, and only what is left (the non-ASCII characters) is asked `isprintable`,
    which is slow per character. A short ASCII line (a name, a title) is asked at once:
    then that is the quicker way.
    """
    if len(text) <= _SHORT and not lines and text.isascii():
        return text.isprintable()
    keep = _PRINTABLE_ASCII_AND_LINE_ENDS if lines else _PRINTABLE_ASCII
    rest = text.encode("utf-8", "surrogatepass").translate(None, keep)
    return not rest or _printable(rest.decode("utf-8", "surrogatepass"))


class LinesCheck:
    """`is_clean(text, lines=True)` of text that arrives as UTF-8 chunks, worked out on the
    bytes of each chunk, so the text need not be encoded again (which cost more than the
    check). What is left after printable ASCII is dropped is decoded incrementally: a
    character cut between two chunks counts with the second, as in the decoded text."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def __call__(self, data: bytes) -> bool:
        rest = data.translate(None, _PRINTABLE_ASCII_AND_LINE_ENDS)
        return not rest or _printable(self._decoder.decode(rest))


def _printable(text: str) -> bool:
    return text.isprintable() and "\ufe0f" not in text and "\ufe0e" not in text


def clean_text(text: str) -> str:
    """One line of text safe to show: see the module docstring; runs of whitespace become
    one space only where something had to be cleaned, and the ends are stripped."""
    if is_clean(text):
        return text.strip()
    text = " ".join(text.translate(_VARIATION_SELECTORS).split())
    if not text.isprintable():
        text = " ".join("".join(filter(str.isprintable, text)).split())
    return text


def clean_texts(texts: tuple[str, ...]) -> tuple[str, ...]:
    """`clean_text` of each, leaving out those that end up empty."""
    return tuple(filter(None, map(clean_text, texts)))
