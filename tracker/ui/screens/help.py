"""The keys, and a short, warm explanation of the method."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from tracker.ui.keys import LOG, QUIT, REFRESH, SUPPORT
from tracker.ui.views import DIALOG_VIEWS, MODE_VIEWS

if TYPE_CHECKING:
    from tracker.ui.app import TrackerApp

#: The keys: the views' come from tracker.ui.views, the app's own from tracker.ui.keys.
KEYS: tuple[tuple[str, str], ...] = (
    ("  ".join(v.shown_key for v in MODE_VIEWS), ", ".join(v.title for v in MODE_VIEWS)),
    (LOG.shown_key, LOG.help),
    *((v.shown_key, v.help) for v in DIALOG_VIEWS),
    (SUPPORT.shown_key, SUPPORT.help),
    ("ctrl+p", "every command, including light and dark themes"),
    ("ctrl+s", "save the form you are in"),
    ("escape", "close a dialog without saving"),
    (REFRESH.shown_key, REFRESH.help),
    (QUIT.shown_key, QUIT.help),
    *((v.title, v.help) for v in MODE_VIEWS if v.help),
)

METHOD = """\
[b]How the ladder works[/b]

Asking for help gets easier with practice, one small step at a time. Your ladder runs \
from everyday asks that nearly always get a yes (the time, directions) up to the ones \
that matter most (a deadline extension, support in a hard week). You practise on the \
lowest rung you haven't climbed yet.

[b]Before you ask[/b], write down what you fear will happen, as something you could \
see or hear ("they'll sigh, or say no"), and how likely it feels. [b]Afterwards[/b], \
note what really happened, how you know, how confident you feel now and how likely \
the fear seems for next time. A kinder, truer thought belongs here too, after the ask, \
not before it. Insights shows how your predictions compare with what happened, and \
how far each expectation moved.

What goes with lasting change is that expectation moving (Pittig et al. 2023), not \
the surprise alone; tracker reads your re-rated likelihood as a simple stand-in for \
it when deciding whether a rung is climbed.

[b]A "no" is a finished practice.[/b] Asking is the exercise, whatever the answer, so \
every ask counts. Only not asking doesn't, and logging that honestly still helps: \
tracker will suggest a gentler step.

A rung is climbed after a few asks there (from at least two different challenges, \
because variety makes the learning stick) with steady confidence on the latest ones. \
Climbed rungs come back now and then for a short revisit, so they stay easy.

[b]Support is never locked.[/b] Asks for support (a doctor, a counsellor, a helpline, \
telling someone you trust how you really are) sit apart from the rungs, under Any \
time. tracker is a practice tool, not therapy or a crisis service: for where to turn \
in a hard moment, press [b]![/b] for Support, from any screen.

[b]The people who help[/b] matter as much as the asks. A day or so after someone \
helped, thanking them again is welcome (People and Home show when one would land \
well), and helping back, when you can, keeps the door open both ways.

Be kind to yourself. Some days are harder than others, and that's part of it too."""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss_help", "Close"),
        Binding("question_mark", "dismiss_help", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        keys = Table.grid(padding=(0, 2))
        keys.add_column(style="bold", no_wrap=True)
        keys.add_column()
        for key, what in KEYS:
            keys.add_row(key, what)
        with Vertical(id="help-box", classes="dialog"):
            yield Static("Help", classes="title")
            with VerticalScroll():
                yield Static(keys, id="help-keys")
                yield Static(METHOD, id="help-method")
            with Horizontal(classes="buttons"):
                yield Button("Support  (!)", id="support")
                yield Button("Close", id="close", variant="primary")

        yield Footer()

    def action_dismiss_help(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "support":
            cast("TrackerApp", self.app).action_support()
        else:
            self.dismiss(None)
