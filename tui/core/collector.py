"""`collections_paused`: no automatic garbage collection while large containers are built
(state loads and saves), which young passes would otherwise scan again and again.

The app's schedule of full collections is `tui.runtime.IdleCollector`.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collections_paused(*, long_lived: bool = False) -> Iterator[None]:
    """No automatic collection meanwhile, in any thread: for work that builds containers of
    many entries (a state save or load makes several of 50,000), which every young pass
    would scan again (10-20 ms each, on whichever thread set it off).

    With `long_lived`, what was made joins the oldest generation at once (`freeze` and
    `unfreeze` move it there), so that young passes do not scan it either; unless some
    objects are frozen, which `unfreeze` would thaw. Nested or concurrent pauses end with
    collection back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if long_lived and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()
