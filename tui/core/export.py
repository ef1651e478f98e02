"""Markdown export of papers, grouped by the list they appeared in.

A paper's text is data, never markdown: it is escaped (`escape_markdown`) so that it reads
back as the same text, in the block we put it in, whatever it holds. Links are ours (the
paper's Hugging Face, arXiv and PDF pages) or the data's GitHub and project pages when
`safe_link` accepts them; any other link is written as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import NamedTuple

from parsing.links import safe_link
from parsing.model import Paper
from tui.core.atomic import USUAL_MODE, atomic_file
from tui.core.exports.items import ExportItem, note_lines

NO_LIST = "Other papers"


def metadata_line(paper: Paper, *, all_authors: bool = False) -> str:
    """Authors (the first three, or all of them), published date, upvotes and lists as one
    line ('' when nothing is known)."""
    parts: list[str] = []
    count = paper.author_count
    if paper.author_names:
        shown = paper.author_names if all_authors else paper.author_names[:3]
        more = len(paper.author_names) - len(shown)
        parts.append(", ".join(shown) + (f" +{more} more" if more > 0 else ""))
    elif count is not None:
        parts.append(f"{count} author{'s' if count != 1 else ''}")
    if paper.published:
        parts.append(f"published {paper.published}")
    if paper.upvotes is not None:
        parts.append(f"{paper.upvotes} upvote{'s' if paper.upvotes != 1 else ''}")
    if paper.lists:
        parts.append("list " + ", ".join(paper.lists))
    return " · ".join(parts)


def paper_facts(paper: Paper) -> list[tuple[str, str]]:
    """The API's extras but the TL;DR, as (label, value) pairs, those known only."""
    facts: list[tuple[str, str]] = []
    if paper.organization:
        facts.append(("Organization", paper.organization))
    if paper.comments is not None:
        facts.append(("Comments", str(paper.comments)))
    if paper.submitted_by or paper.submitted_on:
        by = f"by {paper.submitted_by}" if paper.submitted_by else ""
        on = f"on {paper.submitted_on}" if paper.submitted_on else ""
        facts.append(("Submitted", f"{by} {on}".strip()))
    if paper.ai_keywords:
        facts.append(("Keywords", ", ".join(paper.ai_keywords)))
    return facts


class Link(NamedTuple):
    """One link of a paper: `text` is what to show; `url` is what may be opened, copied or
    written as a link, None when the data's link is not safe (show `text` as plain text);
    `note` says more (a repository's stars)."""

    label: str
    text: str
    url: str | None
    note: str = ""


def paper_links(paper: Paper) -> list[Link]:
    """The links known for a paper, the Hugging Face page first."""
    ours = [("Hugging Face", paper.url), ("arXiv", paper.arxiv_url), ("PDF", paper.pdf_url)]
    links = [Link(label, url, url) for label, url in ours if url]
    stars = paper.github_stars
    given_links = (
        ("GitHub", paper.github_repo, "" if stars is None else f"★ {stars:,}"),
        ("Project page", paper.project_page, ""),
    )
    for label, given, note in given_links:
        if given:
            url = safe_link(given)
            links.append(Link(label, url or given, url, note))
    return links


# Characters that start inline syntax anywhere in a line (code, emphasis, links, images,
# autolinks and HTML, entities, escapes, table cells, strikethrough) or a block (heading,
# quote, fence): each gets a backslash, which CommonMark allows before any ASCII
# punctuation.
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]<>#|!&~]")
# What else starts a block at the head of a line: a list item or setext underline (`-`,
# `+`, `=`: a backslash goes before it) and an ordered list item (digits, then `.` or
# `)`: a backslash goes after the digits).
_BLOCK_START = re.compile(r"[0-9]+(?=[.)])|(?=[-+=])")
# What ends or changes a link destination in `<...>` (escapes, entities, the brackets);
# a safe URL is percent-encoded already, so this seldom has anything to do.
_DESTINATION_SYNTAX = re.compile(r"[\\<>&]")


def _backslashed(syntax: re.Pattern[str], text: str) -> str:
    """`text` with a backslash before each match of `syntax` (a search first: most text
    has none, and a search is several times faster than a substitution that finds none)."""
    return syntax.sub(r"\\\g<0>", text) if syntax.search(text) else text


def escape_markdown(text: str) -> str:
    """`text`, a clean field (one line, no leading space), as markdown that reads back as
    that text in one paragraph, heading or link text: never a block, link, code or HTML.

    Letters, digits, `.`, `-` and the like stay as they are where they mean nothing."""
    text = _backslashed(_INLINE_SYNTAX, text)
    if start := _BLOCK_START.match(text):
        return f"{text[: start.end()]}\\{text[start.end() :]}"
    return text


def _link(text: str, url: str) -> str:
    """`[text](<url>)`, the text escaped; `url` must be safe (ours or `safe_link`'s)."""
    return f"[{escape_markdown(text)}](<{_backslashed(_DESTINATION_SYNTAX, url)}>)"


def _link_or_text(link: Link) -> str:
    """A link labelled with its name, or its label and text when it may not be a link;
    its note after it."""
    shown = (
        _link(link.label, link.url) if link.url else escape_markdown(f"{link.label}: {link.text}")
    )
    return f"{shown} {escape_markdown(link.note)}" if link.note else shown


def markdown_link(paper: Paper) -> str:
    """`[Title](<url>)`, the title escaped (what `y` copies)."""
    return _link(paper.title, paper.url)


def render_markdown(items: Iterable[ExportItem], heading: str) -> str:
    """A markdown document: a title line, then each list's papers under its label."""
    groups: dict[str, list[ExportItem]] = {}
    for item in items:
        lists = item.paper.lists
        groups.setdefault(lists[0] if lists else NO_LIST, []).append(item)
    lines = [f"# {escape_markdown(heading)}", ""]
    if not groups:
        lines += ["No papers.", ""]
    for label, members in groups.items():
        lines += [f"## {escape_markdown(label)}", ""]
        for item in members:
            lines += paper_markdown(item, "###")
    return "\n".join(lines)


def paper_markdown(item: ExportItem, heading: str) -> list[str]:
    """One paper's lines, its title a heading of level `heading` (`#`, `###`): the facts,
    links and abstract, then the user's tags and note; each block ends with a blank line."""
    paper = item.paper
    lines = [f"{heading} {markdown_link(paper)}", ""]
    if meta := metadata_line(paper, all_authors=True):
        lines += [f"*{escape_markdown(meta)}*", ""]
    if paper.ai_summary:
        lines += [f"**TL;DR:** {escape_markdown(paper.ai_summary)}", ""]
    if facts := paper_facts(paper):
        lines += [" · ".join(escape_markdown(f"{k}: {v}") for k, v in facts), ""]
    if extra := paper_links(paper)[1:]:
        lines += [" · ".join(map(_link_or_text, extra)), ""]
    if paper.abstract:
        lines += [escape_markdown(paper.abstract), ""]
    if item.tags:
        lines += [f"**Tags:** {escape_markdown(', '.join(item.tags))}", ""]
    for number, line in enumerate(note_lines(item.note)):
        lines += [f"{'' if number else '**Note:** '}{escape_markdown(line)}", ""]
    return lines


def export_filename(kind: str, today: date, suffix: str = "md") -> str:
    return f"papers-{kind}-{today.isoformat()}.{suffix}"


def write_export(path: Path, text: str) -> None:
    """Write a whole file or nothing (the folder is made if needed), with the permissions a
    new file usually gets: a note is not private."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path, mode=USUAL_MODE) as file:
        file.write(text.encode("utf-8"))
