"""Folded texts cut into tokens and hashed, a batch at a time, without a Python loop per
token: a token is its bytes between spaces (`default_process` leaves no other separator), its
hash a polynomial hash of those bytes, mixed."""

from __future__ import annotations

import string
from dataclasses import dataclass

import numpy as np

from tui.core.search.arrays import gather

_HASH_BASE = 0x100000001B3
_HASH_MASK = (1 << 64) - 1
_MIX = (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53)
_SPACE, NEWLINE = ord(" "), ord("\n")  # default_process leaves only spaces between tokens
# Letters whose prefix matches come from `Initials` (see `tui.core.search.postings`) rather
# than from posting lists.
LETTERS = frozenset(string.ascii_lowercase)
LETTER_BIT = np.zeros(256, np.uint32)
LETTER_BIT[np.frombuffer(string.ascii_lowercase.encode(), np.uint8)] = 1 << np.arange(
    26, dtype=np.uint32
)


def token_key(token: str) -> int:
    """The hash `tokenize` gives `token`: a polynomial hash of its UTF-8 bytes, mixed."""
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


class Powers:
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
class Tokens:
    """The tokens of a batch of folded texts: hash, text number and byte span of each."""

    data: np.ndarray  # the texts' UTF-8 bytes
    hashes: np.ndarray
    docs: np.ndarray
    starts: np.ndarray
    ends: np.ndarray

    def spelled(self, chosen: np.ndarray) -> bytes:
        """The UTF-8 bytes of the `chosen` tokens, each followed by a newline."""
        lengths = self.ends[chosen] - self.starts[chosen] + 1
        spelled = gather(self.data, self.starts[chosen], lengths)  # each token's next byte ...
        spelled[np.cumsum(lengths) - 1] = NEWLINE  # ... made a newline
        return spelled.tobytes()


def tokenize(texts: list[str], powers: Powers) -> Tokens:
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
    tokens_before = np.searchsorted(starts, np.flatnonzero(raw == NEWLINE))
    counts = np.diff(tokens_before, prepend=0, append=starts.size)
    docs = np.repeat(np.arange(counts.size), counts)
    return Tokens(raw, _mix(hashes), docs, starts, ends)


@dataclass(frozen=True)
class FieldBatch:
    """One field of a batch of papers, tokenized, ready to join the index."""

    tokens: Tokens
    distinct: np.ndarray  # the distinct token hashes, sorted
    examples: np.ndarray  # for each distinct hash, one token holding it
    inverse: np.ndarray  # by token: the index of its hash in `distinct`
    initials: np.ndarray  # by text: see `initial_bits`

    @classmethod
    def of(cls, texts: list[str], powers: Powers) -> FieldBatch:
        tokens = tokenize(texts, powers)
        distinct, examples, inverse = np.unique(
            tokens.hashes, return_index=True, return_inverse=True
        )
        return cls(tokens, distinct, examples, inverse, initial_bits(tokens, len(texts)))


def initial_bits(tokens: Tokens, count: int) -> np.ndarray:
    """By text, of `count` texts: a bit for each letter a-z that starts one of its tokens."""
    bits = np.zeros(count, np.uint32)
    np.bitwise_or.at(bits, tokens.docs, LETTER_BIT[tokens.data[tokens.starts]])
    return bits
