"""What a markdown export must parse to: read back with markdown-it-py, an export holds only
the blocks, headings and links we wrote, whatever the papers' text.

The parser is CommonMark with tables, and it accepts every link destination (markdown-it's
own check refuses `javascript:` and the like; other renderers may not), so that any link
the text could make is seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from markdown_it import MarkdownIt

from parsing.links import safe_link
from parsing.model import Paper
from tui.core.export import NO_LIST, metadata_line, paper_facts, paper_links
from tui.core.exports.items import ExportItem, note_lines

MARKDOWN = MarkdownIt("commonmark").enable("table")
MARKDOWN.validateLink = lambda url: True  # type: ignore[method-assign]

BLOCK_TOKENS = {"heading_open", "heading_close", "paragraph_open", "paragraph_close", "inline"}
INLINE_TOKENS = {
    "text",
    "link_open",
    "link_close",
    "em_open",
    "em_close",
    "strong_open",
    "strong_close",
}


class Document(NamedTuple):
    """An export as parsed: each block as (tag, its text without markup), and every link."""

    blocks: list[tuple[str, str]]
    hrefs: list[str]


def parse(markdown: str) -> Document:
    """The blocks and links of `markdown`; fails on any other kind of token (html, code,
    lists, quotes, rules, tables, images, line breaks)."""
    blocks: list[tuple[str, str]] = []
    hrefs: list[str] = []
    tag = ""
    for token in MARKDOWN.parse(markdown):
        assert token.type in BLOCK_TOKENS, (token.type, token.content or token.markup)
        if token.type.endswith("_open"):
            tag = token.tag
        if token.type != "inline":
            continue
        children = token.children or []
        assert {child.type for child in children} <= INLINE_TOKENS, token.content
        blocks.append((tag, "".join(child.content for child in children if child.type == "text")))
        hrefs += [str(child.attrGet("href")) for child in children if child.type == "link_open"]
    return Document(blocks, hrefs)


def our_links(paper: Paper) -> list[str]:
    """The links an export may hold for a paper, as markdown-it normalises them: its
    Hugging Face, arXiv and PDF pages, its GitHub and project pages when they are safe."""
    urls = [paper.url, paper.arxiv_url, paper.pdf_url]
    urls += [safe_link(paper.github_repo), safe_link(paper.project_page)]
    return [MARKDOWN.normalizeLink(url) for url in urls if url]


def links_line(paper: Paper) -> str:
    """The text of a paper's line of links: a safe link shows its label, another its text."""
    shown = (
        (link.label if link.url else f"{link.label}: {link.text}", link.note)
        for link in paper_links(paper)[1:]
    )
    return " · ".join(f"{text} {note}" if note else text for text, note in shown)


def expected_document(items: Iterable[ExportItem], heading: str) -> Document:
    """The export of `items` under `heading`, as `parse` must read it back."""
    groups: dict[str, list[ExportItem]] = {}
    for item in items:
        lists = item.paper.lists
        groups.setdefault(lists[0] if lists else NO_LIST, []).append(item)
    blocks = [("h1", heading)]
    hrefs: list[str] = []
    if not groups:
        blocks.append(("p", "No papers."))
    for label, members in groups.items():
        blocks.append(("h2", label))
        for item in members:
            blocks += expected_paper_blocks(item, "h3")
            hrefs += our_links(item.paper)
    return Document(blocks, hrefs)


def expected_paper_blocks(item: ExportItem, heading: str) -> list[tuple[str, str]]:
    """One paper's blocks, its title a heading of tag `heading` (`h1`, `h3`)."""
    paper = item.paper
    blocks = [(heading, paper.title)]
    if meta := metadata_line(paper, all_authors=True):
        blocks.append(("p", meta))
    if paper.ai_summary:
        blocks.append(("p", f"TL;DR: {paper.ai_summary}"))
    if facts := paper_facts(paper):
        blocks.append(("p", " · ".join(f"{label}: {value}" for label, value in facts)))
    if line := links_line(paper):
        blocks.append(("p", line))
    if paper.abstract:
        blocks.append(("p", paper.abstract))
    if item.tags:
        blocks.append(("p", f"Tags: {', '.join(item.tags)}"))
    lines = note_lines(item.note)
    blocks += [("p", f"Note: {line}" if number == 0 else line) for number, line in enumerate(lines)]
    return blocks
