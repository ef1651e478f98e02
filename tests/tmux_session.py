"""A real terminal for tests: one tmux server of its own (its own socket, so tests running
side by side never meet), one session, keys in, screen and raw bytes out."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from pathlib import Path


class TmuxSession:
    """`tmux new-session` of `command` at a fixed size; killed by `close`."""

    def __init__(self, command: str, *, width: int = 140, height: int = 45, name: str = "t"):
        self.socket = f"papers-tui-{os.getpid()}-{name}"
        self.name = name
        env = {key: value for key, value in os.environ.items() if key.startswith("XDG_")}
        env_args = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        self.run("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), *env_args,
                 command)  # fmt: skip

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

    def wait_for(self, text: str, timeout: float = 15, *, gone: bool = False) -> str:
        """Wait until `text` is on screen (or, with `gone`, no longer on it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if (text in shown) != gone:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} {'stayed' if gone else 'never appeared'}:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, check=False)
