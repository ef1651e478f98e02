"""The config file in the running app (Pilot): theme, keys, options, a bad file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pilot_support import settle
from test_app import PAPERS, TODAY, titles_shown
from textual.theme import BUILTIN_THEMES
from textual.widgets._footer import FooterKey

from parsing.synthetic import render_text_copy
from tui.app import PapersApp
from tui.core.config import Config, ConfigError, load_config
from tui.core.feeds import FileFeed
from tui.core.state.triage_state import TriageState
from tui.core.view import SortOrder, ViewMode
from tui.screens.help import HelpScreen
from tui.screens.reader import ReaderScreen

pytestmark = pytest.mark.app


@pytest.fixture
def list_file(tmp_path: Path) -> Path:
    path = tmp_path / "list.txt"
    path.write_text(render_text_copy(PAPERS, "Jan 2", with_metadata=True), encoding="utf-8")
    return path


def app_with_config(tmp_path: Path, list_file: Path, text: str) -> PapersApp:
    """The app as the CLI starts it: the config read from a file, or the defaults and the
    problem when the file is bad."""
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    try:
        config, problem = load_config(path, BUILTIN_THEMES), None
    except ConfigError as error:
        config, problem = Config(), str(error)
    state = TriageState.load(tmp_path / "state.toml")
    return PapersApp(
        [FileFeed(str(list_file))],
        state,
        today=TODAY,
        config=config,
        config_path=path,
        config_problem=problem,
    )


def footer_keys(app: PapersApp) -> dict[str, str]:
    return {key.description: key.key for key in app.screen.query(FooterKey)}


async def test_theme_and_a_moved_key(tmp_path, list_file):
    app = app_with_config(tmp_path, list_file, 'theme = "gruvbox"\n[keys]\nstar = "x"\n')
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "gruvbox"
        assert footer_keys(app)["Star"] == "x"
        await pilot.press("s")
        assert not app.state.is_starred(PAPERS[0].key)
        await pilot.press("x")
        assert app.state.is_starred(PAPERS[0].key)
        assert ("x", "Star") in app.key_reference()
        assert ("s", "Star") not in app.key_reference()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert ("x", "Star") in app.screen.shown
    # the file is as it was: nothing chosen in the app
    assert tomllib.loads((tmp_path / "config.toml").read_text()) == {
        "theme": "gruvbox",
        "keys": {"star": "x"},
    }


async def test_enter_still_leaves_the_filter_when_read_full_moves(tmp_path, list_file):
    app = app_with_config(tmp_path, list_file, '[keys]\nread_full = "space"\n')
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "d", "i", "f", "enter")
        await settle(pilot)
        assert app.focused is app.paper_list
        assert titles_shown(app) == ["Diffusion Models for Protein Design"]
        await pilot.press("enter")
        assert not isinstance(app.screen, ReaderScreen)
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)


async def test_a_theme_chosen_in_the_app_is_saved_keeping_comments(tmp_path, list_file):
    text = '# chosen by hand\ntheme = "gruvbox"  # warm\n\n[keys]\nstar = "x"  # left hand\n'
    app = app_with_config(tmp_path, list_file, text)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.theme = "nord"  # what the palette's theme picker does
        await pilot.pause()
    saved = (tmp_path / "config.toml").read_text()
    assert "# chosen by hand" in saved and "# left hand" in saved
    assert tomllib.loads(saved)["theme"] == "nord"
    again = app_with_config(tmp_path, list_file, saved)
    async with again.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


async def test_a_bad_file_shows_one_line_and_the_app_runs_with_the_defaults(tmp_path, list_file):
    text = 'theme = "gruvbox"\n[keys]\nstar = "x"\nread = "x"\n'
    app = app_with_config(tmp_path, list_file, text)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        (notice,) = [n for n in app._notifications if n.severity == "error"]
        assert notice.message == (
            f"{tmp_path / 'config.toml'}: line 3: keys: read and star are both on the key x"
        )
        assert notice.timeout >= 3600  # stays until dismissed
        assert app.theme != "gruvbox"
        await pilot.press("s")
        assert app.state.is_starred(PAPERS[0].key)
        app.theme = "nord"
        await pilot.pause()
    assert (tmp_path / "config.toml").read_text() == text  # a bad file is never rewritten


async def test_view_sort_export_dir_and_mark_read_on_open(tmp_path, list_file):
    export = tmp_path / "exports"
    export.mkdir()
    text = f'view = "unread"\nsort = "title"\nexport_dir = "{export}"\nmark_read_on_open = true\n'
    app = app_with_config(tmp_path, list_file, text)
    assert app.export_dir == export
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.view_mode is ViewMode.UNREAD and app.sort_order is SortOrder.TITLE
        assert titles_shown(app) == sorted(paper.title for paper in PAPERS)
        first = app.current_paper
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.state.is_read(first.key)
        await pilot.press("escape", "s", "e")
        await settle(pilot)
        assert len(list(export.glob("*.md"))) == 1


@pytest.mark.parametrize(("text", "marks"), [("", True), ("mark_read_on_open = false\n", False)])
async def test_enter_marks_read_unless_the_config_turns_it_off(tmp_path, list_file, text, marks):
    app = app_with_config(tmp_path, list_file, text)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.state.is_read(PAPERS[0].key) is marks
        await pilot.press("u")  # the read mark is undone like any other
        assert not app.state.is_read(PAPERS[0].key)


async def test_ctrl_l_redraws_the_screen(tmp_path, list_file):
    app = app_with_config(tmp_path, list_file, "")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        repaints = []
        app.screen.refresh = lambda *args, **kwargs: repaints.append(kwargs)  # type: ignore[method-assign]
        await pilot.press("ctrl+l")
        assert {"layout": True, "repaint": True} in repaints
        assert ("ctrl+l", "Redraw the screen") in app.key_reference()
