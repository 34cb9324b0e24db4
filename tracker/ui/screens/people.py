"""People: who has helped with what, thank-yous due, help given back; thank, log help
given, rename, merge and forget a person. Every label is shown as plain text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Select, Static
from textual.widgets.option_list import Option

from tracker.domain.people import PersonFigures, label_key
from tracker.store.errors import StoreError
from tracker.ui.data import Snapshot
from tracker.ui.messages import WorkFailed
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.text import day, outcome_label, plain, plural
from tracker.ui.widgets.fields import TextField

if TYPE_CHECKING:
    from tracker.store.repository import Store


class PeopleLoaded(Message):
    def __init__(self, figures: list[PersonFigures]) -> None:
        super().__init__()
        self.figures = figures


class PeopleChanged(Message):
    """A write finished: `text` says what was done; `forgotten` is a label_key, if any."""

    def __init__(self, text: str, forgotten: str | None = None) -> None:
        super().__init__()
        self.text = text
        self.forgotten = forgotten


class TextDialog(ModalScreen[str | None]):
    """One line of text to type (help given, a new label); escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, prompt: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text, self.prompt, self.value, self.placeholder = (
            title,
            prompt,
            value,
            placeholder,
        )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="people-dialog"):
            yield Static(plain(self.title_text), classes="title")
            yield Static(plain(self.prompt))
            yield TextField(self.value, placeholder=self.placeholder, id="dialog-text")
            yield Static("", id="dialog-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="dialog-save", variant="primary")
                yield Button("Cancel", id="dialog-cancel")

    def on_mount(self) -> None:
        self.query_one("#dialog-text", TextField).focus()

    @on(TextField.Submitted)
    @on(Button.Pressed, "#dialog-save")
    def _save(self) -> None:
        text = self.query_one("#dialog-text", TextField).value.strip()
        if not text:
            self.query_one("#dialog-error", Static).update("Type something first, please.")
            return
        self.dismiss(text)

    @on(Button.Pressed, "#dialog-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ChooseDialog(ModalScreen[str | None]):
    """Choose one of a few labels (whom to merge into)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, prompt: str, choices: list[str]) -> None:
        super().__init__()
        self.title_text, self.prompt, self.choices = title, prompt, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="people-dialog"):
            yield Static(plain(self.title_text), classes="title")
            yield Static(plain(self.prompt))
            yield Select([(plain(c), c) for c in self.choices], prompt="choose", id="dialog-choice")
            with Horizontal(classes="buttons"):
                yield Button("Merge", id="dialog-save", variant="primary")
                yield Button("Cancel", id="dialog-cancel")

    @on(Button.Pressed, "#dialog-save")
    def _save(self) -> None:
        value = self.query_one("#dialog-choice", Select).value
        if isinstance(value, str):
            self.dismiss(value)

    @on(Button.Pressed, "#dialog-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, words: str, action: str) -> None:
        super().__init__()
        self.title_text, self.words, self.action_label = title, words, action

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="people-dialog"):
            yield Static(plain(self.title_text), classes="title")
            yield Static(plain(self.words))
            with Horizontal(classes="buttons"):
                yield Button(self.action_label, id="dialog-yes", variant="error")
                yield Button("Keep them", id="dialog-cancel", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#dialog-cancel", Button).focus()

    @on(Button.Pressed, "#dialog-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#dialog-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


def describe(f: PersonFigures, now: datetime) -> Text:
    """One person, in warm words: what they helped with, thank-yous, help given back."""
    text = Text()
    text.append_text(plain(f.person.label, "bold"))
    text.append("\n")
    if f.helped_with:
        text.append("\nHelped with\n", "bold")
        for a in f.helped_with[:6]:
            text.append(f"  {day(a.occurred_at, now)}  ({outcome_label(a)})  ask #{a.id}\n")
    elif f.asks:
        text.append(f"\nYou asked them {plural(f.asks, 'time')}. Every ask counts.\n")
    else:
        text.append("\nNo asks logged with them yet.\n")
    text.append("\nThank-yous\n", "bold")
    if f.last_thanked is not None:
        text.append(f"  You last thanked them {day(f.last_thanked, now)}.\n")
    for d in f.thanks_due:
        text.append(
            f"  One would land well for {day(d.attempt.occurred_at, now)}'s ask "
            f"(until {d.until:%a %d %b}): press t.\n"
        )
    if f.last_thanked is None and not f.thanks_due:
        text.append("  Nothing waiting.\n")
    text.append("\nWhat you gave back\n", "bold")
    if not f.gifts:
        text.append("  Nothing noted yet; press g when you help them.\n")
    for g in f.gifts[:6]:
        text.append(f"  {day(g.at, now)}  ")
        text.append_text(plain(g.what))
        text.append("\n")
    return text


class PeopleScreen(TrackerScreen):
    MODE = "people"
    AUTO_FOCUS = "#people-list"
    BINDINGS = [
        Binding("t", "thank", "Thank"),
        Binding("g", "give", "Gave help"),
        Binding("r", "rename", "Rename"),
        Binding("m", "merge", "Merge"),
        Binding("f", "forget", "Forget"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[PersonFigures] = []

    def body(self) -> ComposeResult:
        with Horizontal(id="people"):
            with Vertical(id="people-list-card", classes="card narrow"):
                yield OptionList(id="people-list")
            with VerticalScroll(id="person-card", classes="card wide"):
                yield Static("Loading…", id="person")

    def on_mount(self) -> None:
        self.query_one("#people-list-card").border_title = "People"
        self.query_one("#person-card").border_title = "Together"

    def show(self, snapshot: Snapshot) -> None:
        store = self.tracker.store
        if store is not None:
            self._fetch(store, snapshot.now)

    def on_screen_resume(self) -> None:
        if self.tracker.snapshot is not None:
            self.show(self.tracker.snapshot)

    @work(thread=True, group="people", exit_on_error=False)
    def _fetch(self, store: Store, now: datetime) -> None:
        try:
            self.post_message(PeopleLoaded(store.people_figures(now)))
        except StoreError as e:
            self.post_message(WorkFailed(str(e)))

    def on_people_loaded(self, message: PeopleLoaded) -> None:
        message.stop()
        listing = self.query_one("#people-list", OptionList)
        chosen = self._current()
        self.figures = message.figures
        listing.clear_options()
        for f in self.figures:
            prompt = plain(f.person.label)
            if f.thanks_due:
                prompt.append("  · thank-you due", "dim")
            listing.add_option(Option(prompt, id=str(f.person.id)))
        if self.figures:
            ids = [f.person.id for f in self.figures]
            listing.highlighted = (
                ids.index(chosen.person.id) if chosen and chosen.person.id in ids else 0
            )
        self._describe()
        self.refresh_bindings()

    def _current(self) -> PersonFigures | None:
        listing = self.query_one("#people-list", OptionList)
        index = listing.highlighted
        if index is None or not 0 <= index < len(self.figures):
            return None
        return self.figures[index]

    def _describe(self) -> None:
        card = self.query_one("#person", Static)
        f = self._current()
        snapshot = self.tracker.snapshot
        if f is None or snapshot is None:
            card.update(
                "The people you ask appear here. In the log form, say who you asked: a "
                "relationship, like \u201cmy sister\u201d or \u201ca colleague\u201d, never a name "
                "unless you want one."
            )
            return
        card.update(describe(f, snapshot.now))

    @on(OptionList.OptionHighlighted, "#people-list")
    def _highlighted(self) -> None:
        self._describe()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"thank", "give", "rename", "merge", "forget"}:
            f = self._current()
            if f is None:
                return None
            if action == "thank" and not f.thanks_due:
                return None
            if action == "merge" and len(self.figures) < 2:
                return None
        return True

    # -- actions -----------------------------------------------------------------------

    def action_thank(self) -> None:
        f, store = self._current(), self.tracker.writable_store()
        if f is not None and f.thanks_due and store is not None:
            due = f.thanks_due[0]
            self._write(
                store,
                lambda s: s.thank(due.attempt.id, self.tracker.now()),
                f"Thank-you noted for {f.person.label}.",
            )

    def action_give(self) -> None:
        f = self._current()
        if f is None:
            return
        label = f.person.label

        def done(what: str | None) -> None:
            store = self.tracker.writable_store()
            if what and store is not None:
                self._write(
                    store,
                    lambda s: s.give(label, what, self.tracker.now()),
                    f"Noted what you gave back to {label}.",
                )

        self.app.push_screen(
            TextDialog(
                "Help you gave back",
                f"What did you do for {label}?",
                placeholder="e.g. helped them move, listened, lent a ladder",
            ),
            done,
        )

    def action_rename(self) -> None:
        f = self._current()
        if f is None:
            return
        label = f.person.label

        def done(new: str | None) -> None:
            store = self.tracker.writable_store()
            if new and store is not None and new != label:
                self._write(
                    store, lambda s: s.rename_person(label, new), f"Renamed to \u201c{new}\u201d."
                )

        self.app.push_screen(
            TextDialog("Rename", "A relationship works well: my sister, a colleague.", label),
            done,
        )

    def action_merge(self) -> None:
        f = self._current()
        if f is None:
            return
        label = f.person.label
        others = [g.person.label for g in self.figures if g.person.id != f.person.id]

        def done(into: str | None) -> None:
            store = self.tracker.writable_store()
            if into and store is not None:
                self._write(
                    store,
                    lambda s: s.merge_people(label, into),
                    f"\u201c{label}\u201d and \u201c{into}\u201d are one person now.",
                )

        self.app.push_screen(
            ChooseDialog(
                "Merge two labels",
                f"Who is \u201c{label}\u201d the same person as? Their asks, thank-yous and "
                "help given come together under that label.",
                others,
            ),
            done,
        )

    def action_forget(self) -> None:
        f = self._current()
        if f is None:
            return
        label = f.person.label

        def done(yes: bool | None) -> None:
            store = self.tracker.writable_store()
            if yes and store is not None:
                self._forget(store, label)

        self.app.push_screen(
            ConfirmDialog(
                f"Forget \u201c{label}\u201d?",
                "Their label leaves every ask (the asks stay), and their thank-yous and help "
                "given are deleted, here and in tracker's backups. This cannot be undone.",
                "Forget",
            ),
            done,
        )

    @work(thread=True, group="people-write", exit_on_error=False)
    def _write(self, store: Store, change: object, text: str) -> None:
        try:
            assert callable(change)
            change(store)
        except StoreError as e:
            self.post_message(WorkFailed(str(e)))
            return
        self.post_message(PeopleChanged(text))

    @work(thread=True, group="people-write", exit_on_error=False)
    def _forget(self, store: Store, label: str) -> None:
        from tracker.store.forgetting import forget_person  # brings SQLAlchemy

        try:
            report = forget_person(store, label, from_app=True)
        except StoreError as e:
            self.post_message(WorkFailed(str(e)))
            return
        self.post_message(
            PeopleChanged(f"Forgot \u201c{report.label}\u201d.", forgotten=label_key(label))
        )

    def on_people_changed(self, message: PeopleChanged) -> None:
        message.stop()
        if message.forgotten is not None:
            # Every mode's screens (Textual keeps one stack per mode; History may sit in
            # a mode other than the current one).
            stacks: dict[str, list[object]] = getattr(self.app, "_screen_stacks", {})
            purge_undo([s for stack in stacks.values() for s in stack], message.forgotten)
        self.notify(message.text)
        self.tracker.reload()


def purge_undo(views: Iterable[object], key: str) -> None:
    """What a view keeps for undo loses a forgotten label (History's deleted attempt)."""
    from tracker.ui.screens.history import HistoryScreen  # screens load when first opened

    for view in list(views):
        if not isinstance(view, HistoryScreen):
            continue
        deleted = view._deleted
        if deleted is not None and deleted.who and label_key(deleted.who) == key:
            view._deleted = replace(deleted, who=None)
