"""A hostile corpus: API items whose every text field tries to reach the terminal, the
notes or the browser (escape sequences, markup, bidi, link schemes, markdown syntax).

Written for these tests; `hostile_items()` has the shape of the API's JSON items.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ESC = "\x1b"
BEL = "\x07"
# What a terminal would obey: clipboard write, screen clear, colour, an OSC 8 link, C1 CSI
# and OSC, backspaces, a carriage return, a bidi override and isolate, zero-width characters.
OSC52 = f"{ESC}]52;c;SGVsbG8={BEL}"
CLEAR = f"{ESC}[2J"
RED = f"{ESC}[31m"
OSC8 = f"{ESC}]8;;http://evil.example/{ESC}\\click{ESC}]8;;{ESC}\\"
C1 = "\x9b31m\x9d0;title\x07"
BACKSPACES = "abc\b\b\bxyz\r"
BIDI = "\u202eevil\u202c \u2066isolated\u2069"
ZERO_WIDTH = "zero\u200bwidth\u200d\ufeff\u00ad"
SURROGATE = "\ud800"

TITLES = [
    f"Clipboard {OSC52} attack",
    f"Screen {CLEAR} clear and {RED} colour",
    f"Hyperlink {OSC8} injection",
    f"C1 {C1} controls",
    f"Backspace {BACKSPACES} tricks",
    f"Bidi {BIDI} override",
    f"Zero {ZERO_WIDTH} width",
    "Markup [b]BOLD[/b] and [/bogus] and [link=http://evil]x[/link]",
    "# Heading *star* _under_ `tick` <img src=x onerror=alert(1)> | pipe [x](http://evil)",
    f"Lone {SURROGATE} surrogate",
]
IDS = [
    "x[/bogus]",
    "[b]BOLDID[/b]",
    "2509.1 ) [evil](http://evil",
    f"../../etc/passwd{CLEAR}",
    "2509.01234",
]
LINKS = [
    "javascript:alert(1)",
    "file:///etc/passwd",
    "data:text/html,<script>alert(1)</script>",
    "http://a.com/ x](http://evil)",
    f"https://ok.example/{ESC}[2J",
    "http://user:pw@evil.example/",
    "https://github.com/ok/repo",
]
ABSTRACTS = [
    "# Not a heading\n> not a quote\n- not a list",
    f"Abstract with {OSC52} and {RED} inside and [red]markup[/red].",
    "1. not an ordered list <script>alert(1)</script> & entity &amp; `code` **bold**",
]


def hostile_items(count: int = 20) -> list[dict[str, Any]]:
    """`count` API items, each field hostile in its own way (titles are all distinct)."""
    items = []
    for number in range(count):
        title = f"{TITLES[number % len(TITLES)]} {number}"
        items.append(
            {
                "paper": {
                    "id": IDS[number % len(IDS)],
                    "title": title,
                    "summary": ABSTRACTS[number % len(ABSTRACTS)] + f" {OSC8} {BIDI}",
                    "authors": [
                        {"name": f"Eve {RED}Attacker{ESC}[0m", "hidden": False},
                        {"name": f"[b]Mallory[/b] {OSC52}", "hidden": False},
                        {"name": f"Trudy {BIDI}", "hidden": False},
                    ],
                    "publishedAt": "2025-09-29T00:00:00.000Z",
                    "upvotes": number,
                    "githubRepo": LINKS[number % len(LINKS)],
                    "projectPage": LINKS[(number + 3) % len(LINKS)],
                    "ai_summary": f"TL;DR {TITLES[(number + 1) % len(TITLES)]}",
                    "ai_keywords": [f"key {OSC52}", f"[b]word[/b] {BIDI}"],
                    "submittedOnDailyBy": {"fullname": f"Sub {CLEAR}mitter {ZERO_WIDTH}"},
                },
                "organization": {"fullname": f"Org {OSC8} {C1}"},
                "title": title,
            }
        )
    return items


def write_hostile_json(path: Path, count: int = 20) -> Path:
    """The corpus as an API day file; `\\ud800` and controls travel as JSON escapes."""
    path.write_text(json.dumps(hostile_items(count)), encoding="utf-8")
    return path


# What must never be found in anything written from the corpus.
FORBIDDEN_IN_OUTPUT = (ESC, BEL, "\x9b", "\x9d", "\b", "\u202e", "\u2066", "\u200b", SURROGATE)
