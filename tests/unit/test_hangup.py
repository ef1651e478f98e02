"""Telling a terminal that hung up from one that is there, and from what is no terminal."""

from __future__ import annotations

import os

from tui.hangup import terminal_is_gone


def test_a_terminal_is_gone_once_its_other_end_closes() -> None:
    main, terminal = os.openpty()
    try:
        assert not terminal_is_gone(terminal)
        os.close(main)
        assert terminal_is_gone(terminal)
    finally:
        os.close(terminal)


def test_a_pipe_or_a_closed_descriptor_is_no_terminal_gone() -> None:
    read_end, write_end = os.pipe()
    os.close(write_end)
    assert not terminal_is_gone(read_end)
    os.close(read_end)
    assert not terminal_is_gone(read_end)
