"""Painted lines freed when dropped, not left for the cyclic garbage collector.

Textual's `Strip` (8.x) keeps results in caches of its own, and two of its methods can cache
the strip itself: `divide` at one cut, its own length (the compositor does that to nearly
every line it paints) and `crop_extend` to its own span. Each such strip is then a
reference cycle, which only the cyclic collector frees, with its eight caches and its
segments: about 400 objects a key, and full passes of 150 ms while a filter is typed.

`install` wraps both methods so that these cases return the strip (or a list of it), as
Textual does, without caching it: the results are the same, the cycle never forms. Other
calls go to Textual's methods unchanged. `uninstall` puts Textual's methods back. Both are
for `tui.render.settings` (the fast path only, while an app runs).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.style import Style
from textual.strip import Strip

_textual_divide = Strip.divide
_textual_crop_extend = Strip.crop_extend


def _divide(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
    cuts = [cut for cut in cuts if cut <= self.cell_length]  # as Textual filters them
    if cuts == [self.cell_length]:
        return [self]
    return _textual_divide(self, cuts)


def _crop_extend(self: Strip, start: int, end: int, style: Style | None) -> Strip:
    if start == 0 and end == self.cell_length:
        return self
    return _textual_crop_extend(self, start, end, style)


def install() -> None:
    """Patch `Strip` (idempotent)."""
    Strip.divide = _divide  # type: ignore[method-assign]
    Strip.crop_extend = _crop_extend  # type: ignore[method-assign]


def uninstall() -> None:
    """Textual's own methods again (idempotent)."""
    Strip.divide = _textual_divide  # type: ignore[method-assign]
    Strip.crop_extend = _textual_crop_extend  # type: ignore[method-assign]
