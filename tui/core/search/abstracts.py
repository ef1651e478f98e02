"""`abs:` words: looked for in the abstracts themselves (their posting lists would take more
memory than the papers), only of the papers the rest of the query kept.

Each abstract is folded once, on the first `abs:` word that reads it, as `default_process`
cuts tokens (lower case, every other character a space), and kept as bytes: a word then
starts a token where it follows a space, one search in C per abstract. Folding costs a few
microseconds an abstract and keeps a copy of the abstracts in memory (about their size in
UTF-8), only once `abs:` is used."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from itertools import compress, repeat
from typing import TypeVar

import numpy as np
from rapidfuzz.utils import default_process

from parsing.model import ASCII_FOLD
from tui.core.search.arrays import with_room
from tui.core.store import PaperStore

_SCAN_CHUNK = 2_048  # abstracts between cancellation checks (a few ms)
_ABSTRACT_ANSWERS = 4
# What the abstract scan knows of one paper and one word.
_UNKNOWN, _MISS, _HIT = 0, 1, 2
_ANSWER = (_MISS, _HIT)  # by whether the word was found
T = TypeVar("T")


class AbstractScan:
    """Which papers' abstracts hold a token starting with a word, found by reading them.

    Remembers, by position, what the last few words found: where a shorter word missed,
    a longer one misses too, and where a longer one hit, so does a shorter. So a word
    typed one more letter reads again only the abstracts the shorter word matched, and
    one letter erased only those the longer word did not match. Of the abstracts a word
    matched it also keeps the tokens it started (" routing route"): a word typed on reads
    those few tokens, not the abstracts.
    """

    def __init__(self) -> None:
        self._answers: dict[str, np.ndarray] = {}  # by position: _UNKNOWN, _MISS or _HIT
        # by word: the tokens it starts, by position of each abstract it was found in
        self._tokens: dict[str, dict[int, bytes]] = {}
        self._folded: list[bytes | None] = []  # by position: the folded abstract, once made
        self._all_folded_below = 0  # every position under this one is folded

    def forget(self, positions: list[int]) -> None:
        """The abstracts at `positions` changed."""
        self._answers.clear()
        self._tokens.clear()
        for position in positions:
            if position < len(self._folded):
                self._folded[position] = None
                self._all_folded_below = min(self._all_folded_below, position)

    def fold_all(self, store: PaperStore, is_cancelled: Callable[[], bool]) -> None:
        """Fold every abstract not folded yet, ahead of the first `abs:` word (stops when
        cancelled; the next call goes on from there)."""
        self._make_room(store)
        folded = self._folded
        for start in range(self._all_folded_below, len(folded), _SCAN_CHUNK):
            if is_cancelled():
                return
            for position in range(start, min(start + _SCAN_CHUNK, len(folded))):
                if folded[position] is None:
                    self._fold_at(store, position)
            self._all_folded_below = min(start + _SCAN_CHUNK, len(folded))

    def _fold_at(self, store: PaperStore, position: int) -> bytes:
        folded = self._folded[position] = fold(store[position].abstract)
        return folded

    def _make_room(self, store: PaperStore) -> None:
        if len(self._folded) < len(store):
            self._folded.extend([None] * (len(store) - len(self._folded)))

    def keep(
        self,
        store: PaperStore,
        positions: np.ndarray,
        word: str,
        is_cancelled: Callable[[], bool],
    ) -> np.ndarray | None:
        """The `positions` (order kept) whose abstract has a token starting with `word`."""
        answers = self._answers.pop(word, None)
        if answers is None:
            answers = self._inferred(word)
        answers = with_room(answers, int(positions.max(initial=-1)) + 1)
        _remember(self._answers, word, answers)
        unknown = positions[answers[positions] == _UNKNOWN]
        self._make_room(store)
        folded = self._folded
        known_tokens = self._tokens_of_a_start(word)
        spaced = b" " + word.encode()
        tokens_found = re.compile(re.escape(spaced) + rb"[^ ]*").findall
        found: dict[int, bytes] = {}
        read = bytearray()  # _HIT or _MISS, for the first len(read) unknown positions
        # No call in the loop lets go of the GIL: a thread that keeps dropping it for a
        # moment (as numpy does on large arrays) can keep a waiting thread from getting it.
        # Maps, not generators: the search is done in C, one abstract after another.
        for start in range(0, unknown.size, _SCAN_CHUNK):
            if is_cancelled():
                break
            chunk = unknown[start : start + _SCAN_CHUNK].tolist()
            texts = list(map(known_tokens.get, chunk, map(folded.__getitem__, chunk)))
            if None in texts:
                for index, position in enumerate(chunk):
                    if texts[index] is None:
                        texts[index] = self._fold_at(store, position)
            hits = list(map(operator.contains, texts, repeat(spaced)))
            read.extend(map(_ANSWER.__getitem__, hits))
            found.update(  # kept tokens (a few) are kept as they are, abstracts cut to them
                (position, text if position in known_tokens else b"".join(tokens_found(text)))
                for position, text in compress(zip(chunk, texts, strict=True), hits)
            )
        answers[unknown[: len(read)]] = np.frombuffer(read, np.uint8)  # kept if cancelled too
        _remember(self._tokens, word, {**self._tokens.get(word, {}), **found})
        if len(read) < unknown.size:
            return None
        return positions[answers[positions] == _HIT]

    def _tokens_of_a_start(self, word: str) -> dict[int, bytes]:
        """The tokens kept for the longest remembered word that `word` starts with: where
        that word was found, `word` can only be among them."""
        starts = [known for known in self._tokens if word.startswith(known)]
        return self._tokens[max(starts, key=len)] if starts else {}

    def _inferred(self, word: str) -> np.ndarray:
        """What the remembered words tell of `word`."""
        answers = np.zeros(0, np.uint8)
        for known, found in self._answers.items():
            if word.startswith(known):
                carried = _MISS
            elif known.startswith(word):
                carried = _HIT
            else:
                continue
            answers = with_room(answers, found.size)
            answers[: found.size][found == carried] = carried
        return answers


def _remember(memory: dict[str, T], word: str, value: T) -> None:
    """Keep `value` for `word` as the newest of the last `_ABSTRACT_ANSWERS` words."""
    memory.pop(word, None)
    memory[word] = value
    while len(memory) > _ABSTRACT_ANSWERS:
        del memory[next(iter(memory))]


def fold(text: str) -> bytes:
    """`text` as `default_process` folds it, as UTF-8 after a space (so that every token
    follows one): ASCII text (nearly all) by one byte table, the same folding."""
    if text.isascii():
        return b" " + text.encode().translate(ASCII_FOLD)
    return b" " + default_process(text).encode()
