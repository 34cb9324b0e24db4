"""Support (!): reachable from every screen and dialog, the error screen included.

A short, calm text: tracker is a practice tool, not therapy or a crisis service; call
your local emergency number now if you might be in danger; how to find a crisis line
where you live (no network use); and the user's own support contact, if saved. The
same words as `tracker support` (tracker.words). Text from the user is shown as plain
text, never markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from tracker.ui.text import plain
from tracker.words import SUPPORT_TEXT, SUPPORT_TITLE, support_contact_line


class SupportScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, contact: str = "") -> None:
        super().__init__()
        self.contact = contact

    def compose(self) -> ComposeResult:
        with Vertical(id="support-box", classes="dialog"):
            yield Static(SUPPORT_TITLE, classes="title")
            with VerticalScroll(id="support-text"):
                first, *rest = SUPPORT_TEXT
                yield Static(Text(first), classes="support-paragraph")
                yield Static(Text(rest[0], style="bold"), classes="support-paragraph")
                for paragraph in rest[1:]:
                    yield Static(Text(paragraph), classes="support-paragraph")
                yield Static(
                    plain(support_contact_line(self.contact)),
                    id="support-contact",
                    classes="support-paragraph",
                )
            yield Button("Close", id="close", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)
