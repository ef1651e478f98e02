"""Filter qualifiers checked on each paper: `org:`, `author:`, `kw:`, `has:`, the count
comparisons (`upvotes:>=N`, `comments:<N`, `stars:=N`) and `day:` (a list day, or a month
as a prefix: `day:2026-11`), each negated by a leading `-`; and on each paper's mark, which
is state, not the paper: `note:WORD`, `tag:NAME`, `has:note`, `has:tags`
(`Condition.on_mark`: the filter passes the marks by paper key).

They are checked paper by paper after the word match (no index): the words usually leave
few papers, and a loop over 100,000 papers stays well inside the filter's budget (about
15-30 ms for one qualifier on a loaded 2-core machine; `author:` uses the index).

A word qualifier (`org:meta`) matches when a word of the field starts with the folded
word, as `abs:` does. A count that is not known never meets a comparison (unknown is not
0); a negated qualifier is met by every paper the plain one does not meet, so
`-stars:>=100` keeps the papers with fewer stars and those whose stars are unknown.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from parsing.model import Paper
from tui.core.marks.model import Mark, clean_tag

PaperTest = Callable[[Paper], bool]
# A condition reads one value of a paper and judges it; papers share values (an
# organisation, a count), so a filter judges each distinct value once.
Judge = Callable[[Any], bool]

_WORD_FIELDS: dict[str, tuple[Callable[[Paper], Any], Callable[[Any], str]]] = {
    "org": (attrgetter("organization"), lambda organization: organization or ""),
    "author": (attrgetter("author_names"), " ".join),
    "kw": (attrgetter("ai_keywords"), " ".join),
}
_PRESENCE: dict[str, Callable[[Paper], Any]] = {  # a bool: two values to judge, not a URL each
    "code": lambda paper: bool(paper.github_repo),
    "project": lambda paper: bool(paper.project_page),
    "tldr": lambda paper: bool(paper.ai_summary),
}
_MARK_WORD_FIELDS: dict[str, tuple[Callable[[Mark], Any], Callable[[Any], str]]] = {
    "note": (attrgetter("note"), str),
}
_MARK_PRESENCE: dict[str, Callable[[Mark], Any]] = {
    "note": lambda mark: bool(mark.note),
    "tags": lambda mark: bool(mark.tags),
}
_MARK_PRESENCE_NAMES = {("has", what) for what in _MARK_PRESENCE}
_COUNTS: dict[str, Callable[[Paper], Any]] = {
    "upvotes": attrgetter("upvotes"),
    "comments": attrgetter("comments"),
    "stars": attrgetter("github_stars"),
}
_COMPARISONS: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "=": operator.eq,
}
_COMPARISON = re.compile(r"(>=|<=|>|<|=)?(\d+)")
_EXAMPLES = {"org": "nvidia", "author": "hinton", "kw": "diffusion", "note": "baseline"}
_DAY_PREFIX = re.compile(r"\d{4}(-\d{2}){0,2}")  # a day, a month or a year of the list
CONDITION_NAMES = (*_WORD_FIELDS, "has", *_COUNTS, "day", *_MARK_WORD_FIELDS, "tag")


@dataclass(frozen=True)
class Condition:
    """One qualifier a paper must meet; equal conditions are the same qualifier as typed
    (case folded), so a query that keeps them and adds more narrows."""

    name: str
    argument: str
    negated: bool
    value_of: Callable[[Any], Any] = field(compare=False, repr=False)  # of a Paper or Mark
    judge: Judge = field(compare=False, repr=False)  # the value meets the plain qualifier
    on_mark: bool = False  # `value_of` reads the paper's `Mark` (note, tags), not the paper

    def holds(self, paper: Paper) -> bool:
        """For a condition on the paper (not `on_mark`)."""
        return self.judge(self.value_of(paper)) != self.negated

    def verdicts(self, values: Iterable[Any]) -> dict[Any, bool]:
        """Whether each distinct value meets the condition."""
        negated, judge = self.negated, self.judge
        return {value: judge(value) != negated for value in set(values)}


def parse_condition(name: str, argument: str, negated: bool) -> Condition | str:
    """The condition `name:argument` (both case folded), or what is wrong with it."""
    on_mark = name in (*_MARK_WORD_FIELDS, "tag") or (name, argument) in _MARK_PRESENCE_NAMES
    word_fields = _WORD_FIELDS | _MARK_WORD_FIELDS
    if name in word_fields:
        from rapidfuzz.utils import default_process

        words = default_process(argument).split()
        if not words:
            return f'"{name}:" needs a word, as in {name}:{_EXAMPLES[name]}'
        value_of, text_of = word_fields[name]
        judge = _words_judge(text_of, words)
    elif name == "tag":
        tag = clean_tag(argument)
        if not tag:
            return '"tag:" needs a tag, as in tag:rl'
        value_of, judge = attrgetter("tags"), lambda tags: tag in tags
    elif name == "has":
        presence = _PRESENCE | _MARK_PRESENCE
        if argument not in presence:
            return f'"has:{argument}": use ' + ", ".join(f"has:{what}" for what in presence)
        value_of, judge = presence[argument], bool
    elif name in _COUNTS:
        found = _COMPARISON.fullmatch(argument)
        if found is None:
            return f'"{name}:{argument}" needs a number, as in {name}:>=20 (or >, <, <=, =)'
        comparison = _COMPARISONS[found.group(1) or "="]
        value_of, judge = _COUNTS[name], _count_judge(comparison, int(found.group(2)))
    elif name == "day":
        if _DAY_PREFIX.fullmatch(argument) is None:
            return f'"day:{argument}" needs a day or a month, as in day:2026-11-03 or day:2026-11'
        value_of, judge = attrgetter("lists"), _day_judge(argument)
    else:
        raise ValueError(f"not a condition: {name}")
    return Condition(name, argument, negated, value_of, judge, on_mark)


def token_start_test(word: str) -> Callable[[str], bool]:
    """A test of whether a text has a token (as `default_process` cuts them) that starts
    with the folded `word`. Lower-casing is cheaper than `default_process` and settles
    most texts: `word` is not there at all, or it is after a space."""
    from rapidfuzz.utils import default_process

    spaced = " " + word

    def test(text: str) -> bool:
        lowered = text.lower()
        if word not in lowered:
            return False
        if lowered.startswith(word) or spaced in lowered:
            return True
        folded = default_process(text)  # only after punctuation, or inside tokens?
        return folded.startswith(word) or spaced in folded

    return test


def _words_judge(text_of: Callable[[Any], str], words: list[str]) -> Judge:
    tests = [token_start_test(word) for word in words]

    def judge(value: Any) -> bool:
        text = text_of(value)
        return all(test(text) for test in tests)

    return judge


def _count_judge(comparison: Callable[[int, int], bool], bound: int) -> Judge:
    return lambda count: count is not None and comparison(count, bound)


def _day_judge(prefix: str) -> Judge:
    """A paper's list labels (a fetched day's label is its ISO day) meet `day:PREFIX`."""
    return lambda lists: any(label.startswith(prefix) for label in lists)
