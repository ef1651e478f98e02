"""Streaming parser for the text a person gets with select-all + copy on the Daily Papers page.

A copy is a run of paragraphs, one per line, in this order (GUIDE §1a)::

    new / Get trending papers ... / Subscribe / Daily Papers / byAK ...   page header
    Mar 14                                                                 list label
    TITLE
    ABSTRACT
      • 5 authors        \\
    ·                     > metadata block, only in the second variant
    Sep 5, 2024 2        /  published date (year omitted in the current year), upvotes

How a line is classified (after stripping surrounding whitespace and turning non-breaking
spaces into spaces; blank lines mean nothing, so copies with runs of blank lines or none at
all parse the same):

- longer than `TITLE_MAX` (300) characters: an abstract (titles are short, abstracts long);
- `• N authors`, `·`, month + day [+ `, year`] [+ upvotes]: the metadata block after an
  abstract. A date line with a year or upvotes is always a published date; a bare
  `Mar 14` is one only after the authors line or `·`, and elsewhere a list label that
  starts a page. Metadata out of place is stray, and so is a `·` right after an abstract
  that no date line follows;
- one of `HEADER_LINES`: page furniture, ends the paper before it and is otherwise ignored
  (the list label stays until the next label line);
- stray: `STRAY_LINES` (page widgets such as `Upvote`, `View all`), `Submitted by ...`,
  lines without a letter (`12`, `—`): skipped and counted;
- at least two words, at most `TITLE_MAX` characters: a title, or the short abstract of
  the title before it (see below);
- a single word: a title only when an abstract (a long line) follows it, else stray.

The order of lines settles the rest. A title waits for its abstract. A short line after a
waiting title is held: if a long line follows it, the held line was the next title and the
waiting one is stray; if a title, metadata, a label or the end follows, the held line was a
short abstract. A paper is yielded as soon as it is known to be complete: right after the
date line of its metadata block, else when the next title, header or label arrives, or at
the end. A title still waiting at the end is a truncated entry, not a paper; an abstract
cut short is still a paper. Nothing stray is ever glued into a title or an abstract.

A published date without a year (`Aug 3`) is taken to be in the current year, because the
page omits the year of dates in the current year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from itertools import chain

from parsing.model import Paper
from parsing.report import ParseReport

TITLE_MAX = 300
HEADER_LINES = frozenset(
    {
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
    }
)
STRAY_LINES = frozenset(
    {
        "Upvote",
        "Upvoted",
        "View all",
        "Load more",
        "Show more",
        "Show less",
        "See all",
        "Share",
        "Copy link",
        "Previous",
        "Next",
        "Search",
        "Trending",
        "Daily",
        "Weekly",
        "Monthly",
        "Log In",
        "Sign Up",
        "View arXiv page",
        "View PDF",
        "Add to collection",
        "Submitted by",
    }
)
STRAY_PREFIXES = ("Submitted by ",)
MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}

_MONTH_WORDS = frozenset(MONTHS) | {
    "January", "February", "March", "April", "June", "July", "August", "Sept", "September",
    "October", "November", "December",
}  # fmt: skip
_LETTER = re.compile(r"[^\W\d_]")

# Kinds of short lines.
_TITLE, _WORD, _STRAY, _HEADER, _DAY, _DATED, _AUTHOR_COUNT, _DOT = range(8)
_AS_TITLE, _AS_WORD, _AS_STRAY, _AS_HEADER, _AS_DOT = (
    (kind, None) for kind in (_TITLE, _WORD, _STRAY, _HEADER, _DOT)
)
_FURNITURE = dict.fromkeys(HEADER_LINES, _AS_HEADER) | dict.fromkeys(STRAY_LINES, _AS_STRAY)
# How far the metadata block after an abstract got; a loose dot is a `·` right after the
# abstract, stray unless a date line follows it.
_NO_BLOCK, _AUTHORS_SEEN, _DOT_SEEN, _LOOSE_DOT = range(4)


def parse_text_lines(
    lines: Iterable[str], report: ParseReport | None = None, *, today: date | None = None
) -> Iterator[Paper]:
    """Yield the papers of a text copy, each as soon as it is complete.

    `lines` may keep their line endings. A published date without a year (`Aug 3`) is in
    the year of `today` (default: `date.today()`), because the page omits the current year.
    Stray lines and a truncated last entry are counted in `report`.
    """
    if report is None:
        report = ParseReport("text")
    report.format = "text"
    return _papers(lines, report, (today or date.today()).year)


def text_lines(chunks: Iterable[str]) -> Iterator[str]:
    """Lines (without endings) of text arriving in chunks; CRLF, CR and LF all end a line."""
    return chain.from_iterable(_line_batches(chunks))


def _line_batches(chunks: Iterable[str]) -> Iterator[list[str]]:
    """The complete lines of each chunk; a line spanning chunks is joined once it ends."""
    unfinished: list[str] = []  # pieces of a line still waiting for its end
    carried_cr = False  # the chunk before ended with "\r": a CRLF may span the two
    for chunk in chunks:
        if carried_cr:
            chunk = "\r" + chunk
        carried_cr = chunk.endswith("\r")
        if carried_cr:
            chunk = chunk[:-1]
        if "\r" in chunk:
            chunk = chunk.replace("\r\n", "\n").replace("\r", "\n")
        if "\n" not in chunk:
            unfinished.append(chunk)
            continue
        lines = chunk.split("\n")
        if unfinished:
            unfinished.append(lines[0])
            lines[0] = "".join(unfinished)
        unfinished = [lines.pop()]
        yield lines
    last = "".join(unfinished)
    if carried_cr or last:
        yield [last]


def _papers(lines: Iterable[str], report: ParseReport, year: int) -> Iterator[Paper]:
    """The state machine of the module docstring; one line at a time, at most one paper out.

    Written for speed: blank lines and abstracts cost a few string tests, short lines one
    call. A draft is the list of `Paper` arguments of a paper whose metadata block may
    still follow; `stage` says how far that block got.
    """
    lists: tuple[str, ...] = ()
    draft: list | None = None  # never set while `title` is
    stage = _NO_BLOCK
    title: str | None = None  # a title waiting for its abstract
    held: str | None = None  # a short line after `title`: its abstract, or the next title
    word: str | None = None  # a one-word line: a title only if an abstract follows
    for line in lines:
        if not line:
            continue
        text = line.strip()
        if not text:
            continue
        if "\xa0" in text or "\ufeff" in text:
            text = " ".join(text.replace("\ufeff", "").split())
            if not text:
                continue
        if len(text) > TITLE_MAX:  # an abstract
            if title is not None:
                if held is not None:
                    report.stray_lines += 1  # `title` never got an abstract
                    title, held = held, None
                draft = [title, text, None, (), None, None, None, lists]
                stage = _NO_BLOCK
                title = None
                continue
            if word is None:
                report.stray_lines += 1  # an abstract without a title
                continue
            done = draft
            if stage == _LOOSE_DOT:
                report.stray_lines += 1
            draft = [word, text, None, (), None, None, None, lists]
            stage = _NO_BLOCK
            word = None
            if done is None:
                continue
        else:
            kind, value = _classify(text, year)
            if word is not None:
                report.stray_lines += 1
                word = None
            if kind == _TITLE:
                if title is None:
                    title = text
                    if draft is None:
                        continue
                    done, draft = draft, None
                elif held is None:
                    held = text
                    continue
                else:
                    done = [title, held, None, (), None, None, None, lists]
                    title, held = text, None
            elif kind == _WORD:
                if title is None:
                    word = text
                else:
                    report.stray_lines += 1
                continue
            elif kind == _STRAY:
                report.stray_lines += 1
                continue
            elif kind == _HEADER:
                if draft is None:
                    continue
                done, draft = draft, None
            else:
                if held is not None:  # metadata or a label after a short line: an abstract
                    draft = [title, held, None, (), None, None, None, lists]
                    stage = _NO_BLOCK
                    title = held = None
                if kind == _AUTHOR_COUNT:
                    if draft is not None and stage in (_NO_BLOCK, _LOOSE_DOT):
                        if stage == _LOOSE_DOT:
                            report.stray_lines += 1  # a `·` before the authors line
                        draft[2] = value
                        stage = _AUTHORS_SEEN
                    else:
                        report.stray_lines += 1
                    continue
                if kind == _DOT:
                    if draft is not None and stage in (_NO_BLOCK, _AUTHORS_SEEN):
                        stage = _LOOSE_DOT if stage == _NO_BLOCK else _DOT_SEEN
                    else:
                        report.stray_lines += 1
                    continue
                if kind == _DATED or (draft is not None and stage != _NO_BLOCK):  # published
                    if draft is None:
                        report.stray_lines += 1
                        continue
                    draft[4], draft[5], draft[6] = value
                    done, draft = draft, None
                    stage = _NO_BLOCK
                else:  # a bare month and day outside a metadata block: a list label
                    if title is not None:
                        report.stray_lines += 1
                        title = None
                    lists = (value[0],)
                    if draft is None:
                        continue
                    done, draft = draft, None
        if stage == _LOOSE_DOT:
            report.stray_lines += 1
        stage = _NO_BLOCK
        report.papers += 1
        yield Paper(*done)
    if word is not None:
        report.stray_lines += 1
    if held is not None:
        draft = [title, held, None, (), None, None, None, lists]
    elif title is not None:
        report.truncated = True
    if draft is not None:
        if stage == _LOOSE_DOT:
            report.stray_lines += 1
        report.papers += 1
        yield Paper(*draft)


def _classify(text: str, year: int) -> tuple[int, object]:
    """The kind of a short non-blank line, and its value for metadata and labels."""
    first = text[0]
    if first.isalpha():  # titles, header lines, dates, widget labels: the common case
        if text[:3] in MONTHS:
            dated = _parse_date(text, year)
            if dated is not None:
                return dated
        kind = _FURNITURE.get(text)
        if kind is not None:
            return kind
        if text.startswith(STRAY_PREFIXES):
            return _AS_STRAY
        return _AS_TITLE if " " in text else _AS_WORD
    if first == "•":
        parts = text[1:].split()
        if len(parts) == 2 and _is_number(parts[0]) and parts[1] in ("authors", "author"):
            return _AUTHOR_COUNT, int(parts[0])
        return _AS_STRAY
    if text == "·":
        return _AS_DOT
    if not _LETTER.search(text):
        return _AS_STRAY
    return _AS_TITLE if " " in text else _AS_WORD


@lru_cache(maxsize=16384)  # a list repeats dates; a miss costs ~3 us, a hit ~0.1 us
def _parse_date(text: str, year: int) -> tuple[int, tuple[str, date | None, int | None]] | None:
    """`Sep 5, 2024 2` -> (_DATED, ("Sep 5, 2024", its date, 2 upvotes)); `Mar 14` is a _DAY.

    None when the line is not month + day [+ `, year`] [+ upvotes].
    """
    parts = text.split(" ")
    if not 2 <= len(parts) <= 4 or parts[0] not in _MONTH_WORDS:
        return None
    day, rest = parts[1], parts[2:]
    stated_year = None
    if day.endswith(","):
        if not rest or len(rest[0]) != 4 or not _is_number(rest[0]):
            return None
        day, stated_year, rest = day[:-1], int(rest[0]), rest[1:]
    if len(day) > 2 or not _is_number(day) or len(rest) > 1:
        return None
    upvotes = None
    if rest:
        if not _is_number(rest[0]):
            return None
        upvotes = int(rest[0])
    published = text if upvotes is None else text[: text.rindex(" ")]
    try:
        when: date | None = date(stated_year or year, MONTHS[text[:3]], int(day))
    except ValueError:
        when = None
    kind = _DAY if stated_year is None and upvotes is None else _DATED
    return kind, (published, when, upvotes)


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()
