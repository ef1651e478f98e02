"""Full garbage collections wait for a pause in the input (`tui.runtime.IdleCollector`), and
the thresholds come back; collections pause while tables are built (`tui.core.collector`).
The app's use: tests/app/test_app.py, tests/render/test_runtime.py."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tui.core.collector import collections_paused
from tui.runtime import FULL_PASS_AFTER, IDLE_SECONDS, IdleCollector


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


def test_a_pause_stops_automatic_collection_and_ends_with_it_back() -> None:
    assert gc.isenabled()
    with collections_paused():
        assert not gc.isenabled()
        with collections_paused(long_lived=True):
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    with pytest.raises(KeyError), collections_paused():
        raise KeyError
    assert gc.isenabled()


def test_long_lived_objects_join_the_oldest_generation_unless_some_are_frozen() -> None:
    gc.unfreeze()  # what an app run earlier in this process froze
    gc.collect()
    with collections_paused(long_lived=True):
        made = [[number] for number in range(1000)]
    oldest = {id(item) for item in gc.get_objects(2)}
    assert all(id(item) in oldest for item in made)
    gc.freeze()
    try:
        with collections_paused(long_lived=True):
            young = [[number] for number in range(10)]
        assert gc.get_freeze_count() > 0  # nothing thawed
        oldest = {id(item) for item in gc.get_objects(2)}
        assert not any(id(item) in oldest for item in young)
    finally:
        gc.unfreeze()
