"""Settings (,): the weekly goal, the rules' thresholds, the theme and the support contact.

A dialog over the current view. Its rows come from the domain's settings definition
(tracker.domain.models: Settings, its fields' About, RULE_SETTINGS, DISPLAY_SETTINGS),
never a list kept here; each value is checked as it is typed, and again on Save, by the
code `tracker settings` runs (tracker.store.inputs.setting_rows), so both refuse the
same values with the same words. Saving goes through the Store in a worker, and the
views reload: the suggestion follows the new thresholds at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Select, Static

from tracker.domain.models import (
    ABOUT,
    DISPLAY_SETTINGS,
    RULE_SETTINGS,
    SETTING_SPECS,
    TEXT_LIMITS,
    Settings,
)
from tracker.store.errors import InvalidInput, StoreError
from tracker.store.inputs import setting_rows
from tracker.ui.messages import SaveFailed
from tracker.ui.text import plain
from tracker.ui.widgets.fields import FieldRow, TextField, show_errors

if TYPE_CHECKING:
    from tracker.store.repository import Store
    from tracker.ui.app import TrackerApp

#: The themes offered (the palette offers the same two, and Textual's own picker more).
THEMES: tuple[tuple[str, str], ...] = (("Dark", "textual-dark"), ("Light", "textual-light"))
#: The whole-number settings the app and `tracker settings` may change, by name.
RANGES = {s.name: (s.low, s.high) for s in SETTING_SPECS}


class SettingsSaved(Message):
    """The store took the changes; `settings` is what it holds now."""

    def __init__(self, settings: Settings, changed: tuple[str, ...]) -> None:
        super().__init__()
        self.settings = settings
        self.changed = changed


def refusal(name: str, value: str) -> str:
    """Why `tracker settings NAME VALUE` would refuse `value`, in its words ("" if not)."""
    try:
        setting_rows({name: value})
    except InvalidInput as e:
        return str(e)
    return ""


def shown_value(settings: Settings, name: str) -> str:
    value = getattr(settings, name)
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    return str(value)


class SettingsScreen(ModalScreen[None]):
    """Save closes it and says what was saved; Cancel or Escape closes it unchanged."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.current: Settings | None = None

    @property
    def tracker(self) -> TrackerApp:
        return cast("TrackerApp", self.app)

    def compose(self) -> ComposeResult:
        snapshot = self.tracker.snapshot
        self.current = snapshot.overview.settings if snapshot is not None else None
        with Vertical(id="settings-box", classes="dialog"):
            yield Static("Settings", classes="title")
            yield Static("", id="form-message", classes="form-message")
            with VerticalScroll(id="settings-fields"):
                if self.current is None:
                    yield Static("Still opening your ladder; try again in a moment.")
                else:
                    yield Static("Your goal and the rules", classes="section")
                    for name in RULE_SETTINGS:
                        yield self._row(name, self.current)
                    yield Static("How it looks, and support", classes="section")
                    for name in DISPLAY_SETTINGS:
                        yield self._row(name, self.current)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")
        yield Footer()

    def _row(self, name: str, settings: Settings) -> FieldRow:
        about = ABOUT[name]
        value = shown_value(settings, name)
        hint = about.sentence
        field: Widget
        if name in RANGES:
            low, high = RANGES[name]
            field = TextField(value, id=name, max_length=len(str(high)) + 1)
            field.add_class("number")
            hint = f"{hint} ({low}-{high})"
        elif name == "theme":
            choices = list(THEMES)
            if value not in {theme for _, theme in THEMES}:
                choices.append((value, value))  # one chosen in Textual's own theme picker
            select: Select[str] = Select(choices, value=value, allow_blank=False, compact=True)
            select.id = name
            field = select
        elif isinstance(getattr(settings, name), str):
            field = TextField(value, id=name, max_length=TEXT_LIMITS.get(name, 0))
        else:  # a rule setting neither the app nor `tracker settings` changes yet
            field = Static(value, id=name, classes="setting-value")
        return FieldRow(about.label, field, name, hint=hint)

    def on_mount(self) -> None:
        self.query_one("#form-message").display = False
        if self.current is None:
            self.query_one("#save", Button).disabled = True
        else:
            self.query_one(f"#{RULE_SETTINGS[0]}").focus()

    # -- reading and checking --------------------------------------------------------

    def _entries(self) -> Iterator[tuple[str, str]]:
        """(name, value as given) for each setting that can be changed here."""
        for name in (*RULE_SETTINGS, *DISPLAY_SETTINGS):
            widget = self.query_one(f"#{name}")
            if isinstance(widget, Input):
                yield name, widget.value
            elif isinstance(widget, Select):
                yield name, str(widget.value)

    def _changes(self) -> dict[str, str]:
        assert self.current is not None
        return {
            name: value
            for name, value in self._entries()
            if value.strip() != shown_value(self.current, name).strip()
        }

    @on(Input.Changed)
    def _check_as_typed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        if name in ABOUT:
            error = self.query_one(f"#error-{name}", Static)
            said = refusal(name, event.value)
            error.update(plain(said))
            error.display = bool(said)
            if not said and not self._refused():
                self._say("")

    def _refused(self) -> dict[str, str]:
        return {
            name: said for name, value in self._changes().items() if (said := refusal(name, value))
        }

    # -- saving ----------------------------------------------------------------------

    def action_save(self) -> None:
        if self.current is None:
            return
        refused = self._refused()
        if refused:
            self._show(refused)
            return
        changes = self._changes()
        if not changes:
            self.dismiss(None)
            return
        store = self.tracker.writable_store()
        if store is None:
            return
        self.query_one("#save", Button).disabled = True
        self._save(store, changes)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _save(self, store: Store, changes: dict[str, str]) -> None:
        try:
            saved = store.update_settings(changes)
        except StoreError as e:  # InvalidInput included: the same words as the CLI's
            self.post_message(SaveFailed({}, str(e)))
        else:
            self.post_message(SettingsSaved(saved, tuple(changes)))

    def on_save_failed(self, message: SaveFailed) -> None:
        message.stop()
        self.query_one("#save", Button).disabled = False
        self._show(message.fields, message.text)

    def on_settings_saved(self, message: SettingsSaved) -> None:
        message.stop()
        if "theme" in message.changed:
            self.tracker.use_saved_theme(message.settings.theme)
        self.tracker.reload()  # every view, and the suggestion, follow the new values
        labels = ", ".join(ABOUT[name].label for name in message.changed)
        self.tracker.notify(labels, title="Settings saved")
        self.dismiss(None)

    def _show(self, errors: dict[str, str], text: str = "") -> None:
        show_errors(self, errors)
        self._say(text or ("Please check the setting marked below." if errors else ""))
        if errors:
            self.query_one(f"#{next(iter(errors))}").focus()

    def _say(self, text: str) -> None:
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
