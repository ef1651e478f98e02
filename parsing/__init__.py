"""Formats to papers: pure Python, no UI imports."""

from parsing.hf_json import parse_json_chunks
from parsing.model import Paper, paper_key
from parsing.report import InputError, ParseReport
from parsing.sources import iter_papers, open_source, read_path
from parsing.text_copy import parse_text_lines

__all__ = [
    "InputError",
    "Paper",
    "ParseReport",
    "iter_papers",
    "open_source",
    "paper_key",
    "parse_json_chunks",
    "parse_text_lines",
    "read_path",
]
