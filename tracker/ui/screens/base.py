"""What every view shares: the navigation bar, the footer, and redrawing on new data."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from tracker.ui.data import Snapshot
from tracker.ui.widgets.footer import ViewFooter
from tracker.ui.widgets.nav import NavBar
from tracker.words import DEMO_NOTE

if TYPE_CHECKING:
    from tracker.ui.app import TrackerApp


class TrackerScreen(Screen[None]):
    """A view (one of the app's modes, tracker.ui.views). Subclasses compose `body()` and
    draw in `show()`."""

    MODE: ClassVar[str] = ""

    @property
    def tracker(self) -> TrackerApp:
        return cast("TrackerApp", self.app)

    def compose(self) -> ComposeResult:
        yield NavBar(self.MODE)
        if self.tracker.demo:
            yield Static(DEMO_NOTE, id="demo-banner")
        yield from self.body()
        yield ViewFooter()

    def body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        # Draw what the app has now, and again whenever it has fresh figures.
        self.watch(self.tracker, "snapshot", self._snapshot_changed)

    def _snapshot_changed(self, snapshot: Snapshot | None) -> None:
        if snapshot is not None:
            self.show(snapshot)

    def show(self, snapshot: Snapshot) -> None:
        """Redraw from fresh figures. Called on mount and after every change."""
