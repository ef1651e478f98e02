import re
import unicodedata

from parsing.model import Paper, paper_key
from parsing.records import paper_from_record, paper_to_record
from tui.core.store import PaperStore


def test_key_ignores_case_punctuation_and_spacing():
    assert paper_key("Mamba: Linear-Time  Sequence Modeling!") == paper_key(
        "mamba linear time sequence modeling"
    )
    assert paper_key("A B") != paper_key("A C")


def test_store_keeps_arrival_order_and_looks_up_by_key():
    store = PaperStore()
    titles = ["First Paper", "Second Paper", "Third Paper"]
    for title in titles:
        store.add(Paper(title, "abstract"))
    assert [paper.title for paper in store] == titles
    assert store.position(paper_key("second paper")) == 1
    assert store.get(paper_key("THIRD PAPER")).title == "Third Paper"
    assert store.get("missing") is None


def test_same_paper_from_two_lists_is_stored_once_and_remembers_both():
    store = PaperStore()
    assert store.add(Paper("Shared Paper", "text", lists=("Mar 14",), upvotes=3)) == (0, True)
    later = Paper("shared paper", "", lists=("Mar 15",), upvotes=9, arxiv_id="2403.00001")
    assert store.add(later) == (0, False)
    assert len(store) == 1
    merged = store[0]
    assert merged.lists == ("Mar 14", "Mar 15")
    assert merged.abstract == "text"
    assert merged.upvotes == 9
    assert merged.arxiv_id == "2403.00001"
    assert merged.title == "Shared Paper"


def test_record_round_trip_keeps_every_field():
    paper = Paper(
        "A Paper [v2]",
        "Abstract.",
        authors=2,
        author_names=("A. One", "B. Two"),
        published="2025-09-04",
        upvotes=7,
        lists=("2025-09-08",),
        arxiv_id="2509.04664",
        github_repo="https://github.com/example/repo",
    )
    record = paper_to_record(paper)
    assert record["url"] == "https://huggingface.co/papers/2509.04664"
    assert paper_from_record(record) == paper


def test_ascii_fast_path_gives_the_general_key():
    titles = [
        "A_B--c  d!",
        "  GPT-4: Technical Report. ",
        "x\ty\\z'",
        "Résumé: Ünïcode \uff34itle",
        "ß ﬁ",
    ]
    for title in titles:
        folded = unicodedata.normalize("NFKC", title).casefold()
        assert paper_key(title) == re.sub(r"[\W_]+", " ", folded).strip()
