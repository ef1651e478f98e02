"""Strips divided or cropped to themselves give Textual's results and form no cycle."""

from __future__ import annotations

import gc

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.render import strip_cycles


@pytest.fixture(autouse=True)
def patched(monkeypatch: pytest.MonkeyPatch) -> None:
    """`install`, undone after the test."""
    monkeypatch.setattr(Strip, "divide", Strip.divide)
    monkeypatch.setattr(Strip, "crop_extend", Strip.crop_extend)
    strip_cycles.install()


def test_uninstall_puts_textuals_methods_back() -> None:
    strip_cycles.uninstall()
    assert Strip.divide is strip_cycles._textual_divide
    assert Strip.crop_extend is strip_cycles._textual_crop_extend
    strip_cycles.uninstall()  # twice is harmless
    assert Strip.divide is strip_cycles._textual_divide


def make_strip() -> Strip:
    return Strip([Segment("ab", Style(bold=True)), Segment("cdef")], 6)


@pytest.mark.parametrize("cuts", [[6], [6, 9], [2, 6], [1, 3, 6], [4]])
def test_divide_gives_textuals_pieces(cuts: list[int]) -> None:
    ours = make_strip().divide(cuts)
    textuals = strip_cycles._textual_divide(make_strip(), cuts)
    assert [piece.text for piece in ours] == [piece.text for piece in textuals]
    assert [piece.cell_length for piece in ours] == [piece.cell_length for piece in textuals]


@pytest.mark.parametrize(("start", "end"), [(0, 6), (0, 8), (1, 6), (2, 4)])
def test_crop_extend_gives_textuals_strip(start: int, end: int) -> None:
    ours = make_strip().crop_extend(start, end, None)
    textuals = strip_cycles._textual_crop_extend(make_strip(), start, end, None)
    assert (ours.text, ours.cell_length) == (textuals.text, textuals.cell_length)


def test_a_strip_divided_or_cropped_to_itself_is_freed_without_the_collector() -> None:
    gc.collect()
    gc.disable()
    try:
        for _ in range(50):
            strip = make_strip()
            assert strip.divide([6]) == [strip]
            assert strip.crop_extend(0, 6, None) is strip
        del strip
        assert gc.collect() == 0  # nothing was left in a cycle
    finally:
        gc.enable()
