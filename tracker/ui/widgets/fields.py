"""Form rows: a label, a field and, beneath it, a message when the answer needs a look."""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Static

from tracker.ui.text import plain
from tracker.visible import pictured


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

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False

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
            if self.hint:
                yield Static(self.hint, id=f"hint-{self.field_name}", classes="field-hint")
            yield Static("", id=f"error-{self.field_name}", classes="field-error")


def show_errors(root: DOMNode, errors: Mapping[str, str]) -> list[str]:
    """Show each message beside its field and clear the rest; returns the names not placed."""
    placed: set[str] = set()
    for line in root.query(".field-error").results(Static):
        name = (line.id or "").removeprefix("error-")
        message = errors.get(name, "")
        line.update(plain(message))
        line.display = bool(message)
        if message:
            placed.add(name)
    return [name for name in errors if name not in placed]


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
