from datetime import date

from parsing.model import Paper
from tui.export import export_filename, markdown_link, metadata_line, render_markdown


def test_markdown_groups_by_list_with_links_metadata_and_abstracts():
    papers = [
        Paper("Alpha Net", "Alpha abstract.", authors=3, lists=("Mar 14",), upvotes=5),
        Paper("Beta [Net]", "Beta abstract.", lists=("Mar 15",), arxiv_id="2403.00002"),
        Paper("Gamma Net", "Gamma abstract.", lists=("Mar 14",)),
    ]
    text = render_markdown(papers, "Starred papers")
    lines = text.splitlines()
    assert lines[0] == "# Starred papers"
    assert lines.index("## Mar 14") < lines.index("## Mar 15")
    assert text.index("Alpha Net") < text.index("Gamma Net") < text.index(r"Beta \[Net\]")
    assert "### [Alpha Net](https://huggingface.co/papers?q=Alpha+Net)" in lines
    assert r"### [Beta \[Net\]](https://huggingface.co/papers/2403.00002)" in lines
    assert "*3 authors · 5 upvotes · list Mar 14*" in lines
    arxiv = "[arXiv](https://arxiv.org/abs/2403.00002)"
    assert f"{arxiv} · [PDF](https://arxiv.org/pdf/2403.00002)" in lines
    assert "Gamma abstract." in lines


def test_empty_export_says_so():
    assert "No papers." in render_markdown([], "Starred papers")


def test_names_and_links():
    paper = Paper("T", author_names=("A", "B", "C", "D"), authors=4)
    assert metadata_line(paper) == "A, B, C +1 more"
    assert markdown_link(paper) == "[T](https://huggingface.co/papers?q=T)"
    assert export_filename("starred", date(2026, 1, 2)) == "papers-starred-2026-01-02.md"
