"""The text boundary (`parsing.clean`), links (`parsing.links`) and the papers made from
hostile input: nothing a terminal would obey survives."""

from __future__ import annotations

import codecs
import io
import json
import sys
import unicodedata

import pytest
from hostile import FORBIDDEN_IN_OUTPUT, hostile_items
from hypothesis import given
from hypothesis import strategies as st

from parsing.clean import LinesCheck, clean_text, is_clean
from parsing.links import is_arxiv_id, safe_link
from parsing.model import Paper
from parsing.records import paper_from_record
from parsing.report import InputError
from parsing.sources import HEAD_SIZE, iter_papers

# Categories `str.isprintable` refuses: control, format, surrogate, private use, unassigned,
# and separators but the ASCII space.
UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"}


def unsafe_characters(text: str) -> list[str]:
    return [c for c in text if c != " " and unicodedata.category(c) in UNSAFE_CATEGORIES]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain title", "plain title"),
        ("  padded  ", "padded"),
        ("a\x1b]52;c;SGVsbG8=\x07b", "a]52;c;SGVsbG8=b"),
        ("clear\x1b[2Jscreen", "clear[2Jscreen"),
        ("c1\x9b31m\x9d here", "c131m here"),
        ("back\b\bspace\x7f", "backspace"),
        ("line\nbreaks\r\nand\ttabs", "line breaks and tabs"),
        ("no\xa0break\u2003spaces", "no break spaces"),
        ("\u202eevil\u202c \u2066iso\u2069", "evil iso"),
        ("zero\u200bwidth\u200d\ufeff\u00adjoin", "zerowidthjoin"),
        ("lone\ud800surrogate", "lonesurrogate"),
        ("line\u2028sep\u2029para", "line sep para"),
        ("Ψ-Net: \u03b1 \u03b2 über łódź 漢字 🙂", "Ψ-Net: \u03b1 \u03b2 über łódź 漢字 🙂"),
        ("combining e\u0301", "combining e\u0301"),
        ("\x1b", ""),
        ("heart \u2764\ufe0f text \u2764\ufe0e", "heart \u2764 text \u2764"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean
    assert is_clean(clean)


def test_is_clean_lets_newlines_pass_only_when_asked() -> None:
    assert is_clean("two\nlines", lines=True)
    assert not is_clean("two\nlines")
    assert not is_clean("two\n\x1b[2Jlines", lines=True)


def test_every_unsafe_code_point_is_removed() -> None:
    """Each control, format, surrogate and separator code point of the BMP, one by one."""
    for code in range(0x10000):
        character = chr(code)
        if unicodedata.category(character) in UNSAFE_CATEGORIES and character != " ":
            assert unsafe_characters(clean_text(f"a{character}b")) == [], hex(code)


@given(st.text())
def test_cleaned_text_has_no_unsafe_character(text: str) -> None:
    cleaned = clean_text(text)
    assert unsafe_characters(cleaned) == []
    assert cleaned == cleaned.strip()
    assert clean_text(cleaned) == cleaned


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_a_paper_made_from_any_text_is_clean(text: str) -> None:
    paper = Paper(
        title=f"T {text}",
        abstract=text,
        author_names=(text, "Ann"),
        lists=(text,),
        arxiv_id=text,
        github_repo=text,
        project_page=text,
    )
    fields = [paper.title, paper.abstract, *paper.author_names, *paper.lists]
    fields += [paper.arxiv_id or "", paper.github_repo or "", paper.project_page or ""]
    for field in fields:
        assert unsafe_characters(field) == []
    assert all(paper.author_names) and all(paper.lists)


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://github.com/ok/repo", "https://github.com/ok/repo"),
        ("http://example.org:8080/a?b=c#d", "http://example.org:8080/a?b=c#d"),
        ("HTTPS://example.org/x", "https://example.org/x"),
        ("https://[::1]:8000/x", "https://[::1]:8000/x"),
        ("https://ex.org/a<b>\"c'`{|}\\", "https://ex.org/a%3Cb%3E%22c'%60%7B%7C%7D%5C"),
        ("https://ex.org/über", "https://ex.org/%C3%BCber"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("data:text/html,<script>", None),
        ("http://a.com/ x](http://evil)", None),
        ("https://ok.example/\x1b[2J", None),
        ("http://user:pw@evil.example/", None),
        ("http://[::1", None),
        ("http://host:port/", None),
        ("https://", None),
        ("https://bad_host!/", None),
        ("//example.org/x", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_link(url: str | None, safe: str | None) -> None:
    assert safe_link(url) == safe


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2509.01234", True),
        ("0704.0001", True),
        ("2509.01234v2", True),
        ("hep-th/9901001", True),
        ("math.GT/0309136v1", True),
        ("x[/bogus]", False),
        ("2509.1 ) [evil](http://evil", False),
        ("../../etc/passwd", False),
        ("2509.01234/../../x", False),
        ("", False),
        (None, False),
    ],
)
def test_arxiv_ids(text: str | None, valid: bool) -> None:
    assert is_arxiv_id(text) is valid


def test_urls_are_built_only_from_arxiv_ids() -> None:
    good = Paper(title="A paper", arxiv_id="2509.01234")
    assert good.url == "https://huggingface.co/papers/2509.01234"
    assert good.arxiv_url == "https://arxiv.org/abs/2509.01234"
    assert good.pdf_url == "https://arxiv.org/pdf/2509.01234"
    bad = Paper(title="A [b]paper[/b]", arxiv_id="../../etc/passwd")
    assert bad.url == "https://huggingface.co/papers?q=A+%5Bb%5Dpaper%5B%2Fb%5D"
    assert bad.arxiv_url is None and bad.pdf_url is None


def hostile_papers() -> list[Paper]:
    data = json.dumps(hostile_items()).encode()
    return list(iter_papers(io.BytesIO(data), "hostile.json"))


def test_hostile_json_makes_clean_papers() -> None:
    papers = hostile_papers()
    assert len(papers) == 20
    for paper in papers:
        text = " ".join([paper.title, paper.abstract, *paper.author_names])
        assert not any(bad in text for bad in FORBIDDEN_IN_OUTPUT), paper.title
        assert unsafe_characters(text) == []
    assert papers[0].title == "Clipboard ]52;c;SGVsbG8= attack 0"
    assert papers[0].author_names[1] == "[b]Mallory[/b] ]52;c;SGVsbG8="


def test_hostile_text_copy_makes_clean_papers() -> None:
    lines = ["Mar 14"]
    for paper in hostile_papers():
        lines += [paper.title + "\x1b[31m\u202e", "An abstract \x9b2J " + "x" * 300 + "\x07"]
    data = "\n".join(lines).encode()
    papers = list(iter_papers(io.BytesIO(data), "hostile.txt"))
    assert len(papers) == 20
    for paper in papers:
        assert unsafe_characters(paper.title + paper.abstract) == [], paper.title


def test_hostile_record_makes_a_clean_paper() -> None:
    paper = paper_from_record({"title": "Snap\x1b[2Jshot", "author_names": ["A\x07B", "\x1b"]})
    assert (paper.title, paper.author_names) == ("Snap[2Jshot", ("AB",))
    with pytest.raises(ValueError):
        paper_from_record({"title": "\x1b\x07"})


def test_deeply_nested_json_is_one_input_error() -> None:
    data = b"[" * 100_000
    with pytest.raises(InputError, match="nested too deeply"):
        list(iter_papers(io.BytesIO(data), "deep.json"))
    assert sys.getrecursionlimit() < 100_000


@given(st.text(alphabet=st.characters(codec="utf-8")), st.data())
def test_lines_check_of_utf8_chunks_is_is_clean_of_their_text(text: str, data) -> None:
    """Cut anywhere, even inside a character: each chunk's verdict is that of its text."""
    encoded = text.encode()
    cuts = sorted(data.draw(st.lists(st.integers(0, len(encoded)), max_size=4)))
    pieces = [encoded[a:b] for a, b in zip([0, *cuts], [*cuts, len(encoded)], strict=True)]
    check, decoder = LinesCheck(), codecs.getincrementaldecoder("utf-8")()
    for piece in pieces:
        assert check(piece) == is_clean(decoder.decode(piece), lines=True)


def test_a_control_cut_between_two_reads_is_still_found() -> None:
    """U+202E is three bytes; the first read of the input ends after the first of them."""
    override = "\u202e".encode()
    filler = b"x" * (HEAD_SIZE - 14)  # a long line: an abstract without a title, skipped
    data = b"Mar 14\n" + filler + b"\nEvil " + override + b"title here\n" + b"Words " * 60
    assert data.index(override) == HEAD_SIZE - 1
    papers = list(iter_papers(io.BytesIO(data), "cut.txt"))
    assert [paper.title for paper in papers] == ["Evil title here"]
