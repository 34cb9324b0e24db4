"""Add a challenge of your own, edit one, or move one to another rung (a modal form)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Select, Static

from tracker.domain.models import MAX_RUNG, MIN_RUNG, TEXT_LIMITS, Barrier, Challenge, Context
from tracker.store.errors import InvalidInput, StoreError
from tracker.ui.messages import ChallengeSaved, SaveFailed
from tracker.ui.text import plain
from tracker.ui.widgets.fields import (
    FieldRow,
    Marks,
    TextField,
    focus_first_error,
    row_of,
    show_errors,
)

if TYPE_CHECKING:
    from tracker.store.repository import Store
    from tracker.ui.app import TrackerApp

#: The rung choices; ANYTIME puts a challenge on no rung (an ask for support, never locked).
ANYTIME = 0
RUNGS = [("Any time (on no rung)", ANYTIME)] + [
    (f"Rung {n}", n) for n in range(MIN_RUNG, MAX_RUNG + 1)
]


def _where(c: Challenge) -> str:
    return "Any time" if c.rung is None else f"rung {c.rung}"


class ChallengeForm(ModalScreen[str | None]):
    """Dismisses with a sentence saying what changed, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, challenge: Challenge | None = None, *, move: bool = False) -> None:
        super().__init__()
        self.challenge = challenge
        self.move = move and challenge is not None
        self._marks = Marks()  # what the last failed save marked
        self._failure = ""  # the last failed save's words for no field in particular

    @property
    def tracker(self) -> TrackerApp:
        return cast("TrackerApp", self.app)

    def compose(self) -> ComposeResult:
        c = self.challenge
        if self.move and c is not None:
            heading = f"Move \u201c{c.title}\u201d"
        else:
            heading = "Edit challenge" if c else "Add a challenge of your own"
        with Vertical(id="challenge-box", classes="dialog"):
            yield Static(plain(heading), classes="title")
            yield Static("", id="form-message", classes="form-message")
            with VerticalScroll():
                at = (ANYTIME if c.rung is None else c.rung) if c else 1
                rung = Select(RUNGS, value=at, allow_blank=False, compact=True)
                rung.id = "rung"
                if not self.move:
                    yield FieldRow("Title", self._text("title", c.title if c else ""), "title")
                    yield FieldRow(
                        "What to do",
                        self._text("description", c.description if c else ""),
                        "description",
                    )
                yield FieldRow(
                    "Rung",
                    rung,
                    "rung",
                    hint="1 is gentlest, 10 the hardest; any time for support asks",
                )
                if not self.move:
                    yield FieldRow("Context", self._choice("context", Context, c), "context")
                    yield FieldRow(
                        "What it works on", self._choice("barrier", Barrier, c), "barrier"
                    )
                    yield FieldRow(
                        "Tip",
                        self._text("tip", c.tip if c else ""),
                        "tip",
                        hint="one concrete way to ask well",
                    )
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Move" if self.move else "Save", id="save", variant="primary")

        yield Footer()

    def _text(self, name: str, value: str) -> TextField:
        return TextField(value, id=name, max_length=TEXT_LIMITS[name])

    def _choice(
        self, name: str, kind: type[Context] | type[Barrier], c: Challenge | None
    ) -> Select[str]:
        current = str(getattr(c, name)) if c else str(next(iter(kind)))
        select: Select[str] = Select(
            [(str(v), str(v)) for v in kind], value=current, allow_blank=False, compact=True
        )
        select.id = name
        return select

    def on_mount(self) -> None:
        self.query_one("#form-message").display = False
        self.query_one("#rung" if self.move else "#title").focus()

    def _values(self) -> dict[str, Any]:
        rung = self.query_one("#rung", Select).value
        values: dict[str, Any] = (
            {"rung": None, "anytime": True} if rung == ANYTIME else {"rung": rung, "anytime": False}
        )
        if not self.move:
            for name in ("title", "description", "tip"):
                values[name] = self.query_one(f"#{name}", TextField).value.strip()
            for name in ("context", "barrier"):
                values[name] = self.query_one(f"#{name}", Select).value
        return values

    def _check(self, values: dict[str, Any]) -> dict[str, str]:
        """What needs a look before saving (the store checks the rest)."""
        if not self.move and not values["title"]:
            return {"title": 'give it a short title, like "Ask a neighbour for a ladder"'}
        return {}

    def action_save(self) -> None:
        values = self._values()
        errors = self._check(values)
        if errors:
            self._failed(errors)
            return
        store = self.tracker.writable_store()
        if store is None:
            return
        self.query_one("#save", Button).disabled = True
        self._save(store, values)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _save(self, store: Store, values: dict[str, Any]) -> None:
        try:
            if self.challenge is None:
                saved = store.add_challenge(values)
                verb = f"Added \u201c{saved.title}\u201d to {_where(saved)}."
            else:
                saved = store.update_challenge(self.challenge.id, values)
                verb = (
                    f"Moved \u201c{saved.title}\u201d to {_where(saved)}."
                    if self.move
                    else f"Saved \u201c{saved.title}\u201d."
                )
        except InvalidInput as e:
            self.post_message(SaveFailed(e.fields, "" if e.fields else str(e)))
        except StoreError as e:
            self.post_message(SaveFailed({}, str(e)))
        else:
            self.post_message(ChallengeSaved(saved, verb))

    def on_save_failed(self, message: SaveFailed) -> None:
        message.stop()
        self.query_one("#save", Button).disabled = False
        self._failed(message.fields, message.text, stored=True)

    def on_challenge_saved(self, message: ChallengeSaved) -> None:
        message.stop()
        self.dismiss(message.verb)

    def _failed(self, errors: dict[str, str], text: str = "", *, stored: bool = False) -> None:
        """A save that did not happen: mark the fields, and go to the first of them."""
        self._marks.set(errors, stored=stored)
        self._failure = text
        self._show(errors)
        focus_first_error(self, errors)

    @on(Input.Changed)
    @on(Select.Changed)
    def _field_changed(self, event: Message) -> None:
        """A mark goes as soon as its value is fixed."""
        if self._marks:
            row = row_of(getattr(event, "control", None))
            self._show(
                self._marks.still(self._check(self._values()), row.field_name if row else None)
            )

    def _show(self, errors: dict[str, str]) -> None:
        left = show_errors(self, errors)
        text = self._failure
        if left and not text:
            text = "; ".join(f"{name} {errors[name]}" for name in left)
        if errors and not text:
            text = "Please check the field marked below."
        box = self.query_one("#form-message", Static)
        box.update(plain(text))
        box.display = bool(text)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
