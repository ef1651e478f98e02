"""The papers-tui application."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("papers-tui")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
