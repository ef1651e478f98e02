"""The live filter: matching rules, `abs:` words, ranking, growth, refresh, highlights."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.utils import default_process

from parsing.model import Paper
from parsing.synthetic import generate
from tui.core.highlight import title_highlights
from tui.core.query import (
    Query,
    allows_infix,
    fuzzy_prefix_length,
    narrows,
    parse_query,
    typo_budget,
)
from tui.core.search.abstracts import PART_PAPERS
from tui.core.search.index import SearchIndex
from tui.core.search.tokens import token_key
from tui.core.store import PaperStore

PAPERS = (
    Paper("Sparse Mixture-of-Experts for Vision", "We route image tokens to experts.", None,
          ("Ada Lovelace", "Alan Turing")),
    Paper("Diffusion Transformers at Scale", "A study of denoising models with attention.", None,
          ("Grace Hopper",)),
    Paper("Mixture of Experts", "", None, ("Edsger Dijkstra",)),
    Paper("Gaussian Splatting in Real Time", "Rendering radiance with splats and mixture weights.",
          None, ("Barbara Liskov",)),
    Paper("Complex Reasoning Benchmarks", "An index of hard problems.", None, ("Ken Thompson",)),
    Paper("Experts Mixtures Revisited", "Routing revisited.", None, ("Ada Lovelace",)),
)  # fmt: skip


NEVER = b""  # no paper marked


def flags(marked: Callable[[int], bool], count: int) -> bytes:
    """A mark's flags over `count` store positions."""
    return bytes(marked(position) for position in range(count))


def store_of(papers: tuple[Paper, ...] | list[Paper]) -> PaperStore:
    store = PaperStore()
    for paper in papers:
        store.add(paper)
    return store


@pytest.fixture
def index() -> SearchIndex:
    search = SearchIndex()
    search.sync(store_of(PAPERS))
    return search


def find(
    index: SearchIndex,
    text: str,
    read: bytes = NEVER,
    starred: bytes = NEVER,
) -> list[int]:
    result = index.match(parse_query(text), None, read, starred)
    assert result is not None
    return result


# --- matching --------------------------------------------------------------------------------


def test_substrings_of_title_words_match(index: SearchIndex) -> None:
    assert find(index, "former") == [1]
    assert find(index, "iffus") == [1]
    assert find(index, "splat") == [3]


def test_typos_are_tolerated(index: SearchIndex) -> None:
    assert find(index, "difusion") == [1]
    assert find(index, "transfromers") == [1]
    assert set(find(index, "mixtrue")) == {0, 2, 5}  # mixture(s) in titles
    assert find(index, "abs:radaince") == []  # no typos in abstracts


def test_short_words_match_word_starts_only(index: SearchIndex) -> None:
    assert set(find(index, "ex")) == {0, 2, 5}  # "experts"; not "complex"
    assert find(index, "compl") == [4]
    assert 4 in find(index, "plex")  # titles match inside tokens from 3 letters


def test_author_words_match(index: SearchIndex) -> None:
    assert find(index, "lovelace") == [0, 5]
    assert find(index, "hopper") == [1]
    assert find(index, "ada turing") == [0]


def test_plain_words_do_not_match_abstracts(index: SearchIndex) -> None:
    assert find(index, "denoising") == []
    assert find(index, "radiance") == []
    assert find(index, "mixture") == [0, 2, 5]  # not 3, whose abstract says "mixture"


def test_abstract_words_match_token_starts_in_any_case(index: SearchIndex) -> None:
    assert find(index, "abs:denoising") == [1]
    assert find(index, "abs:RADIANCE") == [3]
    assert find(index, "abs:rout") == [0, 5]  # "route", "Routing"
    assert find(index, "abs:outing") == []  # no infix matches in abstracts
    assert find(index, "abs:ind") == [4]
    assert find(index, "abs:dex") == []  # inside "index"
    assert find(index, "abs:quasar") == []


def test_abstract_words_see_tokens_after_any_punctuation() -> None:
    index = SearchIndex()
    index.sync(store_of([Paper("A", "Non-autoregressive (AR) decoding; top_k/ε-greedy.")]))
    for word in ("autoreg", "ar", "decod", "k", "greedy", "ε"):
        assert find(index, f"abs:{word}") == [0], word
    for word in ("oregressive", "ding", "reedy", "egressive"):
        assert find(index, f"abs:{word}") == [], word


