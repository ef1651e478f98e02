"""Papers to plain dicts and back: the shape of `list --format jsonl` and state snapshots."""

from __future__ import annotations

from datetime import date
from typing import Any

from parsing.clean import clean_text
from parsing.model import Paper


def paper_to_record(paper: Paper) -> dict[str, Any]:
    """A JSON-ready dict of every field, `None` where unknown."""
    return {
        "key": paper.key,
        "title": paper.title,
        "abstract": paper.abstract,
        "authors": paper.author_count,
        "author_names": list(paper.author_names),
        "published": paper.published,
        "published_date": paper.published_date.isoformat() if paper.published_date else None,
        "upvotes": paper.upvotes,
        "lists": list(paper.lists),
        "arxiv_id": paper.arxiv_id,
        "url": paper.url,
        "arxiv_url": paper.arxiv_url,
        "github_repo": paper.github_repo,
        "project_page": paper.project_page,
    }


def paper_from_record(record: dict[str, Any]) -> Paper:
    """Rebuild a paper from `paper_to_record` output (derived fields are ignored).

    Raises ValueError or TypeError when a field has the wrong type.
    """
    title = record["title"]
    if not isinstance(title, str) or not clean_text(title):
        raise ValueError("a paper needs a non-empty title")
    published_date = record.get("published_date")
    return Paper(
        title=title,
        abstract=_optional(record, "abstract", str) or "",
        authors=_optional(record, "authors", int),
        author_names=tuple(_string_list(record, "author_names")),
        published=_optional(record, "published", str),
        published_date=date.fromisoformat(published_date) if published_date else None,
        upvotes=_optional(record, "upvotes", int),
        lists=tuple(_string_list(record, "lists")),
        arxiv_id=_optional(record, "arxiv_id", str),
        github_repo=_optional(record, "github_repo", str),
        project_page=_optional(record, "project_page", str),
    )


def _optional(record: dict[str, Any], name: str, kind: type) -> Any:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError(f"{name} should be {kind.__name__}, not {type(value).__name__}")
    return value


def _string_list(record: dict[str, Any], name: str) -> list[str]:
    values = record.get(name) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise TypeError(f"{name} should be a list of strings")
    return values
