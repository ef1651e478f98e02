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
        "ai_summary": paper.ai_summary,
        "ai_keywords": list(paper.ai_keywords),
        "organization": paper.organization,
        "comments": paper.comments,
        "github_stars": paper.github_stars,
        "submitted_by": paper.submitted_by,
        "submitted_on": paper.submitted_on,
    }


def paper_from_record(record: dict[str, Any]) -> Paper:
    """Rebuild a paper from `paper_to_record` output (derived fields are ignored).

    A field a record lacks (older records have none of the API's extras) is unknown.
    Raises ValueError or TypeError when a field has the wrong type.
    """
    title = record["title"]
    if not isinstance(title, str) or not clean_text(title):
        raise ValueError("a paper needs a non-empty title")
    published_date = record.get("published_date")
    submitted_on = _optional(record, "submitted_on", str)
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
        ai_summary=_optional(record, "ai_summary", str),
        ai_keywords=tuple(_string_list(record, "ai_keywords")),
        organization=_optional(record, "organization", str),
        comments=_optional(record, "comments", int),
        github_stars=_optional(record, "github_stars", int),
        submitted_by=_optional(record, "submitted_by", str),
        submitted_on=date.fromisoformat(submitted_on).isoformat() if submitted_on else None,
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
