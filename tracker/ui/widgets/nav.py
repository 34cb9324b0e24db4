"""The bar across the top: the app's name and the views, each clickable."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label, Static

VIEWS: tuple[tuple[str, str], ...] = (
    ("home", "1 Home"),
    ("ladder", "2 Ladder"),
    ("history", "3 History"),
    ("insights", "4 Insights"),
    ("people", "5 People"),
)


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
        for mode, label in VIEWS:
            yield NavTab(mode, label, mode == self.current)
        yield Label("! support  ·  ? help  ·  ctrl+p commands", id="nav-hint")
