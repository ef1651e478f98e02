"""The hostile corpus in a real terminal: the raw bytes the app writes while it scrolls,
reads, stars, opens (`o`), copies (`y`) and exports hold nothing from the data that the
terminal would obey, and the browser is handed only http(s) links."""

from __future__ import annotations

import base64
import re
import shutil
import sys
from pathlib import Path

import pytest
from hostile import write_hostile_json
from tmux_session import TmuxSession

from parsing.clean import is_clean

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

OSC52 = re.compile(rb"\x1b\]52;[^;]*;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)")
OSC8 = re.compile(rb"\x1b\]8;[^;\x07\x1b]*;([^\x07\x1b]*)")
C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
SAFE_URL = re.compile(r"https?://[A-Za-z0-9.:\[\]-]+(/\S*)?")
# Sequences of the corpus as they stand in the data, next to the data's own words: if any
# of these reached the terminal, the data's escape reached it.
FROM_THE_DATA = [
    b"\x1b]52;c;SGVsbG8=",
    b"\x1b[2J clear",
    b"\x1b[31m colour",
    b"\x1b]8;;http://evil.example/",
    b"\x08",
    "\u202e".encode(),
    "\u2066".encode(),
    "\u200b".encode(),
]


@pytest.fixture
def browser_log(tmp_path: Path) -> Path:
    return tmp_path / "browser.log"


@pytest.fixture
def session(tmp_path: Path, browser_log: Path, isolated_user_dirs: Path):
    corpus = write_hostile_json(tmp_path / "hostile.json")
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> {browser_log}\n')
    browser.chmod(0o755)
    command = Path(sys.executable).parent / "papers-tui"
    terminal = TmuxSession(
        f"sleep 0.5; BROWSER={browser} {command} --export-dir {tmp_path} {corpus};"
        " echo EXITED $?; sleep 30",
        name="hostile",
    )
    terminal.record(tmp_path / "raw.bytes")
    try:
        yield terminal
    finally:
        terminal.close()


def test_nothing_from_the_data_reaches_the_terminal_or_the_browser(
    session: TmuxSession, tmp_path: Path, browser_log: Path
):
    shown = session.wait_for("20/20 shown")
    assert "Clipboard ]52;c;SGVsbG8= attack 0" in shown
    for row in range(20):
        session.keys("j" if row % 3 else "o", "y" if row % 4 == 0 else "s")
    session.wait_for("★")
    session.keys("g", "Enter")
    session.wait_for("Back")
    session.keys("j", "j", "Escape")
    session.wait_for("Back", gone=True)
    session.keys("e")
    session.wait_for("Exported")
    session.keys("q")
    final = session.wait_for("EXITED 0")
    assert "Traceback" not in final

    raw = (tmp_path / "raw.bytes").read_bytes()
    assert len(raw) > 10_000  # the recording did catch the session
    for fragment in FROM_THE_DATA:
        assert fragment not in raw, fragment
    assert not C1_IN_UTF8.search(raw)
    copied = [base64.b64decode(payload).decode() for payload in OSC52.findall(raw)]
    assert copied, "y copied nothing"
    assert all(is_clean(text) and text.startswith("[") for text in copied)
    links = {url.decode() for url in OSC8.findall(raw)} - {""}
    assert links, "the detail pane offered no link"
    assert all(SAFE_URL.fullmatch(url) for url in links), links

    opened = browser_log.read_text().splitlines()
    assert len(opened) == 7
    assert all(SAFE_URL.fullmatch(url) and ".." not in url for url in opened), opened
    exported = next(tmp_path.glob("papers-starred-*.md")).read_text(encoding="utf-8")
    assert is_clean(exported, lines=True)
