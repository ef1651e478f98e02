"""Each export format's renderer and file suffix, by the name `--format`, the config's
`export_format` and the `E` chooser use."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from tui.core.export import render_markdown
from tui.core.exports import FORMAT_NAMES
from tui.core.exports.bibtex import render_bibtex
from tui.core.exports.items import ExportItem
from tui.core.exports.tables import render_csv, render_json


class ExportFormat(NamedTuple):
    label: str  # what the chooser shows
    suffix: str  # the file's
    render: Callable[[list[ExportItem], str], str]  # (items, heading) -> the file's text


FORMATS: dict[str, ExportFormat] = {
    "md": ExportFormat("Markdown", "md", render_markdown),
    "bibtex": ExportFormat("BibTeX", "bib", lambda items, heading: render_bibtex(items)),
    "json": ExportFormat("JSON", "json", lambda items, heading: render_json(items)),
    "csv": ExportFormat("CSV", "csv", lambda items, heading: render_csv(items)),
}
assert tuple(FORMATS) == FORMAT_NAMES
