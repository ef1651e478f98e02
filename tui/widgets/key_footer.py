"""The footer: Textual's, composed again only when the keys it shows change."""

from __future__ import annotations

from textual.widgets import Footer

KeysShown = tuple[tuple[str, str, str, str, bool], ...]


class KeyFooter(Footer):
    """Textual's `Footer`, which mounts every key anew (tens of milliseconds of styling and
    layout) each time the screen publishes its bindings: a focus change publishes them
    twice or more, mostly unchanged. This one recomposes only when what it shows differs
    from what it shows already."""

    def __init__(self) -> None:
        super().__init__()
        self._composed: KeysShown | None = None

    async def recompose(self) -> None:
        shown = self._keys_shown()
        if shown == self._composed:
            return
        self._composed = shown
        await super().recompose()

    def _keys_shown(self) -> KeysShown:
        """Each key the footer would show: key, how it reads, action, description, enabled."""
        return tuple(
            (binding.key, self.app.get_key_display(binding), binding.action,
             binding.description, enabled)
            for _node, binding, enabled, _tooltip in self.screen.active_bindings.values()
            if binding.show
        )  # fmt: skip
