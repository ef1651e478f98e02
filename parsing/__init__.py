"""Formats to papers: pure Python, no UI imports."""

from parsing.model import Paper, paper_key

__all__ = ["Paper", "paper_key"]
