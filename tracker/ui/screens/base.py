"""What every view shares: the navigation bar, the footer, and redrawing on new data."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from tracker.ui.data import Snapshot
from tracker.ui.messages import DataReady
from tracker.ui.widgets.nav import NavBar

if TYPE_CHECKING:
    from tracker.ui.app import TrackerApp


class TrackerScreen(Screen[None]):
    """A view (one of the app's modes). Subclasses compose `body()` and draw in `show()`."""

    MODE: ClassVar[str] = ""

    @property
    def tracker(self) -> TrackerApp:
        return cast("TrackerApp", self.app)

    def compose(self) -> ComposeResult:
        yield NavBar(self.MODE)
        yield from self.body()
        yield Footer()

    def body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.tracker.views.add(self)
        if self.tracker.snapshot is not None:
            self.show(self.tracker.snapshot)

    def on_data_ready(self, message: DataReady) -> None:
        self.show(message.snapshot)

    def show(self, snapshot: Snapshot) -> None:
        """Redraw from fresh figures. Called on mount and after every change."""
