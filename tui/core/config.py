"""The user's config file (`config.toml`): the options, their defaults, reading and checking
them (one `ConfigError` line naming the file, the line and the option), the commented file
`papers-tui config --init` writes, and writing a theme back keeping the user's comments.

No Textual here: the caller passes the theme names it knows."""

from __future__ import annotations

import dataclasses
import re
import tomllib
import unicodedata
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from tui.core.atomic import atomic_file
from tui.core.exports import FORMAT_NAMES
from tui.core.view import SortOrder, ViewMode

# Every action a user may rebind (the binding ids, as help names them) and its default keys,
# in Textual's key names, in the order the help lists them.
ACTION_KEYS: dict[str, tuple[str, ...]] = {
    "quit": ("q",),
    "help": ("question_mark",),
    "filter": ("slash",),
    "clear_filter": ("escape",),
    "read_full": ("enter",),
    "down": ("j", "down"),
    "up": ("k", "up"),
    "top": ("g", "home"),
    "bottom": ("G", "end"),
    "page_down": ("pagedown",),
    "page_up": ("pageup",),
    "read": ("r",),
    "star": ("s",),
    "note": ("N",),
    "tags": ("t",),
    "next_unread": ("n",),
    "previous_unread": ("p",),
    "mark_all_read": ("A",),
    "undo": ("u",),
    "open": ("o",),
    "open_links": ("O",),
    "copy_link": ("y",),
    "copy_arxiv_id": ("Y",),
    "export": ("e",),
    "export_as": ("E",),
    "view": ("v",),
    "sort": ("S",),
    "detail": ("d",),
    "tldr_rows": ("T",),
    "reader_next": ("J",),
    "reader_previous": ("K",),
    "previous_day": ("left_square_bracket",),
    "next_day": ("right_square_bracket",),
    "redraw": ("ctrl+l",),
}
# Keys no action may take: quitting from anywhere, and the command palette.
RESERVED_KEYS = {"ctrl+c": "quit from any screen", "ctrl+p": "the command palette"}

VIEWS = [mode.value for mode in ViewMode]
EXPORT_FORMATS = FORMAT_NAMES
SORTS = [order.value for order in SortOrder]


class ConfigError(Exception):
    """A config file that cannot be used; `str()` is the one line the user sees."""

    def __init__(self, path: Path, problem: str, *, line: int | None = None) -> None:
        where = f"{path}: line {line}" if line else str(path)
        super().__init__(f"{where}: {problem}")


@dataclasses.dataclass(frozen=True)
class Config:
    theme: str | None = None  # None: Textual's default
    keys: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    view: ViewMode = ViewMode.ALL
    sort: SortOrder = SortOrder.LIST
    export_dir: Path | None = None
    export_format: str = "md"
    state: Path | None = None
    mark_read_on_open: bool = True
    tldr_rows: bool = False  # start with the TL;DR rows shown (`T` toggles them)
    catch_up_days: int = 7  # `--days` without a number


# Each option: (type check, what the user is told it must be).
OPTIONS: dict[str, tuple[type, str]] = {
    "theme": (str, "a theme name"),
    "view": (str, " or ".join(VIEWS)),
    "sort": (str, ", ".join(SORTS)),
    "export_dir": (str, "a folder (a string)"),
    "export_format": (str, " or ".join(EXPORT_FORMATS)),
    "state": (str, "a file path (a string)"),
    "mark_read_on_open": (bool, "true or false"),
    "tldr_rows": (bool, "true or false"),
    "catch_up_days": (int, "a whole number of days above 0"),
    "keys": (dict, "a table: [keys]"),
}


def normalize_key(key: str) -> str:
    """A key as Textual names it: `?` is `question_mark` (as `App.set_keymap` does)."""
    if len(key) != 1 or key.isalnum():
        return key
    try:
        name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return key
    return {"solidus": "slash", "reverse_solidus": "backslash", "hyphen_minus": "minus"}.get(
        name, name
    )


def option_line(text: str, option: str, table: str = "") -> int | None:
    """The line where `option` is set in `table` ("" for the top level): tomllib gives none."""
    current = ""
    pattern = re.compile(rf"""\s*["']?{re.escape(option)}["']?\s*=""")
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[\s*([^\]]+?)\s*\]", line)
        if header:
            current = header.group(1).strip("\"'")
        elif current == table and pattern.match(line):
            return number
    return None


