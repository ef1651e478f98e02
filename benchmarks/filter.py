"""Live filter: rapidfuzz scorers over every paper vs. the token index of `tui.search`.

    .venv/bin/python benchmarks/filter.py                 # 100,000 papers
    .venv/bin/python benchmarks/filter.py --papers 20000  # quicker

Papers come from `parsing.synthetic`; its abstracts draw on a small vocabulary, so
`--rare-words` (default 8) appends that many words per abstract from a list of 250,000
made-up words, for a vocabulary the size of real abstracts'. Prints milliseconds.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from parsing.model import Paper
from parsing.synthetic import generate
from tui.query import Query, narrows, parse_query
from tui.search import SearchIndex, title_highlights
from tui.store import PaperStore

TYPED = (
    "mixture of experts",
    "gaussian splatting",
    "mixtrue of experst",
    "okafor",
    "is:unread diff",
)
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
            paper = replace(paper, abstract=f"{paper.abstract} {extra}")
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
    index: SearchIndex, texts: Iterable[str], marks: set[int], use_narrowing: bool
) -> list[float]:
    """Type each text one character at a time; milliseconds per key press."""
    times: list[float] = []
    for text in texts:
        index.match(parse_query(""), None, marks.__contains__, marks.__contains__)
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
            result = index.match(query, candidates, marks.__contains__, marks.__contains__)
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


def index_numbers(store: PaperStore) -> None:
    count = len(store)
    before = rss_mb()
    start = time.perf_counter()
    index = synced(store)
    took = time.perf_counter() - start
    print(f"\nSearchIndex over {count:,} papers (title, authors, abstract)")
    print(f"  sync from empty: {took:.2f} s ({took / count * 1e6:.0f} us per paper)")
    print(f"  peak memory grew by {rss_mb() - before:.0f} MB")
    print(f"  sync with nothing new: {timed(lambda: index.sync(store), 5):.3f} ms")

    marks = set(range(0, count, 3))
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
        result = index.match(query, None, marks.__contains__, marks.__contains__) or []
        first = timed(lambda q=query: cold.match(q, None, marks.__contains__, bool), 1)
        print(f"  '{text}': {len(result):,} matches; first time (nothing cached) {first:.1f} ms")
    fresh = synced(store)
    stall = longest_stall(lambda: typing_session(fresh, TYPED, marks, False))
    print(f"  longest stall of another thread while typing: {stall:.1f} ms")

    query = parse_query("mixtrue of experts")
    titles = [store[p].title for p in range(50)]
    took = timed(lambda: [title_highlights(t, query) for t in titles], 5)
    print(f"  title_highlights for 50 rows: {took:.2f} ms")


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
        index.match(query, None, bool, bool)
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
    print(f"{len(store):,} synthetic papers in {time.perf_counter() - start:.1f} s")
    scorers(store)
    index_numbers(store)
    growing(store, step=500)


if __name__ == "__main__":
    main()
