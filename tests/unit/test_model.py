"""The paper record: a frozen slotted dataclass built without the dataclass `__init__`."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import re
import unicodedata
from datetime import date

import pytest

from parsing.model import Paper, new_paper, paper_key, paper_keys

FIELDS = {
    "title": "Mamba: Linear-Time Sequence Modeling",
    "abstract": "An abstract.",
    "authors": 2,
    "author_names": ("A. One", "B. Two"),
    "published": "Sep 5, 2024",
    "published_date": date(2024, 9, 5),
    "upvotes": 7,
    "lists": ("Mar 14",),
    "arxiv_id": "2312.00752",
    "github_repo": "https://github.com/example/mamba",
    "project_page": "https://example.github.io",
    "ai_summary": "A linear-time sequence model.",
    "ai_keywords": ("state space", "selective scan"),
    "organization": "Example Lab",
    "comments": 0,
    "github_stars": 12,
    "submitted_by": "A. Curator",
    "submitted_on": "2024-09-06",
}


def test_keyword_construction_fills_defaults_and_derives_the_key() -> None:
    paper = Paper(title="Only A Title")
    assert (paper.abstract, paper.authors, paper.author_names, paper.lists) == ("", None, (), ())
    assert (paper.published, paper.published_date, paper.upvotes, paper.arxiv_id) == (None,) * 4
    assert paper.key == "only a title"
    with pytest.raises(TypeError):
        Paper()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Paper("A Title", colour="red")  # type: ignore[call-arg]


def test_new_paper_builds_the_same_paper_as_the_constructor() -> None:
    paper = new_paper(*FIELDS.values(), paper_key(FIELDS["title"]))
    assert type(paper) is Paper
    assert paper == Paper(**FIELDS)
    assert dataclasses.asdict(paper) == {**FIELDS, "key": "mamba linear time sequence modeling"}


def test_a_paper_is_immutable_hashable_and_compares_by_its_fields() -> None:
    paper = Paper(**FIELDS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        paper.title = "Another"  # type: ignore[misc]
    assert paper == Paper(**FIELDS) and hash(paper) == hash(Paper(**FIELDS))
    assert paper != Paper(**{**FIELDS, "upvotes": 8})
    assert not hasattr(paper, "__dict__")  # slots only: no per-paper dict


def test_replace_copy_and_pickle_give_proper_papers() -> None:
    paper = Paper(**FIELDS)
    renamed = dataclasses.replace(paper, title="Another Title!")
    assert (renamed.key, renamed.abstract) == ("another title", paper.abstract)
    with pytest.raises(ValueError):
        dataclasses.replace(paper, key="forged")
    for twin in (copy.copy(paper), copy.deepcopy(paper), pickle.loads(pickle.dumps(paper))):
        assert type(twin) is Paper
        assert twin == paper and twin.key == paper.key
    assert [field.name for field in dataclasses.fields(Paper)] == [*FIELDS, "key"]


def test_ascii_fast_path_of_the_key_matches_the_general_one_for_every_character() -> None:
    for code in range(128):
        title = f"Ab{chr(code)}c {chr(code)}D"
        folded = unicodedata.normalize("NFKC", title).casefold()
        assert paper_key(title) == re.sub(r"[\W_]+", " ", folded).strip(), repr(title)


EVERY_ASCII_BUT_NEWLINE = [chr(code) for code in range(128) if code != 10]


@pytest.mark.parametrize(
    "titles",
    [
        [f"{char}Ab{char}{char}c {char}D{char}" for char in EVERY_ASCII_BUT_NEWLINE],
        ["Mamba: Linear-Time", "?!", "", " (Re)thinking - it ", "x", "  Two  spaces  "],
        ["Café au lait", "Plain ASCII title"],  # not ASCII: one by one
        ["Two\nlines", "one line"],  # a newline inside a title: one by one
        [],
    ],
)
def test_keys_in_bulk_are_the_keys_one_by_one(titles: list[str]) -> None:
    assert paper_keys(titles) == [paper_key(title) for title in titles]
