"""`papers-tui export --format bibtex|json|csv` and `--split DIR`, from a state file with
three starred papers, through the installed script."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
from export_check import bibtex_entries, csv_rows, front_matter
from test_cli import cli, stderr_lines

from parsing.synthetic import generate
from tui.core.state.triage_state import TriageState

IDS = ("2509.00001", "2509.00002", "2509.00003")
NOTE = "Why it matters:\nthe baseline we cite."
TAGS = ("rl", "agents")
PAPERS = [
    dataclasses.replace(paper, arxiv_id=arxiv_id, published_date=date(2025, 9, 8))
    for paper, arxiv_id in zip(generate(4, seed=7), (*IDS, "2509.00004"), strict=True)
]


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    """Three starred papers, the first also read, the second with a note and tags; a fourth
    only read."""
    state = TriageState.load(tmp_path / "state.toml")
    for paper in PAPERS[:3]:
        state.set_starred(paper, True)
    state.set_read(PAPERS[0], True)
    state.set_read(PAPERS[3], True)
    state.set_note(PAPERS[1], NOTE)
    state.set_tags(PAPERS[1], TAGS)
    assert state.close().ok
    return state.path


def test_bibtex_has_an_entry_per_starred_paper_with_its_eprint(state_path: Path):
    result = cli("export", "--format", "bibtex", "--state", state_path)
    assert result.returncode == 0, result.stderr
    entries = bibtex_entries(result.stdout)
    assert [fields["eprint"] for _, fields in entries] == list(IDS)
    assert all(fields["archivePrefix"] == "arXiv" for _, fields in entries)
    assert "the baseline we cite" in entries[1][1]["note"]
    assert "agents" in entries[1][1]["keywords"]


def test_json_and_csv_carry_the_marks(state_path: Path, tmp_path: Path):
    result = cli("export", "--format", "json", "--state", state_path)
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert [(r["arxiv_id"], r["read"], r["starred"]) for r in records] == [
        (IDS[0], True, True),
        (IDS[1], False, True),
        (IDS[2], False, True),
    ]
    assert (records[1]["note"], records[1]["tags"]) == (NOTE, list(TAGS))
    target = tmp_path / "out" / "starred.csv"
    written = cli("export", "--format", "csv", "--state", state_path, "-o", target)
    assert written.returncode == 0, written.stderr
    assert str(target) in written.stderr
    rows = csv_rows(target.read_text(encoding="utf-8"))
    assert [row["title"] for row in rows] == [paper.title for paper in PAPERS[:3]]
    assert "the baseline we cite" in rows[1]["note"] and "agents" in rows[1]["tags"]


def test_split_writes_one_file_per_paper(state_path: Path, tmp_path: Path):
    folder = tmp_path / "notes"
    result = cli("export", "--split", folder, "--state", state_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert stderr_lines(result) == [f"papers-tui: wrote 3 papers to {folder}"]
    heads = [front_matter(path.read_text("utf-8"))[0] for path in sorted(folder.iterdir())]
    assert sorted(head["arxiv"] for head in heads) == list(IDS)
    assert [head["tags"] for head in heads if head["arxiv"] == IDS[1]] == [list(TAGS)]


def test_split_is_markdown_only(state_path: Path, tmp_path: Path):
    result = cli("export", "--split", tmp_path / "x", "--format", "csv", "--state", state_path)
    assert result.returncode == 1
    assert len(stderr_lines(result)) == 1 and "--split" in result.stderr
    assert not (tmp_path / "x").exists()
