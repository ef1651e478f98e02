"""A real terminal for tests: one tmux server of its own (its own socket, so tests running
side by side never meet), one session, keys in, screen and raw bytes out."""

from __future__ import annotations

import itertools
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

PAPERS_TUI = Path(sys.executable).parent / "papers-tui"
# A socket per session: a server just told to quit may still answer on its socket, and refuse
# a new session of the same name.
_SERVERS = itertools.count()


class TmuxSession:
    """`tmux new-session` of a shell command at a fixed size; killed by `close`.

    The command runs with the test's XDG folders and `env`, and without COLUMNS and LINES,
    which the test process may have (80 and 24 under pytest) and a tmux server started by
    it passes on: Textual would take them for the terminal's size, and keep it. When the
    command ends, the pane shows `EXITED <status>` and lingers.
    """

    def __init__(
        self,
        command: str,
        *,
        width: int = 140,
        height: int = 45,
        env: dict[str, str] | None = None,
        name: str = "t",
    ) -> None:
        self.socket = f"papers-tui-{os.getpid()}-{next(_SERVERS)}-{name}"
        self.name = name
        xdg = {key: value for key, value in os.environ.items() if key.startswith("XDG_")}
        env_args = [arg for item in (xdg | (env or {})).items() for arg in ("-e", "=".join(item))]
        self.run("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), *env_args,
                 f"unset COLUMNS LINES; {command}; echo EXITED $?; sleep 30")  # fmt: skip

    def run(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            check=True,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.name, *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-t", self.name, "-p")

    def record(self, path: Path) -> None:
        """Append every byte the program writes to the terminal from now on to `path`."""
        self.run("pipe-pane", "-t", self.name, "-o", f"cat >> {shlex.quote(str(path))}")

    def resize(self, width: int, height: int) -> None:
        self.run("resize-window", "-t", self.name, "-x", str(width), "-y", str(height))

    def pane_pid(self) -> str:
        return self.run("display-message", "-p", "-t", self.name, "#{pane_pid}").strip()

    def wait_until(self, condition: Callable[[str], bool], what: str, timeout: float = 15) -> str:
        """Wait until the screen is one that `condition` accepts; fail saying `what` if not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if condition(shown):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{what}:\n{self.screen()}")

    def wait_for(self, text: str, timeout: float = 15, *, gone: bool = False) -> str:
        """Wait until `text` is on screen (or, with `gone`, no longer on it)."""
        return self.wait_until(
            lambda shown: (text in shown) != gone,
            f"{text!r} {'stayed' if gone else 'never appeared'}",
            timeout,
        )

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, check=False)