def test_a_negated_abstract_word_leaves_out_the_papers_it_would_keep(index: SearchIndex) -> None:
    assert find(index, "-abs:rout") == [1, 2, 3, 4]  # not 0 "route", 5 "Routing"
    assert find(index, "experts -abs:rout") == [2]  # the ranking of the words stays
    assert find(index, "-abs:rout -abs:index") == [1, 2, 3]
    assert find(index, "abs:mixture -abs:radiance") == []
    assert find(index, "-abs:denoising-models") == [0, 2, 3, 4, 5]  # both words: out
    assert find(index, "-abs:denoising-quasar") == list(range(len(PAPERS)))  # not both


def test_every_word_and_abstract_word_must_match(index: SearchIndex) -> None:
    assert find(index, "mixture vision") == [0]
    assert find(index, "mixture hopper") == []
    assert find(index, "splatting abs:mixture") == [3]
    assert find(index, "abs:rout abs:revisited") == [5]
    assert find(index, "abs:mixture abs:quasar") == []
    assert find(index, "experts abs:image is:unread") == [0]


def test_exact_title_ranks_first_then_better_matches(index: SearchIndex) -> None:
    ranked = find(index, "mixture of experts")
    assert ranked[0] == 2
    assert set(ranked) == {0, 2}
    assert find(index, "mixture") == [0, 2, 5]  # exact words in titles, then a prefix
    assert find(index, "experts abs:rout") == [0, 5]  # abstract words keep the ranking
    assert find(index, "abs:rou") == [0, 5]  # only abstract words: store order


def test_empty_query_keeps_store_order_and_qualifiers_filter(index: SearchIndex) -> None:
    read = flags({1, 2, 4}.__contains__, 6)
    starred = flags({2, 5}.__contains__, 5)  # the last paper arrived after the marks were read
    assert find(index, "") == [0, 1, 2, 3, 4, 5]
    assert find(index, "is:unread", read) == [0, 3, 5]
    assert find(index, "is:read", read) == [1, 2, 4]
    assert find(index, "is:starred", NEVER, starred) == [2]
    assert find(index, "is:unstarred is:read", read, starred) == [1, 4]
    assert find(index, "experts is:unread", read) == [0, 5]


def test_candidates_restrict_the_result(index: SearchIndex) -> None:
    query = parse_query("experts")
    assert index.match(query, [5, 2, 4], NEVER, NEVER) == [2, 5]
    assert index.match(parse_query(""), [5, 2, 99], NEVER, NEVER) == [2, 5]
    assert index.match(parse_query("abs:rout"), [5, 1], NEVER, NEVER) == [5]


def test_cancelled_match_returns_none(index: SearchIndex) -> None:
    assert index.match(parse_query("experts"), None, NEVER, NEVER, lambda: True) is None
    assert index.match(parse_query("abs:rout"), None, NEVER, NEVER, lambda: True) is None
    assert find(index, "abs:rout") == [0, 5]  # a cancelled scan leaves nothing wrong behind


def test_typing_and_erasing_an_abstract_word_matches_each_prefix() -> None:
    papers = generate(300, seed=3)
    index = SearchIndex()
    index.sync(store_of(papers))
    for text in ("abs:transformers", "abs:rot", "abs:re abs:ro"):
        typed = [text[:end] for end in range(len("abs:") + 1, len(text) + 1)]
        for prefix in typed + typed[::-1]:  # letter by letter, then erased
            query = parse_query(prefix)
            assert set(find(index, prefix)) == brute_force(papers, query), prefix


# --- growth and refresh ----------------------------------------------------------------------


def test_sync_indexes_papers_appended_meanwhile() -> None:
    store = store_of(PAPERS[:2])
    index = SearchIndex()
    index.sync(store)
    assert index.indexed == 2
    assert find(index, "experts") == [0]
    version = index.version
    index.sync(store)
    assert index.version == version  # nothing new, nothing done
    for paper in PAPERS[2:]:
        store.add(paper)
    assert find(index, "experts") == [0]  # not synced yet
    index.sync(store)
    assert index.indexed == len(PAPERS)
    assert index.version != version
    assert find(index, "experts") == [0, 2, 5]


