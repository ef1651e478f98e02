"""The distinct tokens of titles and author names, and what a query word matches among
them: prefix, infix and typo-tolerant matches (the rules of `tui.core.query`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from tui.core.query import allows_infix, typo_budget
from tui.core.search.arrays import find_bytes, first_of_runs, gather, with_room
from tui.core.search.scoring import EXACT, FUZZY, INFIX, PREFIX
from tui.core.search.tokens import NEWLINE, FieldBatch, token_key

_EXPANSION_CACHE = 16
_PARALLEL_POOL = 20_000  # tokens; a smaller typo pool is scored faster than threads start
_PADDING = 8  # bytes after the joined vocabulary, more than the fuzzy pool filter reads


@dataclass(frozen=True)
class Expansion:
    """The vocabulary tokens one word matches: their ids and how (`EXACT` ... `FUZZY`)."""

    ids: np.ndarray
    kinds: np.ndarray
    hits: np.ndarray  # where the word occurs in the joined tokens (see `_occurrences`)
    near: np.ndarray | None  # ids within the typo budget: the pool for the word plus a letter


class Vocabulary:
    """The distinct tokens of titles and author names, numbered as they arrive, searchable
    by prefix, by infix and with typos.

    The tokens are kept once, as UTF-8 joined by newlines; a sorted array of their hashes
    maps a batch's tokens to ids.
    """

    def __init__(self) -> None:
        self._joined = np.full(1 + _PADDING, NEWLINE, np.uint8)  # every token after a newline
        self._size = 1  # bytes of `_joined` in use; the rest are newlines
        self._offsets = np.ones(1, np.int64)  # by id: where the token starts; then `_size`
        self._count = 0
        self._hashes = np.empty(0, np.uint64)  # sorted ...
        self._ids = np.empty(0, np.uint32)  # ... and the id of each
        self._expansions: dict[str, Expansion] = {}

    def learn(self, batch: FieldBatch) -> np.ndarray:
        """The ids of the batch's distinct tokens; tokens not seen before get new ones."""
        at = np.searchsorted(self._hashes, batch.distinct)
        known = np.zeros(at.size, bool)
        inside = at < self._hashes.size
        known[inside] = self._hashes[at[inside]] == batch.distinct[inside]
        ids = np.empty(at.size, np.uint32)
        ids[known] = self._ids[at[known]]
        new = np.flatnonzero(~known)
        if new.size:
            fresh = np.arange(self._count, self._count + new.size, dtype=np.uint32)
            ids[new] = fresh
            self._append(batch.tokens.spelled(batch.examples[new]))
            self._hashes = np.insert(self._hashes, at[new], batch.distinct[new])
            self._ids = np.insert(self._ids, at[new], fresh)
            self._expansions.clear()
        return ids

    def _append(self, spelled: bytes) -> None:
        data = np.frombuffer(spelled, np.uint8)
        size = self._size + data.size
        self._joined = with_room(self._joined, size + _PADDING, NEWLINE)
        self._joined[self._size : size] = data
        # After each newline starts a token, or after the last, the end mark `_size`.
        following = np.flatnonzero(data == NEWLINE) + 1 + self._size
        count = self._count + following.size
        self._offsets = with_room(self._offsets, count + 1)
        self._offsets[self._count + 1 : count + 1] = following
        self._count, self._size = count, size

    def id_of(self, token: str) -> int | None:
        key = np.uint64(token_key(token))
        at = int(np.searchsorted(self._hashes, key))
        if at < self._hashes.size and self._hashes[at] == key:
            return int(self._ids[at])
        return None

    def expand(self, word: str) -> Expansion:
        cached = self._expansions.get(word)
        if cached is not None:
            return cached
        joined, offsets = self._joined, self._offsets[: self._count + 1]
        hits = self._occurrences(word, joined)
        starts = hits[joined[hits - 1] == NEWLINE]
        groups = [
            (EXACT, starts[joined[starts + len(word.encode())] == NEWLINE]),
            (PREFIX, starts),
        ]
        if allows_infix(word):
            groups.append((INFIX, hits))
        ids = [np.searchsorted(offsets, spots, "right") - 1 for _, spots in groups]
        kinds = [np.full(spots.size, kind, np.uint8) for kind, spots in groups]
        near = None
        budget = typo_budget(word)
        if budget:
            near = self._near(word, budget, joined, offsets)
            ids.append(near)
            kinds.append(np.full(near.size, FUZZY, np.uint8))
        expansion = Expansion(*_best_kind(np.concatenate(ids), np.concatenate(kinds)), hits, near)
        if len(self._expansions) >= _EXPANSION_CACHE:
            del self._expansions[next(iter(self._expansions))]
        self._expansions[word] = expansion
        return expansion

    def _occurrences(self, word: str, joined: np.ndarray) -> np.ndarray:
        """Where `word` occurs in the joined tokens; narrowed from the previous keystroke's
        word when it is cached."""
        encoded = word.encode()
        parent = self._expansions.get(word[:-1])
        if parent is None:
            return find_bytes(joined[: self._size], encoded)
        hits, known = parent.hits, len(word[:-1].encode())
        for shift, byte in enumerate(encoded[known:], known):
            hits = hits[joined[hits + shift] == byte]
        return hits

    def _near(self, word: str, budget: int, joined: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """Ids of the tokens with a prefix within `budget` typos of `word` (same first letter).

        Typing only makes a word longer, and a longer word matches a subset of what the
        shorter one matched, so the previous keystroke's pool is searched when cached.
        Otherwise the pool is the tokens with the same first letter that hold one of the
        word's next `budget + 1` letters among their next `2 * budget + 1` bytes: `budget`
        edits remove at most `budget` of those letters and shift the rest by at most
        `budget` places, so no match is lost.
        """
        parent = self._expansions.get(word[:-1])
        if parent is not None and parent.near is not None and typo_budget(word[:-1]) == budget:
            pool = parent.near
        else:
            starts = find_bytes(joined[: self._size], b"\n" + word[0].encode()) + 1
            encoded = word.encode()
            if encoded.isascii():
                wanted = np.frombuffer(encoded[1 : budget + 2], np.uint8)
                holds = np.zeros(starts.size, bool)
                for shift in range(1, 2 * budget + 2):
                    holds |= np.isin(joined[starts + shift], wanted)
                starts = starts[holds]
            pool = np.searchsorted(offsets, starts, "right") - 1
        if not pool.size:
            return pool
        tokens = self._spelled(pool, offsets)
        best = np.full(pool.size, budget + 1, np.int32)
        workers = 1 if pool.size < _PARALLEL_POOL else -1
        for length in range(max(len(word) - budget, 1), len(word) + budget + 1):
            prefixes = [token[:length] for token in tokens]
            distances = process.cdist(
                [word], prefixes, scorer=OSA.distance, score_cutoff=budget, workers=workers
            )
            np.minimum(best, distances[0], out=best)
        return pool[best <= budget]

    def _spelled(self, ids: np.ndarray, offsets: np.ndarray) -> list[str]:
        spans = gather(self._joined, offsets[ids], offsets[ids + 1] - offsets[ids])
        return spans.tobytes().decode().split("\n")[:-1]


def _best_kind(ids: np.ndarray, kinds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each id once, with the best of its kinds."""
    order = np.lexsort((-kinds.astype(np.int8), ids))
    ids, kinds = ids[order], kinds[order]
    firsts = first_of_runs(ids)
    return ids[firsts].astype(np.uint32), kinds[firsts]
