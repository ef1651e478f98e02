"""What a match is worth: how a word matched a token (its kind), the weight of each field,
the bonus of a title that is the query, and the order of the results."""

from __future__ import annotations

import numpy as np

# How a word matched a token, worst to best (0: not at all), and what each kind is worth.
FUZZY, INFIX, PREFIX, EXACT = 1, 2, 3, 4
KINDS = 5
_QUALITY = np.array([0.0, 0.6, 0.7, 0.85, 1.0])  # by kind
TITLE_WEIGHT, AUTHORS_WEIGHT = 1.0, 0.9
# Added to the sum of the words' scores, so a paper whose title is the query ranks first.
EXACT_TITLE_BONUS, PHRASE_BONUS = 1.0, 0.5
# Scores add up in points, 1/200 of the units above: all are whole numbers of points, so
# sums are exact and sort as 16-bit integers (a radix sort).
_POINTS = 200
MOST_POINTS = np.iinfo(np.uint16).max
EXACT_TITLE_POINTS, PHRASE_POINTS = (
    round(EXACT_TITLE_BONUS * _POINTS),
    round(PHRASE_BONUS * _POINTS),
)
# A word's match with one paper is one byte, title kind * KINDS + authors kind, worth:
SCORE = (
    np.rint(np.maximum.outer(_QUALITY * TITLE_WEIGHT, _QUALITY * AUTHORS_WEIGHT) * _POINTS)
    .astype(np.uint32)
    .ravel()
)


def best_first(positions: np.ndarray, points: np.ndarray) -> np.ndarray:
    """`positions` sorted by their `points`, highest first (stable)."""
    below_most = np.minimum(points, MOST_POINTS).astype(np.uint16)
    order = np.argsort(np.uint16(MOST_POINTS) - below_most, kind="stable")
    return positions[order]
