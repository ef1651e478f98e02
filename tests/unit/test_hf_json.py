"""The Hugging Face JSON parser: arrays read incrementally, JSON lines, malformed input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from parsing import hf_json
from parsing.hf_json import parse_json_chunks
from parsing.model import Paper
from parsing.records import paper_to_record
from parsing.report import InputError, ParseReport
from parsing.synthetic import api_extras, generate, render_hf_json

PAPERS = generate(20, seed=11)
DAY = date(2025, 9, 8)


def chunked(text: str, size: int) -> list[str]:
    return [text[start : start + size] for start in range(0, len(text), size)]


def parse(text: str, size: int = 4096, **options: Any) -> tuple[list[Paper], ParseReport]:
    report = ParseReport("day.json")
    return list(parse_json_chunks(chunked(text, size), report, **options)), report


def expected(paper: Paper, label: str, index: int) -> Paper:
    """What the parse reads of `render_hf_json`'s item `index` on the day `DAY`."""
    assert paper.published_date is not None
    return Paper(
        paper.title,
        paper.abstract,
        authors=len(paper.author_names),
        author_names=paper.author_names,
        published=paper.published_date.isoformat(),
        published_date=paper.published_date,
        upvotes=paper.upvotes,
        lists=(label,),
        arxiv_id=paper.arxiv_id,
        github_repo=paper.github_repo,
        project_page=paper.project_page,
        **api_extras(paper, index, DAY),
    )


def item(**paper: Any) -> dict[str, Any]:
    return {"paper": {"id": "2509.04664", "title": "A Paper Title", **paper}}


@pytest.mark.parametrize("size", [1, 7, 333, 65536])
def test_api_array_in_any_chunking(size: int) -> None:
    papers, report = parse(render_hf_json(PAPERS, DAY), size)
    assert papers == [expected(paper, DAY.isoformat(), n) for n, paper in enumerate(PAPERS)]
    assert (report.format, report.papers, report.skipped_items, report.truncated) == (
        "json",
        20,
        0,
        False,
    )


def test_list_label_argument_wins_over_the_item_dates() -> None:
    papers, _ = parse(render_hf_json(PAPERS[:3], DAY), list_label="2030-01-02")
    assert [paper.lists for paper in papers] == [("2030-01-02",)] * 3


def test_list_label_falls_back_to_top_level_published_at() -> None:
    text = json.dumps([{"publishedAt": "2025-09-08T02:44:20.973Z", **item()}])
    (paper,), _ = parse(text)
    assert paper.lists == ("2025-09-08",)
    (paper,), _ = parse(json.dumps([item()]))
    assert paper.lists == ()


def test_hidden_authors_are_not_counted_or_named() -> None:
    authors = [
        {"_id": "1", "name": "Ada Lovelace", "hidden": False},
        {"_id": "2", "name": "Secret Person", "hidden": True},
        {"_id": "3", "name": "Alan Turing"},
    ]
    (paper,), _ = parse(json.dumps([item(authors=authors)]))
    assert paper.author_names == ("Ada Lovelace", "Alan Turing")
    assert paper.authors == 2


def test_missing_optional_fields_and_unknown_fields() -> None:
    text = json.dumps([{"title": "Only A Title", "surprise": {"x": [1, 2]}}, item(extra=True)])
    first, second = parse(text)[0]
    assert first == Paper("Only A Title")
    assert (second.title, second.arxiv_id, second.abstract, second.upvotes) == (
        "A Paper Title",
        "2509.04664",
        "",
        None,
    )


def test_fields_are_read_from_the_paper_object() -> None:
    text = json.dumps(
        [
            item(
                title="A Title\n  Broken  Over Lines",
                summary="First line\nsecond\u00a0line.",
                publishedAt="2025-09-04T21:26:31.000Z",
                upvotes=26,
                githubRepo="https://github.com/o/r",
                projectPage="https://o.github.io",
            )
        ]
    )
    (paper,), _ = parse(text)
    assert paper.title == "A Title Broken Over Lines"
    assert paper.abstract == "First line second line."
    assert (paper.published, paper.published_date) == ("2025-09-04", date(2025, 9, 4))
    assert (paper.upvotes, paper.github_repo, paper.project_page) == (
        26,
        "https://github.com/o/r",
        "https://o.github.io",
    )
    assert paper.url == "https://huggingface.co/papers/2509.04664"


@pytest.mark.parametrize(
    "bad", [3, "text", [1], None, {"paper": {"title": ""}}, {"paper": {"title": 5}}, {}]
)
def test_malformed_items_are_skipped_and_counted(bad: Any) -> None:
    text = json.dumps([item(), bad, item(title="Another Title")])
    papers, report = parse(text)
    assert [paper.title for paper in papers] == ["A Paper Title", "Another Title"]
    assert report.skipped_items == 1
    assert report.warnings() == ["day.json: 1 malformed item skipped"]


def test_wrong_types_of_optional_fields_are_ignored() -> None:
    text = json.dumps([item(upvotes="many", publishedAt=12, authors="nobody", id=7)])
    (paper,), report = parse(text)
    assert (paper.upvotes, paper.published, paper.authors, paper.arxiv_id) == (None,) * 4
    assert report.skipped_items == 0


