"""The live filter engine: a token index over titles and author names, grown as papers
arrive, and a scan of the abstracts for `abs:` words.

Scoring every title with rapidfuzz on each key press does not scale: over 100,000
papers a typo-tolerant scorer takes 100-600 ms (numbers in `benchmarks/filter.py`).
Instead titles and author names are cut into tokens once; a query word is first matched
against the *distinct* tokens (the vocabulary: prefix, infix and typo-tolerant matches,
see `tui.core.query`), then the posting lists of the matching tokens give the papers. The
per-key-press work is proportional to the vocabulary and the hits, not to the text.

Abstracts hold ten times the text of titles and names: their posting lists would take
more memory than the papers. An `abs:` word is looked for in the abstracts themselves,
only of the papers the rest of the query kept, and the answers of the last few words
are remembered, so typing one more letter rescans only what the shorter word matched.

Tokens are hashed and sorted with numpy, so indexing holds the GIL only in short
slices, and one word's scores are cached (a byte per paper), so typing the third word
of a query does not recompute the first two. Posting lists live in a few segments per
field: each batch of papers makes one, and segments are merged in tiers, as
log-structured stores do. A segment keeps positions as offsets from its first paper in
the narrowest integer type (two bytes while it spans fewer than 65,536 papers). A
refreshed paper is indexed again in a new segment and its older postings are skipped.
The folded titles the ranking compares with the query are the store's paper keys, not
copies. All told the index holds about 60 bytes a paper (`benchmarks/filter.py`).
"""

from __future__ import annotations

import dataclasses
import math
import string
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA
from rapidfuzz.utils import default_process

from parsing.model import Paper, paper_key
from tui.core.query import Query, allows_infix, typo_budget
from tui.core.store import PaperStore

# How a word matched a token, worst to best (0: not at all), and what each kind is worth.
FUZZY, INFIX, PREFIX, EXACT = 1, 2, 3, 4
_KINDS = 5
_QUALITY = np.array([0.0, 0.6, 0.7, 0.85, 1.0])  # by kind
TITLE_WEIGHT, AUTHORS_WEIGHT = 1.0, 0.9
# Added to the sum of the words' scores, so a paper whose title is the query ranks first.
EXACT_TITLE_BONUS, PHRASE_BONUS = 1.0, 0.5
# Scores add up in points, 1/200 of the units above: all are whole numbers of points, so
# sums are exact and sort as 16-bit integers (a radix sort).
_POINTS = 200
_MOST_POINTS = np.iinfo(np.uint16).max
_EXACT_TITLE_POINTS, _PHRASE_POINTS = (
    round(EXACT_TITLE_BONUS * _POINTS),
    round(PHRASE_BONUS * _POINTS),
)
# A word's match with one paper is one byte, title kind * _KINDS + authors kind, worth:
_SCORE = (
    np.rint(np.maximum.outer(_QUALITY * TITLE_WEIGHT, _QUALITY * AUTHORS_WEIGHT) * _POINTS)
    .astype(np.uint32)
    .ravel()
)

_BATCH_PAPERS = 1_024  # papers indexed at once (~140 KB of text); `match` may run between
_FANOUT = 8  # this many segments of one size tier are merged into one
_COPY_CHUNK = 1 << 16  # postings copied at once while merging
_SCAN_CHUNK = 2_048  # abstracts between cancellation checks (a few ms)
_WORD_CACHE = 8
_EXPANSION_CACHE = 16
_ABSTRACT_ANSWERS = 4
_PARALLEL_POOL = 20_000  # tokens; a smaller typo pool is scored faster than threads start
_PADDING = 8  # bytes after the joined vocabulary, more than the fuzzy pool filter reads
# While indexing a batch, a posting is one uint64: token id above a 24-bit store position,
# so sorting plain integers groups postings by token.
_POSITION_BITS = 24
_SHIFT = np.uint64(_POSITION_BITS)
MAX_PAPERS = 1 << _POSITION_BITS
_HASH_BASE = 0x100000001B3
_HASH_MASK = (1 << 64) - 1
_MIX = (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53)
_SPACE, _NEWLINE = ord(" "), ord("\n")  # default_process leaves only spaces between tokens
_EMPTY_POSITIONS = np.empty(0, np.int64)
_EMPTY_KINDS = np.empty(0, np.uint8)
# Letters whose prefix matches come from `_Initials` rather than from posting lists.
_LETTERS = frozenset(string.ascii_lowercase)
_LETTER_BIT = np.zeros(256, np.uint32)
_LETTER_BIT[np.frombuffer(string.ascii_lowercase.encode(), np.uint8)] = 1 << np.arange(
    26, dtype=np.uint32
)
# What the abstract scan knows of one paper and one word.
_UNKNOWN, _MISS, _HIT = 0, 1, 2


