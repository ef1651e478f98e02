"""Behaviour at scale: a 100,000-paper list in the real app under Pilot.

Counts, not timings (those are in `benchmarks/run.py`): every row loads in order, a filter
shows exactly the papers a brute-force scan finds, `G` reaches the last paper, and the
status line agrees. The list is generated once for the module.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rapidfuzz.utils import default_process

from parsing.model import Paper
from parsing.synthetic import generate, render_text_copy
from tui.app import PapersApp
from tui.core.feeds import FileFeed
from tui.core.state.triage_state import TriageState

pytestmark = pytest.mark.app

PAPERS = 100_000
SETTLE_SECONDS = 120  # a bound for a slow machine, not a timing check
QUERIES = (("merg",), ("diff", "tran"))  # 4-letter words: no typo tolerance to model


@pytest.fixture(scope="module")
def big_list(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Paper]]:
    papers = generate(PAPERS, seed=11)
    path = tmp_path_factory.mktemp("scale") / "list.txt"
    text = render_text_copy(papers, "Mar 14", with_metadata=True, today=date(2026, 1, 2))
    path.write_text(text, encoding="utf-8")
    return path, papers


async def settle(pilot, app: PapersApp) -> None:
    """Until every paper is loaded and indexed and no filter is being computed."""
    for _ in range(SETTLE_SECONDS * 20):
        await pilot.pause(0.05)
        if not app.loading and not app.workers:
            await pilot.pause()
            return
    raise AssertionError("the app did not settle")


def status_text(app: PapersApp) -> str:
    return str(app.status.render())


@pytest.fixture(scope="module")
def folded(big_list) -> list[str]:
    """Each paper's folded title and author names."""
    _, papers = big_list
    return [default_process(f"{paper.title} {' '.join(paper.author_names)}") for paper in papers]


def brute_force_matches(folded: list[str], word: str) -> set[int]:
    """Positions a 3-4 letter word matches by the rules of `tui.core.query` (no typos below 5
    letters): inside a title or author token (abstracts answer only `abs:` words)."""
    assert 3 <= len(word) <= 4 and word.isalpha()
    return {position for position, head in enumerate(folded) if word in head}


@pytest.fixture
def app(big_list, tmp_path: Path) -> PapersApp:
    path, _ = big_list
    state = TriageState.load(tmp_path / "state.toml")
    return PapersApp([FileFeed(str(path))], state, export_dir=tmp_path, today=date(2026, 1, 2))


async def test_every_row_loads_and_g_reaches_the_last_paper(app, big_list):
    _, papers = big_list
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot, app)
        assert len(app.store) == PAPERS
        assert [app.store[position].title for position in app.paper_list.view] == [
            paper.title for paper in papers
        ]
        assert app.status.total == app.status.shown == app.status.unread == PAPERS
        assert "100,000/100,000 shown · 100,000 unread" in status_text(app)

        await pilot.press("G")
        await pilot.pause()
        paper_list = app.paper_list
        assert paper_list.cursor == PAPERS - 1
        assert app.current_paper.title == papers[-1].title
        assert round(paper_list.scroll_y) == paper_list.max_scroll_y > 0
        last_row = paper_list.cursor - round(paper_list.scroll_y)
        assert last_row == paper_list.scrollable_content_region.height - 1
        painted = paper_list.render_line(last_row).text
        assert papers[-1].title[:40] in painted

        await pilot.press("g")
        assert paper_list.cursor == 0 and app.current_paper.title == papers[0].title


async def test_filters_show_exactly_the_brute_force_matches(app, folded):
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot, app)
        for words in QUERIES:
            expected = set.intersection(*(brute_force_matches(folded, word) for word in words))
            assert 0 < len(expected) < PAPERS  # the query is a real test of the index
            await pilot.press("slash", *" ".join(words))
            await settle(pilot, app)
            shown = app.paper_list.view
            assert len(shown) == len(expected), words
            assert set(shown) == expected, words
            assert app.status.shown == len(expected) and app.status.total == PAPERS
            assert f"{len(expected):,}/100,000 shown" in status_text(app)

            await pilot.press("escape")
            await settle(pilot, app)
            assert len(app.paper_list.view) == PAPERS
