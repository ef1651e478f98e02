"""`abs:` words: looked for in the abstracts themselves (their posting lists would take more
memory than the papers), only of the papers the rest of the query kept."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tui.core.qualifiers import token_start_test
from tui.core.search.arrays import with_room
from tui.core.store import PaperStore

_SCAN_CHUNK = 2_048  # abstracts between cancellation checks (a few ms)
_ABSTRACT_ANSWERS = 4
# What the abstract scan knows of one paper and one word.
_UNKNOWN, _MISS, _HIT = 0, 1, 2


class AbstractScan:
    """Which papers' abstracts hold a token starting with a word, found by reading them.

    Remembers, by position, what the last few words found: where a shorter word missed,
    a longer one misses too, and where a longer one hit, so does a shorter. So a word
    typed one more letter reads again only the abstracts the shorter word matched, and
    one letter erased only those the longer word did not match.
    """

    def __init__(self) -> None:
        self._answers: dict[str, np.ndarray] = {}  # by position: _UNKNOWN, _MISS or _HIT

    def forget(self) -> None:
        """Abstracts changed."""
        self._answers.clear()

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
        self._answers[word] = answers
        while len(self._answers) > _ABSTRACT_ANSWERS:
            del self._answers[next(iter(self._answers))]
        unknown = positions[answers[positions] == _UNKNOWN]
        holds = token_start_test(word)
        read = bytearray()  # _HIT or _MISS, for the first len(read) unknown positions
        # No call in the loop lets go of the GIL: a thread that keeps dropping it for a
        # moment (as numpy does on large arrays) can keep a waiting thread from getting it.
        for start in range(0, unknown.size, _SCAN_CHUNK):
            if is_cancelled():
                break
            chunk = unknown[start : start + _SCAN_CHUNK].tolist()
            read.extend(_HIT if holds(store[position].abstract) else _MISS for position in chunk)
        answers[unknown[: len(read)]] = np.frombuffer(read, np.uint8)  # kept if cancelled too
        if len(read) < unknown.size:
            return None
        return positions[answers[positions] == _HIT]

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
