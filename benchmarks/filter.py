"""Live filter: rapidfuzz scorers over every paper vs. the token index of `tui.core.search`.

    .venv/bin/python benchmarks/filter.py                 # 100,000 papers
    .venv/bin/python benchmarks/filter.py --papers 20000  # quicker

Papers come from `parsing.synthetic`; its abstracts draw on a small vocabulary, so
`--rare-words` (default 8) appends that many words per abstract from a list of 250,000
made-up words, for a vocabulary the size of real abstracts'. Prints milliseconds, and
the memory the index takes (tracemalloc: what it holds, and its peak while indexing).
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from parsing.model import Paper
from parsing.synthetic import generate
from tui.core.highlight import title_highlights
from tui.core.query import Query, narrows, parse_query
from tui.core.search.index import SearchIndex
from tui.core.store import PaperStore

TYPED = (
    "mixture of experts",
    "gaussian splatting",
    "mixtrue of experst",
    "okafor",
    "is:unread diff",
)
ABSTRACT_WORDS = ("quasar", "mixture", "the", "con")  # absent, some, every paper, many tokens
TYPED_ABSTRACT = "abs:routing"
SYLLABLES = ("ba", "ce", "di", "fo", "gu", "ha", "ki", "lo", "mu", "ne", "pi", "qua", "ro", "su",
             "te", "vi", "wo", "xe", "yu", "zo")  # fmt: skip


def rare_vocabulary(size: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5))))
    return sorted(words)


def make_store(count: int, rare_words: int, seed: int = 7) -> PaperStore:
    rng = random.Random(seed)
    vocabulary = rare_vocabulary(250_000, rng) if rare_words else []
    store = PaperStore()
    for paper in generate(count, seed):
        if rare_words:
            extra = " ".join(rng.choices(vocabulary, k=rare_words))
            abstract = f"{paper.abstract} {extra}"  # the fields the filter reads:
            paper = Paper(paper.title, abstract, paper.authors, paper.author_names)
        store.add(paper)
    return store


def timed(action: Callable[[], object], repeat: int = 3) -> float:
    """Best of `repeat` runs, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def scorers(store: PaperStore) -> None:
    """One query over title + author keys (precomputed), each way, as the guide measured."""
    keys = [default_process(f"{p.title} {' '.join(p.author_names)}") for p in store]
    abstracts = [default_process(p.abstract) for p in store]
    word = "mixture"
    chunk = 10_000
    print(f"\nscoring '{word}' against {len(keys):,} title+author keys (best of 3, ms)")
    rows: list[tuple[str, Callable[[], object]]] = [
        ("plain substring, Python loop", lambda: [i for i, k in enumerate(keys) if word in k]),
        (
            "plain substring over abstracts",
            lambda: [i for i, a in enumerate(abstracts) if word in a],
        ),
        ("QRatio cdist workers=-1", lambda: cdist(fuzz.QRatio, keys, word, 80)),
        ("partial_ratio extract (GIL held)", lambda: extract(fuzz.partial_ratio, keys, word, 80)),
        ("partial_ratio cdist workers=-1", lambda: cdist(fuzz.partial_ratio, keys, word, 80)),
        (f"partial_ratio cdist, chunks of {chunk:,}", lambda: chunked(keys, word, chunk)),
        ("token_set_ratio cdist workers=-1", lambda: cdist(fuzz.token_set_ratio, keys, word, 80)),
        ("WRatio cdist workers=-1", lambda: cdist(fuzz.WRatio, keys, word, 80)),
    ]
    for name, action in rows:
        print(f"  {name:<40} {timed(action):8.1f}")
    for query in ("mixtrue", "ex"):
        hits = int((cdist(fuzz.partial_ratio, keys, query, 80) >= 80).sum())
        print(f"  partial_ratio >= 80 for '{query}': {hits:,} of {len(keys):,} papers match")


def cdist(scorer: Callable[..., float], keys: list[str], word: str, cutoff: int):
    return process.cdist([word], keys, scorer=scorer, score_cutoff=cutoff, workers=-1)[0]


def extract(scorer: Callable[..., float], keys: list[str], word: str, cutoff: int):
    return process.extract(word, keys, scorer=scorer, score_cutoff=cutoff, limit=None)


def chunked(keys: list[str], word: str, size: int) -> list[object]:
    return [
        cdist(fuzz.partial_ratio, keys[i : i + size], word, 80) for i in range(0, len(keys), size)
    ]


def typing_session(
    index: SearchIndex, texts: Iterable[str], marks: bytes, use_narrowing: bool
) -> list[float]:
    """Type each text one character at a time; milliseconds per key press."""
    times: list[float] = []
    for text in texts:
        index.match(parse_query(""), None, marks, marks)
        previous: tuple[Query, list[int], int] | None = None
        for end in range(1, len(text) + 1):
            query = parse_query(text[:end])
            start = time.perf_counter()
            candidates = None
            if (
                use_narrowing
                and previous
                and previous[2] == index.version
                and narrows(previous[0], query)
            ):
                candidates = previous[1]
            result = index.match(query, candidates, marks, marks)
            times.append((time.perf_counter() - start) * 1000)
            assert result is not None
            previous = (query, result, index.version)
    return times


def longest_stall(work: Callable[[], object]) -> float:
    """Longest gap, in ms, between 1 ms ticks of this thread while `work` runs in another."""
    done = threading.Event()
    thread = threading.Thread(target=lambda: (work(), done.set()))
    last, worst = time.perf_counter(), 0.0
    thread.start()
    while not done.is_set():
        time.sleep(0.001)
        now = time.perf_counter()
        worst, last = max(worst, now - last), now
    thread.join()
    return worst * 1000


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synced(store: PaperStore) -> SearchIndex:
    index = SearchIndex()
    index.sync(store)
    return index