MarkFlags = bytes | bytearray  # a byte per store position, nonzero when marked


class SearchLimitError(Exception):
    """More papers than the index can address."""


def _never() -> bool:
    return False


def token_key(token: str) -> int:
    """The hash `_tokenize` gives `token`: a polynomial hash of its UTF-8 bytes, mixed."""
    value, power = 0, 1
    for byte in token.encode():
        value = (value + byte * power) & _HASH_MASK
        power = (power * _HASH_BASE) & _HASH_MASK
    for multiplier in _MIX:  # the same steps as `_mix`, on a Python int
        value = ((value ^ (value >> 33)) * multiplier) & _HASH_MASK
    return value ^ (value >> 33)


def _mix(hashes: np.ndarray) -> np.ndarray:
    """Spread every bit over the others (MurmurHash3's finalizer), as short tokens need."""
    for multiplier in _MIX:
        hashes = (hashes ^ (hashes >> np.uint64(33))) * np.uint64(multiplier)
    return hashes ^ (hashes >> np.uint64(33))


def _with_room(array: np.ndarray, size: int, fill: int = 0) -> np.ndarray:
    """`array`, or when shorter than `size` a copy at least twice as long, padded with `fill`."""
    if size <= array.size:
        return array
    grown = np.full(max(size, 2 * array.size), fill, array.dtype)
    grown[: array.size] = array
    return grown


