"""Filter qualifiers: `org:`, `author:`, `kw:`, `has:`, the count comparisons, negation,
their parsing, matching through the index, and the sorts by comments and stars."""

from __future__ import annotations

import copy
import json

import pytest
from api_shapes import all_shapes, full_item

from parsing.hf_json import parse_json_chunks
from parsing.model import Paper
from tui.core.query import narrows, parse_query
from tui.core.search.index import SearchIndex
from tui.core.store import PaperStore
from tui.core.view import SortOrder, sort_positions


def store_of(papers: list[Paper]) -> PaperStore:
    store = PaperStore()
    for paper in papers:
        store.add(paper)
    return store


def titles(store: PaperStore, text: str, read: bytes = b"") -> list[str]:
    query = parse_query(text)
    assert query.error is None, query.error
    index = SearchIndex()
    index.sync(store)
    positions = index.match(query, None, read, b"")
    assert positions is not None
    return sorted(store[position].title for position in positions)


PAPERS = [
    Paper(
        "Alpha",
        abstract="about graphs",
        author_names=("Ada Lovelace", "Bo Chen"),
        organization="Meta AI",
        ai_keywords=("graph neural networks",),
        github_repo="https://github.com/a/a",
        github_stars=50,
        upvotes=30,
        comments=4,
        ai_summary="A short one.",
    ),
    Paper(
        "Beta",
        author_names=("Carla Metafora",),
        organization="NVIDIA",
        project_page="https://b.example",
        upvotes=20,
        comments=0,
    ),
    Paper("Gamma", author_names=("Dan Li",), upvotes=None, github_stars=None),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("org:meta", ["Alpha"]),
        ("ORG:nvid", ["Beta"]),
        ("org:ai", ["Alpha"]),  # any word of the organisation
        ("org:eta", []),  # a prefix, never inside a word
        ("author:lovel", ["Alpha"]),
        ("author:meta", ["Beta"]),  # an author's name, not the organisation
        ("author:li", ["Gamma"]),
        ("kw:neural", ["Alpha"]),
        ("kw:graph-neur", ["Alpha"]),  # every word of it
        ("has:code", ["Alpha"]),
        ("has:project", ["Beta"]),
        ("has:tldr", ["Alpha"]),
        ("upvotes:>=20", ["Alpha", "Beta"]),
        ("upvotes:>20", ["Alpha"]),
        ("upvotes:<30", ["Beta"]),  # Gamma's are unknown: not 0
        ("upvotes:<=30", ["Alpha", "Beta"]),
        ("upvotes:=20", ["Beta"]),
        ("upvotes:20", ["Beta"]),
        ("comments:<1", ["Beta"]),
        ("comments:>=1", ["Alpha"]),
        ("stars:>=10", ["Alpha"]),
        ("stars:<10", []),
        ("-has:code", ["Beta", "Gamma"]),
        ("-org:meta", ["Beta", "Gamma"]),
        ("-author:li", ["Alpha", "Beta"]),
        ("-upvotes:>=25", ["Beta", "Gamma"]),  # the negation keeps the unknown
        ("has:code upvotes:>=20", ["Alpha"]),
        ("-has:code upvotes:>=20", ["Beta"]),
        ("beta upvotes:>=20", ["Beta"]),  # with words
        ("upvotes:>=20 -is:read", ["Beta"]),  # Alpha is read
        ("-is:unread", ["Alpha"]),
    ],
)
def test_each_qualifier_and_its_negation_keep_the_right_papers(
    text: str, expected: list[str]
) -> None:
    assert titles(store_of(PAPERS), text, read=b"\x01\x00\x00") == expected


def test_qualifiers_combine_with_words_and_abstract_words() -> None:
    assert titles(store_of(PAPERS), "alp abs:graph org:meta has:code") == ["Alpha"]
    assert titles(store_of(PAPERS), "alp abs:graph -org:meta") == []


def test_negated_is_flips_the_mark_and_contradictions_are_reported() -> None:
    assert parse_query("-is:read").want_read is False
    assert parse_query("-is:unstarred").want_starred is True
    query = parse_query("is:read -is:read")
    assert query.want_read is False
    assert query.error is not None and "contradicts" in query.error


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("foo:bar", "org:"),
        ("has:nothing", "has:code"),
        ("upvotes:>=x", "upvotes:>=20"),
        ("upvotes:", "upvotes:>=20"),
        ("org:", "org:"),
        ("-abs:", "abs:diffusion"),
    ],
)
def test_a_wrong_qualifier_says_what_exists_and_is_ignored(text: str, shown: str) -> None:
    query = parse_query(f"{text} alpha")
    assert query.error is not None and shown in query.error
    assert query.words == ("alpha",)
    assert query.conditions == ()
    assert query.abstract_words == ()


