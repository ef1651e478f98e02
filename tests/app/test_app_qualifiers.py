"""The app with the filter's qualifiers: the list says when nothing matches, and the
detail pane styles the abstract's words an `abs:` word found."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pilot_support import settle, wait_for_screen
from test_app import PAPERS, TODAY

from parsing.synthetic import render_text_copy
from tui.app import PapersApp
from tui.core.feeds import FileFeed
from tui.core.search import abstracts
from tui.core.state.triage_state import TriageState
from tui.screens.reader import ReaderScreen
from tui.widgets.detail import ABSTRACT_MATCH, DetailPane
from tui.widgets.paper_list import NOTHING_MATCHES

pytestmark = pytest.mark.app


def make_app(tmp_path: Path) -> PapersApp:
    path = tmp_path / "list.txt"
    path.write_text(render_text_copy(PAPERS, "Jan 2", with_metadata=True), encoding="utf-8")
    state = TriageState.load(tmp_path / "state" / "state.toml")
    return PapersApp([FileFeed(str(path))], state, export_dir=tmp_path, today=TODAY)


def first_row(app: PapersApp) -> str:
    return app.paper_list.render_line(0).text


async def test_an_empty_view_says_nothing_matches_and_escape_brings_the_papers_back(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert NOTHING_MATCHES not in first_row(app)
        await pilot.press("slash", *"upvotes:>=100")
        await settle(pilot)
        assert app.paper_list.view == []
        assert first_row(app).startswith(NOTHING_MATCHES)
        assert app.paper_list.render_line(1).text.strip() == ""  # one line, not more
        await pilot.press("escape")
        await settle(pilot)
        assert len(app.paper_list.view) == len(PAPERS)
        assert NOTHING_MATCHES not in first_row(app)


async def test_a_qualifier_keeps_the_right_papers_in_the_app(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"upvotes:>=7")
        await settle(pilot)
        wanted = {paper.title for paper in PAPERS if (paper.upvotes or 0) >= 7}
        assert wanted and {app.store[p].title for p in app.paper_list.view} == wanted


async def test_abstract_words_found_by_abs_are_styled_in_the_detail_pane(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        pane = app.query_one(DetailPane)
        await pilot.press("slash", *"abs:bench")
        await settle(pilot)
        abstract = pane.blocks[-2][0]
        styled = [abstract.plain[span.start : span.end] for span in abstract.spans]
        assert styled and set(styled) == {"benchmark"}
        assert all(span.style == ABSTRACT_MATCH for span in abstract.spans)
        await pilot.press("escape")
        await settle(pilot)
        assert pane.blocks[-2][0].spans == []


async def test_the_reader_styles_the_abs_words_too_and_a_negated_word_keeps_the_others(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"abs:bench", "enter", "enter")
        reader = await wait_for_screen(pilot, ReaderScreen)
        abstract = reader.query_one(DetailPane).blocks[-2][0]
        assert {abstract.plain[span.start : span.end] for span in abstract.spans} == {"benchmark"}
        await pilot.press("escape", "slash", "ctrl+u", *"abs:question-3")
        await settle(pilot)
        kept = set(app.paper_list.view)
        await pilot.press("home", "minus")
        await settle(pilot)
        assert app.filter_query.text == "-abs:question-3" and app.filter_query.error is None
        left = set(app.paper_list.view)
        assert len(kept) == 1 and not kept & left
        assert len(kept | left) == len(PAPERS)


async def test_a_filter_that_keeps_the_same_rows_leaves_the_list_as_it_is(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"abs:ben")
        await settle(pilot)
        view = app.paper_list.view
        await pilot.press(*"chm")  # abs:benchm: every paper still, the same rows
        await settle(pilot)
        assert app.paper_list.view is view  # not set again: the list was not repainted
        abstract = app.query_one(DetailPane).blocks[-2][0]
        assert {abstract.plain[span.start : span.end] for span in abstract.spans} == {"benchmark"}
        await pilot.press(*" 3")  # a title word: other rows
        await settle(pilot)
        assert app.paper_list.view is not view


async def test_the_status_line_says_so_while_the_first_abs_word_waits_for_the_abstracts(
    tmp_path, monkeypatch
):
    release = threading.Event()
    make_part = abstracts._Part.__init__

    def held_back(part: abstracts._Part, first: int, folded: list[bytes]) -> None:
        assert release.wait(10)
        make_part(part, first, folded)

    monkeypatch.setattr(abstracts._Part, "__init__", held_back)
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert "indexing abstracts" not in app.status.render().plain
        await pilot.press("slash", *"abs:ben")  # indexed from "abs:" on; "ben" waits for it
        for _ in range(200):
            await pilot.pause(0.01)
            if "indexing abstracts…" in app.status.render().plain:
                break
        else:
            raise AssertionError("the status line did not say the abstracts are being indexed")
        release.set()
        await settle(pilot)
        assert "indexing abstracts" not in app.status.render().plain
        assert len(app.paper_list.view) == len(PAPERS)  # every abstract says "benchmark"
