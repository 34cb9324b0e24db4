"""The bar across the top: the app's name and its views (tracker.ui.views), each clickable."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label, Static

from tracker.ui.views import MODE_VIEWS


class NavTab(Static):
    """One view's name; click it to go there."""

    def __init__(self, mode: str, label: str, active: bool) -> None:
        super().__init__(
            label, id=f"nav-{mode}", classes="nav-tab -active" if active else "nav-tab"
        )
        self.mode = mode

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(NavBar.Chosen(self.mode))


class NavBar(Horizontal):
    """The views, the current one marked; choosing one switches the app's mode."""

    class Chosen(Message):
        """The user chose a view; the app switches to it."""

        def __init__(self, mode: str) -> None:
            super().__init__()
            self.mode = mode

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        yield Label("tracker", id="brand")
        for view in MODE_VIEWS:
            label = f"{view.shown_key} {view.title}"
            yield NavTab(view.name, label, view.name == self.current)
        yield Label("! support  ·  ? help  ·  ctrl+p commands", id="nav-hint")
