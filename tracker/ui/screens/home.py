"""Home: the next ask with its reason and tip, planned asks, this week, recent asks."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from tracker.domain.models import Attempt
from tracker.store.errors import StoreError
from tracker.ui.data import Snapshot
from tracker.ui.messages import WorkFailed
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.text import WELCOME, day, dots, outcome_label, plain, plural, short_when
from tracker.ui.widgets.choices import ChoiceList
from tracker.words import revisit_lines, streak_words, week_words

if TYPE_CHECKING:
    from tracker.store.repository import Store


class HomeScreen(TrackerScreen):
    MODE = "home"
    AUTO_FOCUS = "#log-this"

    def __init__(self) -> None:
        super().__init__()
        self._planned: dict[str, Attempt] = {}
        self._suggested: int | None = None
        self._thanks: dict[str, int] = {}

    def body(self) -> ComposeResult:
        with VerticalScroll(id="home"):
            yield Static(WELCOME, id="welcome", classes="card")
            with Horizontal(classes="row"):
                with Vertical(id="next-card", classes="card wide"):
                    yield Static("Opening your ladder…", id="next-title")
                    yield Static(id="next-description")
                    yield Static(id="next-reason")
                    yield Static(id="next-tip")
                    yield Button("Log this ask", id="log-this", variant="primary")
                with Vertical(id="week-card", classes="card narrow"):
                    yield Static(id="week")
                    yield Static(id="streak")
                    yield Static(id="total", classes="muted")
            with Vertical(id="thanks-card", classes="card"):
                yield Static(id="thanks-hint", classes="muted")
                yield ChoiceList(id="thanks")
            with Horizontal(classes="row"):
                with Vertical(id="planned-card", classes="card wide"):
                    yield Static(id="planned-hint", classes="muted")
                    yield ChoiceList(id="planned")
                with Vertical(classes="narrow"):
                    with Vertical(id="revisits-card", classes="card"):
                        yield Static(id="revisits")
                    with Vertical(id="recent-card", classes="card"):
                        yield Static(id="recent")

    def on_mount(self) -> None:
        self.query_one("#next-card").border_title = "Your next ask"
        self.query_one("#week-card").border_title = "This week"
        self.query_one("#planned-card").border_title = "Planned asks"
        self.query_one("#revisits-card").border_title = "Revisits due"
        self.query_one("#recent-card").border_title = "Recent asks"
        self.query_one("#thanks-card").border_title = "Thank-yous due"
        self.query_one("#thanks-card").display = False
        self.query_one("#welcome").display = False

    def show(self, snapshot: Snapshot) -> None:
        self.query_one("#welcome").display = snapshot.first_run
        self._show_next(snapshot)
        self._show_week(snapshot)
        self._show_planned(snapshot)
        self._show_thanks(snapshot)
        self._show_revisits(snapshot)
        self._show_recent(snapshot)

    def _show_next(self, snapshot: Snapshot) -> None:
        s = snapshot.overview.suggestion
        c = s.challenge
        self._suggested = c.id if c else None
        if c is None:
            self.query_one("#next-title", Static).update(plain(s.reason))
            for name in ("#next-description", "#next-reason", "#next-tip"):
                self.query_one(name, Static).update("")
            return
        where = "any time" if c.rung is None else f"rung {c.rung}"
        title = Text.assemble(plain(c.title, "bold"), (f"   {where} · {c.context}", "dim"))
        self.query_one("#next-title", Static).update(title)
        self.query_one("#next-description", Static).update(plain(c.description, multiline=True))
        reason = Text.assemble(("Why: ", "bold"), plain(s.reason))
        self.query_one("#next-reason", Static).update(reason)
        tip = Text.assemble(("Tip: ", "bold"), plain(c.tip, multiline=True)) if c.tip else ""
        self.query_one("#next-tip", Static).update(tip)

    def _show_week(self, snapshot: Snapshot) -> None:
        view = snapshot.overview
        week = view.week
        words = week_words(week.asks, week.goal)
        if week.met:
            words += ". Well done."
        else:
            words += f" so far; {week.goal - week.asks} more to go."
        line = Text.assemble((dots(week.asks, week.goal), "bold"), " ", words)
        self.query_one("#week", Static).update(line)
        self.query_one("#streak", Static).update(
            ("Streak: " if view.streak else "") + streak_words(view.streak, week.goal)
        )
        self.query_one("#total", Static).update(
            f"{plural(view.total_asks, 'ask')} in all. Week of {week.start:%a %d %b}."
        )

    def _show_planned(self, snapshot: Snapshot) -> None:
        planned = self.query_one("#planned", OptionList)
        hint = self.query_one("#planned-hint", Static)
        self._planned = {str(a.id): a for a in snapshot.planned}
        highlighted = planned.highlighted
        planned.clear_options()
        if not snapshot.planned:
            hint.update(
                "Nothing planned. To prepare before an ask, press l and choose "
                '"Save as planned"; finish the log here afterwards.'
            )
            planned.display = False
            return
        more = snapshot.planned_total - len(snapshot.planned)
        extra = f" ({more} more in History)" if more > 0 else ""
        hint.update(f"Choose one when you have asked, to finish its log{extra}.")
        for a in snapshot.planned:
            when = (
                f"for {short_when(a.planned_for, snapshot.now)}"
                if a.planned_for is not None
                else short_when(a.occurred_at, snapshot.now)
            )
            prompt = Text.assemble(
                (when, "dim"),
                "  ",
                plain(snapshot.title(a.challenge_id)),
            )
            planned.add_option(Option(prompt, id=str(a.id)))
        planned.display = True
        if highlighted is not None and highlighted < planned.option_count:
            planned.highlighted = highlighted

    def _show_thanks(self, snapshot: Snapshot) -> None:
        card = self.query_one("#thanks-card")
        listing = self.query_one("#thanks", OptionList)
        self._thanks = {str(d.attempt.id): d.attempt.id for d in snapshot.thanks_due}
        card.display = bool(snapshot.thanks_due)
        listing.clear_options()
        if not snapshot.thanks_due:
            return
        self.query_one("#thanks-hint", Static).update(
            "They helped: saying thanks again, a day or so later, lands well. "
            "Choose one once you have."
        )
        for d in snapshot.thanks_due:
            prompt = Text.assemble(
                plain(d.attempt.who or "", "bold"),
                "  ",
                plain(snapshot.title(d.attempt.challenge_id)),
                (
                    f"  · {day(d.attempt.occurred_at, snapshot.now)}, until {d.until:%a %d %b}",
                    "dim",
                ),
            )
            listing.add_option(Option(prompt, id=f"thank-{d.attempt.id}"))
        listing.highlighted = 0

    def _show_revisits(self, snapshot: Snapshot) -> None:
        due = snapshot.overview.suggestion.revisits_due
        if not due:
            text = "None due. Climbed rungs come back now and then for a short revisit."
        else:
            lines = revisit_lines([(r.rung, r.due) for r in due])
            text = "\n".join(lines) + "\nOne ask there keeps it easy."
        self.query_one("#revisits", Static).update(text)

    def _show_recent(self, snapshot: Snapshot) -> None:
        if not snapshot.recent:
            self.query_one("#recent", Static).update("Your asks will appear here.")
            return
        text = Text()
        for i, a in enumerate(snapshot.recent):
            if i:
                text.append("\n")
            text.append_text(plain(snapshot.title(a.challenge_id)))
            text.append(f"\n  {day(a.occurred_at, snapshot.now)} · {outcome_label(a)}", "dim")
        self.query_one("#recent", Static).update(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "log-this":
            self.tracker.open_log_form(challenge_id=self._suggested)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option = event.option.id or ""
        if option.startswith("thank-"):
            self._thank(int(option.removeprefix("thank-")))
            return
        attempt = self._planned.get(option)
        if attempt is not None:
            self.tracker.open_log_form(attempt=attempt)

    def _thank(self, attempt_id: int) -> None:
        store = self.tracker.writable_store()
        if store is not None:
            self._record_thanks(store, attempt_id, self.tracker.now())

    @work(thread=True, group="home-thanks", exit_on_error=False)
    def _record_thanks(self, store: Store, attempt_id: int, now: datetime) -> None:
        try:
            store.thank(attempt_id, now)
        except StoreError as e:
            self.post_message(WorkFailed(str(e)))
            return
        self.post_message(ThanksNoted())

    def on_thanks_noted(self, message: ThanksNoted) -> None:
        message.stop()
        self.notify("Thank-you noted. Saying so again keeps the door open.")
        self.tracker.reload()


class ThanksNoted(Message):
    """A thank-you chosen on Home was recorded."""
