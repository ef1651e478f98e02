"""Posting lists: which papers hold each token of a field, as a few segments merged in
tiers (see the package's docstring), and the initials that answer one-letter words."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from tui.core.search.arrays import EMPTY_KINDS, EMPTY_POSITIONS, first_of_runs, with_room
from tui.core.search.tokens import LETTER_BIT

BATCH_PAPERS = 1_024  # papers indexed at once (~140 KB of text); `match` may run between
_FANOUT = 8  # this many segments of one size tier are merged into one
_COPY_CHUNK = 1 << 16  # postings copied at once while merging
# While indexing a batch, a posting is one uint64: token id above a 24-bit store position,
# so sorting plain integers groups postings by token.
_POSITION_BITS = 24
SHIFT = np.uint64(_POSITION_BITS)
MAX_PAPERS = 1 << _POSITION_BITS


@dataclass(frozen=True)
class _Segment:
    """Posting lists of some papers: the papers holding token `ids[i]` are at the positions
    `base + offsets[bounds[i]:bounds[i+1]]`."""

    serial: int
    paper_count: int  # papers indexed into it (some may have no token in this field)
    ids: np.ndarray  # sorted
    bounds: np.ndarray  # int32: fewer than 2**31 postings
    base: int
    top: int  # no position above it
    offsets: np.ndarray  # of the narrowest unsigned type that holds `top - base`

    @classmethod
    def from_postings(cls, serial: int, paper_count: int, postings: np.ndarray) -> _Segment:
        """From sorted, distinct postings (id << 24 | position)."""
        ids = (postings >> SHIFT).astype(np.uint32)
        starts = first_of_runs(ids)
        positions = postings & np.uint64(MAX_PAPERS - 1)
        base, top = int(positions.min()), int(positions.max())
        offsets = (positions - np.uint64(base)).astype(np.min_scalar_type(top - base))
        bounds = np.append(starts, ids.size).astype(np.int32)
        return cls(serial, paper_count, ids[starts], bounds, base, top, offsets)

    @property
    def tier(self) -> int:
        """Size class: 0 up to 8 batches of papers, 1 up to 64, and so on."""
        return int(math.log(max(self.paper_count / BATCH_PAPERS, 1), _FANOUT))

    def positions(self, at: np.ndarray | slice) -> np.ndarray:
        found = self.offsets[at].astype(np.int64)
        found += self.base
        return found

    def lookup(self, ids: np.ndarray, kinds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The papers holding any of `ids`, each with the kind of the id it holds."""
        if not self.ids.size:  # every posting was stale when it was merged
            return EMPTY_POSITIONS, EMPTY_KINDS
        at = np.minimum(np.searchsorted(self.ids, ids), self.ids.size - 1)
        found = self.ids[at] == ids
        at = at[found]
        low = self.bounds[at]
        counts = self.bounds[at + 1] - low
        shift = np.repeat(low - (np.cumsum(counts) - counts), counts)
        return self.positions(shift + np.arange(shift.size)), np.repeat(kinds[found], counts)

    def kept(self, keep: np.ndarray) -> _Segment:
        """The segment without the postings `keep` is False for."""
        owners = np.repeat(np.arange(self.ids.size), np.diff(self.bounds))[keep]
        counts = np.bincount(owners, minlength=self.ids.size)
        held = counts > 0
        bounds = np.zeros(int(held.sum()) + 1, np.int32)
        np.cumsum(counts[held], out=bounds[1:])
        offsets = self.offsets[keep]
        return _Segment(
            self.serial, self.paper_count, self.ids[held], bounds, self.base, self.top, offsets
        )