def test_an_unknown_qualifier_lists_every_qualifier() -> None:
    error = parse_query("foo:bar").error or ""
    for name in ("is:", "abs:", "org:", "author:", "kw:", "has:", "upvotes:", "comments:"):
        assert name in error
    assert "stars:" in error


def test_a_query_of_qualifiers_only_is_not_empty_and_narrowing_keeps_them() -> None:
    assert not parse_query("has:code").is_empty
    assert narrows(parse_query("has:code"), parse_query("has:code upvotes:>5"))
    assert not narrows(parse_query("has:code"), parse_query("-has:code"))
    assert not narrows(parse_query("upvotes:>5"), parse_query("upvotes:>50 x"))


def test_a_condition_holds_on_one_paper_as_the_index_finds() -> None:
    (condition,) = parse_query("-stars:>=10").conditions
    assert [condition.holds(paper) for paper in PAPERS] == [False, True, True]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (SortOrder.COMMENTS, ["Alpha", "Beta", "Gamma"]),  # 4, 0, unknown last
        (SortOrder.STARS, ["Alpha", "Gamma", "Beta"]),  # 50, then unknown in given order
        (SortOrder.UPVOTES, ["Alpha", "Beta", "Gamma"]),
    ],
)
def test_count_sorts_put_the_most_first_and_unknown_last(
    order: SortOrder, expected: list[str]
) -> None:
    store = store_of(PAPERS)
    positions = sort_positions(store, [2, 1, 0], order)
    assert [store[position].title for position in positions] == expected


def test_a_count_of_zero_sorts_before_an_unknown_one() -> None:
    store = store_of([Paper("Unknown"), Paper("Zero", comments=0), Paper("One", comments=1)])
    positions = sort_positions(store, [0, 1, 2], SortOrder.COMMENTS)
    assert [store[position].title for position in positions] == ["One", "Zero", "Unknown"]


def api_day() -> list[Paper]:
    """A day in the newer API shape: the fixture shapes, and the full item again under
    other ids with other upvotes, organisations and no repository."""
    items = all_shapes()
    for number, (upvotes, org, repo) in enumerate(
        [(20, "Alpha Lab", False), (19, "Gamma Group", True), (100, "Alpha Lab", True)]
    ):
        item = copy.deepcopy(full_item())
        item["paper"]["id"] = f"2509.1000{number}"
        item["paper"]["title"] = item["title"] = f"Extra paper {number}"
        item["paper"]["upvotes"] = upvotes
        item["paper"]["organization"] = item["organization"] = {"fullname": org, "name": org}
        if not repo:
            del item["paper"]["githubRepo"]
        items.append(item)
    return list(parse_json_chunks([json.dumps(items)]))


def test_org_has_code_and_upvotes_count_right_on_a_day_in_the_newer_api_shape() -> None:
    papers = api_day()
    store = store_of(papers)
    by_org = [paper.title for paper in papers if (paper.organization or "").startswith("Alpha")]
    with_code = [paper.title for paper in papers if paper.github_repo]
    popular = [paper.title for paper in papers if (paper.upvotes or 0) >= 20]
    assert (len(by_org), len(with_code), len(popular)) == (3, 4, 3)  # the fixture's shape
    assert titles(store, "org:alpha") == sorted(by_org)
    assert titles(store, "has:code") == sorted(with_code)
    assert titles(store, "upvotes:>=20") == sorted(popular)
    assert len(titles(store, "org:alpha has:code upvotes:>=20")) == 2


def test_abstract_highlights_cover_whole_words_starting_with_an_abs_word() -> None:
    from tui.core.highlight import abstract_highlights

    text = "Graph-based GRAPHS; a subgraph, graphing."
    spans = abstract_highlights(text, ("graph",))
    assert [text[start:end] for start, end in spans] == ["Graph", "GRAPHS", "graphing"]
    assert abstract_highlights(text, ()) == []
