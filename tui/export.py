"""Markdown export of papers, grouped by the list they appeared in."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from parsing.model import Paper

NO_LIST = "Other papers"


def _read_umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


UMASK = _read_umask()  # read once at import: os.umask briefly changes it for every thread


def metadata_line(paper: Paper) -> str:
    """Authors, published date, upvotes and lists as one short line ('' when nothing is known)."""
    parts: list[str] = []
    count = paper.author_count
    if paper.author_names:
        names = ", ".join(paper.author_names[:3])
        more = len(paper.author_names) - 3
        parts.append(names + (f" +{more} more" if more > 0 else ""))
    elif count is not None:
        parts.append(f"{count} author{'s' if count != 1 else ''}")
    if paper.published:
        parts.append(f"published {paper.published}")
    if paper.upvotes is not None:
        parts.append(f"{paper.upvotes} upvote{'s' if paper.upvotes != 1 else ''}")
    if paper.lists:
        parts.append("list " + ", ".join(paper.lists))
    return " · ".join(parts)


def paper_links(paper: Paper) -> list[tuple[str, str]]:
    """(label, url) pairs known for a paper, the Hugging Face page first."""
    links = [("Hugging Face", paper.url)]
    if paper.arxiv_url:
        links.append(("arXiv", paper.arxiv_url))
    if paper.pdf_url:
        links.append(("PDF", paper.pdf_url))
    if paper.github_repo:
        links.append(("GitHub", paper.github_repo))
    if paper.project_page:
        links.append(("Project page", paper.project_page))
    return links


def markdown_link(paper: Paper) -> str:
    """`[Title](url)`, with brackets in the title escaped."""
    title = paper.title.replace("[", r"\[").replace("]", r"\]")
    return f"[{title}]({paper.url})"


def render_markdown(papers: Iterable[Paper], heading: str) -> str:
    """A markdown document: a title line, then each list's papers under its label."""
    groups: dict[str, list[Paper]] = {}
    for paper in papers:
        groups.setdefault(paper.lists[0] if paper.lists else NO_LIST, []).append(paper)
    lines = [f"# {heading}", ""]
    if not groups:
        lines += ["No papers.", ""]
    for label, members in groups.items():
        lines += [f"## {label}", ""]
        for paper in members:
            lines += [f"### {markdown_link(paper)}", ""]
            if meta := metadata_line(paper):
                lines += [f"*{meta}*", ""]
            extra = [f"[{label}]({url})" for label, url in paper_links(paper)[1:]]
            if extra:
                lines += [" · ".join(extra), ""]
            if paper.abstract:
                lines += [paper.abstract, ""]
    return "\n".join(lines)


def export_filename(kind: str, today: date) -> str:
    return f"papers-{kind}-{today.isoformat()}.md"


def write_text_atomic(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o666 & ~UMASK)  # mkstemp makes it private; a note is not
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