def test_sync_stops_when_cancelled() -> None:
    index = SearchIndex()
    index.sync(store_of(PAPERS), lambda: True)
    assert index.indexed == 0


def test_refresh_reindexes_a_merged_paper() -> None:
    store = store_of(PAPERS)
    index = SearchIndex()
    index.sync(store)
    assert find(index, "abs:quasars") == []
    position, is_new = store.add(Paper("Mixture of Experts", "Quasars and routing.", 2))
    assert not is_new
    index.refresh(position, store[position])  # only queued: the next sync or match applies it
    assert find(index, "abs:quasars") == [2]  # the answer for "quasars" above was forgotten
    assert find(index, "dijkstra") == [2]


def test_refresh_of_a_paper_not_indexed_yet_waits_for_it() -> None:
    store = store_of(PAPERS)
    index = SearchIndex()
    index.refresh(4, Paper("Complex Reasoning Benchmarks", "", None, ("Vera Rubin",)))
    assert find(index, "rubin") == []  # nothing indexed yet
    index.sync(store)
    assert find(index, "rubin") == [4]


def test_refresh_drops_words_a_paper_no_longer_has() -> None:
    index = SearchIndex()
    index.sync(store_of(PAPERS))
    index.refresh(
        1, Paper("Diffusion Transformers at Scale", "Nothing else.", None, ("Ida Wells",))
    )
    assert find(index, "hopper") == []
    assert find(index, "wells") == [1]
    assert find(index, "diffusion") == [1]


def test_after_a_refresh_other_papers_still_match() -> None:
    index = SearchIndex()
    index.sync(store_of(PAPERS))
    index.refresh(0, PAPERS[0])
    assert find(index, "experts") == [0, 2, 5]
    assert find(index, "revisited") == [5]


def test_refreshed_papers_survive_segment_merges() -> None:
    store = PaperStore()
    for number in range(3_000):
        store.add(scale_paper(number))
    index = SearchIndex()
    index.sync(store)
    for position in (5, 1_500, 2_999):
        renamed = Paper(store[position].title, "", None, ("Vera Rubin",))
        index.refresh(position, renamed)
    index.refresh(5, Paper(store[5].title, "", None, ("Ida Wells",)))  # the latest counts
    for number in range(3_000, 12_000):  # enough batches to merge the refreshes' segments
        store.add(scale_paper(number))
    index.sync(store)
    assert find(index, "rubin") == [1_500, 2_999]
    assert find(index, "wells") == [5]
    assert 5 not in find(index, "okafor")  # its name before the refreshes
    assert len(find(index, "jo")) == 12_000 - 3


# --- highlights ------------------------------------------------------------------------------


def spans_text(title: str, text: str) -> list[str]:
    return [title[start:end] for start, end in title_highlights(title, parse_query(text))]


def test_highlights_cover_the_matched_characters() -> None:
    title = "Sparse Mixture-of-Experts for Vision"
    assert spans_text(title, "vision") == ["Vision"]
    assert spans_text(title, "mix exp") == ["Mix", "Exp"]
    assert spans_text(title, "xture") == ["xture"]
    assert spans_text(title, "mixtrue") == ["Mixt", "re"]  # the typo's letters stay plain
    assert spans_text(title, "lovelace is:read") == []  # matched an author, not the title
    assert title_highlights(title, parse_query("")) == []


def test_highlights_merge_overlaps_and_keep_offsets_after_punctuation() -> None:
    assert spans_text("Mixture", "mix mixt") == ["Mixt"]
    title = "«Déjà» Vu: déjà vu"
    assert spans_text(title, "déjà") == ["Déjà", "déjà"]
    assert title_highlights(title, parse_query("vu")) == [(7, 9), (16, 18)]


# --- agreement with the rules, on generated papers -------------------------------------------


