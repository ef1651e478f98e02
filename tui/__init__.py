"""The papers-tui application."""

# The one place the version is written: pyproject.toml reads it from here. A literal, not
# importlib.metadata, which costs ~50 ms of every start-up.
__version__ = "0.1.0"
