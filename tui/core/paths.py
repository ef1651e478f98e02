"""Every place papers-tui keeps the user's files, in one module (the only one that asks
platformdirs): the config file, the state file, its cache, the folder of its merged conflicted
copies, the day cache, the fallback file of marks that could not be saved, and the default
export folder."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import platformdirs

APP_NAME = "papers-tui"
STATE_FILE_NAME = "state.toml"
CONFIG_FILE_NAME = "config.toml"


def default_state_path() -> Path:
    """`state.toml` in the user data folder (honours XDG_DATA_HOME)."""
    return platformdirs.user_data_path(APP_NAME) / STATE_FILE_NAME


def default_config_path() -> Path:
    """`config.toml` in the user config folder (honours XDG_CONFIG_HOME)."""
    return platformdirs.user_config_path(APP_NAME) / CONFIG_FILE_NAME


def state_cache_path(state_path: Path) -> Path:
    """Where the cache of the state file at `state_path` lives (honours XDG_CACHE_HOME)."""
    name = hashlib.sha256(os.fsencode(os.path.realpath(state_path))).hexdigest()[:32]
    return platformdirs.user_cache_path(APP_NAME) / "state" / f"{name}.bin"


def merged_conflicts_folder(state_path: Path) -> Path:
    """Where the conflicted copies of the state file at `state_path` go once merged: the
    `conflicts-merged` folder beside it (`state_path` is resolved)."""
    return state_path.parent / "conflicts-merged"


def day_cache_folder() -> Path:
    """`papers-tui/days` in the user's cache folder (honours XDG_CACHE_HOME)."""
    return platformdirs.user_cache_path(APP_NAME) / "days"


def fallback_state_path() -> Path:
    """Where the marks go when the state file cannot be written at quit (the temp folder)."""
    return Path(tempfile.gettempdir()) / f"{APP_NAME}-state-{os.getpid()}.toml"


def default_export_dir() -> Path:
    """Where exports go unless told: the current folder."""
    return Path.cwd()