def brute_force(papers: list[Paper], query: Query) -> set[int]:
    """The matching rules of `tui.core.query`, applied token by token."""

    def word_matches(word: str, text: str) -> bool:
        return any(
            token.startswith(word)
            or (allows_infix(word) and word in token)
            or fuzzy_prefix_length(word, token, typo_budget(word)) is not None
            for token in default_process(text).split()
        )

    def starts_a_token(word: str, text: str) -> bool:
        return any(token.startswith(word) for token in default_process(text).split())

    return {
        position
        for position, paper in enumerate(papers)
        if all(
            word_matches(word, paper.title) or word_matches(word, " ".join(paper.author_names))
            for word in query.words
        )
        and all(starts_a_token(word, paper.abstract) for word in query.abstract_words)
    }


def test_index_agrees_with_the_rules_on_random_queries() -> None:
    papers = generate(150, seed=11)
    index = SearchIndex()
    index.sync(store_of(papers))
    rng = random.Random(5)
    vocabulary = sorted({w for p in papers for w in default_process(p.title).split()})
    abstract_vocabulary = sorted({w for p in papers for w in default_process(p.abstract).split()})
    for _ in range(60):
        words = []
        for _ in range(rng.randint(1, 2)):
            word = rng.choice(vocabulary)[: rng.randint(1, 9)]
            if len(word) > 4 and rng.random() < 0.5:  # a typo: swap two letters
                at = rng.randrange(1, len(word) - 1)
                word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
            words.append(word)
        if rng.random() < 0.3:
            words.append("abs:" + rng.choice(abstract_vocabulary)[: rng.randint(1, 6)])
        query = parse_query(" ".join(words))
        result = index.match(query, None, NEVER, NEVER)
        assert result is not None
        assert set(result) == brute_force(papers, query), query.text
        assert len(result) == len(set(result))


def test_narrowed_results_equal_fresh_ones() -> None:
    papers = generate(150, seed=11)
    index = SearchIndex()
    index.sync(store_of(papers))
    text = "mixture of experts abs:spars"
    previous, result = parse_query(""), list(range(len(papers)))
    for end in range(1, len(text) + 1):
        query = parse_query(text[:end])
        candidates = result if narrows(previous, query) else None
        result = index.match(query, candidates, NEVER, NEVER)
        assert result == index.match(query, None, NEVER, NEVER), text[:end]
        previous = query


def test_unicode_tokens_are_found() -> None:
    index = SearchIndex()
    index.sync(store_of([Paper("Ünïcode tokens 日本語 ok")]))
    for word in ("ünïcode", "tokens", "日本語", "ok", "ü", "日"):
        assert find(index, word) == [0], word


def test_one_letter_words_rank_the_exact_token_first() -> None:
    index = SearchIndex()
    index.sync(store_of([Paper("Xylophones"), Paper("Model X"), Paper("Vision"), Paper("X")]))
    assert find(index, "x") == [3, 1, 0]  # title "x", exact token "x", then a prefix
    assert token_key("x") != token_key("y")


# --- scale -----------------------------------------------------------------------------------

ADJECTIVES = ("sparse", "robust", "quantized", "causal", "hierarchical", "latent", "frozen")
NOUNS = ("transformer", "diffusion", "retrieval", "agent", "tokenizer", "benchmark", "optimizer",
         "planner", "encoder", "memory", "gradient")  # fmt: skip
NAMES = ("Okafor", "Lindqvist", "Haddad", "Nakamura", "Petrova")


def scale_paper(number: int) -> Paper:
    return Paper(
        f"{ADJECTIVES[number % 7]} {NOUNS[number % 11]} study {number}",
        f"we evaluate on split{number % 13}",
        None,
        (f"Jo {NAMES[number % 5]}",),
    )


