"""Where a cursor key's frame goes: each widget's `render_lines` and the compositor's update.

    .venv/bin/python benchmarks/paint.py [--papers 100000] [--key pagedown] [--presses 40]

Opens the app on N synthetic papers (as `benchmarks/run.py` does, 140x45), waits until they
are loaded, then presses KEY (then its opposite, so the list does not run out) --presses
times, one key per frame, and prints per key: the milliseconds spent in the compositor's
`render_update` (the whole frame but its encoding for the terminal) and, inside it, in each
widget class's `render_lines`, with the lines it returned.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

OPPOSITE = {"pagedown": "pageup", "j": "k", "down": "up"}


class Timings:
    """Seconds, calls and lines per name."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.lines: defaultdict[str, int] = defaultdict(int)

    def timed(self, name_of: Callable[[Any], str], method: Callable[..., Any]) -> Callable:
        def wrapper(owner: Any, *args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            result = method(owner, *args, **kwargs)
            name = name_of(owner)
            self.seconds[name] += time.perf_counter() - start
            if isinstance(result, list):
                self.lines[name] += len(result)
            return result

        return wrapper


@contextmanager
def timed_painting(timings: Timings) -> Iterator[None]:
    # Textual's private compositor: a measuring tool's use, outside the app's fence (tui/render).
    from textual._compositor import Compositor
    from textual.widget import Widget

    render_lines, render_update = Widget.render_lines, Compositor.render_update
    Widget.render_lines = timings.timed(lambda widget: type(widget).__name__, render_lines)
    Compositor.render_update = timings.timed(lambda _: "(compositor update)", render_update)
    try:
        yield
    finally:
        Widget.render_lines = render_lines  # type: ignore[method-assign]
        Compositor.render_update = render_update  # type: ignore[method-assign]


async def press_keys(papers: int, key: str, presses: int, folder: Path) -> Timings:
    from benchmarks.run import SIZE, PaintClock, make_dataset, observed_widgets, settle
    from tui.app import PapersApp
    from tui.core.feeds import FileFeed
    from tui.core.state.triage_state import TriageState

    data = make_dataset(folder, papers, 0, 0.5)
    timings = Timings()
    clock = PaintClock()
    with observed_widgets(clock):
        app = PapersApp([FileFeed(str(data.input_path))], TriageState.load(data.state_path))
        clock.attach(app)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app)
            await pilot.pause(0.5)
            with timed_painting(timings):
                for number in range(presses):
                    start = len(clock.frames)
                    turn_back = number % 20 >= 10
                    await pilot.press(OPPOSITE.get(key, key) if turn_back else key)
                    await clock.wait_for(start, {"rows", "detail"})
                    await asyncio.sleep(0.04)
            await pilot.press("q")
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--key", default="pagedown", help="pagedown, j or down")
    parser.add_argument("--presses", type=int, default=40)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="papers-paint-") as name:
        folder = Path(name)
        for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            os.environ[variable] = str(folder / variable.lower())
        timings = asyncio.run(press_keys(args.papers, args.key, args.presses, folder))
    print(f"{args.papers:,} papers, {args.presses} x {args.key} (and back), per key:")
    for name, seconds in sorted(timings.seconds.items(), key=lambda item: -item[1]):
        lines = timings.lines.get(name)
        shown = f"{lines / args.presses:6.1f} lines" if lines else ""
        print(f"  {name:22} {seconds / args.presses * 1000:7.2f} ms  {shown}")


if __name__ == "__main__":
    main()