def _gather(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The spans `data[start:start + length]`, one after the other."""
    within = np.cumsum(lengths) - lengths
    return data[np.repeat(starts - within, lengths) + np.arange(int(lengths.sum()))]


def _distinct(values: np.ndarray) -> np.ndarray:
    """Indices of the first of each run of equal values in a sorted array."""
    fresh = np.ones(values.size, bool)
    np.not_equal(values[1:], values[:-1], out=fresh[1:])
    return np.flatnonzero(fresh)


def _find(haystack: np.ndarray, needle: bytes) -> np.ndarray:
    """Offsets where `needle` occurs in `haystack` (a uint8 array)."""
    last = haystack.size - len(needle)
    if not needle or last < 0:
        return _EMPTY_POSITIONS
    hits = np.flatnonzero(haystack[: last + 1] == needle[0])
    for shift, byte in enumerate(needle[1:], 1):
        hits = hits[haystack[hits + shift] == byte]
    return hits


class _Powers:
    """`_HASH_BASE**i` modulo 2**64, as many as the longest token needs (grown by any thread)."""

    def __init__(self) -> None:
        self._series = np.ones(0, np.uint64)

    def upto(self, size: int) -> np.ndarray:
        """Powers for exponents 0 .. size-1 (or more)."""
        series = self._series
        if size > series.size:
            series = np.full(max(size, 2 * series.size, 64), _HASH_BASE, np.uint64)
            series[0] = 1
            np.cumprod(series, out=series)  # wraps modulo 2**64, as intended
            self._series = series
        return series


@dataclass(frozen=True)
class _Tokens:
    """The tokens of a batch of folded texts: hash, text number and byte span of each."""

    data: np.ndarray  # the texts' UTF-8 bytes
    hashes: np.ndarray
    docs: np.ndarray
    starts: np.ndarray
    ends: np.ndarray

    def spelled(self, chosen: np.ndarray) -> bytes:
        """The UTF-8 bytes of the `chosen` tokens, each followed by a newline."""
        lengths = self.ends[chosen] - self.starts[chosen] + 1
        spelled = _gather(self.data, self.starts[chosen], lengths)  # each token's next byte ...
        spelled[np.cumsum(lengths) - 1] = _NEWLINE  # ... made a newline
        return spelled.tobytes()


def _tokenize(texts: list[str], powers: _Powers) -> _Tokens:
    """Split folded texts on spaces and hash every token, without a Python loop per token."""
    raw = np.frombuffer((" " + "\n".join(texts) + " ").encode(), np.uint8)
    inside = raw > _SPACE  # folded text holds no other control or space byte
    changes = np.flatnonzero(inside[1:] != inside[:-1]) + 1
    starts, ends = changes[0::2], changes[1::2]
    place = np.zeros(raw.size, np.int64)  # of each byte in its token
    place[starts] = starts
    np.maximum.accumulate(place, out=place)
    np.subtract(np.arange(raw.size), place, out=place)
    place[~inside] = 0
    weighted = raw * powers.upto(int(place.max()) + 1)[place]
    weighted[~inside] = 0
    hashes = np.add.reduceat(weighted, starts) if starts.size else np.empty(0, np.uint64)
    tokens_before = np.searchsorted(starts, np.flatnonzero(raw == _NEWLINE))
    counts = np.diff(tokens_before, prepend=0, append=starts.size)
    docs = np.repeat(np.arange(counts.size), counts)
    return _Tokens(raw, _mix(hashes), docs, starts, ends)


@dataclass(frozen=True)
class _FieldBatch:
    """One field of a batch of papers, tokenized, ready to join the index."""

    tokens: _Tokens
    distinct: np.ndarray  # the distinct token hashes, sorted
    examples: np.ndarray  # for each distinct hash, one token holding it
    inverse: np.ndarray  # by token: the index of its hash in `distinct`
    initials: np.ndarray  # by text: see `_Initials`

    @classmethod
    def of(cls, texts: list[str], powers: _Powers) -> _FieldBatch:
        tokens = _tokenize(texts, powers)
        distinct, examples, inverse = np.unique(
            tokens.hashes, return_index=True, return_inverse=True
        )
        return cls(tokens, distinct, examples, inverse, _Initials.of(tokens, len(texts)))


@dataclass(frozen=True)
class _Expansion:
    """The vocabulary tokens one word matches: their ids and how (`EXACT` ... `FUZZY`)."""

    ids: np.ndarray
    kinds: np.ndarray
    hits: np.ndarray  # where the word occurs in the joined tokens (see `_occurrences`)
    near: np.ndarray | None  # ids within the typo budget: the pool for the word plus a letter


class _Vocabulary:
    """The distinct tokens of titles and author names, numbered as they arrive, searchable
    by prefix, by infix and with typos.

    The tokens are kept once, as UTF-8 joined by newlines; a sorted array of their hashes
    maps a batch's tokens to ids.
    """

    def __init__(self) -> None:
        self._joined = np.full(1 + _PADDING, _NEWLINE, np.uint8)  # every token after a newline
        self._size = 1  # bytes of `_joined` in use; the rest are newlines
        self._offsets = np.ones(1, np.int64)  # by id: where the token starts; then `_size`
        self._count = 0
        self._hashes = np.empty(0, np.uint64)  # sorted ...
        self._ids = np.empty(0, np.uint32)  # ... and the id of each
        self._expansions: dict[str, _Expansion] = {}

    def learn(self, batch: _FieldBatch) -> np.ndarray:
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
        self._joined = _with_room(self._joined, size + _PADDING, _NEWLINE)
        self._joined[self._size : size] = data
        # After each newline starts a token, or after the last, the end mark `_size`.
        following = np.flatnonzero(data == _NEWLINE) + 1 + self._size
        count = self._count + following.size
        self._offsets = _with_room(self._offsets, count + 1)
        self._offsets[self._count + 1 : count + 1] = following
        self._count, self._size = count, size

    def id_of(self, token: str) -> int | None:
        key = np.uint64(token_key(token))
        at = int(np.searchsorted(self._hashes, key))
        if at < self._hashes.size and self._hashes[at] == key:
            return int(self._ids[at])
        return None

    def expand(self, word: str) -> _Expansion:
        cached = self._expansions.get(word)
        if cached is not None:
            return cached
        joined, offsets = self._joined, self._offsets[: self._count + 1]
        hits = self._occurrences(word, joined)
        starts = hits[joined[hits - 1] == _NEWLINE]
        groups = [
            (EXACT, starts[joined[starts + len(word.encode())] == _NEWLINE]),
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
        expansion = _Expansion(*_best_kind(np.concatenate(ids), np.concatenate(kinds)), hits, near)
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
            return _find(joined[: self._size], encoded)
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
            starts = _find(joined[: self._size], b"\n" + word[0].encode()) + 1
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
        spans = _gather(self._joined, offsets[ids], offsets[ids + 1] - offsets[ids])
        return spans.tobytes().decode().split("\n")[:-1]


def _best_kind(ids: np.ndarray, kinds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each id once, with the best of its kinds."""
    order = np.lexsort((-kinds.astype(np.int8), ids))
    ids, kinds = ids[order], kinds[order]
    firsts = _distinct(ids)
    return ids[firsts].astype(np.uint32), kinds[firsts]


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
        ids = (postings >> _SHIFT).astype(np.uint32)
        starts = _distinct(ids)
        positions = postings & np.uint64(MAX_PAPERS - 1)
        base, top = int(positions.min()), int(positions.max())
        offsets = (positions - np.uint64(base)).astype(np.min_scalar_type(top - base))
        bounds = np.append(starts, ids.size).astype(np.int32)
        return cls(serial, paper_count, ids[starts], bounds, base, top, offsets)

    @property
    def tier(self) -> int:
        """Size class: 0 up to 8 batches of papers, 1 up to 64, and so on."""
        return int(math.log(max(self.paper_count / _BATCH_PAPERS, 1), _FANOUT))

    def positions(self, at: np.ndarray | slice) -> np.ndarray:
        found = self.offsets[at].astype(np.int64)
        found += self.base
        return found

    def lookup(self, ids: np.ndarray, kinds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The papers holding any of `ids`, each with the kind of the id it holds."""
        if not self.ids.size:  # every posting was stale when it was merged
            return _EMPTY_POSITIONS, _EMPTY_KINDS
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


class _Postings:
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
            self._fresh_from = _with_room(self._fresh_from, int(positions.max()) + 1)
            self._fresh_from[positions] = self._serial
            self._has_refreshes = True
        if postings.size:
            self._segments.append(_Segment.from_postings(self._serial, positions.size, postings))
            self._merge_tiers()

    def lookup(self, ids: np.ndarray, kinds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        found = [self._live(segment, *segment.lookup(ids, kinds)) for segment in self._segments]
        if not found:
            return _EMPTY_POSITIONS, _EMPTY_KINDS
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


class _Initials:
    """By position, which letters a-z start a token of a field.

    A one-letter word would otherwise gather the postings of a twentieth of the vocabulary.
    """

    def __init__(self) -> None:
        self._bits = np.zeros(0, np.uint32)

    @staticmethod
    def of(tokens: _Tokens, count: int) -> np.ndarray:
        """The bits of each of `count` texts."""
        bits = np.zeros(count, np.uint32)
        np.bitwise_or.at(bits, tokens.docs, _LETTER_BIT[tokens.data[tokens.starts]])
        return bits

    def set(self, positions: np.ndarray, bits: np.ndarray) -> None:
        self._bits = _with_room(self._bits, int(positions.max(initial=0)) + 1)
        self._bits[positions] = bits

    def having(self, letter: str, count: int) -> np.ndarray:
        """By position below `count`: some token starts with `letter`."""
        return (self._bits[:count] & _LETTER_BIT[ord(letter)]) != 0


@dataclass(frozen=True)
class _Field:
    text: Callable[[Paper], str]
    postings: _Postings = dataclasses.field(default_factory=_Postings)
    initials: _Initials = dataclasses.field(default_factory=_Initials)


def _title(paper: Paper) -> str:
    return paper.title


def _author_names(paper: Paper) -> str:
    return " ".join(paper.author_names)


class _AbstractScan:
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
        answers = _with_room(answers, int(positions.max(initial=-1)) + 1)
        self._answers[word] = answers
        while len(self._answers) > _ABSTRACT_ANSWERS:
            del self._answers[next(iter(self._answers))]
        unknown = positions[answers[positions] == _UNKNOWN]
        holds = _token_start_test(word)
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
            answers = _with_room(answers, found.size)
            answers[: found.size][found == carried] = carried
        return answers


def _token_start_test(word: str) -> Callable[[str], bool]:
    """A test of whether a text has a token (as `default_process` cuts them) that starts
    with the folded `word`. Lower-casing is cheaper than `default_process` and settles
    most texts: `word` is not there at all, or it is after a space."""
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


class SearchIndex:
    """Matches queries against the papers of one `PaperStore`, ranked.

    Thread-safe: `sync` and `match` run in worker threads (they serialise on a lock);
    `refresh` only queues and may be called from any thread.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._powers = _Powers()
        self._vocabulary = _Vocabulary()
        self._fields = (_Field(_title), _Field(_author_names))  # `_SCORE` expects this order
        self._store: PaperStore | None = None
        self._count = 0
        self._pending: deque[tuple[int, Paper]] = deque()
        self._version = 0
        self._word_cache: dict[str, np.ndarray] = {}
        self._abstracts = _AbstractScan()

    @property
    def indexed(self) -> int:
        """How many store positions are indexed (0 .. indexed-1)."""
        return self._count

    @property
    def version(self) -> int:
        """Changes whenever the indexed content changes.

        A previous result is a valid `candidates` for a narrowing query only if the
        version did not change since it was computed (new papers may match).
        """
        return self._version

    def sync(self, store: PaperStore, is_cancelled: Callable[[], bool] = _never) -> None:
        """Index papers appended to `store` since the last call, and queued refreshes.

        An index serves one store: `match` reads the titles and abstracts of this one.
        Costs nothing when nothing is new, some 10 µs per paper otherwise (see
        benchmarks/filter.py). Works in batches of 1,024 papers, tokenized outside the
        lock, so `match` runs between them; stops between batches when `is_cancelled()`.
        """
        self._store = store
        while not is_cancelled():
            with self._lock:
                self._apply_refreshes()
                start = self._count
            stop = min(len(store), start + _BATCH_PAPERS)
            if stop <= start:
                return
            if stop > MAX_PAPERS:
                raise SearchLimitError(f"the filter indexes at most {MAX_PAPERS:,} papers")
            batches = self._tokenize([store[position] for position in range(start, stop)])
            with self._lock:
                if self._count != start:  # another thread indexed these meanwhile
                    continue
                self._count = stop
                self._commit(np.arange(start, stop), batches, replacing=False)

    def refresh(self, position: int, paper: Paper) -> None:
        """`paper` replaced the one at `position` (a merge): the next sync or match re-indexes it.

        Only queues, so it is cheap and safe from any thread."""
        self._pending.append((position, paper))

    def match(
        self,
        query: Query,
        candidates: Sequence[int] | None,
        read: MarkFlags,
        starred: MarkFlags,
        is_cancelled: Callable[[], bool] = _never,
    ) -> list[int] | None:
        """Positions matching `query`, best first (store order without words); None if cancelled.

        `read` and `starred` hold a byte per store position, nonzero when marked (positions
        past their end count as unmarked: papers that arrived after the marks were read).

        `candidates` restricts the result (e.g. the previous result when `narrows`
        holds and `version` did not change); None means every indexed position.
        """
        with self._lock:
            self._apply_refreshes()
            alive = _alive(candidates, self._count)
            if query.words:
                positions = self._ranked(query, alive, is_cancelled)
            else:
                positions = np.flatnonzero(alive)
        if positions is not None:
            positions = _filter_marks(positions, query, read, starred)
        if positions is not None and query.abstract_words:
            with self._lock:
                positions = self._in_abstracts(positions, query.abstract_words, is_cancelled)
        return None if positions is None else positions.tolist()

    def _in_abstracts(
        self, positions: np.ndarray, words: tuple[str, ...], is_cancelled: Callable[[], bool]
    ) -> np.ndarray | None:
        store = self._store
        if store is None:
            return _EMPTY_POSITIONS
        for word in words:
            positions = self._abstracts.keep(store, positions, word, is_cancelled)
            if positions is None:
                return None
        return positions

    def _apply_refreshes(self) -> None:
        latest: dict[int, Paper] = {}
        later: list[tuple[int, Paper]] = []  # in a batch being indexed: wait until it is in
        while self._pending:
            position, paper = self._pending.popleft()
            if position < self._count:
                latest[position] = paper
            else:
                later.append((position, paper))
        self._pending.extend(later)
        if not latest:
            return
        positions = sorted(latest)
        batches = self._tokenize([latest[position] for position in positions])
        self._commit(np.array(positions, np.int64), batches, replacing=True)
        self._abstracts.forget()

    def _tokenize(self, papers: list[Paper]) -> list[_FieldBatch]:
        """Each field of `papers` as tokens."""
        return [
            _FieldBatch.of([default_process(field.text(paper)) for paper in papers], self._powers)
            for field in self._fields
        ]

    def _commit(self, positions: np.ndarray, batches: list[_FieldBatch], replacing: bool) -> None:
        """Add the batches of the papers at ascending `positions` to the index."""
        for field, batch in zip(self._fields, batches, strict=True):
            ids = self._vocabulary.learn(batch).astype(np.uint64)
            by_token = positions.astype(np.uint64)[batch.tokens.docs]
            postings = np.unique((ids[batch.inverse] << _SHIFT) | by_token)
            field.postings.add(postings, positions, replacing)
            field.initials.set(positions, batch.initials)
        self._version += 1
        self._word_cache.clear()

    def _ranked(
        self, query: Query, alive: np.ndarray, is_cancelled: Callable[[], bool]
    ) -> np.ndarray | None:
        """The `alive` positions (a mask, changed) matching the query's words, best first."""
        count = self._count
        total = np.zeros(count, np.uint32)
        all_in_title = np.ones(count, bool)
        for word in query.words:
            kinds = self._word_kinds(word, is_cancelled)
            if kinds is None:
                return None
            alive &= kinds > 0
            total += _SCORE[kinds]
            all_in_title &= kinds >= _KINDS
        self._add_title_bonus(query, alive & all_in_title, total)
        positions = np.flatnonzero(alive)
        below_most = np.minimum(total[positions], _MOST_POINTS).astype(np.uint16)
        order = np.argsort(np.uint16(_MOST_POINTS) - below_most, kind="stable")
        return positions[order]

    def _word_kinds(self, word: str, is_cancelled: Callable[[], bool]) -> np.ndarray | None:
        """By position: how `word` matched the title and the authors (see `_SCORE`)."""
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        by_field = []
        for field in self._fields:
            if is_cancelled():
                return None
            by_field.append(self._field_kinds(field, word))
        title, authors = by_field
        title *= _KINDS
        title += authors
        if len(self._word_cache) >= _WORD_CACHE:
            del self._word_cache[next(iter(self._word_cache))]
        self._word_cache[word] = title
        return title

    def _field_kinds(self, field: _Field, word: str) -> np.ndarray:
        kinds = np.zeros(self._count, np.uint8)
        if word in _LETTERS:  # prefix matches come from the initials
            kinds[field.initials.having(word, self._count)] = PREFIX
            exact = self._vocabulary.id_of(word)
            ids = np.array([] if exact is None else [exact], np.uint32)
            expansion_kinds = np.full(ids.size, EXACT, np.uint8)
        else:
            expansion = self._vocabulary.expand(word)
            ids, expansion_kinds = expansion.ids, expansion.kinds
        positions, found = field.postings.lookup(ids, expansion_kinds)
        np.maximum.at(kinds, positions, found)
        return kinds

    def _add_title_bonus(self, query: Query, all_in_title: np.ndarray, total: np.ndarray) -> None:
        """Lift papers whose title is the query, or holds it as a phrase (both folded as
        paper keys are, which are the folded titles)."""
        store = self._store
        if store is None:
            return
        phrase = paper_key(query.phrase)
        exact = store.position(phrase)
        if exact is not None and exact < total.size and all_in_title[exact]:
            total[exact] += _EXACT_TITLE_POINTS
        if len(query.words) < 2:
            return
        holding = [
            position
            for position in np.flatnonzero(all_in_title).tolist()
            if phrase in (title := store[position].key) and title != phrase
        ]
        total[holding] += _PHRASE_POINTS


def _alive(candidates: Sequence[int] | None, count: int) -> np.ndarray:
    """By position below `count`: is it among `candidates` (all when None)."""
    if candidates is None:
        return np.ones(count, bool)
    alive = np.zeros(count, bool)
    chosen = np.asarray(candidates, np.int64)
    alive[chosen[chosen < count]] = True
    return alive


def _filter_marks(
    positions: np.ndarray, query: Query, read: MarkFlags, starred: MarkFlags
) -> np.ndarray:
    """Keep the positions whose read and starred marks are as the qualifiers want."""
    for flags, wanted in ((read, query.want_read), (starred, query.want_starred)):
        if wanted is None:
            continue
        # A copy: the app appends to its flags while this runs, and a bytearray with a
        # numpy view on it cannot grow.
        known = np.frombuffer(bytes(flags), np.uint8)
        marked = np.zeros(positions.size, bool)
        inside = positions < known.size
        marked[inside] = known[positions[inside]] != 0
        positions = positions[marked == wanted]
    return positions
