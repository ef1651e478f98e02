"""The paper record shared by every input format."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote_plus

HF_PAPERS_URL = "https://huggingface.co/papers"
ARXIV_URL = "https://arxiv.org"

_NON_WORD = re.compile(r"[\W_]+")
_ASCII_NON_WORD_TO_SPACE = str.maketrans(
    {chr(code): " " for code in range(128) if not chr(code).isalnum()}
)


def paper_key(title: str) -> str:
    """Stable identity of a paper: its title, case, punctuation and whitespace folded.

    A copied page has no ids, so the normalised title is what carries marks across
    formats and days. ASCII titles (nearly all) take a path five times faster that gives
    the same key.
    """
    if title.isascii():
        return " ".join(title.lower().translate(_ASCII_NON_WORD_TO_SPACE).split())
    folded = unicodedata.normalize("NFKC", title).casefold()
    return _NON_WORD.sub(" ", folded).strip()


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper as read from a list; `key` is derived from the title."""

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
    key: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", paper_key(self.title))

    @property
    def url(self) -> str:
        """The paper's Hugging Face page, or a Hugging Face search when the id is unknown."""
        if self.arxiv_id:
            return f"{HF_PAPERS_URL}/{self.arxiv_id}"
        return f"{HF_PAPERS_URL}?q={quote_plus(self.title)}"

    @property
    def arxiv_url(self) -> str | None:
        return f"{ARXIV_URL}/abs/{self.arxiv_id}" if self.arxiv_id else None

    @property
    def pdf_url(self) -> str | None:
        return f"{ARXIV_URL}/pdf/{self.arxiv_id}" if self.arxiv_id else None

    @property
    def author_count(self) -> int | None:
        """Author count as known: the stated count, else the number of names."""
        if self.authors is not None:
            return self.authors
        return len(self.author_names) or None
