"""The filter line: parsing words and qualifiers, narrowing, the rules for one word."""

from __future__ import annotations

import pytest

from tui.core.query import allows_infix, fuzzy_prefix_length, narrows, parse_query, typo_budget


def test_words_are_folded_and_split_on_punctuation() -> None:
    query = parse_query("  Sparse Mixture-of-Experts  ")
    assert query.words == ("sparse", "mixture", "of", "experts")
    assert query.phrase == "sparse mixture of experts"
    assert query.abstract_words == ()
    assert (query.want_read, query.want_starred, query.error) == (None, None, None)


def test_qualifiers_combine_with_words_in_any_case() -> None:
    query = parse_query("is:UNREAD diffusion IS:starred")
    assert query.words == ("diffusion",)
    assert query.want_read is False
    assert query.want_starred is True
    assert parse_query("is:read is:unstarred").want_read is True
    assert parse_query("is:read is:unstarred").want_starred is False


@pytest.mark.parametrize("text", ["abs:ro", "-abs:ro", "abs:a-b"])
def test_an_abstract_word_under_three_letters_is_not_typed_yet(text: str) -> None:
    query = parse_query(f"{text} alpha")
    assert query.error is not None and "3 letters" in query.error
    assert query.words == ("alpha",)
    assert query.abstract_words == () and query.excluded_abstract_words == ()
    assert parse_query("abs:gpt-4").abstract_words == ("gpt", "4")  # one long piece is enough


def test_negated_abstract_words_are_kept_by_token_and_a_longer_one_does_not_narrow() -> None:
    query = parse_query("-ABS:state-space -abs:quasar")
    assert query.error is None and not query.is_empty
    assert query.excluded_abstract_words == (("state", "space"), ("quasar",))
    assert query.abstract_words == ()
    assert narrows(parse_query("-abs:quasar"), parse_query("-abs:quasar x"))
    assert not narrows(parse_query("-abs:qua"), parse_query("-abs:quasar"))  # leaves out fewer
    assert not narrows(parse_query("-abs:quasar"), parse_query("quasar"))


def test_abstract_words_are_folded_and_kept_apart_from_words() -> None:
    query = parse_query("diffusion ABS:Quasar abs:state-space is:unread")
    assert query.words == ("diffusion",)
    assert query.abstract_words == ("quasar", "state", "space")
    assert query.phrase == "diffusion"  # the title bonus compares words only
    assert query.want_read is False
    assert query.error is None


@pytest.mark.parametrize("text", ["abs:", "abs:--"])
def test_an_abstract_qualifier_without_a_word_is_an_error_and_ignored(text: str) -> None:
    query = parse_query(f"{text} splatting")
    assert query.error is not None and text in query.error
    assert "abs:diffusion" in query.error  # the message shows the form
    assert query.words == ("splatting",)
    assert query.abstract_words == ()


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
    assert parse_query("abs:").is_empty
    assert not parse_query("is:read").is_empty
    assert not parse_query("x").is_empty
    assert not parse_query("abs:xyz").is_empty


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
        ("diffusion", "diffusion abs:qua", True),
        ("abs:qua", "abs:quas", True),
        ("abs:mix", "abs:mixt", True),  # prefixes only: no mode boundary
        ("abs:quas", "abs:qua", False),
        ("abs:qua", "qua", False),  # the qualifier was dropped
        ("abs:qua x", "x abs:quasar", True),
        ("qua", "abs:qua", False),  # a word is not an abstract word
        ("abs:qua", "abs:qu", False),  # too short: dropped
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
