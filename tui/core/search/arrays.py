"""Small numpy helpers the search index's parts share."""

from __future__ import annotations

import numpy as np

EMPTY_POSITIONS = np.empty(0, np.int64)
EMPTY_KINDS = np.empty(0, np.uint8)


def with_room(array: np.ndarray, size: int, fill: int = 0) -> np.ndarray:
    """`array`, or when shorter than `size` a copy at least twice as long, padded with `fill`."""
    if size <= array.size:
        return array
    grown = np.full(max(size, 2 * array.size), fill, array.dtype)
    grown[: array.size] = array
    return grown


def gather(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The spans `data[start:start + length]`, one after the other."""
    within = np.cumsum(lengths) - lengths
    return data[np.repeat(starts - within, lengths) + np.arange(int(lengths.sum()))]


def first_of_runs(values: np.ndarray) -> np.ndarray:
    """Indices of the first of each run of equal values in a sorted array."""
    fresh = np.ones(values.size, bool)
    np.not_equal(values[1:], values[:-1], out=fresh[1:])
    return np.flatnonzero(fresh)


def find_bytes(haystack: np.ndarray, needle: bytes) -> np.ndarray:
    """Offsets where `needle` occurs in `haystack` (a uint8 array)."""
    last = haystack.size - len(needle)
    if not needle or last < 0:
        return EMPTY_POSITIONS
    hits = np.flatnonzero(haystack[: last + 1] == needle[0])
    for shift, byte in enumerate(needle[1:], 1):
        hits = hits[haystack[hits + shift] == byte]
    return hits
