"""The detail pane and the reader show the API's extras; the reader every visible author."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from api_shapes import MANY_AUTHORS, all_shapes
from pilot_support import settle

from tui.app import PapersApp
from tui.core.feeds import FileFeed
from tui.core.state.triage_state import TriageState
from tui.widgets.detail import DetailPane


def open_app(tmp_path: Path) -> PapersApp:
    path = tmp_path / "2025-09-05.json"
    path.write_text(json.dumps(all_shapes()), "utf-8")
    state = TriageState.load(tmp_path / "state" / "state.toml")
    return PapersApp([FileFeed(str(path))], state, export_dir=tmp_path, today=date(2025, 9, 5))


async def test_the_pane_shows_the_tldr_first_then_the_extras_and_the_reader_every_author(
    tmp_path,
):
    app = open_app(tmp_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        pane = app.query_one("#detail", DetailPane)
        text = pane.plain
        tldr, abstract = text.index("TL;DR  Sparse experts"), text.index("We route tokens")
        assert tldr < text.index("Organization: Alpha Lab") < abstract
        assert "Comments: 3" in text and "Keywords: mixture of experts, routing" in text
        assert "GitHub: https://github.com/alpha/routing  ★ 1,234" in text
        assert f"+{MANY_AUTHORS - 3} more" in text  # the pane keeps to three authors
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen.query_one("#reader", DetailPane).plain
        assert f"Writer {MANY_AUTHORS - 1:02d}" in reader and "more" not in reader
        assert "Ghost Writer" not in reader
        assert "Submitted: by Cora Curator on 2025-09-05" in reader
        await pilot.press("escape", "j")
        await settle(pilot)
        bare = pane.plain
        assert "TL;DR" not in bare and "Organization" not in bare and "★" not in bare
        assert "Comments: 0" in bare
