"""`abs:` words: found through an index of where the abstracts' tokens start, made when `abs:`
is first typed (made with the rest of the filter's index, it would cost every list its memory,
used or not).

The abstracts are folded as `default_process` cuts tokens (lower case, every other character
a space) and joined, part by part of the store, into one byte string; the offsets where
tokens start are sorted by their first two bytes. A word then reads only the tokens that
start with its first two bytes, and compares one more byte at a time among those left. The
index holds about 1.7 times the abstracts' UTF-8 size.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

import numpy as np
from rapidfuzz.utils import default_process

from parsing.model import ASCII_FOLD
from tui.core.store import PaperStore

PART_PAPERS = 4_096  # abstracts a part holds: indexed between cancellation checks
_SPACE = ord(" ")
_BUCKETS = 1 << 16  # by a token's first two bytes


class _Part:
    """Where the tokens of the abstracts of positions `first` .. `first + count - 1` start."""

    def __init__(self, first: int, folded: list[bytes]) -> None:
        self.first = first
        self.count = len(folded)
        # A space after the last abstract: every token's second byte exists.
        self._text = np.frombuffer(b"".join(folded) + b" ", np.uint8)
        lengths = np.fromiter(map(len, folded), np.int64, len(folded))
        self._abstract_starts = np.cumsum(lengths) - lengths
        text = self._text
        is_space = text == _SPACE
        starts = np.flatnonzero(is_space[:-1] > is_space[1:]) + 1  # a space, then not
        buckets = (text[starts].astype(np.uint16) << 8) | text[starts + 1]
        self._starts = starts[np.argsort(buckets, kind="stable")].astype(np.uint32)
        self._bucket_ends = np.cumsum(np.bincount(buckets, minlength=_BUCKETS), dtype=np.uint32)

    def mark(self, word: bytes, found: np.ndarray) -> None:
        """Set `found` at the positions whose abstract has a token starting with `word`."""
        first_byte = word[0] << 8
        if len(word) == 1:  # every bucket of that first byte
            low, high = first_byte, first_byte + 256
        else:
            low = first_byte | word[1]
            high = low + 1
        starts = self._starts[self._bucket_start(low) : self._bucket_start(high)]
        starts = starts[starts <= self._text.size - len(word)]
        for offset in range(2, len(word)):
            starts = starts[self._text[starts + offset] == word[offset]]
        found[self.first + np.searchsorted(self._abstract_starts, starts, "right") - 1] = True

    def _bucket_start(self, bucket: int) -> int:
        return 0 if bucket == 0 else int(self._bucket_ends[bucket - 1])


class AbstractIndex:
    """Which papers' abstracts hold a token starting with a word.

    Covers the store's positions from 0 up, part by part; `extend` indexes the rest. A
    paper whose abstract changed (`forget`: rare, a paper merged with a newer copy) is read
    again for each word.
    Thread-safe: a part is made outside the lock, so a thread that only reads the index is
    not held up while another extends it; two threads that extend it make one part at a time
    (the second waits for the part, rather than make it too).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._making = threading.Lock()  # held while a part is made
        self._parts: list[_Part] = []
        self._changed: set[int] = set()

    @property
    def covered(self) -> int:
        """How many positions (0 .. covered-1) are indexed."""
        parts = self._parts
        return parts[-1].first + parts[-1].count if parts else 0

    def forget(self, positions: Iterable[int]) -> None:
        """The abstracts at `positions` changed."""
        with self._lock:  # kept: a part being made may have read the abstract before
            self._changed.update(positions)

    def extend(self, store: PaperStore, is_cancelled: Callable[[], bool]) -> bool:
        """Index every position of `store` not indexed yet; False if cancelled first (what
        was indexed stays). A last part left short is made again, whole, with the papers
        after it, so that parts stay few."""
        while not is_cancelled():
            with self._making:
                covered = self.covered
                if covered >= len(store):
                    return True
                short = bool(self._parts) and self._parts[-1].count < PART_PAPERS
                first = self._parts[-1].first if short else covered
                stop = min(len(store), first + PART_PAPERS)
                abstracts = [fold(store[position].abstract) for position in range(first, stop)]
                part = _Part(first, abstracts)
                with self._lock:
                    if short:
                        self._parts[-1] = part
                    else:
                        self._parts.append(part)
        return False

    def keep(self, store: PaperStore, positions: np.ndarray, word: str) -> np.ndarray:
        """The `positions` (order kept) whose abstract has a token starting with `word`; every
        one of them must be indexed (`extend`)."""
        with self._lock:
            parts, changed, covered = list(self._parts), list(self._changed), self.covered
        found = np.zeros(covered, bool)
        encoded = word.encode()
        for part in parts:
            part.mark(encoded, found)
        spaced = b" " + encoded
        for position in changed:
            if position < found.size:
                found[position] = spaced in fold(store[position].abstract)
        return positions[found[positions]]


def fold(text: str) -> bytes:
    """`text` as `default_process` folds it, as UTF-8 after a space (so that every token
    follows one): ASCII text (nearly all) by one byte table, the same folding."""
    if text.isascii():
        return b" " + text.encode().translate(ASCII_FOLD)
    return b" " + default_process(text).encode()
