"""The hostile corpus in a real terminal: the raw bytes the app writes while it scrolls,
reads, stars, opens (`o`), copies (`y`) and exports hold nothing from the data that the
terminal would obey, and the browser is handed only http(s) links."""

from __future__ import annotations

import base64
import json
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from hostile import write_hostile_json
from tmux_session import PAPERS_TUI, TmuxSession

from parsing.clean import is_clean

pytestmark = [
    pytest.mark.app,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

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


def wait_for_lines(path: Path, count: int, timeout: float = 10) -> list[str]:
    """The lines of `path` once it has `count` of them (or what it has at the timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = path.read_text().splitlines() if path.exists() else []
        if len(lines) >= count:
            break
        time.sleep(0.1)
    return lines


@pytest.fixture
def browser_log(tmp_path: Path) -> Path:
    return tmp_path / "browser.log"


@pytest.fixture
def session(tmp_path: Path, browser_log: Path, isolated_user_dirs: Path):
    corpus = write_hostile_json(tmp_path / "hostile.json")
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> {browser_log}\n')
    browser.chmod(0o755)
    terminal = TmuxSession(
        f"sleep 0.5; BROWSER={browser} {PAPERS_TUI} --export-dir {tmp_path} {corpus}",
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
    opened = wait_for_lines(browser_log, 7)  # each `o` starts the browser in a thread
    session.keys("g", "Enter")
    session.wait_for("esc Back")
    session.keys("j", "j", "Escape")
    session.wait_for("esc Back", gone=True)  # the footer's; a title holds "Back" too
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

    assert len(opened) == 7, "\n".join(opened)
    assert all(SAFE_URL.fullmatch(url) and ".." not in url for url in opened), opened
    exported = next(tmp_path.glob("papers-starred-*.md")).read_text(encoding="utf-8")
    assert is_clean(exported, lines=True)


# Titles whose width Rich and a terminal might count apart: wide scripts, emoji (with and
# without variation selectors, joined, flags, keycaps, tags), combining marks, bidi text.
# (Spacing marks of Indic scripts are not among them: Rich counts them as zero cells, some
# terminals as one, and no cleaning can settle that without breaking the script.)
WIDE_OR_JOINED = [
    "漢字のタイトル 中文标题 한국어 제목",
    "Emoji 🙂 title 🚀 with rockets 🤗",
    "Heart \u2764\ufe0f and sun \u2600\ufe0f and text style \u2764\ufe0e",
    "Family 👨\u200d👩\u200d👧 joined",
    "Flags 🇫🇷 🇯🇵 regional",
    "Combining e\u0301 a\u0308 and Z\u0336\u0334a\u0337l\u0321g\u0322o",
    "Keycap 1\ufe0f\u20e3 and #\ufe0f\u20e3",
    "Tag flag 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland",
    "Fullwidth \uff21\uff22\uff23\uff11\uff12\uff13",
    "Arabic مرحبا and Hebrew שלום text",
    "Thai ภาษาไทย marks",
]
CURSOR_COLUMNS = r"""
import json, os, sys, termios, tty
texts = json.load(open(sys.argv[1], encoding="utf-8"))
fd = sys.stdin.fileno()
saved = termios.tcgetattr(fd)
tty.setraw(fd)
columns = []
try:
    for text in texts:
        os.write(1, ("\r\x1b[2K" + text + "\x1b[6n").encode())
        answer = b""
        while not answer.endswith(b"R"):
            answer += os.read(fd, 1)
        columns.append(int(answer.rsplit(b";", 1)[1][:-1]) - 1)
finally:
    termios.tcsetattr(fd, termios.TCSADRAIN, saved)
json.dump(columns, open(sys.argv[2], "w"))
"""


def test_cleaned_titles_are_as_wide_in_the_terminal_as_rich_counts(tmp_path: Path):
    """What keeps the list's columns aligned: each cleaned title takes, in a real terminal,
    the cells Rich (and so Textual) gives it."""
    from rich.cells import cell_len

    from parsing.clean import clean_text

    cleaned = [clean_text(title) for title in WIDE_OR_JOINED]
    texts, columns = tmp_path / "texts.json", tmp_path / "columns.json"
    texts.write_text(json.dumps(cleaned), encoding="utf-8")
    script = tmp_path / "columns.py"
    script.write_text(CURSOR_COLUMNS, encoding="utf-8")
    terminal = TmuxSession(f"{sys.executable} {script} {texts} {columns}", name="width")
    try:
        deadline = time.monotonic() + 15
        while not columns.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        measured = json.loads(columns.read_text())
    finally:
        terminal.close()
    assert measured == [cell_len(text) for text in cleaned]
