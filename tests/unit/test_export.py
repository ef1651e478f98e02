"""The markdown export: readable for ordinary papers, and markdown whatever the text: read
back with markdown-it-py (`markdown_check`), it holds only our blocks, headings and links."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hostile import write_hostile_json
from hypothesis import given
from hypothesis import strategies as st
from markdown_check import MARKDOWN, Document, expected_document, parse

from parsing.model import Paper
from parsing.report import ParseReport
from parsing.sources import read_path
from parsing.synthetic import generate
from tui.core.export import (
    Link,
    escape_markdown,
    export_filename,
    markdown_link,
    metadata_line,
    paper_links,
    render_markdown,
)
from tui.core.exports.items import export_items
from tui.core.feeds import SampleFeed


def test_markdown_groups_by_list_with_links_metadata_and_abstracts():
    papers = [
        Paper("Alpha Net", "Alpha abstract.", authors=3, lists=("Mar 14",), upvotes=5),
        Paper("Beta [Net]", "Beta abstract.", lists=("Mar 15",), arxiv_id="2403.00002"),
        Paper("Gamma Net", "Gamma abstract.", lists=("Mar 14",)),
    ]
    text = render_markdown(export_items(papers), "Starred papers")
    lines = text.splitlines()
    assert lines[0] == "# Starred papers"
    assert lines.index("## Mar 14") < lines.index("## Mar 15")
    assert text.index("Alpha Net") < text.index("Gamma Net") < text.index(r"Beta \[Net\]")
    assert "### [Alpha Net](<https://huggingface.co/papers?q=Alpha+Net>)" in lines
    assert r"### [Beta \[Net\]](<https://huggingface.co/papers/2403.00002>)" in lines
    assert "*3 authors · 5 upvotes · list Mar 14*" in lines
    arxiv = "[arXiv](<https://arxiv.org/abs/2403.00002>)"
    assert f"{arxiv} · [PDF](<https://arxiv.org/pdf/2403.00002>)" in lines
    assert "Gamma abstract." in lines
    assert parse(text) == expected_document(export_items(papers), "Starred papers")


def test_empty_export_says_so():
    assert "No papers." in render_markdown(export_items([]), "Starred papers")


def test_names_and_links():
    paper = Paper("T", author_names=("A", "B", "C", "D"), authors=4)
    assert metadata_line(paper) == "A, B, C +1 more"
    assert markdown_link(paper) == "[T](<https://huggingface.co/papers?q=T>)"
    assert export_filename("starred", date(2026, 1, 2)) == "papers-starred-2026-01-02.md"


# --- links ------------------------------------------------------------------------------------


def test_paper_links_offer_only_safe_links_and_show_the_others_as_text():
    paper = Paper(
        "T",
        arxiv_id="2509.01234",
        github_repo="javascript:alert(1)",
        project_page="https://a.b/<x>",
    )
    assert paper_links(paper) == [
        Link("Hugging Face", paper.url, paper.url),
        Link("arXiv", paper.arxiv_url, paper.arxiv_url),
        Link("PDF", paper.pdf_url, paper.pdf_url),
        Link("GitHub", "javascript:alert(1)", None),
        Link("Project page", "https://a.b/%3Cx%3E", "https://a.b/%3Cx%3E"),
    ]


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "http://a.com/ x](http://evil)",
        "http://user:pw@evil.example/",
    ],
)
def test_an_unsafe_repo_or_project_page_is_written_as_text(link):
    papers = [Paper("T", github_repo=link), Paper("U", project_page=link)]
    text = render_markdown(export_items(papers), "Papers")
    document = parse(text)
    assert document == expected_document(export_items(papers), "Papers")
    assert document.hrefs == [MARKDOWN.normalizeLink(paper.url) for paper in papers]
    assert ("p", f"GitHub: {link}") in document.blocks
    assert ("p", f"Project page: {link}") in document.blocks


def test_a_markdown_link_is_one_link_to_the_paper_whatever_its_title():
    paper = Paper("A [b](http://evil) <img src=x onerror=alert(1)> `c` \\")
    document = parse(markdown_link(paper))
    assert document == Document([("p", paper.title)], [MARKDOWN.normalizeLink(paper.url)])


# --- escaping -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Plain: a-b, 3.5 x 2 = 7% (c) e.g. it's 'q' \"q\"", None),
        ("# heading", r"\# heading"),
        ("> quote", r"\> quote"),
        ("- item", r"\- item"),
        ("+ item", r"\+ item"),
        ("* item", r"\* item"),
        ("1. item", r"1\. item"),
        ("12) item", r"12\) item"),
        ("===", r"\==="),
        ("---", r"\---"),
        ("```", r"\`\`\`"),
        ("~~~", r"\~\~\~"),
        ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert(1)\>"),
        ("[x](http://evil) ![i](y)", r"\[x\](http://evil) \!\[i\](y)"),
        ("a *b* _c_ `d` \\ | e &amp; f #", r"a \*b\* \_c\_ \`d\` \\ \| e \&amp; f \#"),
    ],
)
def test_escape_markdown(text, escaped):
    assert escape_markdown(text) == (escaped or text)
    assert parse(escape_markdown(text)) == Document([("p", text)], [])


MARKDOWN_PIECES = [
    *"#>-+*=_`~[]()<>!&|\\.:; 19ax",
    "1.",
    "2)",
    "---",
    "***",
    "```",
    "    ",
    "\n",
    "&amp;",
    "&#60;",
    "http://evil",
    "<http://evil>",
    "javascript:alert(1)",
    "[a]: http://evil",
    "<img src=x>",
    "[x](http://evil)",
]
# Arbitrary text, and text made of pieces of markdown syntax.
texts = st.one_of(st.text(), st.lists(st.sampled_from(MARKDOWN_PIECES)).map("".join))


@given(texts)
def test_escaped_text_is_one_paragraph_of_that_text(text):
    line = Paper(text).title  # the text of a field: clean, one line
    expected = [("p", line)] if line else []
    assert parse(escape_markdown(line)) == Document(expected, [])


@given(
    title=texts,
    abstract=texts,
    authors=st.lists(texts, max_size=4),
    label=texts,
    repo=st.one_of(texts, texts.map("https://github.com/".__add__)),
    page=st.one_of(texts, texts.map("http://".__add__)),
)
def test_any_text_exports_with_only_our_links_and_headings(
    title, abstract, authors, label, repo, page
):
    paper = Paper(
        title,
        abstract,
        author_names=tuple(authors),
        lists=(label,),
        github_repo=repo,
        project_page=page,
    )
    assert parse(render_markdown(export_items([paper]), "Papers")) == expected_document(
        export_items([paper]), "Papers"
    )


# --- whole exports ----------------------------------------------------------------------------


def test_the_hostile_corpus_exports_with_only_our_links_and_headings(tmp_path: Path):
    papers = list(read_path(str(write_hostile_json(tmp_path / "hostile.json"))))
    assert len(papers) == 20
    text = render_markdown(export_items(papers), "Starred papers")
    assert parse(text) == expected_document(export_items(papers), "Starred papers")


def test_ordinary_papers_and_the_sample_export_readably():
    papers = list(generate(200, seed=5)) + list(SampleFeed().papers(ParseReport("sample")))
    text = render_markdown(export_items(papers), "All papers")
    assert parse(text) == expected_document(export_items(papers), "All papers")
    for paper in papers:
        assert f"### [{paper.title}](<{paper.url}>)" in text  # nothing in them needs escaping
        assert f"\n{paper.abstract}\n" in text
