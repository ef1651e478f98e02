"""Daily-papers items in the API's real shapes, written for these tests: the 2025 shape
with its optional extras present or absent, and the older 2024 shape.

Optional keys are absent, never null, as the API sends them.
"""

from __future__ import annotations

from typing import Any

ORG_A = {"_id": "0" * 24, "name": "alpha-lab", "fullname": "Alpha Lab"}
ORG_B = {"_id": "1" * 24, "name": "beta-inst", "fullname": "Beta Institute"}
MANY_AUTHORS = 40  # more than any short line shows


def author(name: str, *, hidden: bool = False) -> dict[str, Any]:
    return {"_id": name.lower().replace(" ", "-"), "name": name, "hidden": hidden}


def full_item() -> dict[str, Any]:
    """Every extra: TL;DR, keywords, the organization on the item and the paper, a
    repository with stars, comments, the submitter; a hidden author and a long list."""
    authors = [author(f"Writer {n:02d}") for n in range(MANY_AUTHORS)]
    authors.insert(2, author("Ghost Writer", hidden=True))
    return {
        "paper": {
            "id": "2509.00001",
            "authors": authors,
            "publishedAt": "2025-09-04T10:00:00.000Z",
            "submittedOnDailyAt": "2025-09-05T08:02:51.000Z",
            "submittedOnDailyBy": {"_id": "u1", "fullname": "Cora Curator", "name": "cora"},
            "title": "Routing Tokens Through Sparse Experts",
            "summary": "We route tokens to experts. The abstract goes on.",
            "upvotes": 42,
            "ai_summary": "Sparse experts route tokens cheaply.",
            "ai_keywords": ["mixture of experts", "routing"],
            "githubRepo": "https://github.com/alpha/routing",
            "githubStars": 1234,
            "organization": ORG_A,
        },
        "publishedAt": "2025-09-04T10:00:00.000Z",
        "title": "Routing Tokens Through Sparse Experts",
        "numComments": 3,
        "organization": ORG_A,
    }


def bare_item() -> dict[str, Any]:
    """The 2025 shape with none of the optional extras, and no comments yet (a real 0)."""
    return {
        "paper": {
            "id": "2509.00002",
            "authors": [author("Solo Author")],
            "publishedAt": "2025-09-04T10:00:00.000Z",
            "submittedOnDailyAt": "2025-09-05T09:00:00.000Z",
            "submittedOnDailyBy": {"_id": "u2", "fullname": "Dan Daily"},
            "title": "A Paper Without Extras",
            "summary": "Nothing optional here.",
            "upvotes": 1,
        },
        "publishedAt": "2025-09-04T10:00:00.000Z",
        "title": "A Paper Without Extras",
        "numComments": 0,
    }


def starless_item() -> dict[str, Any]:
    """A repository without stars; the organization on the paper only; the submitter's
    organization on the item too (the paper's own wins)."""
    return {
        "paper": {
            "id": "2509.00003",
            "authors": [author("Pat Paper"), author("Quinn Quiet", hidden=True)],
            "publishedAt": "2025-09-04T10:00:00.000Z",
            "submittedOnDailyAt": "2025-09-05T10:00:00.000Z",
            "title": "Starless Repositories Still Count",
            "summary": "A repository can come without stars.",
            "upvotes": 5,
            "githubRepo": "https://github.com/beta/starless",
            "organization": ORG_B,
        },
        "publishedAt": "2025-09-04T10:00:00.000Z",
        "title": "Starless Repositories Still Count",
        "numComments": 1,
        "submitterOrganization": ORG_A,
    }


def submitter_org_item() -> dict[str, Any]:
    """Some 2025 items carry `submitterOrganization` instead of `organization`."""
    return {
        "paper": {
            "id": "2509.00004",
            "authors": [author("Rene Reviewer")],
            "publishedAt": "2025-09-04T10:00:00.000Z",
            "submittedOnDailyAt": "2025-09-05T11:00:00.000Z",
            "title": "Submitted For An Organization",
            "summary": "Short.",
            "upvotes": 2,
        },
        "publishedAt": "2025-09-04T10:00:00.000Z",
        "title": "Submitted For An Organization",
        "numComments": 0,
        "submitterOrganization": ORG_B,
    }


def item_2024() -> dict[str, Any]:
    """The 2024 shape: no `ai_*`, `organization` or `submittedOnDaily*`; the title holds a
    line break followed by two spaces."""
    return {
        "paper": {
            "id": "2403.00005",
            "authors": [author("Old Timer"), author("Hidden Hand", hidden=True)],
            "publishedAt": "2024-03-14T17:59:59.000Z",
            "title": "Older Papers Had\n  Broken Titles",
            "summary": "From the\n  older shape.",
            "upvotes": 9,
        },
        "publishedAt": "2024-03-14T17:59:59.000Z",
        "title": "Older Papers Had\n  Broken Titles",
        "numComments": 2,
    }


def all_shapes() -> list[dict[str, Any]]:
    return [full_item(), bare_item(), starless_item(), submitter_org_item(), item_2024()]
