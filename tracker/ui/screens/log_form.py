"""The log form (modal): log an ask, plan one before making it, finish or edit one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Footer, Input, Select, Static
from textual.widgets.select import NoSelection

from tracker.domain.models import LIMITS, TEXT_LIMITS, Attempt, Channel, Strategy
from tracker.domain.people import RELATIONSHIP_WORDS, label_key
from tracker.domain.plans import completion_time
from tracker.domain.when import describe_when
from tracker.store.errors import InvalidInput, StoreError
from tracker.ui.attempt_input import (
    NUMBERS,
    Answers,
    answers_from,
    check,
    gives_a_time,
    number_problem,
    preview_when,
)
from tracker.ui.data import Snapshot
from tracker.ui.messages import AttemptSaved, SaveFailed
from tracker.ui.text import OUTCOME_LABELS, STRATEGY_LABELS, day, plain
from tracker.ui.widgets.fields import (
    FieldRow,
    Marks,
    TextField,
    Tick,
    focus_first_error,
    row_of,
    show_errors,
)
from tracker.ui.widgets.picker import ChallengePicker
from tracker.words import expectancy_change, last_confidence, last_likelihood

if TYPE_CHECKING:
    from tracker.store.repository import Store
    from tracker.ui.app import TrackerApp

T = TypeVar("T")

EDIT_TIME_FORMAT = "%Y-%m-%d %H:%M"
PLACEHOLDERS = {
    "when": "now, yesterday 17:30, 3 hours ago, last monday 9am",
    "who": "a relationship, not a name: a colleague, my sister",
    "feared": "what you could see or hear: they'll sigh, say no, or not reply",
    "learned": "what really happened, and what it tells you",
    "note": "anything else worth keeping",
    "evidence": "what you saw or heard",
    "kinder": "what you would tell a friend who had this thought",
}


@dataclass(frozen=True, slots=True)
class SavedAttempt:
    """What the form dismisses with: the stored attempt, and "logged", "planned",
    "completed" or "updated"."""

    attempt: Attempt
    verb: str


def who_suggester(people: tuple[str, ...]) -> SuggestFromList:
    """Known people first, then relationship words (never names) as you type."""

    known = {label_key(p) for p in people}
    words = [w for w in RELATIONSHIP_WORDS if label_key(w) not in known]
    return SuggestFromList([*people, *words], case_sensitive=False)


def _choice(select: Select[T]) -> T | None:
    value = select.value
    return None if isinstance(value, NoSelection) else value


class LastRated(Message):
    """The latest rated ask on a challenge (None: never rated there), for "last time"."""

    def __init__(self, challenge_id: int, attempt: Attempt | None) -> None:
        super().__init__()
        self.challenge_id = challenge_id
        self.attempt = attempt


class LogForm(ModalScreen[SavedAttempt | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(
        self,
        snapshot: Snapshot,
        *,
        challenge_id: int | None = None,
        attempt: Attempt | None = None,
    ) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.attempt = attempt
        self.mode = "new" if attempt is None else "complete" if attempt.planned else "edit"
        self._shown_time = ""  # the time text as first shown when editing
        self._marks = Marks()  # what the last failed save marked
        self._tried_planned = False  # whether that save was "Save as planned"
        self._failure = ""  # the last failed save's words for no field in particular
        if attempt is None:
            suggested = snapshot.overview.suggestion.challenge
            chosen = challenge_id or (suggested.id if suggested else None)
            self.answers = Answers(challenge_id=chosen, when="now")
        elif attempt.planned:
            # Completing logs it at its planned time once that has passed, else now:
            # the time field starts at the one a save would use.
            at = completion_time(attempt, snapshot.now)
            shown = "now" if at == snapshot.now or attempt.planned_for is None else ""
            if not shown:
                shown = at.astimezone(snapshot.now.tzinfo).strftime(EDIT_TIME_FORMAT)
            self.answers = answers_from(attempt, shown)
        else:
            local = attempt.occurred_at.astimezone(snapshot.now.tzinfo)
            self._shown_time = local.strftime(EDIT_TIME_FORMAT)
            self.answers = answers_from(attempt, self._shown_time)

    @property
    def tracker(self) -> TrackerApp:
        return cast("TrackerApp", self.app)

    def _now(self) -> datetime:
        return self.tracker.now()

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        a = self.answers
        title = {"new": "Log an ask", "complete": "Finish a planned ask", "edit": "Edit this ask"}
        with Vertical(id="log-box", classes="dialog"):
            yield Static(title[self.mode], classes="title")
            yield Static("", id="form-message", classes="form-message")
            with VerticalScroll(id="log-fields"):
                yield Static("The ask", classes="section")
                yield FieldRow("Challenge", self._picker(), "challenge_id")
                yield FieldRow("When", self._text("when", a.when), "occurred_at", hint=" ")
                yield FieldRow("Who", self._text("who", a.who), "who")
                yield FieldRow(
                    "How",
                    self._select("channel", [(str(c), c) for c in Channel], a.channel),
                    "channel",
                )
                yield Static("Before you ask", classes="section")
                yield FieldRow("What I fear will happen", self._text("feared", a.feared), "feared")
                yield FieldRow(
                    "How likely it feels (0-100 %)",
                    self._number("predicted", a.predicted),
                    "predicted",
                )
                yield FieldRow(
                    "Distress I expect (0-100)",
                    self._number("expected_distress", a.expected_distress),
                    "expected_distress",
                )
                yield Static("After you ask  (leave empty to save as planned)", classes="section")
                outcomes = [(label, o) for o, label in OUTCOME_LABELS.items()]
                yield FieldRow(
                    "What happened", self._select("outcome", outcomes, a.outcome), "outcome"
                )
                yes_no = [("yes, it happened", True), ("no, it didn't", False)]
                yield FieldRow(
                    "Did the fear come true?",
                    self._select("happened", yes_no, a.happened),
                    "happened",
                )
                # Reframing comes after the ask, never before (Craske et al. 2014).
                yield FieldRow(
                    "How do you know? (optional)", self._text("evidence", a.evidence), "evidence"
                )
                yield FieldRow(
                    "A kinder, truer thought (optional)",
                    self._text("kinder", a.kinder),
                    "kinder",
                )
                yield FieldRow(
                    "Peak distress (0-100)",
                    self._number("peak_distress", a.peak_distress),
                    "peak_distress",
                )
                yield FieldRow(
                    "Confidence now (0-10)", self._number("confidence", a.confidence), "confidence"
                )
                yield FieldRow(
                    "How likely next time (0-100 %)",
                    self._number("rerated", a.rerated),
                    "rerated",
                    hint=self._expectancy_hint(),
                )
                yield FieldRow("What helped", self._strategies(), "strategies")
                yield FieldRow("What I learned", self._text("learned", a.learned), "learned")
                yield FieldRow("Note", self._text("note", a.note), "note")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                if self.mode != "edit":
                    yield Button("Save as planned", id="plan")
                yield Button("Save", id="save", variant="primary")

        yield Footer()

    def _expectancy_hint(self) -> str:
        """When finishing or editing: the likelihood given before the ask, and how far
        the re-rating moved it (the change is what goes with getting better)."""
        a = self.attempt
        if a is None or a.predicted is None:
            return ""
        return expectancy_change(a.predicted, a.rerated) or f"before the ask: {a.predicted}%"

    def _picker(self) -> ChallengePicker:
        keep = self.attempt.challenge_id if self.attempt else None
        choices = [c for c in self.snapshot.overview.challenges if not c.archived or c.id == keep]
        return ChallengePicker(choices, self.answers.challenge_id, id="challenge")

    def _text(self, name: str, value: str) -> TextField:
        return TextField(
            value, id=name, max_length=TEXT_LIMITS.get(name, 0), placeholder=PLACEHOLDERS[name]
        )

    def _number(self, name: str, value: str) -> TextField:
        low, high = LIMITS[name]
        return TextField(value, id=name, number=True, max_length=4, placeholder=f"{low}-{high}")

    def _select(self, name: str, options: list[tuple[str, Any]], value: Any) -> Select[Any]:
        select: Select[Any] = Select(
            options, value=Select.NULL if value is None else value, prompt="(not yet)", compact=True
        )
        select.id = name
        return select

    def _strategies(self) -> Horizontal:
        return Horizontal(
            *(
                Tick(label, s in self.answers.strategies, id=f"strategy-{s}")
                for s, label in STRATEGY_LABELS.items()
            ),
            id="strategies",
        )

    def on_mount(self) -> None:
        self.query_one("#form-message").display = False
        self.query_one("#who", Input).suggester = who_suggester(self.snapshot.people)
        self._refresh_checks()
        self._look_up_last_time(self.answers.challenge_id)
        if self.mode == "complete":
            self.query_one("#outcome", Select).focus()
        else:
            self.query_one("#challenge #filter", Input).focus()

    # -- checks as you type ------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(ChallengePicker.Changed)
    def _field_changed(self, event: Message) -> None:
        control = getattr(event, "control", None)
        row = row_of(control)
        self._refresh_checks(row.field_name if row else None)
        if isinstance(event, ChallengePicker.Changed):
            self._look_up_last_time(event.value)

    def _refresh_checks(self, changed: str | None = None) -> None:
        """What the fields say as they are now: the time as understood, each number's
        range, and any mark from a failed save until its value is fixed."""
        answers = self._answers()
        found: dict[str, str] = {}
        when_problem = self._preview(answers.when)
        if when_problem:
            found["occurred_at"] = when_problem
        for name in NUMBERS:
            problem = number_problem(name, getattr(answers, name))
            if problem:
                found[name] = problem
        errors = dict(found)
        if self._marks:
            keep = self._kept_time(answers)
            _, now = check(answers, self._now(), planned=self._tried_planned, keep_time=keep)
            errors = self._marks.still(now, changed) | found
        self._say(errors)

    def _say(self, errors: dict[str, str]) -> None:
        """Each message beside its field and, after a failed save, the summary on top."""
        left = show_errors(self, errors)
        text = ""
        if self._marks or self._failure:
            text = "; ".join([self._failure, *(f"{name}: {errors[name]}" for name in left)]).strip(
                "; "
            )
            count = len(errors) - len(left)
            if count:
                marked = (
                    "the field marked below" if count == 1 else f"the {count} fields marked below"
                )
                text = f"Nothing is saved yet: please look at {marked}. {text}".strip()
        box = self.query_one("#form-message", Static)
        box.update(plain(text))
        box.display = bool(text)

    def _preview(self, text: str) -> str:
        """Show how the time field is understood; returns what is wrong with it ("")."""
        hint = self.query_one("#hint-occurred_at", Static)
        if self._keeps_time(text):
            assert self.attempt is not None
            hint.update(plain(f"as logged: {describe_when(self.attempt.occurred_at, self._now())}"))
            return ""
        now = self._now()
        moment, problem = preview_when(text, now)
        said = f"understood as: {describe_when(moment, now)}" if moment else ""
        if problem:
            ahead, _ = preview_when(text, now, future_ok=True)
            if ahead is not None:  # a log cannot be ahead; a plan can: say both
                said = f"understood as: {describe_when(ahead, now)}"
                if self.mode != "edit":
                    problem += "; Save as planned takes a later time"
        planned_for = self.attempt.planned_for if self.attempt else None
        if self.mode == "complete" and planned_for is not None:
            said += f"  (planned for {describe_when(planned_for, now)})"
        hint.update(plain(said))
        return problem

    def _keeps_time(self, text: str) -> bool:
        return bool(self._shown_time) and text.strip() == self._shown_time

    def _kept_time(self, answers: Answers) -> datetime | None:
        """The attempt's own time when the time field still shows it as it was."""
        return self.attempt.occurred_at if self.attempt and self._keeps_time(answers.when) else None

    # -- last time on the same challenge -----------------------------------------------

    def _look_up_last_time(self, challenge_id: int | None) -> None:
        """Logging or finishing an ask re-rates it: show what was said last time on the
        same challenge (an edit changes a past rating, so none is shown)."""
        self._show_last_time(None)
        store = self.tracker.store
        if self.mode != "edit" and challenge_id is not None and store is not None:
            self._last_rated(store, challenge_id)

    @work(thread=True, group="last-rated", exclusive=True, exit_on_error=False)
    def _last_rated(self, store: Store, challenge_id: int) -> None:
        try:
            attempt = store.last_rated(challenge_id)
        except StoreError:
            return  # only a hint: the form works without it
        self.post_message(LastRated(challenge_id, attempt))

    def on_last_rated(self, message: LastRated) -> None:
        message.stop()
        if message.challenge_id == self.query_one("#challenge", ChallengePicker).value:
            self._show_last_time(message.attempt)

    def _show_last_time(self, attempt: Attempt | None) -> None:
        on = day(attempt.occurred_at, self._now()) if attempt else ""
        likely = last_likelihood(attempt.predicted, attempt.rerated, on) if attempt else ""
        sure = last_confidence(attempt.confidence, on) if attempt else ""
        self._row("predicted").set_hint(likely)
        self._row("confidence").set_hint(sure)

    def _row(self, name: str) -> FieldRow:
        return next(r for r in self.query(FieldRow).results() if r.field_name == name)

    # -- saving ------------------------------------------------------------------------

    def _answers(self) -> Answers:
        def text(name: str) -> str:
            return self.query_one(f"#{name}", TextField).value

        return Answers(
            challenge_id=self.query_one("#challenge", ChallengePicker).value,
            when=text("when"),
            feared=text("feared"),
            predicted=text("predicted"),
            expected_distress=text("expected_distress"),
            who=text("who"),
            channel=_choice(self.query_one("#channel", Select)),
            note=text("note"),
            outcome=_choice(self.query_one("#outcome", Select)),
            happened=_choice(self.query_one("#happened", Select)),
            peak_distress=text("peak_distress"),
            confidence=text("confidence"),
            rerated=text("rerated"),
            strategies=tuple(
                s for s in Strategy if self.query_one(f"#strategy-{s}", Checkbox).value
            ),
            learned=text("learned"),
            evidence=text("evidence"),
            kinder=text("kinder"),
        )

    def action_save(self) -> None:
        self._submit(planned=False)

    def _submit(self, *, planned: bool) -> None:
        answers = self._answers()
        keep = self._kept_time(answers)
        fields, errors = check(answers, self._now(), planned=planned, keep_time=keep)
        if planned and self.attempt and self.attempt.planned and not gives_a_time(answers.when):
            # Saved as planned again with no new time: it keeps its times.
            fields |= {
                "occurred_at": self.attempt.occurred_at,
                "planned_for": self.attempt.planned_for,
            }
        if errors:
            self._tried_planned = planned
            self._failed(errors)
            return
        store = self.tracker.writable_store()
        if store is None:
            return
        for button in self.query(Button).results():
            button.disabled = True
        self._write(store, fields, planned)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _write(self, store: Store, fields: dict[str, Any], planned: bool) -> None:
        try:
            if self.attempt is None:
                saved = store.add_attempt(fields)
                verb = "planned" if planned else "logged"
            elif self.attempt.planned and not planned:
                saved = store.complete_attempt(self.attempt.id, fields)
                verb = "completed"
            else:
                saved = store.update_attempt(self.attempt.id, fields)
                verb = "planned" if planned else "updated"
        except InvalidInput as e:
            self.post_message(SaveFailed(e.fields, "" if e.fields else str(e)))
        except StoreError as e:
            self.post_message(SaveFailed({}, str(e)))
        else:
            self.post_message(AttemptSaved(saved, verb))

    def on_attempt_saved(self, message: AttemptSaved) -> None:
        message.stop()
        self.dismiss(SavedAttempt(message.attempt, message.verb))

    def on_save_failed(self, message: SaveFailed) -> None:
        message.stop()
        for button in self.query(Button).results():
            button.disabled = False
        self._failed(message.fields, message.text, stored=True)

    def _failed(self, errors: dict[str, str], text: str = "", *, stored: bool = False) -> None:
        """A save that did not happen: mark the fields, and go to the first of them."""
        self._marks.set(errors, stored=stored)
        self._failure = text
        self._refresh_checks()
        focus_first_error(self, errors)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self._submit(planned=False)
        elif event.button.id == "plan":
            self._submit(planned=True)
        else:
            self.action_cancel()
