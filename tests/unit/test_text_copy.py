"""The text-copy parser: both page variants, every quirk of real copies, stray lines."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from locations import REPO

from parsing.model import Paper
from parsing.report import ParseReport
from parsing.synthetic import generate, render_text_copy, text_date
from parsing.text_copy import parse_text_chunks, parse_text_lines, text_lines

TODAY = date(2026, 5, 20)
LABEL = "Mar 14"
JUNK = ("Upvote", "12", "View all", "Load more", "Submitted by someone", "·")


def sample_papers() -> list[Paper]:
    """Four papers; two published this year (their dates omit the year), two without upvotes."""
    papers = generate(4, seed=5)
    this_year = [date(TODAY.year, 8, 3), date(TODAY.year, 1, 17)]
    return [
        dataclasses.replace(papers[0], published_date=this_year[0], upvotes=4),
        dataclasses.replace(papers[1], published_date=this_year[1], upvotes=None),
        dataclasses.replace(papers[2], upvotes=None),
        dataclasses.replace(papers[3], upvotes=12),
    ]


PAPERS = sample_papers()


def expected(papers: list[Paper], label: str, with_metadata: bool) -> list[Paper]:
    """What the text parser should give back for `papers` rendered with `label`."""
    result = []
    for paper in papers:
        if with_metadata:
            when = paper.published_date
            assert when is not None
            result.append(
                Paper(
                    paper.title,
                    paper.abstract,
                    authors=paper.author_count,
                    published=text_date(when, TODAY.year),
                    published_date=when,
                    upvotes=paper.upvotes,
                    lists=(label,),
                )
            )
        else:
            result.append(Paper(paper.title, paper.abstract, lists=(label,)))
    return result


def parse(text: str) -> tuple[list[Paper], ParseReport]:
    report = ParseReport("test.txt")
    return list(parse_text_lines(text.split("\n"), report, today=TODAY)), report


def render(with_metadata: bool, papers: list[Paper] = PAPERS, label: str = LABEL) -> str:
    return render_text_copy(papers, label, with_metadata, today=TODAY)


@pytest.mark.parametrize("with_metadata", [False, True])
def test_both_variants_parse_to_the_same_papers(with_metadata: bool) -> None:
    papers, report = parse(render(with_metadata))
    assert papers == expected(PAPERS, LABEL, with_metadata)
    assert (report.papers, report.stray_lines, report.truncated) == (4, 0, False)
    assert report.format == "text"


@pytest.mark.parametrize(
    ("line", "published", "day", "upvotes"),
    [
        ("Sep 5, 2024", "Sep 5, 2024", date(2024, 9, 5), None),
        ("Sep 5, 2024 2", "Sep 5, 2024", date(2024, 9, 5), 2),
        ("Aug 3", "Aug 3", date(TODAY.year, 8, 3), None),
        ("Aug 3 4", "Aug 3", date(TODAY.year, 8, 3), 4),
        ("Feb 30, 2024", "Feb 30, 2024", None, None),
    ],
)
def test_published_date_forms(line: str, published: str, day: date | None, upvotes: int | None):
    abstract = "An abstract. " * 30
    text = f"Daily Papers\n\n{LABEL}\n\nA Title Here\n\n{abstract}\n\n  • 7 authors\n·\n{line}\n"
    (paper,), report = parse(text)
    assert (paper.published, paper.published_date, paper.upvotes) == (published, day, upvotes)
    assert (paper.authors, paper.lists, report.stray_lines) == (7, (LABEL,), 0)


def test_one_author_and_block_without_authors_line() -> None:
    abstract = "Words of an abstract. " * 20
    text = f"T one here\n{abstract}\n• 1 author\n·\nMar 2\nT two here\n{abstract}\n·\nMar 3 5\n"
    first, second = parse(text)[0]
    assert (first.authors, first.published_date) == (1, date(TODAY.year, 3, 2))
    assert (second.authors, second.published_date, second.upvotes) == (
        None,
        date(TODAY.year, 3, 3),
        5,
    )


def test_bare_day_after_an_abstract_is_a_new_list_label() -> None:
    text = render(False, PAPERS[:2], "Mar 14") + "Mar 19\n\n" + render(False, PAPERS[2:], "x")
    text = text.replace("\nx\n", "\n")  # the second page: a label line, no header
    papers, report = parse(text)
    assert [paper.lists for paper in papers] == [("Mar 14",)] * 2 + [("Mar 19",)] * 2
    assert report.stray_lines == 0


def test_two_pages_in_one_stream_keep_their_labels() -> None:
    text = render(True, PAPERS[:3], "Nov 11") + render(True, PAPERS[3:], "Nov 12")
    papers, report = parse(text)
    assert papers == expected(PAPERS[:3], "Nov 11", True) + expected(PAPERS[3:], "Nov 12", True)
    assert report.stray_lines == 0


@pytest.mark.parametrize("with_metadata", [False, True])
@pytest.mark.parametrize(
    "quirk",
    ["trailing blanks", "blank runs", "no blank lines", "nbsp", "indented", "crlf"],
)
def test_quirks_of_real_copies(with_metadata: bool, quirk: str) -> None:
    text = render(with_metadata)
    lines = text.split("\n")
    if quirk == "trailing blanks":
        lines = [line + " \t " for line in lines]
    elif quirk == "blank runs":
        lines = [line or "\n\n  \n" for line in lines]
    elif quirk == "no blank lines":
        lines = [line for line in lines if line]
    elif quirk == "nbsp":
        lines = [line.replace(" ", "\xa0", 3).replace("s ", "s\xa0 ") for line in lines]
    elif quirk == "indented":
        lines = ["   " + line for line in lines]
    elif quirk == "crlf":
        lines = [line + "\r" for line in lines]
    papers, report = parse("\n".join(lines))
    assert papers == expected(PAPERS, LABEL, with_metadata)
    assert report.stray_lines == 0


@pytest.mark.parametrize("with_metadata", [False, True])
@pytest.mark.parametrize("junk", JUNK)
def test_a_stray_line_anywhere_is_skipped_and_counted(with_metadata: bool, junk: str) -> None:
    lines = render(with_metadata, PAPERS[:3]).split("\n")
    want = expected(PAPERS[:3], LABEL, with_metadata)
    for position in range(len(lines) + 1):
        papers, report = parse("\n".join([*lines[:position], junk, *lines[position:]]))
        assert papers == want, f"{junk!r} at line {position}"
        assert report.stray_lines == 1, f"{junk!r} at line {position}"


def test_an_earlier_title_without_abstract_is_stray() -> None:
    abstract = PAPERS[1].abstract
    text = f"{LABEL}\nA Title That Lost Its Abstract\n{PAPERS[1].title}\n{abstract}\n"
    papers, report = parse(text)
    assert [(paper.title, paper.abstract) for paper in papers] == [(PAPERS[1].title, abstract)]
    assert report.stray_lines == 1


def test_short_abstracts_pair_with_their_titles() -> None:
    text = f"{LABEL}\nFirst Title\nA short abstract.\nSecond Title\nAnother one, also short\n"
    papers, report = parse(text)
    assert [(paper.title, paper.abstract) for paper in papers] == [
        ("First Title", "A short abstract."),
        ("Second Title", "Another one, also short"),
    ]
    assert report.stray_lines == 0


def test_a_one_word_title_needs_an_abstract_after_it() -> None:
    abstract = PAPERS[0].abstract
    papers, report = parse(f"{LABEL}\nMamba\n{abstract}\nShare\n{PAPERS[1].title}\n{abstract}\n")
    assert [paper.title for paper in papers] == ["Mamba", PAPERS[1].title]
    assert report.stray_lines == 1  # "Share"


@pytest.mark.parametrize("with_metadata", [False, True])
def test_title_without_abstract_at_the_end_is_truncated(with_metadata: bool) -> None:
    text = render(with_metadata) + "A Title Whose Abstract Was Cut Off\n\n"
    papers, report = parse(text)
    assert papers == expected(PAPERS, LABEL, with_metadata)
    assert report.truncated
    assert any("truncated" in message for message in report.warnings())


@pytest.mark.parametrize("keep", [900, 30])
def test_an_abstract_cut_mid_sentence_is_still_a_paper(keep: int) -> None:
    text = render(False)
    cut = text[: text.index(PAPERS[-1].abstract) + keep]
    papers, report = parse(cut)
    assert len(papers) == len(PAPERS)
    assert papers[-1].abstract == PAPERS[-1].abstract[:keep].strip()
    assert not report.truncated


def test_metadata_paper_is_yielded_right_after_its_date_line() -> None:
    lines = render(True).split("\n")
    consumed = []

    def feed() -> Iterator[str]:
        for line in lines:
            consumed.append(line)
            yield line

    papers = parse_text_lines(feed(), today=TODAY)
    first = next(papers)
    assert first.title == PAPERS[0].title
    assert consumed[-1] == text_date(PAPERS[0].published_date, TODAY.year) + " 4"  # type: ignore[arg-type]


def test_plain_paper_is_yielded_when_the_next_title_arrives() -> None:
    lines = render(False).split("\n")
    consumed = []

    def feed() -> Iterator[str]:
        for line in lines:
            consumed.append(line)
            yield line

    assert next(parse_text_lines(feed(), today=TODAY)).title == PAPERS[0].title
    assert consumed[-1] == PAPERS[1].title


def test_header_lines_are_not_stray_and_do_not_end_a_waiting_title() -> None:
    abstract = PAPERS[0].abstract
    papers, report = parse(f"new\nSubscribe\nSome Title\nnew\n{abstract}\n")
    assert [(paper.title, paper.lists) for paper in papers] == [("Some Title", ())]
    assert report.stray_lines == 0


def test_text_lines_handles_every_line_ending_across_chunks() -> None:
    text = "one\r\ntwo\rthree\nfour\r\n\r\nfive"
    want = ["one", "two", "three", "four", "", "five"]
    for size in (1, 2, 3, 100):
        chunks = [text[start : start + size] for start in range(0, len(text), size)]
        assert list(text_lines(chunks)) == want


def test_default_year_is_this_year() -> None:
    abstract = "Words of an abstract. " * 20
    (paper,) = parse_text_lines(["Title of It", abstract, "• 2 authors", "·", "Jan 5"])
    assert paper.published_date == date(date.today().year, 1, 5)


def test_the_built_in_sample_parses_cleanly() -> None:
    path = REPO / "tui" / "data" / "sample.txt"
    report = ParseReport("sample.txt")
    papers = list(parse_text_lines(path.read_text(encoding="utf-8").split("\n"), report))
    assert len(papers) == 40
    assert (report.stray_lines, report.truncated) == (0, False)
    assert all(paper.authors and paper.published_date for paper in papers)
    assert {paper.lists for paper in papers} == {("Dec 31",)}


def test_a_line_spanning_many_chunks_is_joined_once() -> None:
    chunks = ["word " * 20] * 500 + ["\r", "\nnext line"]
    assert list(text_lines(chunks)) == [("word " * 20) * 500, "next line"]


ABSTRACT = "Words of an abstract, long enough to be one. " * 8
DATE_LINES = (
    "Oct 4, 2025 7", "Oct 4", "Mar 3 5", "Jun 15, 2024", "Mar 14 5 6", "Mar Madness 5",
    "Feb 30, 2024 3", "Sept 5 3", "Sep 5, 2024 x", "Mar 14, 20244 5", "Mar  14 2", "Mar 14,",
)  # fmt: skip
ODD_LINES = (
    "", "  ", "\xa0", "Mamba", "Upvote", "12", "new", "Daily Papers", "Mar 14", "Mar 15", "·",
    "short abstract, two words", "• x authors", "Title\xa0with\xa0nbsp", "\ufeffBom Title",
    ABSTRACT,
)  # fmt: skip
metadata_paper = st.tuples(  # what `parse_text_chunks` takes in one step when it can
    st.sampled_from(["A Title Here", "Mar Madness in Models", "Another One"]),
    st.sampled_from([ABSTRACT, ABSTRACT, "short abstract, two words"]),
    st.sampled_from(["  • 3 authors", "• 3 authors", "• 1 author"]),
    st.sampled_from(["·", "·", ""]),
    st.sampled_from(DATE_LINES),
)
pieces = st.one_of(
    metadata_paper,
    metadata_paper,
    metadata_paper,
    st.tuples(st.sampled_from(["A Title Here", "Plain Title"]), st.just(ABSTRACT)),
    st.tuples(st.sampled_from(ODD_LINES)),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(pieces, min_size=4, max_size=30).map(lambda runs: [x for run in runs for x in run]),
    st.lists(st.integers(1, 4000), max_size=4),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_chunks_parse_as_their_lines(lines: list[str], cuts: list[int], newline: str) -> None:
    """`parse_text_chunks` takes whole runs of lines in one step where it can: same result."""
    text = newline.join(lines) + newline
    chunks, start = [], 0
    for size in cuts:
        chunks.append(text[start : start + size])
        start += size
    chunks.append(text[start:])
    by_lines, by_chunks = ParseReport("lines"), ParseReport("chunks")
    want = list(parse_text_lines(text_lines(chunks), by_lines, today=TODAY))
    assert list(parse_text_chunks(chunks, by_chunks, today=TODAY)) == want
    assert (by_chunks.papers, by_chunks.stray_lines, by_chunks.truncated) == (
        by_lines.papers,
        by_lines.stray_lines,
        by_lines.truncated,
    )


def test_a_copy_with_metadata_in_one_chunk_keeps_every_field() -> None:
    block = "\n\n• 3 authors\n·\n"
    text = render(True) + "Title One\n" + ABSTRACT + block + "Mar 3 5\n"
    text += "Title Two\n" + ABSTRACT + block + "Mar 14 5 6\n"  # no date: a title after all
    papers = list(parse_text_chunks([text], today=TODAY))
    assert papers[:4] == expected(PAPERS, LABEL, True)
    one, two = papers[4:]
    assert (one.title, one.authors, one.published, one.upvotes) == ("Title One", 3, "Mar 3", 5)
    assert (two.title, two.authors, two.published, two.upvotes) == ("Title Two", 3, None, None)


@pytest.mark.parametrize(
    "odd",
    ["Upvote", "Mamba", "Daily Papers", "Mar 19", "12", "• 3 authors", "·", "Lost Its Abstract"],
)
def test_runs_of_metadata_papers_parse_as_their_lines(odd: str) -> None:
    """A long copy with metadata goes through `parse_text_chunks` in runs of whole papers:
    an odd line anywhere (added, or instead of a line), and chunk ends anywhere, give what
    the lines give one by one."""
    papers = generate(120, seed=9)
    papers[7] = dataclasses.replace(papers[7], title="3D Scenes Without a Letter First")
    lines = render(True, papers).split("\n")
    for position in range(0, len(lines), 23):
        for instead in (False, True):
            text = "\n".join([*lines[:position], odd, *lines[position + instead :]])
            by_lines, by_chunks = ParseReport("lines"), ParseReport("chunks")
            want = list(parse_text_lines(text.split("\n"), by_lines, today=TODAY))
            cut = len(text) * position // len(lines)
            chunks = [text[:cut], text[cut:]]
            assert list(parse_text_chunks(chunks, by_chunks, today=TODAY)) == want, position
            assert (by_chunks.papers, by_chunks.stray_lines, by_chunks.truncated) == (
                by_lines.papers,
                by_lines.stray_lines,
                by_lines.truncated,
            ), position