def test_hundred_thousand_papers_grow_and_filter_with_correct_counts() -> None:
    total = 100_000
    store = PaperStore()
    index = SearchIndex()
    for number in range(total // 2):
        store.add(scale_paper(number))
    index.sync(store)
    half = total // 2
    assert len(find(index, "robust encoder")) == sum(
        n % 7 == 1 and n % 11 == 8 for n in range(half)
    )
    for number in range(total // 2, total):
        store.add(scale_paper(number))
    index.sync(store)
    assert index.indexed == total

    def count(rule: Callable[[int], bool]) -> int:
        return sum(1 for n in range(total) if rule(n))

    assert len(find(index, "")) == total
    assert len(find(index, "robust encoder")) == count(lambda n: n % 7 == 1 and n % 11 == 8)
    assert len(find(index, "robsut encodr")) == count(lambda n: n % 7 == 1 and n % 11 == 8)
    assert find(index, "split4") == []  # abstracts only match `abs:` words
    assert len(find(index, "haddad abs:split4")) == count(lambda n: n % 5 == 2 and n % 13 == 4)
    assert find(index, "98765") == [98765]
    even = find(index, "latent is:read", flags(lambda n: n % 2 == 0, total))
    assert len(even) == count(lambda n: n % 7 == 5 and n % 2 == 0)
    assert even == sorted(even)  # equal scores keep store order


@settings(max_examples=300, deadline=None)
@given(
    abstract=st.text(alphabet=st.sampled_from("ab ROUTé-_.(1\u00e9\u0130\u212a\n")),
    word=st.text(alphabet=st.sampled_from("abrouté1"), min_size=3, max_size=5),
)
def test_an_abs_word_finds_exactly_the_abstracts_where_it_starts_a_token(
    abstract: str, word: str
) -> None:
    """The folded copy the scan keeps agrees with the tokens `default_process` cuts."""
    word = default_process(word)
    assume(len(word) >= 3 and " " not in word)
    index = SearchIndex()
    index.sync(store_of([Paper("Title", abstract)]))
    starts = any(token.startswith(word) for token in default_process(abstract).split())
    assert find(index, f"abs:{word}") == ([0] if starts else [])


def abstracts_with(papers: list[Paper], word: str) -> list[int]:
    return [
        position
        for position, paper in enumerate(papers)
        if any(token.startswith(word) for token in default_process(paper.abstract).split())
    ]


def test_abstracts_indexed_ahead_in_parts_give_the_same_answers() -> None:
    papers = generate(PART_PAPERS + 900, seed=4)
    index = SearchIndex()
    index.sync(store_of(papers))
    expected = {word: abstracts_with(papers, word) for word in ("robust", "retrieval", "xyz")}
    checks = iter([False, True])
    assert not index.index_abstracts(lambda: next(checks, True))  # cancelled after a part
    assert {word: find(index, f"abs:{word}") for word in expected} == expected
    assert index.index_abstracts()  # nothing left to do
    assert {word: find(index, f"abs:{word}") for word in expected} == expected


def test_abstracts_of_papers_that_arrive_later_are_indexed_too() -> None:
    papers = generate(PART_PAPERS + 300, seed=5)
    store = store_of(papers[:100])
    index = SearchIndex()
    index.sync(store)
    assert find(index, "abs:retrieval") == abstracts_with(papers[:100], "retrieval")
    for paper in papers[100:]:  # the short part is made again, with those after it
        store.add(paper)
    index.sync(store)
    for word in ("retrieval", "rob", "a-rob", "of-the-rob"):  # 1 and 2 letters with others
        expected = set.intersection(*(set(abstracts_with(papers, w)) for w in word.split("-")))
        assert find(index, f"abs:{word}") == sorted(expected), word


def test_threads_extending_the_abstract_index_at_once_agree() -> None:
    papers = generate(3 * PART_PAPERS, seed=7)
    index = SearchIndex()
    index.sync(store_of(papers))
    threads = [threading.Thread(target=index.index_abstracts) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert find(index, "abs:retri") == abstracts_with(papers, "retri")


def test_words_typed_on_and_erased_find_what_a_fresh_scan_finds() -> None:
    """Each word typed on or erased finds what it finds alone, among all papers or among
    those other words kept."""
    papers = generate(3000, seed=6)
    index = SearchIndex()
    index.sync(store_of(papers))

    def expected(word: str, among: list[int]) -> list[int]:
        return [
            position
            for position in among
            if any(t.startswith(word) for t in default_process(papers[position].abstract).split())
        ]

    everyone = list(range(len(papers)))
    limited = find(index, "learning")
    for text in ("abs:rou", "abs:rout", "abs:routi", "abs:rou", "abs:ret", "abs:retr", "abs:rex"):
        word = text.removeprefix("abs:")
        # first among a few abstracts, then among all: most of them read for the first time
        assert sorted(find(index, f"learning {text}")) == sorted(expected(word, limited))
        assert find(index, text) == expected(word, everyone), text
