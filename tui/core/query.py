"""The filter line: words, qualifiers, and the rules for matching one word.

A query is whitespace-separated tokens. `is:read`, `is:unread`, `is:starred` and
`is:unstarred` filter on marks; `abs:WORD` keeps papers whose abstract has a token
starting with WORD; `org:`, `author:`, `kw:`, `has:`, `upvotes:`, `comments:` and
`stars:` are conditions on each paper, `note:`, `tag:`, `has:note` and `has:tags` on its
mark (`tui.core.qualifiers`); a `-` in front of a qualifier negates it (`-is:read` is
`is:unread`). Every other token is folded with rapidfuzz's `default_process` (case,
punctuation) into words. Every word and qualifier must match (AND).

A word matches a token of a paper's title or author names (never its abstract) when:
- it is the token or a prefix of it (any length);
- from 3 characters, it occurs inside the token ("former" finds "Transformers");
- from 5 characters (letters only), it is within one typo of a prefix of the token, from
  9 characters within two; a typo is an insertion, deletion, substitution or swap of
  neighbours, and the first character must be right.
Words of 1-2 characters therefore only match token starts: "ex" finds "experts",
never a scattered "e...x".

An `abs:` word is folded the same way and matches token starts only, without typos:
"ing" or a typo would find noise in a long abstract. Punctuation splits it into several
words that must all be in the abstract (`abs:state-space` is `abs:state abs:space`), and
one of them needs 3 letters or more (`abs:ro` is reported as incomplete and ignored).
`-abs:WORD` leaves out the papers that `abs:WORD` keeps (`-abs:state-space`: those whose
abstract holds both words).

An unknown or incomplete qualifier (`is:`, `is:sta`, `abs:` while typing) is reported in
`Query.error` and ignored, so the list does not blank while the user types it; of two
contradicting qualifiers (`is:read is:unread`) the last one counts and the error says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.core.qualifiers import CONDITION_NAMES, Condition, parse_condition

# rapidfuzz is imported where it is used, as the first filter needs it: not at start-up,
# where it would cost the first frame ~12 ms.

QUALIFIER_PREFIX = "is:"
ABSTRACT_PREFIX = "abs:"
# An `abs:` word shorter than this starts a token of nearly every abstract: it is taken as
# not typed yet, so the list does not change to what it nearly was.
ABSTRACT_WORD_MIN_LENGTH = 3
_QUALIFIERS: dict[str, tuple[str, bool]] = {
    "read": ("read", True),
    "unread": ("read", False),
    "starred": ("starred", True),
    "unstarred": ("starred", False),
}
QUALIFIER_NAMES = ("is", "abs", *CONDITION_NAMES)
_QUALIFIER_TOKEN = re.compile(r"(-?)([a-z]+):(.*)", re.DOTALL)
INFIX_MIN_LENGTH = 3
ONE_TYPO_MIN_LENGTH = 5
TWO_TYPOS_MIN_LENGTH = 9


@dataclass(frozen=True)
class Query:
    """A parsed filter line; `words` and `abstract_words` are folded (lower case, no
    punctuation)."""

    text: str
    words: tuple[str, ...] = ()
    abstract_words: tuple[str, ...] = ()
    # each `-abs:` token's words: a paper whose abstract holds all of a group is left out
    excluded_abstract_words: tuple[tuple[str, ...], ...] = ()
    want_read: bool | None = None
    want_starred: bool | None = None
    conditions: tuple[Condition, ...] = ()
    error: str | None = None
    reads_abstracts: bool = False  # an abs: qualifier, typed whole or not yet

    @property
    def is_empty(self) -> bool:
        """No words and no qualifiers: everything matches, in store order."""
        return (
            not self.words
            and not self.abstract_words
            and not self.excluded_abstract_words
            and self.want_read is None
            and self.want_starred is None
            and not self.conditions
        )

    @property
    def phrase(self) -> str:
        """The words as one folded string, compared with folded titles for ranking."""
        return " ".join(self.words)


def parse_query(text: str) -> Query:
    """Split a filter line into words and qualifiers; never raises."""
    if not text.strip():
        return Query(text=text)
    from rapidfuzz.utils import default_process

    words: list[str] = []
    abstract_words: list[str] = []
    excluded_abstract_words: list[tuple[str, ...]] = []
    reads_abstracts = False
    wanted: dict[str, tuple[bool, str]] = {}
    conditions: list[Condition] = []
    errors: list[str] = []
    for token in text.split():
        qualifier = _QUALIFIER_TOKEN.fullmatch(token.casefold())
        if qualifier is None:
            words.extend(default_process(token).split())
            continue
        minus, name, argument = qualifier.groups()
        negated = minus == "-"
        if name == "abs":
            reads_abstracts = True
            folded = default_process(argument).split()
            if not folded:
                errors.append(f'"{token}" needs a word, as in {ABSTRACT_PREFIX}diffusion')
            elif max(map(len, folded)) < ABSTRACT_WORD_MIN_LENGTH:
                errors.append(
                    f'"{token}": an abs: word needs {ABSTRACT_WORD_MIN_LENGTH} letters '
                    "(a shorter start is in nearly every abstract)"
                )
            elif negated:
                excluded_abstract_words.append(tuple(folded))
            else:
                abstract_words.extend(folded)
        elif name == "is":
            known = _QUALIFIERS.get(argument)
            if known is None:
                names = ", ".join(QUALIFIER_PREFIX + name for name in _QUALIFIERS)
                errors.append(f'unknown qualifier "{token}" (use {names})')
                continue
            mark, value = known
            value = value != negated
            previous = wanted.get(mark)
            if previous is not None and previous[0] != value:
                errors.append(f'"{token}" contradicts "{previous[1]}": the last one counts')
            wanted[mark] = (value, token)
        elif name in CONDITION_NAMES:
            condition = parse_condition(name, argument, negated)
            if isinstance(condition, str):
                errors.append(condition)
            else:
                conditions.append(condition)
        else:
            names = ", ".join(f"{name}:" for name in QUALIFIER_NAMES)
            errors.append(f'unknown qualifier "{token}" (use {names}; - in front negates)')
    return Query(
        text=text,
        words=tuple(words),
        abstract_words=tuple(abstract_words),
        excluded_abstract_words=tuple(excluded_abstract_words),
        want_read=wanted["read"][0] if "read" in wanted else None,
        want_starred=wanted["starred"][0] if "starred" in wanted else None,
        conditions=tuple(conditions),
        error=errors[0] if errors else None,
        reads_abstracts=reads_abstracts,
    )


def typo_budget(word: str) -> int:
    """How many typos a word may carry; words with digits ("2024", "3d") get none."""
    if len(word) < ONE_TYPO_MIN_LENGTH or not word.isalpha():
        return 0
    return 1 if len(word) < TWO_TYPOS_MIN_LENGTH else 2


def allows_infix(word: str) -> bool:
    return len(word) >= INFIX_MIN_LENGTH


def word_mode(word: str) -> tuple[bool, int]:
    """The matching rules a word gets; within one mode, a longer word matches less."""
    return allows_infix(word), typo_budget(word)


def narrows(previous: Query, current: Query) -> bool:
    """True when every match of `current` is a match of `previous` (the query grew).

    Holds when no qualifier was dropped or flipped and every previous word was
    extended at its end (or kept) by some current word with the same matching mode:
    a prefix, infix or typo-tolerant match of the longer word implies one of the
    shorter. A word crossing a mode boundary (2 -> 3 letters, 4 -> 5, 8 -> 9) gains
    matches, so it is not a narrowing. `abs:` words match prefixes only: any extension
    of one narrows.
    """
    for before, after in (
        (previous.want_read, current.want_read),
        (previous.want_starred, current.want_starred),
    ):
        if before is not None and before != after:
            return False
    if not set(previous.conditions) <= set(current.conditions):
        return False
    if not set(previous.excluded_abstract_words) <= set(current.excluded_abstract_words):
        return False  # a negated word grown by a letter leaves out fewer papers
    return all(
        any(word.startswith(old) and word_mode(word) == word_mode(old) for word in current.words)
        for old in previous.words
    ) and all(
        any(word.startswith(old) for word in current.abstract_words)
        for old in previous.abstract_words
    )


def fuzzy_prefix_length(word: str, token: str, budget: int) -> int | None:
    """Length of the prefix of `token` closest to `word` within `budget` typos, else None.

    The first character must agree: typos there are rare and allowing them would make
    every word of the right length a candidate.
    """
    if budget == 0 or token[:1] != word[:1]:
        return None
    from rapidfuzz.distance import OSA

    best_length, best = None, budget + 1
    for length in range(max(len(word) - budget, 1), min(len(word) + budget, len(token)) + 1):
        distance = OSA.distance(word, token[:length], score_cutoff=budget)
        if distance < best:
            best_length, best = length, distance
    return best_length
