"""Form rows: a label, a field and, beneath it, a message when the answer needs a look."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Static

from tracker.ui.text import plain
from tracker.visible import pictured
from tracker.words import numbers_only


class TextField(Input):
    """A compact Input; its cursor stays still in headless runs so screenshots repeat."""

    def __init__(
        self,
        value: str = "",
        *,
        placeholder: str = "",
        id: str | None = None,
        number: bool = False,
        max_length: int = 0,
    ) -> None:
        super().__init__(
            value,
            placeholder=placeholder,
            id=id,
            type="integer" if number else "text",
            max_length=max_length,
            compact=True,
        )

    class Refused(Message):
        """A number field left out what was typed because it was not a digit."""

        def __init__(self, field: TextField, text: str) -> None:
            super().__init__()
            self.field = field
            self.text = text

        @property
        def control(self) -> TextField:
            return self.field

    _typed = ""  # what the latest key or paste tried to put in

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False

    def replace(self, text: str, start: int, end: int) -> None:
        self._typed = text
        super().replace(text, start, end)

    def restricted(self) -> None:
        """A number field says why a letter was left out (its row shows it), instead of
        Textual's silent bell; a digit past the field's length is simply not added."""
        if self.type == "integer" and not self._typed.strip().isdigit():
            self.post_message(self.Refused(self, self._typed))

    @property
    def _value(self) -> Text:
        """The value as drawn: each control character as one visible picture (␛ for
        escape), so a stored note being edited never sends one to the terminal. The
        value itself is kept as it is, and the cursor still moves a character at a time."""
        if self.password:
            return super()._value
        text = Text(pictured(self.value), no_wrap=True, overflow="ignore", end="")
        return self.highlighter(text) if self.highlighter is not None else text

    def _position_to_cell(self, position: int) -> int:
        return cell_len(pictured(self.value[:position]))

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """An empty field leaves `!` to the app, which opens Support (every screen and
        dialog); once the field holds text, `!` is typed like any other character."""
        if character == "!" and not self.value:
            return False
        return super().check_consume_key(key, character)


class FieldRow(Horizontal):
    """One labelled field with its error line (hidden until there is something to say)."""

    def __init__(self, label: str, field: Widget, name: str, hint: str = "") -> None:
        super().__init__(classes="field-row")
        self.label = label
        self.field = field
        self.field_name = name
        self.hint = hint

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        with Vertical(classes="field-body"):
            yield self.field
            hint = Static(self.hint, id=f"hint-{self.field_name}", classes="field-hint")
            hint.display = bool(self.hint)
            yield hint
            yield Static("", id=f"error-{self.field_name}", classes="field-error")

    def set_hint(self, text: str) -> None:
        """The muted line beneath the field ("" hides it)."""
        hint = self.query_one(f"#hint-{self.field_name}", Static)
        hint.update(plain(text))
        hint.display = bool(text)

    def say(self, message: str) -> None:
        """The error line beneath the field ("" hides it)."""
        line = self.query_one(f"#error-{self.field_name}", Static)
        line.update(plain(message))
        line.display = bool(message)

    def on_text_field_refused(self, event: TextField.Refused) -> None:
        event.stop()
        self.say(numbers_only(event.text))

    def focus_field(self) -> None:
        """Focus the field (or the first part of it that takes focus) and show its error."""
        parts = [self.field, *self.field.query("*").results(Widget)]
        first = next((w for w in parts if w.focusable), None)
        if first is not None:
            first.focus(scroll_visible=False)
        self.scroll_visible(animate=False)


def row_of(widget: DOMNode | None) -> FieldRow | None:
    """The form row a widget belongs to, if any."""
    while widget is not None and not isinstance(widget, FieldRow):
        widget = widget.parent
    return widget


def show_errors(root: DOMNode, errors: Mapping[str, str]) -> list[str]:
    """Show each message beside its field and clear the rest; returns the names not placed."""
    placed: set[str] = set()
    for row in root.query(FieldRow).results():
        message = errors.get(row.field_name, "")
        row.say(message)
        if message:
            placed.add(row.field_name)
    return [name for name in errors if name not in placed]


def focus_first_error(root: DOMNode, errors: Mapping[str, str]) -> None:
    """Take the user to the first field on screen that has a message."""
    row = next((r for r in root.query(FieldRow).results() if r.field_name in errors), None)
    if row is not None:
        row.focus_field()


@dataclass
class Marks:
    """What the last failed save marked, field by field; each mark goes once fixed.

    A mark from the form's own check stays while that check still finds a problem (in
    its current words); one from the store, which cannot be asked without saving again,
    stays until its field is changed.
    """

    checked: dict[str, str] = field(default_factory=dict)
    stored: dict[str, str] = field(default_factory=dict)

    def set(self, errors: Mapping[str, str], *, stored: bool = False) -> None:
        self.checked = {} if stored else dict(errors)
        self.stored = dict(errors) if stored else {}

    def still(self, found: Mapping[str, str], changed: str | None = None) -> dict[str, str]:
        """The marks that still apply, given what the check finds now and the field
        just changed (None: none in particular)."""
        self.checked = {name: found[name] for name in self.checked if name in found}
        self.stored = {name: text for name, text in self.stored.items() if name != changed}
        return self.stored | self.checked

    def __bool__(self) -> bool:
        return bool(self.checked or self.stored)


class Tick(Checkbox):
    """A compact checkbox that shows ✓ when ticked and stays empty when not (not colour alone)."""

    def __init__(self, label: str, value: bool, *, id: str | None = None) -> None:
        super().__init__(label, value, id=id, compact=True)
        self.BUTTON_INNER = "✓" if value else " "
        self.BUTTON_LEFT, self.BUTTON_RIGHT = "[", "]"
        self.BUTTON_INNER = "✓" if value else " "

    def watch_value(self) -> None:
        super().watch_value()
        self.BUTTON_INNER = "✓" if self.value else " "
