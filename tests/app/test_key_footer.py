"""The footer: the keys in force, composed again only when they change."""

from __future__ import annotations

import pytest
from pilot_support import settle
from test_app_qualifiers import make_app
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tui.widgets.key_footer import KeyFooter

pytestmark = pytest.mark.app


def keys_shown(footer: KeyFooter) -> list[str]:
    return [key.description for key in footer.query(FooterKey)]


async def test_a_focus_change_composes_the_footer_once_with_the_keys_in_force(
    tmp_path, monkeypatch
):
    composed: list[int] = []
    stock = Footer.recompose

    async def counted(footer: Footer) -> None:
        composed.append(1)
        await stock(footer)

    monkeypatch.setattr(Footer, "recompose", counted)
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        footer = app.query_one(KeyFooter)
        on_the_list = keys_shown(footer)
        assert "Star" in on_the_list and "Filter" in on_the_list
        for key, shown in (("slash", []), ("escape", on_the_list)):
            composed.clear()
            await pilot.press(key)
            await pilot.pause(0.2)
            await settle(pilot)
            assert keys_shown(footer) == shown, key
            assert len(composed) == 1, key  # the screen published its bindings more often
