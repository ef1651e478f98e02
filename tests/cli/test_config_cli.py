"""`papers-tui config` and the config file as the headless commands read it, in real processes."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from test_cli import PAPERS, cli, make_state, text_copy, write


def config_home() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "papers-tui"


def test_path_honours_xdg_config_home():
    result = cli("config", "--path")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(config_home() / "config.toml")
    other = cli("config", "--path", "--config", "/tmp/else.toml")
    assert other.stdout.strip() == "/tmp/else.toml"


def test_init_writes_a_file_check_accepts_and_refuses_to_overwrite():
    path = config_home() / "config.toml"
    result = cli("config", "--init")
    assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert "# star = " in text and "# mark_read_on_open = true\n" in text
    assert '# open_links = "O"' in text and '# reader_next = "J"' in text
    checked = cli("config", "--check")
    assert checked.returncode == 0, checked.stderr
    assert "OK" in checked.stderr
    path.write_text('theme = "nord"\n', encoding="utf-8")
    again = cli("config", "--init")
    assert again.returncode == 1
    assert "not overwritten" in again.stderr
    assert path.read_text(encoding="utf-8") == 'theme = "nord"\n'


def test_a_bad_file_exits_2_with_one_line_in_every_headless_command(tmp_path):
    config = write(tmp_path, "config.toml", '# mine\nview = "all"\nsort = "random"\n')
    papers = write(tmp_path, "a.txt", text_copy(PAPERS))
    for args in (
        ("config", "--check"),
        ("list", papers),
        ("export", "--all", papers),
    ):
        result = cli(*args, "--config", config)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            f"papers-tui: {config}: line 3: sort: must be list order, upvotes, published, "
            "title, comments, stars, not 'random'"
        ]


def test_not_toml_and_a_key_clash_name_the_file(tmp_path):
    broken = write(tmp_path, "config.toml", "view = \n")
    result = cli("config", "--check", "--config", broken)
    assert result.returncode == 2
    assert result.stderr.startswith(f"papers-tui: {broken}: line 1: not TOML")
    clash = write(tmp_path, "clash.toml", '[keys]\nstar = "r"\n')
    result = cli("config", "--check", "--config", clash)
    assert result.returncode == 2
    assert "read and star are both on the key r" in result.stderr


def test_the_config_state_is_used_and_the_flag_wins(tmp_path):
    from_config = make_state(tmp_path / "config-state.toml", starred=(PAPERS[0],))
    from_flag = make_state(tmp_path / "flag-state.toml", starred=(PAPERS[1],))
    config = write(tmp_path, "config.toml", f'state = "{from_config}"\n')
    result = cli("export", "--config", config)
    assert result.returncode == 0, result.stderr
    assert PAPERS[0].title in result.stdout and PAPERS[1].title not in result.stdout
    result = cli("export", "--config", config, "--state", from_flag)
    assert PAPERS[1].title in result.stdout and PAPERS[0].title not in result.stdout
    assert tomllib.loads(config.read_text()) == {"state": str(from_config)}
