"""Full garbage collections wait for a pause in the input, and the thresholds come back
(the app's use of it: tests/test_app.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tui.collector import FULL_PASS_AFTER, IDLE_SECONDS, IdleCollector


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def usual_thresholds() -> Iterator[tuple[int, int, int]]:
    """The thresholds before the test, set back after it whatever happens."""
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def make_full_pass_due(usual: tuple[int, int, int]) -> None:
    gc.collect()
    for _ in range(usual[2]):
        gc.collect(1)  # each counts as one middle-generation pass


def test_start_lets_full_passes_wait_and_stop_restores(usual_thresholds):
    collector = IdleCollector()
    collector.start()
    assert gc.get_threshold() == (*usual_thresholds[:2], FULL_PASS_AFTER)
    collector.stop()
    assert gc.get_threshold() == usual_thresholds
    collector.stop()  # twice is harmless
    assert gc.get_threshold() == usual_thresholds


def test_a_due_full_pass_runs_only_once_input_paused(usual_thresholds):
    clock = FakeClock()
    collector = IdleCollector(clock)
    collector.start()
    make_full_pass_due(usual_thresholds)
    collector.note_input()
    clock.now += IDLE_SECONDS / 2
    assert not collector.collect_if_idle()
    assert gc.get_count()[2] >= usual_thresholds[2]
    clock.now += IDLE_SECONDS
    assert collector.collect_if_idle()
    assert gc.get_count()[2] == 0
    assert not collector.collect_if_idle()  # no longer due


def test_nothing_runs_when_no_pass_is_due_or_before_start(usual_thresholds):
    clock = FakeClock()
    collector = IdleCollector(clock)
    make_full_pass_due(usual_thresholds)
    clock.now += 10 * IDLE_SECONDS
    assert not collector.collect_if_idle()  # not started
    collector.start()
    gc.collect()
    assert not collector.collect_if_idle()  # started, idle, but nothing due
