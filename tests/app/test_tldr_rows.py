"""`T`: each paper's TL;DR as a dimmed second line under its row, in the virtual list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from api_shapes import all_shapes
from pilot_support import settle
from rich.segment import Segment

from parsing.synthetic import generate, render_hf_json
from tui.app import PapersApp
from tui.core.config import Config
from tui.core.feeds import FileFeed
from tui.core.state.triage_state import TriageState

pytestmark = pytest.mark.app

PAPERS = 60  # more than a screen holds, with or without the TL;DR lines
SIZE = (120, 30)


def make_app(tmp_path: Path, config: Config | None = None) -> PapersApp:
    path = tmp_path / "day.json"
    path.write_text(render_hf_json(generate(PAPERS, seed=3)), encoding="utf-8")
    state = TriageState.load(tmp_path / "state.toml")
    return PapersApp([FileFeed(str(path))], state, export_dir=tmp_path, config=config)


def line(app: PapersApp, y: int) -> str:
    """Line `y` of the list without the pane's right edge."""
    return app.paper_list.render_line(y).text.rstrip(" ▕")


def lines(app: PapersApp, count: int) -> list[str]:
    return [line(app, y) for y in range(count)]


def first_style(app: PapersApp, y: int) -> object:
    return next(iter(app.paper_list.render_line(y))).style


def tldr_of(app: PapersApp, row: int) -> str:
    summary = app.store[app.paper_list.view[row]].ai_summary
    assert summary
    return summary


async def test_t_puts_each_tldr_dimmed_under_its_row_and_t_again_takes_them_away(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        papers = app.paper_list
        titles = [app.store[position].title for position in papers.view[:3]]
        assert [text[4:19] for text in lines(app, 2)] == [title[:15] for title in titles[:2]]
        await pilot.press("T")
        await settle(pilot)
        shown = lines(app, 6)
        for row in range(3):
            assert shown[2 * row][4:19] == titles[row][:15]
            tldr = shown[2 * row + 1]
            assert tldr.startswith(" " * 4) and tldr[4] != " "  # under the title
            assert tldr.strip().rstrip("…") in tldr_of(app, row)
        assert len(papers.render_line(1).text) == len(papers.render_line(0).text)
        title, stats = list(papers.render_line(0))[2:4]
        tldr_text = list(papers.render_line(1))[1]

        def look(segment: Segment) -> tuple[object, bool]:
            return segment.style.color, bool(segment.style.dim)

        assert look(tldr_text) == look(stats) != look(title)  # dimmed like the stats
        assert tldr_text.style.italic
        await pilot.press("T")
        await settle(pilot)
        assert [text[4:19] for text in lines(app, 2)] == [title[:15] for title in titles[:2]]


async def test_the_cursor_moves_a_paper_at_a_time_and_stays_in_view(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        papers = app.paper_list
        await pilot.press("T", "j")
        await settle(pilot)
        assert papers.cursor == 1
        cursor_style = first_style(app, 2)
        assert first_style(app, 3).bgcolor == cursor_style.bgcolor  # both lines lit
        assert first_style(app, 1).bgcolor != cursor_style.bgcolor
        await pilot.press("G")
        await settle(pilot)
        assert papers.cursor == PAPERS - 1
        height = papers.scrollable_content_region.height
        assert round(papers.scroll_y) + height == 2 * PAPERS  # the last TL;DR shows too
        last = app.store[papers.view[-1]].title
        assert line(app, height - 2)[4:19] == last[:15]
        await pilot.press("g", "pagedown")
        await settle(pilot)
        assert papers.cursor == height // 2 - 1  # a page of two-line papers


async def test_a_click_on_a_tldr_line_picks_its_paper(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        await pilot.click("#papers", offset=(10, 5))  # the TL;DR line of the third paper
        await settle(pilot)
        assert app.paper_list.cursor == 2


async def test_the_config_starts_with_them_shown_and_a_paper_without_one_has_a_blank_line(
    tmp_path,
):
    path = tmp_path / "shapes.json"
    items = all_shapes()
    path.write_text(json.dumps(items), encoding="utf-8")
    state = TriageState.load(tmp_path / "state.toml")
    app = PapersApp([FileFeed(str(path))], state, config=Config(tldr_rows=True))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        papers = app.paper_list
        assert papers.shows_tldr
        for row, position in enumerate(papers.view):
            summary = app.store[position].ai_summary
            tldr = line(app, 2 * row + 1)
            if summary:
                assert tldr.strip().rstrip("…") in summary
            else:
                assert tldr == ""
        assert any(app.store[p].ai_summary is None for p in papers.view)
