"""The search index's front: `SearchIndex` grows with the store, matches and ranks queries,
and is safe to use from worker threads."""

from __future__ import annotations

import dataclasses
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz.utils import default_process

from parsing.model import Paper, paper_key
from tui.core.marks.model import NO_MARK, Mark
from tui.core.qualifiers import Condition
from tui.core.query import Query
from tui.core.search.abstracts import AbstractIndex
from tui.core.search.arrays import EMPTY_POSITIONS
from tui.core.search.postings import BATCH_PAPERS, MAX_PAPERS, SHIFT, Initials, Postings
from tui.core.search.scoring import (
    EXACT,
    EXACT_TITLE_POINTS,
    KINDS,
    PHRASE_POINTS,
    PREFIX,
    SCORE,
    best_first,
)
from tui.core.search.tokens import LETTERS, FieldBatch, Powers
from tui.core.search.vocabulary import Vocabulary
from tui.core.store import PaperStore

_WORD_CACHE = 8

MarkFlags = bytes | bytearray  # a byte per store position, nonzero when marked


class SearchLimitError(Exception):
    """More papers than the index can address."""


def _never() -> bool:
    return False


@dataclass(frozen=True)
class _Field:
    text: Callable[[Paper], str]
    postings: Postings = dataclasses.field(default_factory=Postings)
    initials: Initials = dataclasses.field(default_factory=Initials)


def _title(paper: Paper) -> str:
    return paper.title


def _author_names(paper: Paper) -> str:
    return " ".join(paper.author_names)


class SearchIndex:
    """Matches queries against the papers of one `PaperStore`, ranked.

    Thread-safe: `sync` and `match` run in worker threads (they serialise on a lock);
    `refresh` only queues and may be called from any thread.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._powers = Powers()
        self._vocabulary = Vocabulary()
        self._fields = (_Field(_title), _Field(_author_names))  # `SCORE` expects this order
        self._store: PaperStore | None = None
        self._count = 0
        self._pending: deque[tuple[int, Paper]] = deque()
        self._version = 0
        self._word_cache: dict[str, np.ndarray] = {}
        self._abstracts = AbstractIndex()

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
            stop = min(len(store), start + BATCH_PAPERS)
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
        marks: Mapping[str, Mark] | None = None,
    ) -> list[int] | None:
        """Positions matching `query`, best first (store order without words); None if cancelled.

        `read` and `starred` hold a byte per store position, nonzero when marked (positions
        past their end count as unmarked: papers that arrived after the marks were read).
        `marks` are the marks by paper key, for conditions on notes and tags (none: no paper
        has any).

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
        if positions is not None and query.conditions:
            with self._lock:
                positions = self._meeting(positions, query.conditions, is_cancelled, marks or {})
        has_abstract_words = query.abstract_words or query.excluded_abstract_words
        if positions is not None and has_abstract_words and not self.index_abstracts(is_cancelled):
            positions = None
        if positions is not None:
            positions = self._in_abstracts(positions, query.abstract_words)
        for words in query.excluded_abstract_words:
            if positions is None:
                break
            found = self._in_abstracts(positions, words)
            positions = positions[~np.isin(positions, found)]
        return None if positions is None else positions.tolist()

    def _meeting(
        self,
        positions: np.ndarray,
        conditions: tuple[Condition, ...],
        is_cancelled: Callable[[], bool],
        marks: Mapping[str, Mark],
    ) -> np.ndarray | None:
        """The `positions` (order kept) whose papers meet every condition; None if cancelled.

        `author:` words are prefix matches in the authors' index. For the others, C-level
        maps read one value per paper (or its mark in `marks`, `Condition.on_mark`) and each
        distinct value is judged once (papers share organisations and counts)."""
        store = self._store
        papers = [] if store is None else list(store)  # a copy of the references: fast
        for condition in conditions:
            if is_cancelled():
                return None
            if condition.name == "author":
                meets = np.ones(self._count, bool)
                for word in default_process(condition.argument).split():
                    meets &= self._field_kinds(self._fields[1], word) >= PREFIX
                positions = positions[meets[positions] != condition.negated]
                continue
            subjects: list[Any] = [papers[position] for position in positions.tolist()]
            if condition.on_mark:
                subjects = [marks.get(paper.key, NO_MARK) for paper in subjects]
            values = list(map(condition.value_of, subjects))
            verdicts = condition.verdicts(values)
            positions = positions[np.fromiter(map(verdicts.__getitem__, values), bool, len(values))]
        return positions

    @property
    def abstracts_indexed(self) -> int:
        """How many store positions (0 .. abstracts_indexed-1) `abs:` words can read."""
        return self._abstracts.covered

    def index_abstracts(self, is_cancelled: Callable[[], bool] = _never) -> bool:
        """Make ready for `abs:` words (when one is being typed): every abstract of the store
        indexed. False if cancelled first; the next call goes on from there."""
        store = self._store
        return store is None or self._abstracts.extend(store, is_cancelled)

    def _in_abstracts(self, positions: np.ndarray, words: tuple[str, ...]) -> np.ndarray:
        """The `positions` (order kept) whose abstract has a token starting with each word;
        the abstracts indexed (`index_abstracts`)."""
        store = self._store
        if store is None:
            return EMPTY_POSITIONS
        for word in words:
            positions = self._abstracts.keep(store, positions, word)
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
        self._abstracts.forget(positions)

    def _tokenize(self, papers: list[Paper]) -> list[FieldBatch]:
        """Each field of `papers` as tokens."""
        return [
            FieldBatch.of([default_process(field.text(paper)) for paper in papers], self._powers)
            for field in self._fields
        ]

    def _commit(self, positions: np.ndarray, batches: list[FieldBatch], replacing: bool) -> None:
        """Add the batches of the papers at ascending `positions` to the index."""
        for field, batch in zip(self._fields, batches, strict=True):
            ids = self._vocabulary.learn(batch).astype(np.uint64)
            by_token = positions.astype(np.uint64)[batch.tokens.docs]
            postings = np.unique((ids[batch.inverse] << SHIFT) | by_token)
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
            total += SCORE[kinds]
            all_in_title &= kinds >= KINDS
        self._add_title_bonus(query, alive & all_in_title, total)
        positions = np.flatnonzero(alive)
        return best_first(positions, total[positions])

    def _word_kinds(self, word: str, is_cancelled: Callable[[], bool]) -> np.ndarray | None:
        """By position: how `word` matched the title and the authors (see `SCORE`)."""
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        by_field = []
        for field in self._fields:
            if is_cancelled():
                return None
            by_field.append(self._field_kinds(field, word))
        title, authors = by_field
        title *= KINDS
        title += authors
        if len(self._word_cache) >= _WORD_CACHE:
            del self._word_cache[next(iter(self._word_cache))]
        self._word_cache[word] = title
        return title

    def _field_kinds(self, field: _Field, word: str) -> np.ndarray:
        kinds = np.zeros(self._count, np.uint8)
        if word in LETTERS:  # prefix matches come from the initials
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
            total[exact] += EXACT_TITLE_POINTS
        if len(query.words) < 2:
            return
        holding = [
            position
            for position in np.flatnonzero(all_in_title).tolist()
            if phrase in (title := store[position].key) and title != phrase
        ]
        total[holding] += PHRASE_POINTS


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
