"""The config model: every option read, each kind of bad file refused with one line naming
the file, the line and the option; the theme written back keeping the user's comments."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tui.core.config import (
    ACTION_KEYS,
    Config,
    ConfigError,
    init_text,
    load_config,
    parse_config,
    write_theme,
)
from tui.core.view import SortOrder, ViewMode

PATH = Path("/home/u/.config/papers-tui/config.toml")
THEMES = {"gruvbox", "nord", "textual-dark"}


def parse(text: str) -> Config:
    return parse_config(text, PATH, THEMES)


def test_every_option_is_read():
    config = parse(
        'theme = "gruvbox"\n'
        'view = "unread"\n'
        'sort = "upvotes"\n'
        'export_dir = "~/papers"\n'
        'export_format = "md"\n'
        'state = "/tmp/marks.toml"\n'
        "mark_read_on_open = false\n"
        "tldr_rows = false\n"
        "catch_up_days = 3\n"
        "[keys]\n"
        'star = "x"\n'
        'next_unread = ["ctrl+n", "tab"]\n'
        'help = "?"\n'
    )
    assert config.theme == "gruvbox"
    assert config.view is ViewMode.UNREAD
    assert config.sort is SortOrder.UPVOTES
    assert config.export_dir == Path("~/papers").expanduser()
    assert config.export_format == "md"
    assert config.state == Path("/tmp/marks.toml")
    assert config.mark_read_on_open is False
    assert config.tldr_rows is False
    assert config.catch_up_days == 3
    assert config.keys == {
        "star": ("x",),
        "next_unread": ("ctrl+n", "tab"),
        "help": ("question_mark",),
    }


def test_no_file_and_an_empty_file_give_the_defaults(tmp_path):
    assert load_config(tmp_path / "none.toml") == Config()
    empty = tmp_path / "config.toml"
    empty.write_text("# nothing yet\n")
    assert load_config(empty) == Config()
    assert Config().view is ViewMode.ALL and Config().sort is SortOrder.LIST
    assert Config().mark_read_on_open is True  # reading a paper marks it read


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("view = \n", 1, ["not TOML"]),
        ('# a comment\ncolour = "red"\n', 2, ["unknown option 'colour'"]),
        ('[keys]\nstar = "x"\nfly = "f"\n', 3, ["unknown action 'fly'"]),
        ('theme = "nord"\nview = "new"\n', 2, ["view:", "'new'"]),
        ('sort = "random"\n', 1, ["sort:"]),
        ("mark_read_on_open = 1\n", 1, ["mark_read_on_open:"]),
        ('tldr_rows = "yes"\n', 1, ["tldr_rows:"]),
        ("catch_up_days = 0\n", 1, ["catch_up_days:"]),
        ("catch_up_days = true\n", 1, ["catch_up_days:"]),
        ("state = 3\n", 1, ["state:"]),
        ("export_dir = []\n", 1, ["export_dir:"]),
        ('export_format = "pdf"\n', 1, ["export_format:", "'pdf'"]),
        ('keys = "x"\n', 1, ["keys:"]),
        ("[keys]\nstar = 1\n", 2, ["keys.star:"]),
        ("[keys]\nstar = []\n", 2, ["keys.star:"]),
        ('[keys]\nstar = "x"\nread = ["y", "x"]\n', 2, ["star", "read", "key x"]),
        ('[keys]\nstar = "r"\n', 2, ["star", "read", "key r"]),
        ('[keys]\nquit = "ctrl+c"\n', 2, ["keys.quit:", "ctrl+c"]),
        ('theme = "sparkly"\n', 1, ["theme:", "'sparkly'"]),
    ],
)
def test_a_bad_file_is_one_line_naming_the_file_the_line_and_the_option(text, line, words):
    with pytest.raises(ConfigError) as caught:
        parse(text)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{PATH}: line {line}: ")
    for word in words:
        assert word in message


def test_a_file_that_cannot_be_read_is_a_config_error(tmp_path):
    folder = tmp_path / "config.toml"
    folder.mkdir()
    with pytest.raises(ConfigError, match=r"config\.toml: cannot be read"):
        load_config(folder)


def test_the_init_file_lists_every_option_and_action_and_reads_as_the_defaults():
    text = init_text()
    for option in ("theme", "view", "sort", "export_dir", "state", "mark_read_on_open"):
        assert f"# {option} = " in text
    assert "# tldr_rows = " in text and "# catch_up_days = " in text
    for action in ACTION_KEYS:
        assert f"# {action} = " in text
    assert parse(text) == Config()
    uncommented = "\n".join(
        line.removeprefix("# ") if re.match(r"# \w+ = ", line) else line
        for line in text.splitlines()
    )
    parse(uncommented.replace('"textual-dark"', '"nord"'))  # every default is valid


def test_writing_the_theme_keeps_comments_and_layout(tmp_path):
    path = tmp_path / "config.toml"
    original = '# my settings\nview = "unread"  # mostly\n\n[keys]\nstar = "x"  # by hand\n'
    path.write_text(original)
    write_theme(path, "nord")
    text = path.read_text()
    assert "# my settings" in text and "# mostly" in text and "# by hand" in text
    assert tomllib.loads(text) == {"view": "unread", "theme": "nord", "keys": {"star": "x"}}
    write_theme(path, "gruvbox")
    assert tomllib.loads(path.read_text())["theme"] == "gruvbox"
    assert path.read_text().count("theme") == 1


def test_writing_the_theme_makes_the_file_and_refuses_a_broken_one(tmp_path):
    path = tmp_path / "new" / "config.toml"
    write_theme(path, "nord")
    assert tomllib.loads(path.read_text()) == {"theme": "nord"}
    broken = tmp_path / "broken.toml"
    broken.write_text("view = \n")
    with pytest.raises(ConfigError):
        write_theme(broken, "nord")
    assert broken.read_text() == "view = \n"
