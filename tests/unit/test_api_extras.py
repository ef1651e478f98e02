"""The API's extras (TL;DR, keywords, organization, comments, stars, submitter) carried
from the parser through records, state snapshots, the binary cache and merging."""

from __future__ import annotations

import dataclasses
import json

from api_shapes import MANY_AUTHORS, all_shapes, bare_item, full_item

from parsing.hf_json import parse_json_chunks
from parsing.model import Paper
from parsing.records import paper_from_record, paper_to_record
from tui.core.marks.codec import snapshot_record
from tui.core.state_cache import _snapshot_fields, _snapshot_paper
from tui.core.store import merge_papers


def parse(items: list) -> list[Paper]:
    return list(parse_json_chunks([json.dumps(items)]))


def test_every_extra_is_read_and_hidden_authors_stay_out() -> None:
    (paper,) = parse([full_item()])
    assert paper.ai_summary == "Sparse experts route tokens cheaply."
    assert paper.ai_keywords == ("mixture of experts", "routing")
    assert paper.organization == "Alpha Lab"
    assert (paper.comments, paper.github_stars) == (3, 1234)
    assert (paper.submitted_by, paper.submitted_on) == ("Cora Curator", "2025-09-05")
    assert paper.authors == MANY_AUTHORS and "Ghost Writer" not in paper.author_names


def test_absent_extras_stay_unknown_never_a_made_up_zero() -> None:
    _, bare, starless, submitter_org, old = parse(all_shapes())
    assert (bare.ai_summary, bare.ai_keywords, bare.organization) == (None, (), None)
    assert (bare.github_stars, bare.comments) == (None, 0)  # 0 comments is what the API says
    assert (starless.github_repo, starless.github_stars) == (
        "https://github.com/beta/starless",
        None,
    )
    assert starless.organization == "Beta Institute"  # the paper's own, not the submitter's
    assert submitter_org.organization == "Beta Institute"
    assert (old.ai_summary, old.organization, old.submitted_by, old.submitted_on) == (None,) * 4
    assert old.title == "Older Papers Had Broken Titles"
    assert old.abstract == "From the older shape."
    assert (old.authors, old.author_names, old.comments) == (1, ("Old Timer",), 2)


def test_records_carry_the_extras_and_older_records_still_load() -> None:
    for paper in parse(all_shapes()):
        assert paper_from_record(paper_to_record(paper)) == paper
        assert paper_from_record(snapshot_record(paper)) == paper
        assert _snapshot_paper(*_snapshot_fields(paper)) == paper
    record = paper_to_record(parse([bare_item()])[0])
    assert record["ai_keywords"] == [] and record["github_stars"] is None
    older = {"title": "An Old Record", "upvotes": 3, "lists": ["2024-03-14"]}
    paper = paper_from_record(older)
    assert (paper.ai_summary, paper.ai_keywords, paper.comments, paper.submitted_on) == (
        None,
        (),
        None,
        None,
    )


def test_a_paper_seen_again_brings_its_extras_and_counts_only_grow() -> None:
    (full,) = parse([full_item()])
    plain = Paper(full.title, lists=("Sep 5",), comments=0)
    merged = merge_papers(plain, full)
    assert (merged.ai_summary, merged.organization, merged.github_stars) == (
        full.ai_summary,
        full.organization,
        1234,
    )
    assert merged.comments == 3  # more than the 0 known before
    fewer = dataclasses.replace(full, comments=1, github_stars=None)
    assert merge_papers(full, fewer).comments == 3
    assert merge_papers(full, fewer).github_stars == 1234
    assert merge_papers(Paper(full.title), dataclasses.replace(full, comments=0)).comments == 0
