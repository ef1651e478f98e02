"""Streaming parser for the text a person gets with select-all + copy on the Daily Papers page.

A copy is a run of paragraphs, one per line, in this order::

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
date line of its metadata block (or, when the papers after it in the same chunk of text
have one too, together with them), else when the next title, header or label arrives, or
at the end. A title still waiting at the end is a truncated entry, not a paper; an
abstract cut short is still a paper. Nothing stray is ever glued into a title or an
abstract.

So "complete" for a text copy means: its date line has arrived (a copy with metadata),
or the line after it has (a plain copy: until then an authors line or a date may still
belong to the paper, and a short line after a title may be its abstract or the next
title). A line is only read once its line end arrives. Through a pipe that stays open,
the last paper of a plain copy therefore shows when the next line or the end comes.

A published date without a year (`Aug 3`) is taken to be in the current year, because the
page omits the year of dates in the current year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from datetime import date
from functools import lru_cache
from itertools import chain, repeat
from typing import Any

from parsing.clean import clean_text, is_clean
from parsing.model import Paper, new_paper, paper_key, paper_keys
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
_TITLE, _WORD, _STRAY, _HEADER, _AUTHOR_COUNT, _DOT, _DAY, _DATED = range(8)
_AS_TITLE, _AS_WORD, _AS_STRAY, _AS_HEADER, _AS_DOT = (
    (kind, None) for kind in (_TITLE, _WORD, _STRAY, _HEADER, _DOT)
)
_FURNITURE = dict.fromkeys(HEADER_LINES, _AS_HEADER) | dict.fromkeys(STRAY_LINES, _AS_STRAY)
_FURNITURE_MAX = max(map(len, _FURNITURE))  # a longer line is no page furniture
# How far the metadata block after an abstract got; a loose dot is a `·` right after the
# abstract, stray unless a date line follows it.
_NO_BLOCK, _AUTHORS_SEEN, _DOT_SEEN, _LOOSE_DOT = range(4)
_Dated = tuple[str | None, date | None, int | None]  # published, its date, upvotes
_UNDATED: _Dated = (None, None, None)  # a paper without a date line
_KNOWN_MAX = 65536  # short lines remembered per parse: metadata repeats, titles do not
# A line starting with one of these goes the long way through `_classify`.
# The defaults of every field after `lists` but `key`: ids, links and the API's extras,
# which a text copy never has.
_NOTHING_MORE = tuple(
    item.default for item in fields(Paper)[[f.name for f in fields(Paper)].index("lists") + 1 : -1]
)
_NOT_TITLE_STARTS = frozenset(MONTHS) | {prefix[:3] for prefix in STRAY_PREFIXES}


def parse_text_lines(
    lines: Iterable[str], report: ParseReport | None = None, *, today: date | None = None
) -> Iterator[Paper]:
    """Yield the papers of a text copy, each as soon as it is complete.

    `lines` may keep their line endings. A published date without a year (`Aug 3`) is in
    the year of `today` (default: `date.today()`), because the page omits the current year.
    Stray lines and a truncated last entry are counted in `report`.
    """
    return _parse(zip(filter(None, map(clean_text, lines))), report, today)  # one-line batches


def parse_text_chunks(
    chunks: Iterable[str], report: ParseReport | None = None, *, today: date | None = None
) -> Iterator[Paper]:
    """`parse_text_lines(text_lines(chunks), ...)`, faster: whole chunks are cleaned at once."""
    checked = ((chunk, is_clean(chunk, lines=True)) for chunk in chunks)
    return parse_checked_text_chunks(checked, report, today=today)


def parse_checked_text_chunks(
    chunks: Iterable[tuple[str, bool]],
    report: ParseReport | None = None,
    *,
    today: date | None = None,
) -> Iterator[Paper]:
    """`parse_text_chunks` of chunks that come with `is_clean(chunk, lines=True)`, as
    `parsing.sources` works it out from their bytes (`parsing.clean.LinesCheck`)."""
    return _parse(map(_cleaned, _line_batches(chunks)), report, today)


def text_lines(chunks: Iterable[str]) -> Iterator[str]:
    """Lines (without endings) of text arriving in chunks; CRLF, CR and LF all end a line."""
    return chain.from_iterable(lines for lines, _ in _line_batches(zip(chunks, repeat(True))))


def _parse(
    batches: Iterable[Sequence[str]], report: ParseReport | None, today: date | None
) -> Iterator[Paper]:
    if report is None:
        report = ParseReport("text")
    report.format = "text"
    return _papers(batches, report, (today or date.today()).year)


def _cleaned(batch: tuple[list[str], bool]) -> list[str]:
    """The non-blank lines of a batch, cleaned (`parsing.clean`: a line as the parser reads
    it is stripped, and has no control or format character, no-break space or byte-order
    mark); stripped in C unless some need more."""
    lines, plain = batch
    return list(filter(None, map(str.strip if plain else clean_text, lines)))


def _line_batches(chunks: Iterable[tuple[str, bool]]) -> Iterator[tuple[list[str], bool]]:
    """The complete lines of each chunk, and whether all of them are clean but for their
    ends (`parsing.clean.is_clean`); a line spanning chunks is joined once it ends."""
    unfinished: list[str] = []  # pieces of a line still waiting for its end
    unfinished_plain = True
    carried_cr = False  # the chunk before ended with "\r": a CRLF may span the two
    for chunk, plain in chunks:
        if carried_cr:
            chunk = "\r" + chunk
        carried_cr = chunk.endswith("\r")
        if carried_cr:
            chunk = chunk[:-1]
        if "\r" in chunk:
            chunk = chunk.replace("\r\n", "\n").replace("\r", "\n")
        if "\n" not in chunk:
            unfinished.append(chunk)
            unfinished_plain = unfinished_plain and plain
            continue
        lines = chunk.split("\n")
        if unfinished:
            unfinished.append(lines[0])
            lines[0] = "".join(unfinished)
            plain = plain and unfinished_plain
        unfinished = [lines.pop()]
        unfinished_plain = plain
        yield lines, plain
    last = "".join(unfinished)
    if carried_cr or last:
        yield [last], unfinished_plain


def _papers(batches: Iterable[Sequence[str]], report: ParseReport, year: int) -> Iterator[Paper]:
    """The state machine of the module docstring over batches of clean non-blank lines.

    Written for speed, as it is most of the parse time. A title at rest followed in its
    batch by an abstract and a metadata block is taken in one step with them, and with
    the like records after it (see `_metadata_run`): most of a copy with metadata goes
    that way. Other lines go one at a time; a short line seen before (metadata, page
    furniture) costs one dict lookup, and a title a few string tests.

    The draft (`d_title` and the `d_` fields after it) is a paper whose metadata block
    may still follow; `stage` says how far that block got. A date line completes the
    draft, so a draft has no date.
    """
    known: dict[str, tuple[int, Any]] = {}  # short lines classified so far, but titles
    lists: tuple[str, ...] = ()
    d_title: str | None = None  # never set while `title` is
    d_abstract = ""
    d_authors: int | None = None
    d_lists = lists
    stage = _NO_BLOCK  # always _NO_BLOCK without a draft
    title: str | None = None  # a title waiting for its abstract
    held: str | None = None  # a short line after `title`: its abstract, or the next title
    word: str | None = None  # a one-word line: a title only if an abstract follows
    for batch in batches:
        end = len(batch)
        at = 0
        while at < end:
            text = batch[at]
            at += 1
            if len(text) > TITLE_MAX:  # an abstract
                if title is not None:
                    if held is not None:
                        report.stray_lines += 1  # `title` never got an abstract
                        title, held = held, None
                    d_title, d_abstract, d_authors, d_lists = title, text, None, lists
                    title = None
                    continue
                if word is None:
                    report.stray_lines += 1  # an abstract without a title
                    continue
                if d_title is None:
                    d_title, d_abstract, d_authors, d_lists = word, text, None, lists
                    word = None
                    continue
                done = _paper(d_title, d_abstract, d_authors, _UNDATED, d_lists)
                d_title, d_abstract, d_authors, d_lists = word, text, None, lists
                word = None
            else:
                if (
                    text[0].isalpha()
                    and " " in text
                    and text[:3] not in _NOT_TITLE_STARTS
                    and (len(text) > _FURNITURE_MAX or text not in _FURNITURE)
                ):  # a title: `_is_title`, inline as most lines take this test
                    kind = _TITLE
                else:
                    classified = known.get(text)
                    if classified is None:
                        classified = _remember(known, text, year)
                    kind, value = classified
                if word is not None:
                    report.stray_lines += 1
                    word = None
                if kind == _TITLE:
                    if title is not None:
                        if held is None:
                            held = text
                            continue
                        done = _paper(title, held, None, _UNDATED, lists)
                        title, held = text, None
                    elif at < end and len(batch[at]) > TITLE_MAX:  # and its abstract next
                        if d_title is None:
                            run = _metadata_run(batch, at - 1, known, lists, year)
                            if run:  # and the metadata block after them, and more such
                                at += 5 * len(run) - 1
                                report.papers += len(run)
                                yield from run
                                continue
                            d_title, d_abstract, d_authors, d_lists = text, batch[at], None, lists
                            at += 1
                            continue
                        abstract = batch[at]
                        at += 1
                        done = _paper(d_title, d_abstract, d_authors, _UNDATED, d_lists)
                        d_title, d_abstract, d_authors, d_lists = text, abstract, None, lists
                    else:
                        title = text
                        if d_title is None:
                            continue
                        done = _paper(d_title, d_abstract, d_authors, _UNDATED, d_lists)
                        d_title = None
                elif kind >= _AUTHOR_COUNT:  # metadata, or a label
                    if held is not None:  # after a short line, which was an abstract then
                        d_title, d_abstract, d_authors, d_lists = title, held, None, lists
                        title = held = None
                    if kind == _DATED or (kind == _DAY and stage != _NO_BLOCK):  # published
                        if d_title is None:
                            report.stray_lines += 1
                            continue
                        done = _paper(d_title, d_abstract, d_authors, value, d_lists)
                        d_title = None
                        stage = _NO_BLOCK
                    elif kind == _AUTHOR_COUNT:
                        if d_title is not None and stage in (_NO_BLOCK, _LOOSE_DOT):
                            if stage == _LOOSE_DOT:
                                report.stray_lines += 1  # a `·` before the authors line
                            d_authors = value
                            stage = _AUTHORS_SEEN
                        else:
                            report.stray_lines += 1
                        continue
                    elif kind == _DOT:
                        if d_title is not None and stage in (_NO_BLOCK, _AUTHORS_SEEN):
                            stage = _LOOSE_DOT if stage == _NO_BLOCK else _DOT_SEEN
                        else:
                            report.stray_lines += 1
                        continue
                    else:  # a bare month and day outside a metadata block: a list label
                        if title is not None:
                            report.stray_lines += 1
                            title = None
                        lists = (value[0],)
                        if d_title is None:
                            continue
                        done = _paper(d_title, d_abstract, d_authors, _UNDATED, d_lists)
                        d_title = None
                elif kind == _WORD:
                    if title is None:
                        word = text
                    else:
                        report.stray_lines += 1
                    continue
                elif kind == _STRAY:
                    report.stray_lines += 1
                    continue
                else:  # page header
                    if d_title is None:
                        continue
                    done = _paper(d_title, d_abstract, d_authors, _UNDATED, d_lists)
                    d_title = None
            # `done` is complete; so is the metadata block of the draft, if it had one
            if stage == _LOOSE_DOT:
                report.stray_lines += 1
            stage = _NO_BLOCK
            report.papers += 1
            yield done
    if word is not None:
        report.stray_lines += 1
    if held is not None:
        d_title, d_abstract, d_authors, d_lists = title, held, None, lists
    elif title is not None:
        report.truncated = True
    if d_title is not None:
        if stage == _LOOSE_DOT:
            report.stray_lines += 1
        report.papers += 1
        yield _paper(d_title, d_abstract, d_authors, _UNDATED, d_lists)


def _paper(
    title: str,
    abstract: str,
    authors: int | None,
    dated: tuple[str | None, date | None, int | None],
    lists: tuple[str, ...],
) -> Paper:
    """A paper of a text copy (which has no author names, ids, links or the API's extras)."""
    published, when, upvotes = dated
    key = paper_key(title)
    return new_paper(
        title, abstract, authors, (), published, when, upvotes, lists, *_NOTHING_MORE, key
    )


def _metadata_run(
    batch: Sequence[str],
    at: int,
    known: dict[str, tuple[int, Any]],
    lists: tuple[str, ...],
    year: int,
) -> list[Paper]:
    """The papers of the metadata records that follow one another in `batch` from `at`:
    a title (by `_is_title`), an abstract, `• N authors` (seen before, so in `known`),
    `·`, a date line (by `_published`). Empty if there is none at `at`.

    The state machine reads such a record, from rest, into this very paper and back to
    rest: taking a whole run in one loop spares it five steps per paper, and lets the
    papers and their keys be built in bulk.
    """
    titles: list[str] = []
    abstracts: list[str] = []
    authors: list[int] = []
    dated: list[_Dated] = []
    last = len(batch) - 4  # a record is five lines
    while at < last:
        title = batch[at]
        abstract = batch[at + 1]
        if len(abstract) <= TITLE_MAX or batch[at + 3] != "·" or not _is_title(title):
            break
        count = known.get(batch[at + 2])
        if count is None or count[0] != _AUTHOR_COUNT:
            break
        published = _published(batch[at + 4], known, year)
        if published is None:
            break
        titles.append(title)
        abstracts.append(abstract)
        authors.append(count[1])
        dated.append(published)
        at += 5
    if not titles:
        return []
    days, whens, upvotes = zip(*dated, strict=True)
    return list(
        map(
            new_paper,
            titles,
            abstracts,
            authors,
            repeat(()),
            days,
            whens,
            upvotes,
            repeat(lists),
            *map(repeat, _NOTHING_MORE),
            paper_keys(titles),
        )
    )


def _is_title(text: str) -> bool:
    """A sure title, as `_classify` would find, sooner: at most `TITLE_MAX` long, a letter
    first, two words at least, not a date, not page furniture. (A title that fails this,
    such as one starting with a digit, is still found by `_classify`.)"""
    return (
        len(text) <= TITLE_MAX
        and text[0].isalpha()
        and " " in text
        and text[:3] not in _NOT_TITLE_STARTS
        and (len(text) > _FURNITURE_MAX or text not in _FURNITURE)
    )


def _published(line: str, known: dict[str, tuple[int, Any]], year: int) -> _Dated | None:
    """The published date, its day and upvotes of a date line closing a metadata block, as
    `_classify` reads it; None if it is none. `known` learns the date without its upvotes:
    a long list has tens of thousands of distinct date lines, a thousand or so dates."""
    dated = known.get(line)  # a date without upvotes, most of the time
    if dated is None:
        if len(line) > TITLE_MAX:
            return None
        head, _, last = line.rpartition(" ")
        if " " in head and not head.endswith(",") and _is_number(last):  # with upvotes
            dated = known.get(head) or _remember(known, head, year)
            if dated[0] < _DAY or dated[1][2] is not None:
                return None
            published, when, _ = dated[1]
            return published, when, int(last)
        dated = _remember(known, line, year)
    return dated[1] if dated[0] >= _DAY else None


def _remember(known: dict[str, tuple[int, Any]], text: str, year: int) -> tuple[int, Any]:
    """`_classify(text, year)`, kept in `known` unless it is a title (titles do not repeat)."""
    classified = _classify(text, year)
    if classified[0] != _TITLE and len(known) < _KNOWN_MAX:
        known[text] = classified
    return classified


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


def _parse_date(text: str, year: int) -> tuple[int, tuple[str, date | None, int | None]] | None:
    """`Sep 5, 2024 2` -> (_DATED, ("Sep 5, 2024", its date, 2 upvotes)); `Mar 14` is a _DAY.

    None when the line is not month + day [+ `, year`] [+ upvotes].
    """
    head, _, last = text.rpartition(" ")
    if " " not in head or head.endswith(",") or not _is_number(last):
        return _parse_day(text, year)  # no upvotes: `Mar 14`, `Sep 5, 2024` or not a date
    dated = _parse_day(head, year)
    if dated is None:
        return None
    published, when, _ = dated[1]
    return _DATED, (published, when, int(last))


@lru_cache(maxsize=4096)  # days repeat (upvotes vary, so they are not part of the key)
def _parse_day(text: str, year: int) -> tuple[int, tuple[str, date | None, None]] | None:
    """`Sep 5, 2024` -> (_DATED, ("Sep 5, 2024", its date, None)); `Mar 14` is a _DAY; else None."""
    parts = text.split(" ")
    if len(parts) == 2:
        month, day = parts
        stated_year = None
    elif len(parts) == 3 and parts[1].endswith(",") and len(parts[2]) == 4 and _is_number(parts[2]):
        month, day, stated_year = parts[0], parts[1][:-1], int(parts[2])
    else:
        return None
    if month not in _MONTH_WORDS or len(day) > 2 or not _is_number(day):
        return None
    try:
        when: date | None = date(stated_year or year, MONTHS[month[:3]], int(day))
    except ValueError:
        when = None
    return (_DAY if stated_year is None else _DATED), (text, when, None)


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()
