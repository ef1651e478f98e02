"""Drives a TriageState in its own process, for tests/cli/test_state_processes.py.

    python tests/support/state_driver.py STATE [--no-saver] [--poll SECONDS]
    python tests/support/state_driver.py STATE --burst PREFIX [--interval SECONDS]

With --burst it marks papers "<PREFIX> paper <n>" one by one until killed, even n read and odd n
starred. Otherwise it reads commands on stdin, one a line:

    burst PREFIX COUNT INTERVAL     COUNT papers as above, then "done"
    read|unread|star|unstar TITLE   one mark
    note TITLE|TEXT                 the paper's note (a backslash-n is a line break)
    tags TITLE|TAG,TAG              the paper's tags
    flush                           save now, then "flushed"
    show TITLE                      "shows <read> <starred>"
    annotations TITLE               "annotations <repr of the note> <tags, comma-separated>"
    close                           "closed ok" or "closed fallback <path>", then exit

Every mark prints "marked <key> <time>" once the call returned; "external" is printed when the
state reports a change made elsewhere; "ready" once the state is loaded. Output is flushed
line by line.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from parsing.model import Paper
from tui.core.state.saver import SaverTiming
from tui.core.state.triage_state import TriageState

_output = threading.Lock()


def say(line: str) -> None:
    with _output:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def mark(state: TriageState, action: str, title: str) -> None:
    paper = Paper(title=title)
    if action in ("read", "unread"):
        state.set_read(paper, action == "read")
    else:
        state.set_starred(paper, action == "star")
    say(f"marked {paper.key} {time.time()!r}")


def burst(state: TriageState, prefix: str, count: int | None, interval: float) -> None:
    numbers = itertools.count() if count is None else range(count)
    for number in numbers:
        mark(state, "star" if number % 2 else "read", f"{prefix} paper {number}")
        time.sleep(interval)


def serve(state: TriageState) -> None:
    for line in sys.stdin:
        command, _, argument = line.rstrip("\n").partition(" ")
        if command == "burst":
            prefix, count, interval = argument.rsplit(" ", 2)
            burst(state, prefix, int(count), float(interval))
            say("done")
        elif command in ("read", "unread", "star", "unstar"):
            mark(state, command, argument)
        elif command in ("note", "tags"):
            title, _, value = argument.partition("|")
            paper = Paper(title=title)
            if command == "note":
                state.set_note(paper, value.replace("\\n", "\n"))
            else:
                state.set_tags(paper, value.split(","))
            say(f"marked {paper.key} {time.time()!r}")
        elif command == "annotations":
            key = Paper(title=argument).key
            say(f"annotations {state.note(key)!r} {','.join(state.tags(key))}")
        elif command == "flush":
            state.flush()
            say("flushed")
        elif command == "show":
            key = Paper(title=argument).key
            say(f"shows {state.is_read(key)} {state.is_starred(key)}")
        elif command == "close":
            result = state.close()
            say("closed ok" if result.ok else f"closed fallback {result.fallback_path}")
            return


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("state", type=Path)
    parser.add_argument("--no-saver", action="store_true", help="save only on flush and close")
    parser.add_argument("--poll", type=float, default=SaverTiming().poll)
    parser.add_argument("--burst", metavar="PREFIX", help="mark papers until killed")
    parser.add_argument("--interval", type=float, default=0.02)
    args = parser.parse_args()
    state = TriageState.load(args.state, timing=SaverTiming(poll=args.poll))
    if not args.no_saver:
        state.start(on_external_change=lambda: say("external"))
    say("ready")
    if args.burst:
        burst(state, args.burst, None, args.interval)
    else:
        serve(state)


if __name__ == "__main__":
    main()
