"""The papers-tui application."""

import os

# The one place the version is written: pyproject.toml reads it from here. A literal, not
# importlib.metadata, which costs ~50 ms of every start-up.
__version__ = "0.1.0"

# Textual paints at most 60 frames a second, so a filter result that arrives just after the
# frame echoing the typed key waits up to 17 ms for the next one; at 120 the wait halves
# (frames are only painted when something changed, so an idle app costs nothing more).
# Read by Textual when it is imported, which every entry point does after importing `tui`.
os.environ.setdefault("TEXTUAL_FPS", "120")
