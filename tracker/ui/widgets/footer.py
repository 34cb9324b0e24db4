"""The views' footer: their keys, every one in view from 80 columns up, rebuilt
only when the keys it shows change.

The views' own keys (1 to 5) and the command palette's are in the navigation bar
(tracker.ui.widgets.nav), so the footer holds the view's actions and the app's few
others; below WIDE columns it closes up the spaces between them.

Textual's Footer rebuilds its keys (a widget each) after every change to the bindings,
and while the app starts (the screen mounted, focus given, the figures shown) the
bindings change several times in a row, mostly to the same keys: each rebuild cost
about as much as the rest of the first screen (docs/performance.md). This one shows
its keys from its first compose, rebuilds only when what it shows would differ, and
at most once for a burst of changes.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

#: From this many columns the footer keeps Textual's roomier spacing.
WIDE = 110


class ViewFooter(Footer):
    """A Footer of the view's keys that rebuilds only when its keys change."""

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)
        self._shown: tuple[Any, ...] | None = None
        self._rebuild_waiting = False

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < WIDE

    def _keys(self) -> tuple[Any, ...]:
        """What compose shows: the bindings shown, each with whether it is enabled
        and its tooltip."""
        return tuple(
            (key, binding, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show
        )

    def compose(self) -> ComposeResult:
        if self._bindings_ready:  # not before the screen has mounted: see bindings_changed
            self._shown = self._keys()
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._rebuild_waiting and self._keys() != self._shown:
            self._rebuild_waiting = True
            if self._shown is None:  # the first keys: before the first frame
                self.call_next(self._rebuild)
            else:
                self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_waiting = False
        if self._keys() != self._shown:
            await self.recompose()
