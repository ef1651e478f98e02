"""Random papers rendered in each format, roughed up like real copies, parse back the same."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from parsing.model import Paper
from parsing.sources import ParseReport, iter_papers
from parsing.synthetic import (
    MONTH_NAMES,
    api_extras,
    generate,
    render_hf_json,
    render_text_copy,
    text_date,
)
from parsing.synthetic import main as synthetic_main
from parsing.text_copy import HEADER_LINES, STRAY_LINES, STRAY_PREFIXES

JUNK = ("Upvote", "12", "View all", "Load more", "Submitted by someone", "·")
THIS_YEAR = date.today().year

words = st.one_of(
    st.sampled_from(["Sparse", "experts", "for", "Retrieval", "Daily", "Papers", "May", "new"]),
    st.text(st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=10),
)
sentence_words = st.one_of(words, words.map(lambda word: word + "."), words.map("({})".format))


def joined(parts: st.SearchStrategy[str], low: int, high: int) -> st.SearchStrategy[str]:
    return st.lists(parts, min_size=low, max_size=high).map(" ".join)


def plausible(line: str) -> bool:
    """Not a line the page itself uses (header, widgets): those are not paper text."""
    return (
        line not in HEADER_LINES and line not in STRAY_LINES and not line.startswith(STRAY_PREFIXES)
    )


@st.composite
def papers(draw: st.DrawFn) -> list[Paper]:
    count = draw(st.integers(1, 6))
    titles = draw(st.lists(joined(words, 2, 12), min_size=count, max_size=count, unique=True))
    result = []
    for title in titles:
        abstract = draw(joined(sentence_words, 2, 70))
        assume(plausible(title) and plausible(abstract))
        names = draw(st.lists(joined(words, 2, 3), max_size=4).map(tuple))
        day = draw(st.dates(date(2015, 1, 1), date(THIS_YEAR, 12, 31)))
        result.append(
            Paper(
                title,
                abstract,
                authors=len(names) or None,
                author_names=names,
                published=day.isoformat(),
                published_date=day,
                upvotes=draw(st.none() | st.integers(0, 5000)),
                arxiv_id=f"2{draw(st.integers(0, 999)):03d}.{draw(st.integers(0, 99999)):05d}",
            )
        )
    keys = [paper.key for paper in result]
    assume(len(set(keys)) == len(keys))
    return result


labels = st.builds("{} {}".format, st.sampled_from(MONTH_NAMES), st.integers(1, 28).map(str))


@st.composite
def messy_lines(draw: st.DrawFn, text: str) -> tuple[bytes, int]:
    """The text with quirks of real copies applied, and how many stray lines were added."""
    lines = text.split("\n")
    if draw(st.booleans()):  # no blank lines at all
        lines = [line for line in lines if line]
    strays = draw(st.lists(st.tuples(st.integers(0, len(lines)), st.sampled_from(JUNK))))
    for position, junk in sorted(strays, reverse=True):
        lines.insert(position, junk)
    blank = draw(st.sampled_from(["", "   ", "\t", "\n\n"]))
    trailing = draw(st.sampled_from(["", " ", "  \t"]))
    lines = [line + trailing if line else blank for line in lines]
    if draw(st.booleans()):
        lines = [line.replace(" ", "\xa0", 1) for line in lines]
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    data = newline.join(lines).encode()
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data, len(strays)


def parse(data: bytes) -> tuple[list[Paper], ParseReport]:
    report = ParseReport("copy.txt")
    return list(iter_papers(io.BytesIO(data), "copy.txt", report)), report


def normal(text: str) -> str:
    return " ".join(text.split())


def _normal_extras(extras: dict[str, Any]) -> dict[str, Any]:
    """The API's extras as the parser reads them: text with its whitespace made single."""
    summary = extras["ai_summary"]
    return extras | {"ai_summary": normal(summary) or None}


common = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(papers(), labels, st.data())
def test_text_copy_round_trip(originals: list[Paper], label: str, data: st.DataObject) -> None:
    text = render_text_copy(originals, label, with_metadata=False)
    raw, strays = data.draw(messy_lines(text))
    parsed, report = parse(raw)
    assert [(p.title, p.abstract, p.lists) for p in parsed] == [
        (normal(p.title), normal(p.abstract), (label,)) for p in originals
    ]
    assert (report.stray_lines, report.truncated) == (strays, False)


@common
@given(papers(), labels, st.data())
def test_text_copy_with_metadata_round_trip(
    originals: list[Paper], label: str, data: st.DataObject
) -> None:
    text = render_text_copy(originals, label, with_metadata=True)
    raw, strays = data.draw(messy_lines(text))
    parsed, report = parse(raw)
    assert [
        (p.title, p.abstract, p.authors, p.published, p.published_date, p.upvotes, p.lists)
        for p in parsed
    ] == [
        (
            normal(p.title),
            normal(p.abstract),
            p.author_count,
            text_date(p.published_date, THIS_YEAR),  # type: ignore[arg-type]
            p.published_date,
            p.upvotes,
            (label,),
        )
        for p in originals
    ]
    assert (report.stray_lines, report.truncated) == (strays, False)


@common
@given(papers(), st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.data())
def test_hf_json_round_trip(originals: list[Paper], day: date, data: st.DataObject) -> None:
    text = render_hf_json(originals, day)
    if data.draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    raw = text.encode()
    if data.draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    parsed, report = parse(raw)
    assert parsed == [
        Paper(
            normal(p.title),
            normal(p.abstract),
            authors=p.authors,
            author_names=tuple(normal(name) for name in p.author_names),
            published=p.published,
            published_date=p.published_date,
            upvotes=p.upvotes,
            lists=(day.isoformat(),),
            arxiv_id=p.arxiv_id,
            **_normal_extras(api_extras(p, index, day)),
        )
        for index, p in enumerate(originals)
    ]
    assert (report.format, report.skipped_items) == ("json", 0)


def test_generator_is_deterministic_with_unique_titles_and_ids() -> None:
    papers = generate(3000, seed=9)
    assert generate(100, seed=9) == papers[:100]
    assert generate(100, seed=10) != papers[:100]
    assert len({paper.key for paper in papers}) == len(papers)
    assert len({paper.arxiv_id for paper in papers}) == len(papers)
    assert all(paper.title.isascii() and len(paper.title) <= 120 for paper in papers)
    mean = sum(len(paper.abstract) for paper in papers) / len(papers)
    assert 1000 <= mean <= 1400
    assert all(paper.authors == len(paper.author_names) >= 1 for paper in papers)


def test_generator_command_line_prints_a_parsable_list(capsys: pytest.CaptureFixture) -> None:
    synthetic_main(["--papers", "7", "--format", "text-meta", "--seed", "3", "--label", "Jun 2"])
    parsed, report = parse(capsys.readouterr().out.encode())
    assert [paper.title for paper in parsed] == [paper.title for paper in generate(7, seed=3)]
    assert {paper.lists for paper in parsed} == {("Jun 2",)}
    assert report.stray_lines == 0
