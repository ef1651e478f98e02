"""`papers-tui list` carries the API's extras to jsonl and to the markdown export."""

from __future__ import annotations

import json
from pathlib import Path

from api_shapes import MANY_AUTHORS, all_shapes
from test_cli import cli, records

EXTRA_KEYS = (
    "ai_summary",
    "ai_keywords",
    "organization",
    "comments",
    "github_stars",
    "submitted_by",
    "submitted_on",
)


def day_file(tmp_path: Path) -> Path:
    path = tmp_path / "2025-09-05.json"
    path.write_text(json.dumps(all_shapes()), "utf-8")
    return path


def test_jsonl_has_the_extras_and_absent_ones_stay_absent(tmp_path):
    result = cli("list", day_file(tmp_path), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    full, bare, starless, _, old = records(result.stdout)
    assert [full[key] for key in EXTRA_KEYS] == [
        "Sparse experts route tokens cheaply.",
        ["mixture of experts", "routing"],
        "Alpha Lab",
        3,
        1234,
        "Cora Curator",
        "2025-09-05",
    ]
    assert len(full["author_names"]) == MANY_AUTHORS
    assert "Ghost Writer" not in full["author_names"]
    assert [bare[key] for key in EXTRA_KEYS] == [None, [], None, 0, None, "Dan Daily", "2025-09-05"]
    assert (starless["github_stars"], starless["organization"]) == (None, "Beta Institute")
    assert old["title"] == "Older Papers Had Broken Titles"
    assert (old["ai_summary"], old["organization"], old["submitted_on"]) == (None, None, None)


def test_markdown_has_the_tldr_organization_stars_and_every_author(tmp_path):
    result = cli("list", day_file(tmp_path), "--format", "md")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "**TL;DR:** Sparse experts route tokens cheaply." in text
    assert "Organization: Alpha Lab" in text and "Organization: Beta Institute" in text
    assert "[GitHub](<https://github.com/alpha/routing>) ★ 1,234" in text
    assert "[GitHub](<https://github.com/beta/starless>)\n" in text  # no stars: none shown
    assert f"Writer {MANY_AUTHORS - 1:02d}" in text and "more" not in text
    assert "Ghost Writer" not in text and "Hidden Hand" not in text
