"""The live filter: query parsing, matching rules, ranking, growth, refresh, highlights."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from rapidfuzz.utils import default_process

from parsing.model import Paper
from parsing.synthetic import generate
from tui.query import (
    Query,
    allows_infix,
    fuzzy_prefix_length,
    narrows,
    parse_query,
    typo_budget,
)
from tui.search import SearchIndex, title_highlights, token_key
from tui.store import PaperStore

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


def never(position: int) -> bool:
    return False


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
    is_read: Callable[[int], bool] = never,
    is_starred: Callable[[int], bool] = never,
) -> list[int]:
    result = index.match(parse_query(text), None, is_read, is_starred)
    assert result is not None
    return result


# --- parsing ---------------------------------------------------------------------------------


def test_words_are_folded_and_split_on_punctuation() -> None:
    query = parse_query("  Sparse Mixture-of-Experts  ")
    assert query.words == ("sparse", "mixture", "of", "experts")
    assert query.phrase == "sparse mixture of experts"
    assert (query.want_read, query.want_starred, query.error) == (None, None, None)


def test_qualifiers_combine_with_words_in_any_case() -> None:
    query = parse_query("is:UNREAD diffusion IS:starred")
    assert query.words == ("diffusion",)
    assert query.want_read is False
    assert query.want_starred is True
    assert parse_query("is:read is:unstarred").want_read is True
    assert parse_query("is:read is:unstarred").want_starred is False


@pytest.mark.parametrize("text", ["is:", "is:sta", "is:bogus"])
def test_unknown_qualifier_is_an_error_and_ignored(text: str) -> None:
    query = parse_query(f"{text} splatting")
    assert query.error is not None and text in query.error
    assert "is:unstarred" in query.error  # the message lists what is valid
    assert query.words == ("splatting",)
    assert (query.want_read, query.want_starred) == (None, None)


def test_contradicting_qualifiers_keep_the_last_and_say_so() -> None:
    query = parse_query("is:read is:unread")
    assert query.want_read is False
    assert query.error is not None and "contradicts" in query.error


def test_is_empty() -> None:
    assert parse_query("").is_empty
    assert parse_query("   ").is_empty
    assert parse_query("is:nope").is_empty
    assert parse_query("--").is_empty  # punctuation only: no words
    assert not parse_query("is:read").is_empty
    assert not parse_query("x").is_empty


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("", "anything is:read", True),
        ("mix", "mixt", True),
        ("mixtu", "mixtur", True),  # same typo budget
        ("mixt", "mixtu", False),  # 5 letters: typos start to count, matches can grow
        ("mi", "mix", False),  # 3 letters: infix matches start
        ("mixture", "mixture o", True),
        ("mixture o", "mixture of", True),
        ("mixture of", "mixture o", False),
        ("mix", "xmix", False),  # grew at the front
        ("diffusion", "diffusion is:unread", True),
        ("is:unread diffusion", "diffusion", False),
        ("is:read", "is:unread", False),
        ("a b", "b a", True),  # order does not matter for AND
        ("a b", "a", False),
    ],
)
def test_narrows(before: str, after: str, expected: bool) -> None:
    assert narrows(parse_query(before), parse_query(after)) is expected


def test_word_modes() -> None:
    assert not allows_infix("ex") and allows_infix("exp")
    assert [typo_budget(w) for w in ("mixt", "mixtu", "mixtures", "diffusion")] == [0, 1, 1, 2]
    assert typo_budget("gpt40") == 0  # digits: no typos
    assert fuzzy_prefix_length("mixtrue", "mixtures", 1) == 7
    assert fuzzy_prefix_length("mixtrue", "nixtures", 1) is None  # the first letter must agree
    assert fuzzy_prefix_length("mxture", "mixture", 1) == 7


# --- matching --------------------------------------------------------------------------------


def test_substrings_of_title_words_match(index: SearchIndex) -> None:
    assert find(index, "former") == [1]
    assert find(index, "iffus") == [1]
    assert find(index, "splat") == [3]


def test_typos_are_tolerated(index: SearchIndex) -> None:
    assert find(index, "difusion") == [1]
    assert find(index, "transfromers") == [1]
    assert set(find(index, "mixtrue")) == {0, 2, 5}  # mixture(s) in titles
    assert find(index, "radaince") == []  # no typos in abstracts


def test_short_words_match_word_starts_only(index: SearchIndex) -> None:
    assert set(find(index, "ex")) == {0, 2, 5}  # "experts"; not "complex", not "index"
    assert find(index, "dex") == []  # abstracts match at word starts only ("index")...
    assert find(index, "ind") == [4]
    assert find(index, "compl") == [4]
    assert 4 in find(index, "plex")  # ...titles anywhere from 3 letters


def test_author_and_abstract_words_match(index: SearchIndex) -> None:
    assert find(index, "lovelace") == [0, 5]
    assert find(index, "hopper") == [1]
    assert find(index, "denoising") == [1]
    assert find(index, "radiance") == [3]


def test_every_word_must_match(index: SearchIndex) -> None:
    assert find(index, "mixture vision") == [0]
    assert find(index, "mixture splatting") == [3]  # one word in the abstract is enough
    assert find(index, "mixture hopper") == []


def test_exact_title_ranks_first_and_titles_before_abstracts(index: SearchIndex) -> None:
    ranked = find(index, "mixture of experts")
    assert ranked[0] == 2
    assert set(ranked) == {0, 2}
    mixture = find(index, "mixture")
    assert mixture[-1] == 3  # only its abstract says "mixture"
    assert mixture[:2] == [0, 2]  # exact word in the title, then store order


def test_empty_query_keeps_store_order_and_qualifiers_filter(index: SearchIndex) -> None:
    read = {1, 2, 4}
    starred = {2, 5}
    assert find(index, "") == [0, 1, 2, 3, 4, 5]
    assert find(index, "is:unread", read.__contains__) == [0, 3, 5]
    assert find(index, "is:read", read.__contains__) == [1, 2, 4]
    assert find(index, "is:starred", never, starred.__contains__) == [2, 5]
    assert find(index, "is:unstarred is:read", read.__contains__, starred.__contains__) == [1, 4]
    assert find(index, "experts is:unread", read.__contains__) == [0, 5]


def test_candidates_restrict_the_result(index: SearchIndex) -> None:
    query = parse_query("experts")
    assert index.match(query, [5, 2, 4], never, never) == [2, 5]
    assert index.match(parse_query(""), [5, 2, 99], never, never) == [2, 5]


def test_cancelled_match_returns_none(index: SearchIndex) -> None:
    assert index.match(parse_query("experts"), None, never, never, lambda: True) is None
    assert index.match(parse_query("is:read"), None, never, never, lambda: True) is None


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
    position, is_new = store.add(Paper("Mixture of Experts", "Quasars and routing.", 2))
    assert not is_new
    index.refresh(position, store[position])  # only queued: the next sync or match applies it
    assert find(index, "quasars") == [2]
    assert find(index, "dijkstra") == [2]


def test_refresh_of_a_paper_not_indexed_yet_waits_for_it() -> None:
    store = store_of(PAPERS)
    index = SearchIndex()
    index.refresh(4, Paper("Complex Reasoning Benchmarks", "Pulsars.", None, ("Ken Thompson",)))
    assert find(index, "pulsars") == []  # nothing indexed yet
    index.sync(store)
    assert find(index, "pulsars") == [4]


def test_refresh_drops_words_a_paper_no_longer_has() -> None:
    index = SearchIndex()
    index.sync(store_of(PAPERS))
    index.refresh(
        1, Paper("Diffusion Transformers at Scale", "Nothing else.", None, ("Ida Wells",))
    )
    assert find(index, "hopper") == []
    assert find(index, "denoising") == []
    assert find(index, "wells") == [1]
    assert find(index, "diffusion") == [1]


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
    """The matching rules of `tui.query`, applied token by token."""

    def word_matches(word: str, text: str, lenient: bool) -> bool:
        return any(
            token.startswith(word)
            or (lenient and allows_infix(word) and word in token)
            or (lenient and fuzzy_prefix_length(word, token, typo_budget(word)) is not None)
            for token in default_process(text).split()
        )

    return {
        position
        for position, paper in enumerate(papers)
        if all(
            word_matches(word, paper.title, True)
            or word_matches(word, " ".join(paper.author_names), True)
            or word_matches(word, paper.abstract, False)
            for word in query.words
        )
    }


def test_index_agrees_with_the_rules_on_random_queries() -> None:
    papers = generate(150, seed=11)
    index = SearchIndex()
    index.sync(store_of(papers))
    rng = random.Random(5)
    vocabulary = sorted({w for p in papers for w in default_process(p.title).split()})
    for _ in range(40):
        words = []
        for _ in range(rng.randint(1, 2)):
            word = rng.choice(vocabulary)[: rng.randint(1, 9)]
            if len(word) > 4 and rng.random() < 0.5:  # a typo: swap two letters
                at = rng.randrange(1, len(word) - 1)
                word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
            words.append(word)
        query = parse_query(" ".join(words))
        result = index.match(query, None, never, never)
        assert result is not None
        assert set(result) == brute_force(papers, query), query.text
        assert len(result) == len(set(result))


def test_token_keys_match_the_vectorised_hash() -> None:
    index = SearchIndex()
    index.sync(store_of([Paper("Ünïcode tokens 日本語 ok")]))
    for word in ("ünïcode", "tokens", "日本語", "ok"):
        assert find(index, word) == [0], word
    assert token_key("a") != token_key("b")  # short tokens differ in the key bits too


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
    assert len(find(index, "haddad split4")) == count(lambda n: n % 5 == 2 and n % 13 == 4)
    assert find(index, "98765") == [98765]
    even = find(index, "latent is:read", lambda n: n % 2 == 0)
    assert len(even) == count(lambda n: n % 7 == 5 and n % 2 == 0)
    assert even == sorted(even)  # equal scores keep store order
