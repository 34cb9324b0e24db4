"""The views' footer: their keys, every one in view from 80 columns up.

The views' own keys (1 to 5) and the command palette's are in the navigation bar
(tracker.ui.widgets.nav), so the footer holds the view's actions and the app's few
others; below WIDE columns it closes up the spaces between them.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

#: From this many columns the footer keeps Textual's roomier spacing.
WIDE = 110


class ViewFooter(Footer):
    def __init__(self) -> None:
        super().__init__(show_command_palette=False)

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < WIDE