@pytest.mark.parametrize(
    ("broken", "where"),
    [('{"paper": {"title": "Broken" "x": 1}}', "item 3"), ("]", "item 3"), ("{,}", "item 3")],
)
def test_syntax_error_mid_stream_raises_after_the_good_papers(broken: str, where: str) -> None:
    text = "[" + json.dumps(item()) + ",\n" + json.dumps(item(title="Second")) + ",\n" + broken
    text += ",\n" + json.dumps(item(title="Never Reached")) + "]"
    seen = []
    with pytest.raises(InputError) as caught:
        seen.extend(parse_json_chunks(chunked(text, 10), ParseReport("day.json")))
    assert [paper.title for paper in seen] == ["A Paper Title", "Second"]
    message = str(caught.value)
    assert message.startswith("day.json: invalid JSON in " + where)
    assert "\n" not in message


def test_text_after_the_array_is_an_error() -> None:
    with pytest.raises(InputError, match="after the end of the array"):
        parse(json.dumps([item()]) + " trailing words")


def test_arrays_one_after_another_are_read() -> None:
    text = render_hf_json(PAPERS[:2], DAY) + render_hf_json(PAPERS[2:4], DAY)
    assert [paper.title for paper in parse(text)[0]] == [paper.title for paper in PAPERS[:4]]


@pytest.mark.parametrize("cut", [-2, -40, 5])
def test_input_cut_inside_an_item_is_truncated(cut: int) -> None:
    text = render_hf_json(PAPERS[:3], DAY)
    papers, report = parse(text[:cut] if cut < 0 else text[: text.index("}") + cut], 64)
    assert report.truncated
    assert len(papers) == (3 if cut == -2 else 2 if cut == -40 else 0)


def test_empty_array_gives_no_papers() -> None:
    assert parse("  [ ]  ") == ([], ParseReport("day.json", format="json"))


def test_json_lines_of_our_own_records_read_back_unchanged() -> None:
    papers = [
        Paper(p.title, p.abstract, p.authors, p.author_names, p.published, p.published_date,
              p.upvotes, ("Mar 14", "2025-09-08"), p.arxiv_id, p.github_repo, p.project_page)
        for p in PAPERS
    ]  # fmt: skip
    text = "".join(json.dumps(paper_to_record(paper)) + "\n" for paper in papers)
    parsed, report = parse(text, 100)
    assert parsed == papers
    assert report.format == "jsonl"


def test_json_lines_of_api_items_and_bad_records() -> None:
    lines = [json.dumps(item()), json.dumps({"title": 5, "lists": []}), "[1, 2]", "  "]
    lines.append(json.dumps(item(title="Last One")))
    papers, report = parse("\n".join(lines) + "\n", list_label="2025-01-01")
    assert [(paper.title, paper.lists) for paper in papers] == [
        ("A Paper Title", ("2025-01-01",)),
        ("Last One", ("2025-01-01",)),
    ]
    assert report.skipped_items == 2


def test_a_record_without_lists_gets_the_list_label() -> None:
    record = paper_to_record(Paper("Some Title Here", "An abstract."))
    (paper,), _ = parse(json.dumps(record), list_label="2025-02-03")
    assert paper.lists == ("2025-02-03",)


def test_garbage_is_not_json() -> None:
    with pytest.raises(InputError, match=r"day\.json: invalid JSON in item 1"):
        parse("hello")


def test_first_paper_is_yielded_before_the_rest_is_read() -> None:
    text = render_hf_json(PAPERS, DAY)
    pieces = chunked(text, 500)
    consumed = []

    def feed() -> Iterator[str]:
        for piece in pieces:
            consumed.append(piece)
            yield piece

    first = next(parse_json_chunks(feed()))
    assert first.title == PAPERS[0].title
    assert len(consumed) < len(pieces) // 4


def test_a_huge_item_is_not_decoded_once_per_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = hf_json._DECODER

    class CountingDecoder:
        def raw_decode(self, text: str, pos: int) -> tuple[Any, int]:
            calls.append(pos)
            return real.raw_decode(text, pos)

    monkeypatch.setattr(hf_json, "_DECODER", CountingDecoder())
    abstract = "A long abstract sentence. " * 40_000  # ~1 MB, read in 1 KB chunks
    papers, _ = parse(json.dumps([item(summary=abstract), item(title="Small")]), 1024)
    assert [len(paper.abstract) for paper in papers] == [len(abstract) - 1, 0]
    assert len(calls) < 40  # doubling reads: ~log2(1000) tries, not ~1000


SECOND = '{"title": "Dense retrieval models"}'


@pytest.mark.parametrize(
    ("first_chunk", "rest"),
    [
        ('[{"title": "Sparse mixture of experts"}', f", {SECOND}]"),  # no comma yet
        ('{"title": "Sparse mixture of experts"}', f"\n{SECOND}\n"),  # a JSON line, no end yet
        ('[{"paper": {"title": "Sparse mixture of experts"}},', f"{SECOND}]"),
    ],
)
def test_an_item_complete_in_the_text_so_far_is_yielded_before_more_is_asked(
    first_chunk: str, rest: str
) -> None:
    """A pipe that stays open: asking for the next chunk would block."""
    asked_for_more: list[bool] = []

    def chunks() -> Iterator[str]:
        yield first_chunk
        asked_for_more.append(True)
        yield rest

    papers = parse_json_chunks(chunks())
    assert next(papers).title == "Sparse mixture of experts"
    assert asked_for_more == []
    assert [paper.title for paper in papers] == ["Dense retrieval models"]


def test_a_number_at_the_end_of_the_text_so_far_waits_for_the_rest() -> None:
    papers = parse_json_chunks(iter(["[1", "2, {", '"title": "Sparse experts"}]']))
    assert [paper.title for paper in papers] == ["Sparse experts"]
