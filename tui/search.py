"""The live filter engine: a token index over the paper store, grown as papers arrive.

Scoring every title with rapidfuzz on each key press does not scale: over 100,000
papers a typo-tolerant scorer takes 100-600 ms, and abstracts would be ten times
more (numbers in `benchmarks/filter.py`). Instead each field (title, author names,
abstract) is cut into tokens once; a query word is first matched against the
*distinct* tokens (the vocabulary: prefix, infix and typo-tolerant matches, see
`tui.query`), then the posting lists of the matching tokens give the papers. The
per-key-press work is proportional to the vocabulary and the hits, not to the text.

Tokens are hashed and sorted with numpy, so indexing holds the GIL only in short
slices, and one word's scores are cached, so typing the third word of a query does
not recompute the first two. Posting lists live in a few sorted segments per field:
each batch of papers makes one, and segments are merged in tiers, as log-structured
stores do. A refreshed paper is indexed again in a new segment and its older
postings are skipped.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from array import array
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein
from rapidfuzz.utils import default_process

from parsing.model import Paper
from tui.query import Query, allows_infix, fuzzy_prefix_length, typo_budget
from tui.store import PaperStore

# How good a word's match with one token is, and how much each field counts.
EXACT, PREFIX, INFIX, FUZZY = 1.0, 0.85, 0.7, 0.6
TITLE_WEIGHT, AUTHORS_WEIGHT, ABSTRACT_WEIGHT = 1.0, 0.9, 0.4
# Added to the sum of the words' scores, so a paper whose title is the query ranks first.
EXACT_TITLE_BONUS, PHRASE_BONUS = 1.0, 0.5

_BATCH_PAPERS = 512  # papers indexed at once (~1 MB of text); `match` may run between batches
_FANOUT = 8  # this many segments of one size tier are merged into one
_MARK_CHUNK = 4_096  # positions between cancellation checks while testing marks
_WORD_CACHE = 32
_PADDING = 8  # bytes after the joined vocabulary, more than the fuzzy pool filter reads
# A posting is one uint64: token key (the top 40 bits of a 64-bit token hash) above a
# 24-bit store position, so sorting plain integers groups postings by token. Two of
# 300,000 distinct tokens share a key with probability ~4 %, and then only a few papers
# would match a word they do not hold.
_POSITION_BITS = 24
_SHIFT = np.uint64(_POSITION_BITS)
_POSITION_MASK = np.uint64((1 << _POSITION_BITS) - 1)
MAX_PAPERS = 1 << _POSITION_BITS
_HASH_BASE = 0x100000001B3  # odd, so invertible modulo 2**64
_HASH_BITS = 64
_HASH_MASK = (1 << _HASH_BITS) - 1
_MIX = (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53)
_SPACE, _NEWLINE = ord(" "), ord("\n")  # default_process leaves only spaces between tokens
_EMPTY_POSITIONS = np.empty(0, np.int32)
_EXACT_ONLY = np.array([EXACT], np.float32)
_INITIALS = "0123456789abcdefghijklmnopqrstuvwxyz"  # any other first byte sets the last bit
_INITIAL_OF_BYTE = np.full(256, len(_INITIALS), np.uint64)
_INITIAL_OF_BYTE[np.frombuffer(_INITIALS.encode(), np.uint8)] = np.arange(len(_INITIALS))


class SearchLimitError(Exception):
    """More papers than the index can address."""


def _never() -> bool:
    return False


def token_key(token: str) -> int:
    """The key `_tokenize` gives `token`: a polynomial hash of its UTF-8 bytes, top 40 bits."""
    value, power = 0, 1
    for byte in token.encode():
        value = (value + byte * power) & _HASH_MASK
        power = (power * _HASH_BASE) & _HASH_MASK
    for multiplier in _MIX:  # the same steps as `_mix`, on a Python int
        value = ((value ^ (value >> 33)) * multiplier) & _HASH_MASK
    return (value ^ (value >> 33)) >> _POSITION_BITS


def _mix(hashes: np.ndarray) -> np.ndarray:
    """Spread every bit over the top ones (MurmurHash3's finalizer), as short tokens need."""
    for multiplier in _MIX:
        hashes = (hashes ^ (hashes >> np.uint64(33))) * np.uint64(multiplier)
    return hashes ^ (hashes >> np.uint64(33))


class _Powers:
    """`_HASH_BASE**i` and its inverse modulo 2**64, grown on demand (by any thread)."""

    def __init__(self) -> None:
        self._series_pair = (np.ones(0, np.uint64), np.ones(0, np.uint64))

    def upto(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Powers and inverse powers for exponents 0 .. size-1 (or more)."""
        pair = self._series_pair
        if size > pair[0].size:
            size = max(size, 2 * pair[0].size, 1024)
            inverse = pow(_HASH_BASE, -1, 1 << _HASH_BITS)
            pair = (self._series(_HASH_BASE, size), self._series(inverse, size))
            self._series_pair = pair
        return pair

    @staticmethod
    def _series(base: int, size: int) -> np.ndarray:
        series = np.full(size, base, np.uint64)
        series[0] = 1
        return np.cumprod(series, out=series)  # wraps modulo 2**64, as intended


@dataclass(frozen=True)
class _Tokens:
    """The tokens of a batch of folded texts: key, text number and byte span of each."""

    data: bytes
    keys: np.ndarray
    docs: np.ndarray
    starts: np.ndarray
    ends: np.ndarray

    def spelled(self, chosen: np.ndarray) -> bytes:
        """The UTF-8 bytes of the `chosen` tokens, each followed by a newline."""
        lengths = self.ends[chosen] - self.starts[chosen] + 1
        within = np.cumsum(lengths) - lengths
        source = np.repeat(self.starts[chosen] - within, lengths) + np.arange(int(lengths.sum()))
        spelled = np.frombuffer(self.data, np.uint8)[source]  # each token's next byte too ...
        spelled[within + lengths - 1] = _NEWLINE  # ... made a newline
        return spelled.tobytes()


@dataclass(frozen=True)
class _FieldBatch:
    """One field of a batch of papers, tokenized, ready to join the index."""

    positions: np.ndarray  # of the papers, ascending
    initials: np.ndarray  # by paper: see `_Initials`
    tokens: _Tokens
    distinct: np.ndarray  # the distinct token keys, sorted
    examples: np.ndarray  # for each distinct key, one token holding it
    postings: np.ndarray  # sorted, distinct: key << 24 | position


def _tokenize(texts: list[str], powers: _Powers) -> _Tokens:
    """Split folded texts on spaces and hash every token, without a Python loop per token."""
    data = (" " + "\n".join(texts) + " ").encode()
    raw = np.frombuffer(data, np.uint8)
    inside = raw > _SPACE  # folded text holds no other control or space byte
    changes = np.flatnonzero(inside[1:] != inside[:-1]) + 1
    starts, ends = changes[0::2], changes[1::2]
    up, down = powers.upto(raw.size)
    running = np.cumsum(raw * up[: raw.size])  # running[i]: bytes 0..i, weighted
    hashes = (running[ends - 1] - running[starts - 1]) * down[starts]
    tokens_before = np.searchsorted(starts, np.flatnonzero(raw == _NEWLINE))
    counts = np.diff(tokens_before, prepend=0, append=starts.size)
    docs = np.repeat(np.arange(counts.size), counts)
    return _Tokens(data, _mix(hashes) >> _SHIFT, docs, starts, ends)


def _distinct(values: np.ndarray) -> np.ndarray:
    """Indices of the first of each run of equal values in a sorted array."""
    fresh = np.ones(values.size, bool)
    np.not_equal(values[1:], values[:-1], out=fresh[1:])
    return np.flatnonzero(fresh)


def _find(haystack: np.ndarray, needle: bytes) -> np.ndarray:
    """Offsets where `needle` occurs in `haystack` (a uint8 array)."""
    last = haystack.size - len(needle)
    if not needle or last < 0:
        return np.empty(0, np.int64)
    hits = np.flatnonzero(haystack[: last + 1] == needle[0])
    for shift, byte in enumerate(needle[1:], 1):
        hits = hits[haystack[hits + shift] == byte]
    return hits


@dataclass(frozen=True)
class _Expansion:
    """The vocabulary tokens one word matches, as token keys with match qualities."""

    keys: np.ndarray
    qualities: np.ndarray
    hits: np.ndarray  # where the word occurs in the joined tokens (see `_occurrences`)
    near: np.ndarray | None  # ids within the typo budget: the pool for the word plus a letter


class _Vocabulary:
    """Distinct tokens of some fields, searchable by prefix, and if `lenient` by infix and
    with typos (titles and names; in abstracts those would mostly find noise)."""

    def __init__(self, lenient: bool) -> None:
        self.lenient = lenient
        self._strings: list[str] = []
        self._keys = array("Q")  # by token id
        self._offsets = array("q")  # by token id: where it starts in `_joined`
        self._joined = bytearray(b"\n")  # every token, each after a newline
        self._known = np.empty(0, np.uint64)  # sorted keys, to spot new tokens
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._expansions: dict[str, _Expansion] = {}

    def learn(self, batch: _FieldBatch) -> None:
        """Add the batch's tokens not seen before."""
        new = np.ones(batch.distinct.size, bool)
        if self._known.size:
            at = np.minimum(np.searchsorted(self._known, batch.distinct), self._known.size - 1)
            new = self._known[at] != batch.distinct
        if not new.any():
            return
        spelled = batch.tokens.spelled(batch.examples[new])
        starts = np.flatnonzero(np.frombuffer(spelled, np.uint8) == _NEWLINE)[:-1] + 1
        self._offsets.append(len(self._joined))
        self._offsets.extend((starts + len(self._joined)).tolist())
        self._joined += spelled
        self._strings.extend(spelled.decode().split("\n")[:-1])
        self._keys.extend(batch.distinct[new].tolist())
        self._known = np.sort(np.concatenate((self._known, batch.distinct[new])), kind="stable")
        self._arrays = None
        self._expansions.clear()

    def expand(self, word: str) -> _Expansion:
        cached = self._expansions.get(word)
        if cached is not None:
            return cached
        keys_by_id, joined, offsets = self._query_arrays()
        hits = self._occurrences(word, joined)
        starts = hits[joined[hits - 1] == _NEWLINE] if self.lenient else hits
        groups = [
            (EXACT, np.array([token_key(word)], np.uint64)),
            (PREFIX, keys_by_id[np.searchsorted(offsets, starts, "right") - 1]),
        ]
        if self.lenient and allows_infix(word):
            inside = np.unique(np.searchsorted(offsets, hits, "right") - 1)
            groups.append((INFIX, keys_by_id[inside]))
        near = None
        budget = typo_budget(word) if self.lenient else 0
        if budget:
            near = self._near(word, budget, joined, offsets)
            groups.append((FUZZY, keys_by_id[near]))
        expansion = _Expansion(
            keys=np.concatenate([keys for _, keys in groups]),
            qualities=np.concatenate(
                [np.full(keys.size, quality, np.float32) for quality, keys in groups]
            ),
            hits=hits,
            near=near,
        )
        self._expansions[word] = expansion
        return expansion

    def _occurrences(self, word: str, joined: np.ndarray) -> np.ndarray:
        """Where `word` occurs in the joined tokens: anywhere if lenient, else at token starts.
        Narrowed from the previous keystroke's word when it is cached."""
        encoded = word.encode()
        parent = self._expansions.get(word[:-1])
        if parent is None:
            return _find(joined, encoded) if self.lenient else _find(joined, b"\n" + encoded) + 1
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
            starts = _find(joined, b"\n" + word[0].encode()) + 1
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
        tokens = [self._strings[index] for index in pool.tolist()]
        best = np.full(pool.size, budget + 1, np.int32)
        for length in range(max(len(word) - budget, 1), len(word) + budget + 1):
            prefixes = [token[:length] for token in tokens]
            distances = process.cdist(
                [word], prefixes, scorer=OSA.distance, score_cutoff=budget, workers=-1
            )
            np.minimum(best, distances[0], out=best)
        return pool[best <= budget]

    def _query_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Token keys by id, the joined tokens (padded, so a few bytes past any token can
        be read) and the token offsets."""
        if self._arrays is None:
            self._arrays = (
                np.array(self._keys, np.uint64),
                np.frombuffer(bytes(self._joined) + b"\n" * _PADDING, np.uint8),
                np.array(self._offsets, np.int64),
            )
        return self._arrays


@dataclass(frozen=True)
class _Segment:
    """Sorted posting lists: the papers holding `keys[i]` are `papers[bounds[i]:bounds[i+1]]`."""

    serial: int
    paper_count: int  # papers indexed into it (some may have no token in this field)
    keys: np.ndarray
    bounds: np.ndarray
    papers: np.ndarray

    @classmethod
    def from_postings(cls, serial: int, paper_count: int, postings: np.ndarray) -> _Segment:
        """From sorted, distinct postings (key << 24 | position)."""
        keys = postings >> _SHIFT
        starts = _distinct(keys)
        papers = (postings & _POSITION_MASK).astype(np.int32)
        return cls(serial, paper_count, keys[starts], np.append(starts, keys.size), papers)

    @property
    def tier(self) -> int:
        """Size class: 0 up to 8 batches of papers, 1 up to 64, and so on."""
        return int(math.log(max(self.paper_count / _BATCH_PAPERS, 1), _FANOUT))

    def postings(self) -> np.ndarray:
        keys = np.repeat(self.keys, np.diff(self.bounds))
        return (keys << _SHIFT) | self.papers.astype(np.uint64)

    def lookup(self, keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The papers holding any of `keys`, each with the value of the key it holds."""
        at = np.minimum(np.searchsorted(self.keys, keys), self.keys.size - 1)
        found = self.keys[at] == keys
        at = at[found]
        low = self.bounds[at]
        counts = self.bounds[at + 1] - low
        shift = np.repeat(low - (np.cumsum(counts) - counts), counts)
        return self.papers[shift + np.arange(shift.size)], np.repeat(values[found], counts)


class _Postings:
    """One field's posting lists, as a few segments merged in tiers."""

    def __init__(self) -> None:
        self._segments: list[_Segment] = []
        self._serial = 0
        self._fresh_from = np.zeros(0, np.int64)  # by position: serial of its current postings
        self._has_refreshes = False

    def add(self, postings: np.ndarray, positions: np.ndarray, replacing: bool) -> None:
        """Add the sorted, distinct postings of the papers at `positions` as a segment.

        `replacing`: the papers were indexed before; their older postings are ignored.
        """
        self._serial += 1
        if replacing:
            self._mark_fresh(positions)
        if postings.size:
            segment = _Segment.from_postings(self._serial, positions.size, postings)
            self._segments.append(segment)
            self._merge_tiers()

    def lookup(self, keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        found = [self._live(segment, *segment.lookup(keys, values)) for segment in self._segments]
        if not found:
            return _EMPTY_POSITIONS, np.empty(0, np.float32)
        return (
            np.concatenate([papers for papers, _ in found]),
            np.concatenate([values for _, values in found]),
        )

    def _live(
        self, segment: _Segment, papers: np.ndarray, values: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Drop postings of papers indexed again in a later segment."""
        if not self._has_refreshes or not papers.size:
            return papers, values
        keep = self._fresh_from[papers] <= segment.serial
        return papers[keep], values[keep]

    def _mark_fresh(self, papers: np.ndarray) -> None:
        top = int(papers.max(initial=0)) + 1
        if top > self._fresh_from.size:
            grown = np.zeros(max(top, 2 * self._fresh_from.size), np.int64)
            grown[: self._fresh_from.size] = self._fresh_from
            self._fresh_from = grown
        self._fresh_from[papers] = self._serial
        self._has_refreshes = True

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
            merging = self._segments[-run:]
            runs = [
                self._live(segment, segment.papers, segment.postings())[1] for segment in merging
            ]
            merged = _Segment.from_postings(
                merging[-1].serial,
                sum(segment.paper_count for segment in merging),
                np.sort(np.concatenate(runs)),
            )
            self._segments[-run:] = [merged]


class _Initials:
    """By position, the first characters (ASCII letters and digits) of a field's tokens.

    A one-letter word would otherwise gather the postings of a twentieth of the vocabulary.
    """

    def __init__(self) -> None:
        self._bits = np.zeros(0, np.uint64)

    @staticmethod
    def of(tokens: _Tokens, count: int) -> np.ndarray:
        """The bits of each of `count` texts."""
        firsts = np.frombuffer(tokens.data, np.uint8)[tokens.starts]
        bits = np.zeros(count, np.uint64)
        np.bitwise_or.at(bits, tokens.docs, np.uint64(1) << _INITIAL_OF_BYTE[firsts])
        return bits

    def set(self, positions: np.ndarray, bits: np.ndarray) -> None:
        top = int(positions.max(initial=0)) + 1
        if top > self._bits.size:
            grown = np.zeros(max(top, 2 * self._bits.size), np.uint64)
            grown[: self._bits.size] = self._bits
            self._bits = grown
        self._bits[positions] = bits

    def having(self, initial: str, count: int) -> np.ndarray:
        """By position below `count`: some token starts with `initial`."""
        return (self._bits[:count] & np.uint64(1 << _INITIALS.index(initial))) != 0


@dataclass(frozen=True)
class _Field:
    name: str
    weight: float
    text: Callable[[Paper], str]
    vocabulary: _Vocabulary
    postings: _Postings = dataclasses.field(default_factory=_Postings)
    initials: _Initials = dataclasses.field(default_factory=_Initials)


def _title(paper: Paper) -> str:
    return paper.title


def _author_names(paper: Paper) -> str:
    return " ".join(paper.author_names)


def _abstract(paper: Paper) -> str:
    return paper.abstract


@dataclass(frozen=True)
class _WordScores:
    best: np.ndarray  # by position: the word's best match value over the fields, 0 if none
    in_title: np.ndarray  # by position: the word matched the title


class SearchIndex:
    """Matches queries against the papers of one `PaperStore`, ranked.

    Thread-safe: `sync` and `match` run in worker threads (they serialise on a lock);
    `refresh` only queues and may be called from any thread.
    """

    def __init__(self, abstracts: bool = True) -> None:
        self._lock = threading.Lock()
        self._powers = _Powers()
        head = _Vocabulary(lenient=True)
        fields = [
            _Field("title", TITLE_WEIGHT, _title, head),
            _Field("authors", AUTHORS_WEIGHT, _author_names, head),
        ]
        if abstracts:
            abstract_vocabulary = _Vocabulary(lenient=False)
            fields.append(_Field("abstract", ABSTRACT_WEIGHT, _abstract, abstract_vocabulary))
        self._fields = tuple(fields)
        self._count = 0
        self._titles: list[str] = []  # folded, by position
        self._title_positions: dict[str, list[int]] = {}
        self._pending: deque[tuple[int, Paper]] = deque()
        self._version = 0
        self._word_cache: dict[str, _WordScores] = {}

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

        Costs nothing when nothing is new, some 60-75 µs per paper otherwise (see
        benchmarks/filter.py). Works in batches of 512 papers, tokenized outside the lock,
        so `match` runs between them; stops between batches when `is_cancelled()`.
        """
        while not is_cancelled():
            with self._lock:
                self._apply_refreshes()
                start = self._count
            stop = min(len(store), start + _BATCH_PAPERS)
            if stop <= start:
                return
            if stop > MAX_PAPERS:
                raise SearchLimitError(f"the filter indexes at most {MAX_PAPERS:,} papers")
            papers = [store[position] for position in range(start, stop)]
            titles = [default_process(paper.title) for paper in papers]
            batches = self._tokenize(np.arange(start, stop, dtype=np.uint64), papers, titles)
            with self._lock:
                if self._count != start:  # another thread indexed these meanwhile
                    continue
                for position, title in enumerate(titles, start):
                    self._title_positions.setdefault(title, []).append(position)
                self._titles.extend(titles)
                self._count = stop
                self._commit(batches, replacing=False)

    def refresh(self, position: int, paper: Paper) -> None:
        """`paper` replaced the one at `position` (a merge): the next sync or match re-indexes it.

        Only queues, so it is cheap and safe from any thread."""
        self._pending.append((position, paper))

    def match(
        self,
        query: Query,
        candidates: Sequence[int] | None,
        is_read: Callable[[int], bool],
        is_starred: Callable[[int], bool],
        is_cancelled: Callable[[], bool] = _never,
    ) -> list[int] | None:
        """Positions matching `query`, best first (store order without words); None if cancelled.

        `candidates` restricts the result (e.g. the previous result when `narrows`
        holds and `version` did not change); None means every indexed position.
        """
        with self._lock:
            self._apply_refreshes()
            if query.words:
                positions = self._ranked(query, candidates, is_cancelled)
            elif candidates is None:
                positions = list(range(self._count))
            else:
                positions = sorted(p for p in set(candidates) if p < self._count)
        if positions is None:
            return None
        return _filter_marks(positions, query, is_read, is_starred, is_cancelled)

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
        papers = [latest[position] for position in positions]
        titles = [default_process(paper.title) for paper in papers]
        for position, title in zip(positions, titles, strict=True):
            if self._titles[position] != title:
                self._title_positions[self._titles[position]].remove(position)
                self._title_positions.setdefault(title, []).append(position)
                self._titles[position] = title
        replaced = np.array(positions, np.uint64)
        self._commit(self._tokenize(replaced, papers, titles), replacing=True)

    def _tokenize(
        self, positions: np.ndarray, papers: list[Paper], titles: list[str]
    ) -> list[_FieldBatch]:
        """Each field of `papers` (at ascending `positions`) as tokens and postings."""
        batches = []
        for field in self._fields:
            texts = (
                titles if field.text is _title else [default_process(field.text(p)) for p in papers]
            )
            tokens = _tokenize(texts, self._powers)
            # Sort token numbers by key: the first of each key is an example of it, and the
            # postings come out sorted, as positions ascend with token numbers.
            order = np.sort((tokens.keys << _SHIFT) | np.arange(tokens.keys.size, dtype=np.uint64))
            keys = order >> _SHIFT
            numbers = (order & _POSITION_MASK).astype(np.int64)
            firsts = _distinct(keys)
            postings = (keys << _SHIFT) | positions[tokens.docs[numbers]]
            batch = _FieldBatch(
                positions=positions.astype(np.int64),
                tokens=tokens,
                distinct=keys[firsts],
                examples=numbers[firsts],
                postings=postings[_distinct(postings)],
                initials=_Initials.of(tokens, len(texts)),
            )
            batches.append(batch)
        return batches

    def _commit(self, batches: list[_FieldBatch], replacing: bool) -> None:
        for field, batch in zip(self._fields, batches, strict=True):
            field.vocabulary.learn(batch)
            field.postings.add(batch.postings, batch.positions, replacing)
            field.initials.set(batch.positions, batch.initials)
        self._changed()

    def _changed(self) -> None:
        self._version += 1
        self._word_cache.clear()

    def _ranked(
        self, query: Query, candidates: Sequence[int] | None, is_cancelled: Callable[[], bool]
    ) -> list[int] | None:
        count = self._count
        if candidates is None:
            alive = np.ones(count, bool)
        else:
            alive = np.zeros(count, bool)
            chosen = np.asarray(candidates, np.int64)
            alive[chosen[chosen < count]] = True
        total = np.zeros(count, np.float32)
        in_title = np.ones(count, bool)
        for word in query.words:
            scores = self._word_scores(word, is_cancelled)
            if scores is None:
                return None
            alive &= scores.best > 0
            total += scores.best
            in_title &= scores.in_title
        self._add_title_bonus(query, alive & in_title, total)
        positions = np.flatnonzero(alive)
        order = np.lexsort((positions, -total[positions]))
        return positions[order].tolist()

    def _word_scores(self, word: str, is_cancelled: Callable[[], bool]) -> _WordScores | None:
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        best = np.zeros(self._count, np.float32)
        in_title = np.zeros(self._count, bool)
        for field in self._fields:
            if is_cancelled():
                return None
            if len(word) == 1 and word in _INITIALS:  # prefix matches come from initials
                keys, qualities = np.array([token_key(word)], np.uint64), _EXACT_ONLY
                starting = field.initials.having(word, self._count)
                np.maximum(best, np.where(starting, np.float32(PREFIX * field.weight), 0), out=best)
                if field.text is _title:
                    in_title |= starting
            else:
                expansion = field.vocabulary.expand(word)
                keys, qualities = expansion.keys, expansion.qualities
            papers, values = field.postings.lookup(keys, qualities * np.float32(field.weight))
            np.maximum.at(best, papers, values)
            if field.text is _title:
                in_title[papers] = True
        if len(self._word_cache) >= _WORD_CACHE:
            del self._word_cache[next(iter(self._word_cache))]
        scores = _WordScores(best, in_title)
        self._word_cache[word] = scores
        return scores

    def _add_title_bonus(self, query: Query, all_in_title: np.ndarray, total: np.ndarray) -> None:
        """Lift papers whose folded title is the query, or holds it as a phrase."""
        phrase = query.phrase
        for position in self._title_positions.get(phrase, ()):
            if position < total.size and all_in_title[position]:
                total[position] += EXACT_TITLE_BONUS
        if len(query.words) < 2:
            return
        for position in np.flatnonzero(all_in_title).tolist():
            title = self._titles[position]
            if phrase in title and title != phrase:
                total[position] += PHRASE_BONUS


def _filter_marks(
    positions: list[int],
    query: Query,
    is_read: Callable[[int], bool],
    is_starred: Callable[[int], bool],
    is_cancelled: Callable[[], bool],
) -> list[int] | None:
    """Keep the positions whose read and starred marks are as the qualifiers want."""
    tests = [
        (test, wanted)
        for test, wanted in ((is_read, query.want_read), (is_starred, query.want_starred))
        if wanted is not None
    ]
    if not tests:
        return positions
    kept: list[int] = []
    for start in range(0, len(positions), _MARK_CHUNK):
        if is_cancelled():
            return None
        chunk = positions[start : start + _MARK_CHUNK]
        for test, wanted in tests:
            chunk = [position for position in chunk if bool(test(position)) is wanted]
        kept.extend(chunk)
    return kept


def title_highlights(title: str, query: Query) -> list[tuple[int, int]]:
    """(start, end) spans of `title` matched by the query's words, sorted and disjoint.

    Uses the same rules as matching, on the same folded tokens (`default_process`
    maps characters one to one, so offsets carry over to the original title).
    """
    if not query.words:
        return []
    folded = default_process("x" + title)[1:]  # the "x" keeps leading offsets in place
    spans: list[tuple[int, int]] = []
    offset = 0
    for token in folded.split(" "):
        if token:
            for word in query.words:
                spans.extend((offset + a, offset + b) for a, b in _token_spans(word, token))
        offset += len(token) + 1
    return _merge_spans(spans)


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
