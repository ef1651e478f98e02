"""BibTeX, JSON, CSV and one markdown file per paper: each read back by its own reader
(bibtexparser, json, csv, PyYAML), for ordinary papers, the hostile corpus and notes and
tags that try to break out of their field."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from export_check import bibtex_entries, bibtex_names, csv_rows, front_matter, latex_to_text
from hostile import FORBIDDEN_IN_OUTPUT, write_hostile_json
from hypothesis import given
from hypothesis import strategies as st
from markdown_check import Document, expected_paper_blocks, our_links, parse

from parsing.clean import clean_text, clean_texts
from parsing.model import Paper
from parsing.records import paper_to_record
from parsing.sources import read_path
from parsing.synthetic import generate
from tui.core.config import load_config
from tui.core.exports.bibtex import bibtex_name, render_bibtex, unique_keys
from tui.core.exports.formats import FORMATS
from tui.core.exports.items import ExportItem, export_items
from tui.core.exports.split import (
    MAX_NAME_BYTES,
    MAX_NAME_CHARACTERS,
    paper_file,
    safe_filename,
    unique_filenames,
    write_split,
    yaml_string,
)
from tui.core.exports.tables import CSV_COLUMNS, render_csv, render_json
from tui.core.state.triage_state import TriageState

DAY = date(2025, 9, 29)
# Notes and tags that try to end their field, start a formula, or be markup.
NOTE = "Read again } @misc{evil, title={pwned}, = 1+1 \\end{document} % not a comment # _ ^ ~ $"
TAGS = ("=HYPERLINK(x)", "}{", "-1", "@sum", "plain")
BREAKOUT = Paper(
    "Unbalanced } brace @misc{evil, title={pwned LLaMA",
    author_names=("Ada } Lovelace", "Tom and Jerry", "Madonna", "Ludwig van Beethoven"),
    arxiv_id="2509.01234",
    published_date=DAY,
)
NO_ARXIV = Paper("A paper without an id", author_names=("Grace Hopper",), published_date=DAY)


def annotated(papers: list[Paper]) -> list[ExportItem]:
    return [ExportItem(paper, read=True, starred=True, note=NOTE, tags=TAGS) for paper in papers]


def hostile_items(tmp_path: Path) -> list[ExportItem]:
    papers = list(read_path(str(write_hostile_json(tmp_path / "hostile.json"))))
    assert len(papers) == 20
    return annotated(papers)


# --- the export item ------------------------------------------------------------------------


def test_export_items_take_the_marks_notes_and_tags_from_the_state(tmp_path: Path):
    papers = list(generate(3, seed=2))
    state = TriageState.load(tmp_path / "state.toml")
    state.set_read(papers[0], True)
    state.set_starred(papers[1], True)
    state.set_note(papers[2], "first line\nsecond")
    state.set_tags(papers[2], ["rl", "agents"])
    items = export_items(papers, state)
    marks = [(item.read, item.starred, item.note, item.tags) for item in items]
    assert marks == [
        (True, False, "", ()),
        (False, True, "", ()),
        (False, False, "first line\nsecond", ("rl", "agents")),
    ]
    assert [item.paper for item in items] == papers
    assert export_items(papers) == [ExportItem(paper, False, False) for paper in papers]
    state.close()


# --- BibTeX ---------------------------------------------------------------------------------


def test_bibtex_entry_of_an_arxiv_paper():
    paper = Paper(
        "Sparse Mixture of Experts for Retrieval",
        author_names=("Ada Lovelace", "Ludwig van Beethoven", "Madonna", "José Núñez"),
        arxiv_id="2509.01234",
        published_date=DAY,
    )
    item = ExportItem(paper, read=False, starred=True, note="Cite in §2", tags=("moe", "ir"))
    [(key, fields)] = bibtex_entries(render_bibtex([item]))
    assert key == "lovelace2025sparse"
    assert fields == {
        "title": "Sparse Mixture of Experts for Retrieval",
        "author": "Lovelace, Ada and van Beethoven, Ludwig and Madonna and Núñez, José",
        "year": "2025",
        "eprint": "2509.01234",
        "archivePrefix": "arXiv",
        "url": "https://arxiv.org/abs/2509.01234",
        "note": "Cite in §2",
        "keywords": "moe, ir",
    }


def test_a_paper_without_an_arxiv_id_gets_its_url_and_howpublished():
    [(key, fields)] = bibtex_entries(render_bibtex(export_items([NO_ARXIV])))
    assert key == "hopper2025paper"  # "A" is passed over
    assert "eprint" not in fields and "archivePrefix" not in fields
    assert fields["url"] == NO_ARXIV.url
    assert fields["howpublished"]


def test_an_unbalanced_brace_stays_in_its_field():
    [(_, fields)] = bibtex_entries(render_bibtex(annotated([BREAKOUT])))
    assert latex_to_text(fields["title"]) == BREAKOUT.title
    assert "{LLaMA}" in fields["title"]  # a capital past the first letter is protected
    assert latex_to_text(fields["note"]) == NOTE
    assert latex_to_text(fields["keywords"]) == ", ".join(TAGS)
    assert bibtex_names(fields["author"]) == [
        "Lovelace, Ada }",
        "Jerry, Tom and",  # "and" inside a name is braced: still one name
        "Madonna",
        "van Beethoven, Ludwig",
    ]


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Madonna", "Madonna"),
        ("Ada Lovelace", "Lovelace, Ada"),
        ("Vincent van Gogh", "van Gogh, Vincent"),
        ("Jean de la Fontaine", "de la Fontaine, Jean"),
        ("Grace Brewster Murray Hopper", "Hopper, Grace Brewster Murray"),
        ("Smith, Jr.", "{Smith, Jr.}"),
        ("Others", "{Others}"),
        ("a_b 50%", r"50\%, a\_b"),
    ],
)
def test_bibtex_names(name, written):
    assert bibtex_name(name) == written


def test_keys_are_unique_lower_case_ascii():
    same = Paper("Émile's Deep Nets", author_names=("Zoë Çelik",), published_date=DAY)
    papers = [same, same, same, Paper("Deep Nets b", author_names=("Zoë Çelik",))]
    papers.append(Paper("+++", published_date=DAY))
    keys = unique_keys(papers)
    assert keys == [
        "celik2025emiles",
        "celik2025emilesa",
        "celik2025emilesb",
        "celikdeep",
        "anon2025",
    ]


def test_the_hostile_corpus_parses_as_bibtex_with_every_field_whole(tmp_path: Path):
    items = hostile_items(tmp_path)
    text = render_bibtex(items)
    for forbidden in FORBIDDEN_IN_OUTPUT:
        assert forbidden not in text
    entries = bibtex_entries(text)
    assert len(entries) == len(items)
    assert len({key for key, _ in entries}) == len(items)
    for (_, fields), item in zip(entries, items, strict=True):
        paper = item.paper
        assert latex_to_text(fields["title"]) == paper.title
        assert len(bibtex_names(fields["author"])) == len(paper.author_names)
        assert fields["year"] == "2025"
        assert fields.get("eprint") == (paper.arxiv_id if paper.arxiv_url else None)
        assert fields["url"] == (paper.arxiv_url or paper.url)
        assert latex_to_text(fields["note"]) == NOTE


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)))


@given(title=texts, note=texts, tag=texts)
def test_any_text_stays_in_its_bibtex_field(title, note, tag):
    """Notes and tags are clean text (`parsing.clean`), as every field of a paper."""
    paper = Paper(title)
    item = ExportItem(paper, False, False, note=clean_text(note), tags=clean_texts((tag,)))
    [(_, fields)] = bibtex_entries(render_bibtex([item]))
    assert latex_to_text(fields["title"]) == paper.title
    assert latex_to_text(fields.get("note", "")) == item.note
    assert latex_to_text(fields.get("keywords", "")) == "".join(item.tags)


# --- JSON and CSV ---------------------------------------------------------------------------


def test_json_is_the_records_and_the_marks(tmp_path: Path):
    items = hostile_items(tmp_path) + export_items([NO_ARXIV])
    loaded = json.loads(render_json(items))
    assert len(loaded) == len(items)
    for record, item in zip(loaded, items, strict=True):
        marks = {"read": item.read, "starred": item.starred, "note": item.note}
        assert record == paper_to_record(item.paper) | marks | {"tags": list(item.tags)}


def test_csv_reads_back_with_formulas_defused(tmp_path: Path):
    formula = Paper("=1+1", author_names=("@Evil",), organization="-2+3", published_date=DAY)
    items = [*hostile_items(tmp_path), *annotated([formula])]
    rows = csv_rows(render_csv(items))
    assert len(rows) == len(items)
    assert tuple(rows[0]) == CSV_COLUMNS
    for row, item in zip(rows[:-1], items, strict=False):
        assert row["title"] == item.paper.title
        assert row["note"] == NOTE
        assert row["tags"] == "'" + "; ".join(TAGS)  # starts with "="
        assert (row["read"], row["starred"]) == ("true", "true")
    last = rows[-1]
    assert (last["title"], last["authors"], last["organization"]) == ("'=1+1", "'@Evil", "'-2+3")
    assert (last["date"], last["upvotes"], last["arxiv_id"]) == ("2025-09-29", "", "")


# --- one file per paper ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Plain Title", "Plain Title"),
        ('BERT: a/b\\c <x> "q" | ? *', "BERT a b c x q"),
        ("CON", "_CON"),
        ("lpt1.txt", "_lpt1.txt"),
        ("..", "paper"),
        ("Ends with a dot.", "Ends with a dot"),
        ("\x85 nel", "nel"),
    ],
)
def test_safe_filenames(title, name):
    assert safe_filename(title) == name


def test_long_names_are_cut_and_clashes_numbered():
    names = unique_filenames(["x" * 300, "界" * 300, "a b", "A  B", "a b"])
    assert len(names[0]) == MAX_NAME_CHARACTERS + len(".md")
    assert len(names[1].encode()) <= MAX_NAME_BYTES + len(".md")
    assert names[2:] == ["a b.md", "A B (2).md", "a b (3).md"]


def test_split_files_have_front_matter_and_the_paper_with_its_note(tmp_path: Path):
    items = [*hostile_items(tmp_path), *annotated([BREAKOUT, BREAKOUT]), *export_items([NO_ARXIV])]
    paths = write_split(items, tmp_path / "notes")
    assert len(set(paths)) == len(items) == len(list((tmp_path / "notes").iterdir()))
    for path, item in zip(paths, items, strict=True):
        paper = item.paper
        text = path.read_text(encoding="utf-8")
        for forbidden in FORBIDDEN_IN_OUTPUT:
            assert forbidden not in text
        head, body = front_matter(text)
        expected = {"title": paper.title, "authors": list(paper.author_names)}
        expected |= {"url": paper.url, "tags": list(item.tags), "date": "2025-09-29"}
        if paper.arxiv_id:
            expected["arxiv"] = paper.arxiv_id
        assert head == expected
        assert parse(body) == Document(expected_paper_blocks(item, "h1"), our_links(paper))
    assert paths[-1].name == "A paper without an id.md"
    assert [path.name for path in paths[-3:-1]] == [
        "Unbalanced } brace @misc{evil, title={pwned LLaMA.md",
        "Unbalanced } brace @misc{evil, title={pwned LLaMA (2).md",
    ]


@given(texts)
def test_any_text_is_one_yaml_string(text):
    head, _ = front_matter(f"---\nvalue: {yaml_string(text)}\n---\n")
    assert head == {"value": text}


def test_every_format_renders_the_same_items():
    items = annotated(list(generate(5, seed=3)))
    assert set(FORMATS) == {"md", "bibtex", "json", "csv"}
    for name, form in FORMATS.items():
        text = form.render(items, "Starred papers")
        assert all(item.paper.title in text for item in items if name != "bibtex"), name
    assert paper_file(items[0]).startswith("---\ntitle: ")


@pytest.mark.parametrize("name", ["md", "bibtex", "json", "csv"])
def test_the_config_takes_every_format(tmp_path: Path, name: str):
    path = tmp_path / "config.toml"
    path.write_text(f'export_format = "{name}"\n', encoding="utf-8")
    assert load_config(path).export_format == name
