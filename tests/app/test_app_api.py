"""Nothing of ours shadows Textual's API: Textual's own code calls `App.query`,
`App.action_focus` and the like on our app, and must get Textual's."""

from __future__ import annotations

from pathlib import Path

from pilot_support import settle
from textual.app import App
from textual.widgets import Input

from parsing.synthetic import generate, render_text_copy
from tui.app import PapersApp
from tui.core.feeds import FileFeed
from tui.core.state.triage_state import TriageState
from tui.widgets.paper_list import PaperList


def make_app(tmp_path: Path) -> PapersApp:
    papers = tmp_path / "list.txt"
    papers.write_text(
        render_text_copy(generate(5, seed=3), "Jan 2", with_metadata=False), encoding="utf-8"
    )
    state = TriageState.load(tmp_path / "state.toml")
    return PapersApp([FileFeed(str(papers))], state, export_dir=tmp_path)


async def test_textuals_query_and_focus_action_work_on_the_app(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.query(PaperList).first() is app.paper_list
        await app.run_action("focus('filter')")  # App.action_focus queries by id
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        await pilot.press("d", "i", "f")
        await settle(pilot)
        assert app.filter_query.text == "dif"  # the parsed filter, under a name of its own
        assert app.query(PaperList).first() is app.paper_list


def test_the_apps_own_names_leave_textuals_alone(tmp_path: Path) -> None:
    """Names PapersApp defines (class attributes, methods, attributes of an app) that
    Textual's App also has are only the overrides meant as such."""
    meant = {
        "BINDINGS",
        "CSS_PATH",
        "TITLE",
        "check_action",
        "compose",
        "get_default_screen",
        "get_system_commands",
        "notify",
        "on_event",
        "on_load",
        "on_mount",
        "on_unmount",
    }
    app = make_app(tmp_path)
    textuals_own = set(vars(App()))  # what Textual's App sets on itself
    ours = {name for name in vars(PapersApp) | vars(app) if not name.startswith("_")}
    ours -= textuals_own
    textuals = {name for klass in App.__mro__ for name in vars(klass)}
    assert ours & textuals <= meant
