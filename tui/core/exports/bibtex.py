"""BibTeX: one `@misc` entry per paper, for a reference manager or a LaTeX paper.

A field's value is written in braces, and the data never adds a brace of its own: BibTeX
counts every `{` and `}` in a value, even after a backslash, so an unbalanced `}` in a title
would end the field and let the rest of the title write entries. Braces, the backslash,
`^` and `~` become text commands (`\\textbraceright{}`), the other LaTeX specials get a
backslash, and the only braces left are the balanced ones written here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from parsing.links import is_arxiv_id
from parsing.model import Paper
from tui.core.exports.items import ExportItem, note_lines

_LATEX_SPECIALS = re.compile(r"[\\{}^~$&%#_]")
_SPELLED = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
# Lower-case words that belong to a last name ("van Gogh"), best effort.
PARTICLES = frozenset(
    (
        "da",
        "das",
        "de",
        "del",
        "della",
        "der",
        "di",
        "dos",
        "du",
        "la",
        "le",
        "ten",
        "ter",
        "van",
        "von",
        "zu",
    )
)
# Words a BibTeX name list gives a meaning to: kept as words by braces.
_NAME_WORDS = frozenset(("and", "others"))
# Title words passed over for a key's "first word".
_KEY_SKIPS = frozenset(("a", "an", "the", "on", "of"))
_NOT_KEY_CHARACTER = re.compile(r"[^a-z0-9]+")


def escape_latex(text: str) -> str:
    """`text` as LaTeX text that reads as `text`, with no brace of its own."""
    return _LATEX_SPECIALS.sub(lambda found: _SPELLED.get(found[0], "\\" + found[0]), text)


def _title(title: str) -> str:
    """The title escaped; a word with a capital past its first letter (BERT, LLaMA) is
    braced so that a style that lower-cases titles keeps it."""
    words = (
        f"{{{escape_latex(word)}}}" if any(c.isupper() for c in word[1:]) else escape_latex(word)
        for word in title.split(" ")
    )
    return " ".join(words)


def _name_word(word: str) -> str:
    escaped = escape_latex(word)
    return f"{{{escaped}}}" if word.lower() in _NAME_WORDS else escaped


def bibtex_name(name: str) -> str:
    """`Last, First` (`van Gogh, Vincent`); a one-word name as it is; a name with a comma
    braced whole, so that it stays one name."""
    if "," in name:
        return f"{{{escape_latex(name)}}}"
    words = [_name_word(word) for word in name.split()]
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    if start < 1:
        return " ".join(words)
    return f"{' '.join(words[start:])}, {' '.join(words[:start])}"


def _year(paper: Paper) -> str:
    if paper.published_date:
        return str(paper.published_date.year)
    on = paper.submitted_on or ""
    return on[:4] if on[:4].isdigit() else ""


def _fold(word: str) -> str:
    """`word` in lower-case ASCII letters and digits only (é becomes e)."""
    ascii_word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return _NOT_KEY_CHARACTER.sub("", ascii_word.lower())


def _base_key(paper: Paper) -> str:
    """`lastnameYEARfirstword`: the first author's last word, the year, the title's first
    word that says something."""
    names = paper.author_names
    last = _fold(names[0].split()[-1]) if names else ""
    words = [folded for word in paper.title.split() if (folded := _fold(word))]
    first = next((word for word in words if word not in _KEY_SKIPS), words[0] if words else "")
    return f"{last or 'anon'}{_year(paper)}{first}"


def _suffixes() -> Iterable[str]:
    """a, b, …, z, then aa, ab, …"""
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters
    yield from (first + second for first in letters for second in letters)


def unique_keys(papers: Iterable[Paper]) -> list[str]:
    """Each paper's key; a key taken already gets the first free of a, b, c, …"""
    taken: set[str] = set()
    keys = []
    for paper in papers:
        base = key = _base_key(paper)
        suffixes = _suffixes()
        while key in taken:
            key = base + next(suffixes)
        taken.add(key)
        keys.append(key)
    return keys


def _verbatim_url(url: str) -> str:
    """A URL as a `url` field takes it: ours and `safe_link`'s are percent-encoded and hold
    no brace or backslash; should one ever, it is percent-encoded too."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def bibtex_fields(item: ExportItem) -> list[tuple[str, str]]:
    """The entry's (name, value) pairs, values as written between the braces."""
    paper = item.paper
    fields = [("title", _title(paper.title))]
    if paper.author_names:
        fields.append(("author", " and ".join(map(bibtex_name, paper.author_names))))
    if year := _year(paper):
        fields.append(("year", year))
    if is_arxiv_id(paper.arxiv_id):
        fields += [("eprint", escape_latex(paper.arxiv_id)), ("archivePrefix", "arXiv")]
        fields.append(("url", _verbatim_url(paper.arxiv_url or paper.url)))
    else:
        fields += [("url", _verbatim_url(paper.url)), ("howpublished", "Hugging Face papers")]
    if note := " ".join(note_lines(item.note)):
        fields.append(("note", escape_latex(note)))
    if item.tags:
        fields.append(("keywords", escape_latex(", ".join(item.tags))))
    return fields


def render_bibtex(items: list[ExportItem]) -> str:
    """Every paper as an `@misc` entry, a blank line between entries."""
    entries = []
    for key, item in zip(unique_keys(item.paper for item in items), items, strict=True):
        lines = [f"  {name} = {{{value}}}," for name, value in bibtex_fields(item)]
        entries.append("\n".join([f"@misc{{{key},", *lines, "}"]) + "\n")
    return "\n".join(entries)
