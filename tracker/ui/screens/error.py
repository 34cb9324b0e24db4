"""Shown instead of the views when the database cannot be used."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from tracker.ui.text import plain


class ErrorScreen(Screen[None]):
    """A calm explanation and a way out; `tracker` exits with the same message."""

    BINDINGS = [Binding("escape", "app.quit", "Close", show=False)]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="error-box"):
            yield Static("tracker could not open your database", classes="title")
            yield Static(plain(self.text), id="error-text")
            yield Static(
                "To use another file: tracker --db PATH",
                classes="muted",
            )
            yield Static("Support, whatever is wrong with the file: press !", classes="muted")
            yield Button("Close", id="close", variant="primary")
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.app.exit()