def load_config(path: Path, themes: Collection[str] | None = None) -> Config:
    """The config at `path`, or the defaults if there is no file. `themes`: the names a
    `theme` may take (None: any). Raises ConfigError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ConfigError(path, f"cannot be read: {reason}") from None
    return parse_config(text, path, themes)


def parse_config(text: str, path: Path, themes: Collection[str] | None = None) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise ConfigError(
            path, f"not TOML: {message}", line=int(found.group(1)) if found else None
        ) from None
    values: dict[str, Any] = {}
    for option, value in data.items():
        line = option_line(text, option)
        if option not in OPTIONS:
            raise ConfigError(
                path, f"unknown option {option!r} (options: {', '.join(OPTIONS)})", line=line
            )
        kind, wanted = OPTIONS[option]
        valid = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if option == "catch_up_days":
            valid = valid and value > 0
        elif option == "view":
            valid = valid and value in VIEWS
        elif option == "sort":
            valid = valid and value in SORTS
        elif option == "export_format":
            valid = valid and value in EXPORT_FORMATS
        elif option == "theme" and valid and themes is not None and value not in themes:
            raise ConfigError(
                path, f"theme: unknown theme {value!r} (themes: {', '.join(themes)})", line=line
            )
        if not valid:
            raise ConfigError(path, f"{option}: must be {wanted}, not {value!r}", line=line)
        values[option] = value
    if "view" in values:
        values["view"] = ViewMode(values["view"])
    if "sort" in values:
        values["sort"] = SortOrder(values["sort"])
    for option in ("export_dir", "state"):
        if option in values:
            values[option] = Path(values[option]).expanduser()
    if "keys" in values:
        values["keys"] = parse_keys(values["keys"], text, path)
    return Config(**values)


def parse_keys(table: dict[str, Any], text: str, path: Path) -> dict[str, tuple[str, ...]]:
    """`[keys]`: action = "key" or ["key", ...]; every key in force used by one action only."""
    keys: dict[str, tuple[str, ...]] = {}
    for action, value in table.items():
        line = option_line(text, action, "keys")
        if action not in ACTION_KEYS:
            raise ConfigError(
                path,
                f"keys: unknown action {action!r} (actions: {', '.join(ACTION_KEYS)})",
                line=line,
            )
        chosen = [value] if isinstance(value, str) else value
        if not (
            isinstance(chosen, list)
            and chosen
            and all(isinstance(key, str) and key.strip() and "," not in key for key in chosen)
        ):
            raise ConfigError(
                path,
                f"keys.{action}: must be a key or a list of keys, not {value!r}",
                line=line,
            )
        keys[action] = tuple(normalize_key(key.strip()) for key in chosen)
    users: dict[str, str] = {}
    for action, defaults in ACTION_KEYS.items():
        for key in keys.get(action, defaults):
            line = option_line(text, action, "keys")
            if key in RESERVED_KEYS:
                raise ConfigError(
                    path, f"keys.{action}: {key} is kept for {RESERVED_KEYS[key]}", line=line
                )
            other = users.setdefault(key, action)
            if other != action:
                # the line of whichever of the two the file sets
                line = line or option_line(text, other, "keys")
                raise ConfigError(
                    path, f"keys: {other} and {action} are both on the key {key}", line=line
                )
    return keys


def write_theme(path: Path, theme: str) -> None:
    """Set `theme` in the file at `path` (made if missing), keeping everything else in it
    as it was: comments, order, layout (tomlkit). Raises ConfigError if it is not TOML."""
    import tomlkit  # only here: reading needs only tomllib
    from tomlkit.exceptions import ParseError

    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        document = tomlkit.document()
    except (OSError, UnicodeDecodeError, ParseError) as error:
        raise ConfigError(path, f"theme not saved: {error}") from None
    document["theme"] = theme
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path, keep_mode=True) as file:
            file.write(tomlkit.dumps(document).encode("utf-8"))
    except OSError as error:
        raise ConfigError(path, f"theme not saved: {error.strerror or error}") from None


def _toml_keys(keys: tuple[str, ...]) -> str:
    quoted = [f'"{key}"' for key in keys]
    return quoted[0] if len(quoted) == 1 else f"[{', '.join(quoted)}]"


def init_text() -> str:
    """The commented file `papers-tui config --init` writes: every option, every action."""
    defaults = Config()
    lines = [
        "# papers-tui config. Every option is shown with its default, commented out:",
        "# remove the # to change one. `papers-tui config --check` checks this file.",
        "",
        "# A Textual theme (e.g. gruvbox, nord, dracula); choosing one with ctrl+p saves it here.",
        '# theme = "textual-dark"',
        "",
        f"# The papers shown at start: {', '.join(VIEWS)}.",
        f'# view = "{defaults.view.value}"',
        f"# Their order at start: {', '.join(SORTS)}.",
        f'# sort = "{defaults.sort.value}"',
        "",
        "# Where `e` writes the starred papers (the command line's --export-dir wins).",
        '# export_dir = "~/papers"',
        f"# The format `e` writes: {', '.join(EXPORT_FORMATS)} (`E` asks which).",
        f'# export_format = "{defaults.export_format}"',
        "# The file of marks (the command line's --state wins).",
        '# state = "~/.local/share/papers-tui/state.toml"',
        "",
        "# Reading a paper full-screen (Enter, and J/K in the reader) also marks it read.",
        f"# mark_read_on_open = {str(defaults.mark_read_on_open).lower()}",
        "",
        "# Start with each paper's TL;DR as a dimmed line under its row (T toggles it).",
        f"# tldr_rows = {str(defaults.tldr_rows).lower()}",
        "# `--days` without a number opens this many last days (today included).",
        f"# catch_up_days = {defaults.catch_up_days}",
        "",
        "# Keys: action = a key or a list of keys; it replaces the action's default keys.",
        "# Two actions on one key is an error.",
        "[keys]",
    ]
    lines += [f"# {action} = {_toml_keys(keys)}" for action, keys in ACTION_KEYS.items()]
    return "\n".join(lines) + "\n"


def write_init(path: Path) -> None:
    """Write `init_text()` at `path`; FileExistsError if a file is there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:
        file.write(init_text())