def memory(store: PaperStore) -> None:
    """What the index holds once synced, and its peak, as tracemalloc counts them."""
    marks = bytes(position % 3 == 0 for position in range(len(store)))
    tracemalloc.start()
    index = synced(store)
    held, peak = tracemalloc.get_traced_memory()
    print(f"  memory (tracemalloc): holds {held / 1e6:.1f} MB, peak {peak / 1e6:.1f} MB syncing")
    tracemalloc.reset_peak()
    typing_session(index, (*TYPED, TYPED_ABSTRACT), marks, False)
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"    after typing the queries: holds {held / 1e6:.1f} MB (caches), peak {peak / 1e6:.1f} "
        "MB (with the results: a list of 100,000 positions is 3.6 MB)"
    )


def index_numbers(store: PaperStore) -> None:
    count = len(store)
    before = rss_mb()
    start = time.perf_counter()
    index = synced(store)
    took = time.perf_counter() - start
    print(f"\nSearchIndex over {count:,} papers (titles and author names)")
    print(f"  sync from empty: {took:.2f} s ({took / count * 1e6:.1f} us per paper)")
    print(f"  peak RSS grew by {rss_mb() - before:.0f} MB")
    memory(store)
    print(f"  sync with nothing new: {timed(lambda: index.sync(store), 5):.3f} ms")
    stall = min(longest_stall(lambda: synced(store)) for _ in range(3))
    print(f"  longest stall of another thread while syncing (best of 3): {stall:.1f} ms")

    marks = bytes(position % 3 == 0 for position in range(count))
    for narrowing in (False, True):
        times = typing_session(synced(store), TYPED, marks, narrowing)
        label = "with narrowing" if narrowing else "no narrowing"
        print(
            f"  typing {len(TYPED)} queries ({len(times)} key presses, {label}): "
            f"p50 {percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
            f"max {max(times):.1f} ms"
        )
    cold = synced(store)
    for text in ("m", "mixture of experts", "mixtrue", "okafor", "is:unread"):
        query = parse_query(text)
        result = index.match(query, None, marks, marks) or []
        first = timed(lambda q=query: cold.match(q, None, marks, b""), 1)
        print(f"  '{text}': {len(result):,} matches; first time (nothing cached) {first:.1f} ms")
    fresh = synced(store)
    stall = longest_stall(lambda: typing_session(fresh, TYPED, marks, False))
    print(f"  longest stall of another thread while typing: {stall:.1f} ms")

    query = parse_query("mixtrue of experts")
    titles = [store[p].title for p in range(50)]
    took = timed(lambda: [title_highlights(t, query) for t in titles], 5)
    print(f"  title_highlights for 50 rows: {took:.2f} ms")
    abstract_numbers(index, store)


def abstract_numbers(index: SearchIndex, store: PaperStore) -> None:
    """`abs:` words: the index of the abstracts' token starts (made when `abs:` is first
    typed), then words looked up in it."""
    print(f"\n`abs:` words over {len(store):,} abstracts")
    fresh = [synced(store) for _ in range(2)]
    tracemalloc.start()
    took = timed(fresh[0].index_abstracts, 1)
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = sum(len(paper.abstract.encode()) for paper in store) / 1e6
    print(
        f"  indexing every abstract ({size:.0f} MB): {took:.0f} ms, "
        f"holds {held / 1e6:.1f} MB, peak {peak / 1e6:.1f} MB"
    )
    stall = longest_stall(fresh[1].index_abstracts)
    print(f"  longest stall of another thread while indexing them: {stall:.1f} ms")
    index.index_abstracts()
    for text in (*(f"abs:{word}" for word in ABSTRACT_WORDS), "diffusion abs:quasar"):
        query = parse_query(text)
        result = index.match(query, None, b"", b"") or []
        took = timed(lambda q=query: index.match(q, None, b"", b""))
        print(f"  '{text}': {len(result):,} matches, {took:.1f} ms")
    times = typing_session(index, [TYPED_ABSTRACT], set(), False)
    print(
        f"  typing '{TYPED_ABSTRACT}' ({len(times)} key presses, no narrowing): "
        f"{', '.join(f'{t:.1f}' for t in times)} ms"
    )


def growing(store: PaperStore, step: int) -> None:
    """Papers arrive `step` at a time while a query is retyped: sync + match per key press."""
    index = SearchIndex()
    growing_store = PaperStore()
    papers: list[Paper] = list(store)
    times: list[float] = []
    text = "mixture of experts"
    for end in range(0, len(papers), step):
        for paper in papers[end : end + step]:
            growing_store.add(paper)
        query = parse_query(text[: 1 + (end // step) % len(text)])
        start = time.perf_counter()
        index.sync(growing_store)
        index.match(query, None, b"", b"")
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"\nloading {len(papers):,} papers {step:,} at a time, sync + match per key press: "
        f"p50 {percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
        f"max {max(times):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--rare-words", type=int, default=8)
    args = parser.parse_args()
    start = time.perf_counter()
    store = make_store(args.papers, args.rare_words)
    gc.freeze()  # as the app does once loaded: the collector's full passes would stall threads
    print(f"{len(store):,} synthetic papers in {time.perf_counter() - start:.1f} s")
    scorers(store)
    index_numbers(store)
    growing(store, step=500)


if __name__ == "__main__":
    main()
