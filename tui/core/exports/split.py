"""`export --split DIR`: one markdown file per paper, with YAML front matter (for Obsidian,
Zotero's markdown notes, static site generators), named after the paper's title.

A title is data: the file name keeps none of what a file system refuses or reads as a path
(`/`, `..`, `CON`), and the front matter's strings are JSON-style double-quoted YAML with
every line break and unprintable character escaped, so a title cannot end its value."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tui.core.export import paper_markdown, write_export
from tui.core.exports.items import ExportItem

MAX_NAME_CHARACTERS = 100
MAX_NAME_BYTES = 200  # well below the 255 bytes most file systems allow a name
_NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f]+')
_SPACES = re.compile(r"\s+")
# Names Windows keeps for devices, whatever the extension.
RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"{port}{n}" for port in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)
# What a YAML double-quoted string may not hold as it is: line breaks YAML 1.1 knows beyond
# \n (which json.dumps escapes), the byte order mark and what YAML calls unprintable.
_YAML_UNSAFE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    "\U00010000-\U0010ffff]"
)


def safe_filename(title: str) -> str:
    """A file name (without `.md`) from `title`, safe on Linux, macOS and Windows."""
    name = _SPACES.sub(" ", _NOT_IN_NAMES.sub(" ", title)).strip(" .")
    name = name[:MAX_NAME_CHARACTERS]
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    name = name.rstrip(" .")
    if name.partition(".")[0].upper() in RESERVED_NAMES:
        name = f"_{name}"
    return name or "paper"


def unique_filenames(titles: list[str]) -> list[str]:
    """`safe_filename(title) + ".md"` of each; a name taken already (ignoring case, as
    macOS and Windows do) gets ` (2)`, ` (3)`, …"""
    taken: set[str] = set()
    names = []
    for title in titles:
        base = safe_filename(title)
        name, number = f"{base}.md", 1
        while name.casefold() in taken:
            number += 1
            name = f"{base} ({number}).md"
        taken.add(name.casefold())
        names.append(name)
    return names


def yaml_string(text: str) -> str:
    """`text` as a YAML double-quoted string that reads back as `text`."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda found: f"\\U{ord(found[0]):08x}", quoted)


def _yaml_list(texts: tuple[str, ...]) -> str:
    return "[" + ", ".join(map(yaml_string, texts)) + "]"


def front_matter(item: ExportItem) -> list[str]:
    """The `---` block: title, authors, arxiv, url, tags, date (arxiv and date if known)."""
    paper = item.paper
    lines = ["---", f"title: {yaml_string(paper.title)}"]
    lines.append(f"authors: {_yaml_list(paper.author_names)}")
    if paper.arxiv_id:
        lines.append(f"arxiv: {yaml_string(paper.arxiv_id)}")
    lines += [f"url: {yaml_string(paper.url)}", f"tags: {_yaml_list(item.tags)}"]
    if paper.published_date:
        lines.append(f"date: {yaml_string(paper.published_date.isoformat())}")
    return [*lines, "---", ""]


def paper_file(item: ExportItem) -> str:
    """The front matter, then the paper as the markdown export writes it, note included."""
    return "\n".join(front_matter(item) + paper_markdown(item, "#"))


def write_split(items: list[ExportItem], folder: Path) -> list[Path]:
    """One file per paper in `folder` (made if needed), each written whole or not at all;
    a file of the same name from an earlier export is replaced."""
    names = unique_filenames([item.paper.title for item in items])
    paths = [folder / name for name in names]
    for path, item in zip(paths, items, strict=True):
        write_export(path, paper_file(item))
    return paths
