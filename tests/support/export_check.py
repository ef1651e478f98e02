"""Reading exports back as their readers would: BibTeX with bibtexparser (LaTeX text turned
back into text by a decoder of the few commands the export writes), YAML front matter with
PyYAML, CSV with the csv module."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import bibtexparser
import yaml

# The LaTeX the BibTeX export writes for a character, and the character.
LATEX_TEXT = {
    r"\textbackslash{}": "\\",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textasciicircum{}": "^",
    r"\textasciitilde{}": "~",
    **{f"\\{special}": special for special in "$&%#_"},
}
_LATEX_COMMAND = re.compile("|".join(map(re.escape, LATEX_TEXT)))


def latex_to_text(value: str) -> str:
    """A field's text: the export's commands decoded, its protecting braces dropped (after
    decoding, every brace left is one the export added)."""
    parts = _LATEX_COMMAND.split(value)
    commands = _LATEX_COMMAND.findall(value)
    text = parts[0].replace("{", "").replace("}", "")
    for command, part in zip(commands, parts[1:], strict=True):
        text += LATEX_TEXT[command] + part.replace("{", "").replace("}", "")
    return text


def bibtex_entries(text: str) -> list[tuple[str, dict[str, str]]]:
    """Each entry's key and raw fields; fails if the parser found any block it could not read,
    any duplicate key, or anything but `@misc` entries."""
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert [block.__class__.__name__ for block in library.blocks] == ["Entry"] * len(
        library.entries
    )
    assert {entry.entry_type for entry in library.entries} <= {"misc"}
    return [
        (entry.key, {name: field.value for name, field in entry.fields_dict.items()})
        for entry in library.entries
    ]


def bibtex_names(value: str) -> list[str]:
    """The author field as names in the export's `Last, First` form, decoded."""
    return [latex_to_text(name) for name in re.split(r" and (?![^{]*\})", value)]


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """A split file's YAML front matter, parsed, and the markdown after it."""
    assert text.startswith("---\n")
    head, separator, body = text[4:].partition("\n---\n")
    assert separator
    return yaml.safe_load(head), body


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))
