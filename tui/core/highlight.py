"""Which characters of a title the filter's words matched, to highlight them in the list,
and which words of an abstract its `abs:` words matched, for the detail pane.

Apart from `tui.core.search` so that painting a row never imports numpy; the rules are those
of `tui.core.query`, applied to one title.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein
from rapidfuzz.utils import default_process

from tui.core.query import Query, allows_infix, fuzzy_prefix_length, typo_budget


def title_highlights(title: str, query: Query) -> list[tuple[int, int]]:
    """(start, end) spans of `title` matched by the query's words, sorted and disjoint.

    Uses the same rules as matching, on the same folded tokens (`default_process`
    maps characters one to one, so offsets carry over to the original title).
    """
    if not query.words:
        return []
    folded = _folded(title)
    spans: list[tuple[int, int]] = []
    offset = 0
    for token in folded.split(" "):
        if token:
            for word in query.words:
                spans.extend((offset + a, offset + b) for a, b in _token_spans(word, token))
        offset += len(token) + 1
    return _merge_spans(spans)


def abstract_highlights(abstract: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) spans of the tokens of `abstract` that start with an `abs:` word."""
    if not words:
        return []
    spans: list[tuple[int, int]] = []
    offset = 0
    for token in _folded(abstract).split(" "):
        if token and token.startswith(words):
            spans.append((offset, offset + len(token)))
        offset += len(token) + 1
    return spans


def _folded(text: str) -> str:
    """`text` folded as the index folds it, offsets kept (`default_process` maps
    characters one to one; the "x" keeps leading ones in place)."""
    return default_process("x" + text)[1:]


def _token_spans(word: str, token: str) -> list[tuple[int, int]]:
    if token.startswith(word):
        return [(0, len(word))]
    if allows_infix(word):
        at = token.find(word)
        if at >= 0:
            return [(at, at + len(word))]
    length = fuzzy_prefix_length(word, token, typo_budget(word))
    if length is None:
        return []
    return [
        (block.dest_start, block.dest_end)
        for block in Levenshtein.opcodes(word, token[:length])
        if block.tag == "equal"
    ]


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
