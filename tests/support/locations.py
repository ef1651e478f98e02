"""Where things are, for tests in any folder below tests/."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SUPPORT = Path(__file__).resolve().parent
# The shared seed copies beside the checkout, if there: tests that use them skip without.
SEEDS = REPO.parent / "shared" / "seeds"
