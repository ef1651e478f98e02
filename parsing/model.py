"""The paper record shared by every input format."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from operator import attrgetter
from typing import Any
from urllib.parse import quote, quote_plus

from parsing.clean import clean_text, clean_texts
from parsing.links import is_arxiv_id

HF_PAPERS_URL = "https://huggingface.co/papers"
ARXIV_URL = "https://arxiv.org"

_NON_WORD = re.compile(r"[\W_]+")
# ASCII letters and digits lower-cased, every other ASCII byte a space.
ASCII_FOLD = bytes(
    (ord(chr(code).lower()) if chr(code).isalnum() else 32) if code < 128 else code
    for code in range(256)
)
_ASCII_FOLD_LINES = ASCII_FOLD[:10] + b"\n" + ASCII_FOLD[11:]  # the same, but keeps "\n"
_SPACE_RUNS = re.compile(rb"  +")


def paper_key(title: str) -> str:
    """Stable identity of a paper: its title, case, punctuation and whitespace folded.

    A copied page has no ids, so the normalised title is what carries marks across
    formats and days. ASCII titles (nearly all) take a path on bytes, three times
    faster, that gives the same key.
    """
    if title.isascii():
        return b" ".join(title.encode().translate(ASCII_FOLD).split()).decode()
    folded = unicodedata.normalize("NFKC", title).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def paper_keys(titles: list[str]) -> list[str]:
    """`[paper_key(title) for title in titles]`, faster when the titles are ASCII lines:
    they are folded all at once, joined by newlines, instead of one by one."""
    joined = "\n".join(titles)
    if not joined.isascii() or joined.count("\n") != len(titles) - 1:
        return list(map(paper_key, titles))
    folded = _SPACE_RUNS.sub(b" ", joined.encode().translate(_ASCII_FOLD_LINES)).decode()
    return list(map(str.strip, folded.split("\n")))


@dataclass(frozen=True, slots=True, init=False)
class Paper:
    """One paper as read from a list; `key` is derived from the title.

    Its text is clean (`parsing.clean`): the constructor cleans every text field, and the
    parsers that build papers with `new_paper` clean what they read first.

    Built by `__new__` through `new_paper`, not by the dataclass `__init__`, whose
    `object.__setattr__` per field made a paper cost 3 us to build; everything else
    (fields, `dataclasses.replace`, equality, hashing, immutability) is the dataclass's.
    """

    title: str
    abstract: str = ""
    authors: int | None = None
    author_names: tuple[str, ...] = ()
    published: str | None = None
    published_date: date | None = None
    upvotes: int | None = None
    lists: tuple[str, ...] = ()
    arxiv_id: str | None = None
    github_repo: str | None = None
    project_page: str | None = None
    ai_summary: str | None = None  # the API's one-line TL;DR
    ai_keywords: tuple[str, ...] = ()
    organization: str | None = None
    comments: int | None = None
    github_stars: int | None = None
    submitted_by: str | None = None  # who put it on the daily list
    submitted_on: str | None = None  # ISO date it was put there
    key: str = field(init=False, compare=False)

    def __new__(
        cls,
        title: str,
        abstract: str = "",
        authors: int | None = None,
        author_names: tuple[str, ...] = (),
        published: str | None = None,
        published_date: date | None = None,
        upvotes: int | None = None,
        lists: tuple[str, ...] = (),
        arxiv_id: str | None = None,
        github_repo: str | None = None,
        project_page: str | None = None,
        ai_summary: str | None = None,
        ai_keywords: tuple[str, ...] = (),
        organization: str | None = None,
        comments: int | None = None,
        github_stars: int | None = None,
        submitted_by: str | None = None,
        submitted_on: str | None = None,
    ) -> Paper:
        title = clean_text(title)
        return new_paper(
            title,
            clean_text(abstract),
            authors,
            clean_texts(author_names),
            _clean_or_none(published),
            published_date,
            upvotes,
            clean_texts(lists),
            _clean_or_none(arxiv_id),
            _clean_or_none(github_repo),
            _clean_or_none(project_page),
            _clean_or_none(ai_summary),
            clean_texts(ai_keywords),
            _clean_or_none(organization),
            comments,
            github_stars,
            _clean_or_none(submitted_by),
            _clean_or_none(submitted_on),
            paper_key(title),
        )

    def __getnewargs__(self) -> tuple[Any, ...]:
        """What `copy` and `pickle` pass to `__new__`: every field but `key`."""
        return paper_fields(self)[:-1]

    @property
    def url(self) -> str:
        """The paper's Hugging Face page, or a Hugging Face search when the id is unknown
        (or not an arXiv id)."""
        if is_arxiv_id(self.arxiv_id):
            return f"{HF_PAPERS_URL}/{quote(self.arxiv_id)}"
        return f"{HF_PAPERS_URL}?q={quote_plus(self.title)}"

    @property
    def arxiv_url(self) -> str | None:
        return f"{ARXIV_URL}/abs/{quote(self.arxiv_id)}" if is_arxiv_id(self.arxiv_id) else None

    @property
    def pdf_url(self) -> str | None:
        return f"{ARXIV_URL}/pdf/{quote(self.arxiv_id)}" if is_arxiv_id(self.arxiv_id) else None

    @property
    def author_count(self) -> int | None:
        """Author count as known: the stated count, else the number of names."""
        if self.authors is not None:
            return self.authors
        return len(self.author_names) or None


def _clean_or_none(text: str | None) -> str | None:
    return clean_text(text) or None if text else None


# Every field of a paper in `new_paper`'s order (the dataclass's, `key` last).
paper_fields: Callable[[Paper], tuple[Any, ...]] = attrgetter(
    *(item.name for item in fields(Paper))
)


class _PaperDraft:
    """A `Paper` under construction: the same slots, but writable.

    Plain attribute stores fill them (Python's fastest way to set slots), then the object
    becomes a `Paper` by `__class__` assignment, which Python allows between classes with
    the same slots. About 0.35 us a paper.
    """

    __slots__ = Paper.__slots__  # type: ignore[attr-defined]

    def __init__(
        self,
        title: str,
        abstract: str,
        authors: int | None,
        author_names: tuple[str, ...],
        published: str | None,
        published_date: date | None,
        upvotes: int | None,
        lists: tuple[str, ...],
        arxiv_id: str | None,
        github_repo: str | None,
        project_page: str | None,
        ai_summary: str | None,
        ai_keywords: tuple[str, ...],
        organization: str | None,
        comments: int | None,
        github_stars: int | None,
        submitted_by: str | None,
        submitted_on: str | None,
        key: str,
    ) -> None:
        self.title = title
        self.abstract = abstract
        self.authors = authors
        self.author_names = author_names
        self.published = published
        self.published_date = published_date
        self.upvotes = upvotes
        self.lists = lists
        self.arxiv_id = arxiv_id
        self.github_repo = github_repo
        self.project_page = project_page
        self.ai_summary = ai_summary
        self.ai_keywords = ai_keywords
        self.organization = organization
        self.comments = comments
        self.github_stars = github_stars
        self.submitted_by = submitted_by
        self.submitted_on = submitted_on
        self.key = key
        self.__class__ = Paper  # type: ignore[assignment]


# A paper from every field, positionally, `key` last (it must be `paper_key(title)`): the
# fast way for parsers, which may compute the key more cheaply themselves. The text fields
# must be clean already (`parsing.clean`): the parsers clean what they read.
new_paper: Callable[..., Paper] = _PaperDraft  # type: ignore[assignment]
