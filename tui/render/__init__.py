"""The fence around Textual's internals: every use of Textual's private API is in this package.

The app paints faster than stock Textual by reaching inside it (`plain_lines`: the styles
cache and box drawing; `strip_cycles` and `settings`: changes to Textual for the whole
process; `sizes`: a scroll update without a layout pass). Such code may break with any
release, so it runs only on the Textual versions the tests cover, `TESTED_TEXTUAL` (the
same range as pyproject.toml's dependency, which a test checks). Anywhere else, or with
`PAPERS_TUI_STOCK_RENDER=1`, every widget paints through Textual's own code (the "stock
path": the same look, a little slower) and the private modules are not even imported.

`fast_path()` makes that choice, once per process; widgets ask it when they are made.
To cover a new Textual release: install it, widen `TESTED_TEXTUAL` and pyproject.toml's
range, and run the tests with and without `PAPERS_TUI_STOCK_RENDER=1`.
"""

from __future__ import annotations

import functools
import os

# The Textual versions the tests cover: at least the first, below the second
# (pyproject.toml: "textual>=8.2.8,<8.2.9").
TESTED_TEXTUAL = ("8.2.8", "8.2.9")
STOCK_RENDER_VARIABLE = "PAPERS_TUI_STOCK_RENDER"


def fast_path() -> bool:
    """Whether this process paints through the fast path (see the module's docstring)."""
    return stock_reason() is None


@functools.cache
def stock_reason() -> str | None:
    """Why this process paints through Textual's stock path, or None: the fast path."""
    if os.environ.get(STOCK_RENDER_VARIABLE, "") not in ("", "0"):
        return f"{STOCK_RENDER_VARIABLE} is set"
    installed = textual_version()
    low, high = TESTED_TEXTUAL
    if installed is None:
        return "the installed Textual's version is unknown"
    if not release(low) <= release(installed) < release(high):
        return f"Textual {installed} is outside the tested versions (>={low},<{high})"
    return None


def release(version: str) -> tuple[int, ...]:
    """A plain release number as a tuple ("8.2.8" -> (8, 2, 8)); anything else (a
    pre-release, a local version) as (), which is below every tested version."""
    parts = version.split(".")
    return tuple(map(int, parts)) if all(part.isdigit() for part in parts) else ()


def textual_version() -> str | None:
    """The installed Textual's version, from its `dist-info` folder beside the package:
    `textual.__version__` asks `importlib.metadata`, ~25 ms of the start-up."""
    import textual

    site = os.path.dirname(os.path.dirname(textual.__file__))
    try:
        names = os.listdir(site)
    except OSError:
        names = []
    found = [
        name[len("textual-") : -len(".dist-info")]
        for name in names
        if name.lower().startswith("textual-") and name.endswith(".dist-info")
    ]
    if len(found) == 1:
        return found[0]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("textual")
    except PackageNotFoundError:
        return None


def stock_notice() -> str | None:
    """The line for Textual's log when the stock path is used, else None."""
    reason = stock_reason()
    if reason is None:
        return None
    return f"papers-tui paints through Textual's stock rendering: {reason}"
