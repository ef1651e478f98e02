"""The shared real copies of the list (outside the repository): exact counts and fields."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from locations import SEEDS

from parsing.model import Paper
from parsing.sources import ParseReport, read_path

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"no shared seeds at {SEEDS}")


def read_seed(prefix: str) -> tuple[list[Paper], ParseReport]:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    report = ParseReport(path.name)
    return list(read_path(str(path), report)), report


@pytest.mark.parametrize(
    ("prefix", "count", "label", "first", "last"),
    [
        (
            "000",
            94,
            "Mar 14",
            "DeViL: Decoding Vision features into Language",
            "MiniCPM: Unveiling the Potential of Small Language Models with Scalable Training "
            "Strategies",
        ),
        (
            "002",
            182,
            "Mar 19",
            "Quick and Robust Feature Selection: the Strength of Energy-efficient Sparse Training "
            "for Autoencoders",
            "Benchmarking Neural Network Training Algorithms",
        ),
        (
            "003",
            93,
            "Nov 11",
            "TSMixer: Lightweight MLP-Mixer Model for Multivariate Time Series Forecasting",
            "Primer: Searching for Efficient Transformers for Language Modeling",
        ),
    ],
)
def test_counts_titles_and_list(prefix: str, count: int, label: str, first: str, last: str):
    papers, report = read_seed(prefix)
    assert len(papers) == count
    assert (papers[0].title, papers[-1].title) == (first, last)
    assert {paper.lists for paper in papers} == {(label,)}
    assert (report.papers, report.stray_lines, report.skipped_items) == (count, 0, 0)
    assert not report.truncated and report.replaced_bytes == 0
    assert report.warnings() == []
    assert len({paper.key for paper in papers}) == count
    assert all(len(paper.abstract) > 300 for paper in papers)
    assert not any("\xa0" in paper.title + paper.abstract for paper in papers)


def test_plain_copies_have_no_metadata() -> None:
    for prefix in ("000", "002"):
        papers, _ = read_seed(prefix)
        assert {(p.authors, p.published, p.upvotes) for p in papers} == {(None, None, None)}


@pytest.mark.parametrize(
    ("index", "authors", "published", "day", "upvotes"),
    [
        (0, 5, "Jun 14, 2023", date(2023, 6, 14), None),
        (1, 5, "Sep 5, 2024", date(2024, 9, 5), 2),
        (3, 1, "Aug 3", date(date.today().year, 8, 3), 4),
        (5, 6, "Mar 8", date(date.today().year, 3, 8), None),
        (92, 6, "Sep 17, 2021", date(2021, 9, 17), None),
    ],
)
def test_metadata_of_the_second_variant(
    index: int, authors: int, published: str, day: date, upvotes: int | None
) -> None:
    papers, _ = read_seed("003")
    paper = papers[index]
    assert (paper.authors, paper.published, paper.published_date, paper.upvotes) == (
        authors,
        published,
        day,
        upvotes,
    )


def test_every_paper_of_the_second_variant_has_its_metadata() -> None:
    papers, _ = read_seed("003")
    assert all(paper.authors and paper.published_date for paper in papers)
    assert sum(paper.upvotes is not None for paper in papers) == 19
    assert papers[1].title.startswith("FrozenSeg: Harmonizing Frozen Foundation Models")


@pytest.mark.parametrize("prefix", ["000", "003"])
def test_a_messier_copy_of_the_same_page_gives_the_same_papers(prefix: str, tmp_path: Path):
    """CRLF, a BOM, no blank lines, trailing blanks, junk lines: the same papers come out."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line]
    messy = []
    for number, line in enumerate(lines):
        messy.append(line + "  ")
        if number % 7 == 3:
            messy.append("Upvote")
    copy = tmp_path / "messy.txt"
    copy.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(messy).encode())
    report = ParseReport("messy.txt")
    assert list(read_path(str(copy), report)) == read_seed(prefix)[0]
    assert report.stray_lines == sum(1 for number in range(len(lines)) if number % 7 == 3)