def _merged(segments: list[_Segment]) -> _Segment:
    """One segment holding the postings of `segments`, which it empties: each input is
    freed once copied. A token's papers come out in the order of the inputs."""
    ids = np.unique(np.concatenate([segment.ids for segment in segments]))
    slots = [np.searchsorted(ids, segment.ids) for segment in segments]
    counts = np.zeros(ids.size, np.int64)
    for segment, at in zip(segments, slots, strict=True):
        counts[at] += np.diff(segment.bounds)
    bounds = np.zeros(ids.size + 1, np.int64)
    np.cumsum(counts, out=bounds[1:])
    base = min(segment.base for segment in segments)
    top = max(segment.top for segment in segments)
    serial, paper_count = segments[-1].serial, sum(segment.paper_count for segment in segments)
    offsets = np.empty(int(bounds[-1]), np.min_scalar_type(top - base))
    cursor = bounds[:-1].copy()  # by id: where its next posting goes
    while segments:
        segment, at = segments.pop(0), slots.pop(0)
        # Ids in runs of about `_COPY_CHUNK` postings, to bound the copy's temporaries.
        every = np.arange(0, segment.offsets.size, _COPY_CHUNK)
        cuts = np.unique(np.searchsorted(segment.bounds, every, "right") - 1).tolist()
        for low, high in pairwise([*cuts, segment.ids.size]):
            sizes = np.diff(segment.bounds[low : high + 1])
            first, last = int(segment.bounds[low]), int(segment.bounds[high])
            targets = np.repeat(cursor[at[low:high]] - segment.bounds[low:high], sizes)
            targets += np.arange(first, last)
            moved = segment.offsets[first:last].astype(offsets.dtype)
            moved += segment.base - base
            offsets[targets] = moved
            cursor[at[low:high]] += sizes
    return _Segment(serial, paper_count, ids, bounds.astype(np.int32), base, top, offsets)


class Postings:
    """One field's posting lists, as a few segments merged in tiers."""

    def __init__(self) -> None:
        self._segments: list[_Segment] = []
        self._serial = 0
        self._fresh_from = np.zeros(0, np.int32)  # by position: serial of its current postings
        self._has_refreshes = False

    def add(self, postings: np.ndarray, positions: np.ndarray, replacing: bool) -> None:
        """Add the sorted, distinct postings of the papers at `positions` as a segment.

        `replacing`: the papers were indexed before; their older postings are ignored.
        """
        self._serial += 1
        if replacing:
            self._fresh_from = with_room(self._fresh_from, int(positions.max()) + 1)
            self._fresh_from[positions] = self._serial
            self._has_refreshes = True
        if postings.size:
            self._segments.append(_Segment.from_postings(self._serial, positions.size, postings))
            self._merge_tiers()

    def lookup(self, ids: np.ndarray, kinds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        found = [self._live(segment, *segment.lookup(ids, kinds)) for segment in self._segments]
        if not found:
            return EMPTY_POSITIONS, EMPTY_KINDS
        return (
            np.concatenate([positions for positions, _ in found]),
            np.concatenate([kinds for _, kinds in found]),
        )

    def _live(
        self, segment: _Segment, positions: np.ndarray, kinds: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Drop postings of papers indexed again in a later segment."""
        if not self._has_refreshes or not positions.size:
            return positions, kinds
        keep = self._fresh_serials(positions) <= segment.serial
        return positions[keep], kinds[keep]

    def _fresh_serials(self, positions: np.ndarray) -> np.ndarray:
        """By position: the serial of the segment with its current postings (0: the first)."""
        fresh = self._fresh_from
        inside = positions < fresh.size
        return np.where(inside, fresh[np.where(inside, positions, 0)], 0)

    def _without_stale(self, segment: _Segment) -> _Segment:
        if not self._has_refreshes:
            return segment
        keep = self._fresh_serials(segment.positions(slice(None))) <= segment.serial
        return segment if keep.all() else segment.kept(keep)

    def _merge_tiers(self) -> None:
        """Merge the newest segments once `_FANOUT` of them are of the newest one's tier or
        smaller: each posting is rewritten once per tier, and few segments remain."""
        while True:
            tier = self._segments[-1].tier
            run = 0
            while run < len(self._segments) and self._segments[-1 - run].tier <= tier:
                run += 1
            if run < _FANOUT:
                return
            merging = [self._without_stale(segment) for segment in self._segments[-run:]]
            del self._segments[-run:]
            self._segments.append(_merged(merging))


class Initials:
    """By position, which letters a-z start a token of a field.

    A one-letter word would otherwise gather the postings of a twentieth of the vocabulary.
    """

    def __init__(self) -> None:
        self._bits = np.zeros(0, np.uint32)

    def set(self, positions: np.ndarray, bits: np.ndarray) -> None:
        self._bits = with_room(self._bits, int(positions.max(initial=0)) + 1)
        self._bits[positions] = bits

    def having(self, letter: str, count: int) -> np.ndarray:
        """By position below `count`: some token starts with `letter`."""
        return (self._bits[:count] & LETTER_BIT[ord(letter)]) != 0
