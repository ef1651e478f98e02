"""`benchmarks/run.py`'s interactive session runs against the app as it is: it wraps
widget methods to time their frames, so a changed signature breaks it (no timings checked)."""

from __future__ import annotations

import pytest

from benchmarks.run import interactive_session, make_dataset

pytestmark = pytest.mark.app


async def test_the_benchmark_session_measures_every_step_on_a_few_papers(tmp_path) -> None:
    data = make_dataset(tmp_path, 300, seed=1, read_share=0.5)
    session = await interactive_session(data.input_path, data.state_path, tmp_path)
    for name in ("filter_ms", "cursor_ms", "cursor_tldr_ms", "save_key_ms"):
        assert getattr(session, name), name
