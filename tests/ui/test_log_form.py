"""The log form: log an ask, plan then complete one, edit one, and inline validation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual.widgets import DataTable, Input, OptionList, Select, Static

from tests.ui.conftest import NOW, SIZE, settle, stored
from tracker.domain.models import Channel, Outcome, Strategy
from tracker.store.repository import Store
from tracker.ui.app import TrackerApp
from tracker.ui.screens.home import HomeScreen
from tracker.ui.screens.log_form import LogForm
from tracker.ui.widgets.picker import ChallengePicker

MakeApp = Callable[..., TrackerApp]


def shown(form: LogForm, selector: str) -> str:
    widget = form.query_one(selector, Static)
    return str(widget.render()) if widget.display else ""


def fill(form: LogForm, **values: object) -> None:
    for name, value in values.items():
        widget = form.query_one(f"#{name}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = str(value)


async def test_log_an_ask_and_find_it_stored(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogForm)
        await pilot.press(*"barista")  # the filter has focus: type to find a challenge
        picker = form.query_one(ChallengePicker)
        assert (
            picker.chosen is not None and picker.chosen.slug == "ask-a-barista-what-they-recommend"
        )
        fill(form, when="yesterday 17:30", feared="they'll be annoyed")
        await pilot.pause()
        assert "yesterday, 17:30" in shown(form, "#hint-occurred_at")
        fill(form, predicted=60, outcome=Outcome.HELPED, happened=False, confidence=8)
        fill(form, channel=Channel.IN_PERSON, who="a barista")
        form.query_one("#strategy-specific").scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        await pilot.click("#strategy-specific")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    with stored(db) as store:
        (attempt,) = store.attempts()
        challenge = store.challenge(attempt.challenge_id)
    assert challenge.slug == "ask-a-barista-what-they-recommend"
    assert attempt.occurred_at == (NOW - timedelta(days=1)).replace(hour=17, minute=30)
    assert attempt.feared == "they'll be annoyed"
    assert (attempt.predicted, attempt.outcome, attempt.happened) == (60, Outcome.HELPED, False)
    assert attempt.confidence == 8 and attempt.channel is Channel.IN_PERSON
    assert attempt.strategies == (Strategy.SPECIFIC,)


async def test_invalid_answers_are_shown_and_nothing_is_saved(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogForm)
        fill(form, when="2026-11-23 09:00", predicted=150, confidence=11)
        await pilot.pause()
        assert "in the future" in shown(form, "#error-occurred_at")  # shown while typing
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LogForm)
        assert "from 0 to 100" in shown(form, "#error-predicted")
        assert "from 0 to 10" in shown(form, "#error-confidence")
        assert "choose what happened" in shown(form, "#error-outcome")
        assert "Nothing is saved yet" in shown(form, "#form-message")
        with stored(db) as store:
            assert store.count_attempts() == 0
        fill(form, when="now", predicted=40, confidence="", outcome=Outcome.AVOIDED)
        await pilot.click("#save")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    with stored(db) as store:
        (attempt,) = store.attempts()
    assert attempt.outcome is Outcome.AVOIDED and attempt.predicted == 40
    assert attempt.confidence is None


async def test_save_as_planned_then_complete_it(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogForm)
        fill(form, feared="they'll say no", predicted=70, expected_distress=60)
        await pilot.click("#plan")
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        planned = home.query_one("#planned", OptionList)
        assert planned.option_count == 1
        planned.focus()
        planned.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogForm) and form.mode == "complete"
        assert form.query_one("#feared", Input).value == "they'll say no"
        fill(form, outcome=Outcome.DECLINED, happened=True, confidence=6, rerated=50)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not app.screen.query_one("#planned", OptionList).display
    with stored(db) as store:
        (attempt,) = store.attempts()
    assert attempt.outcome is Outcome.DECLINED and attempt.happened is True
    assert (attempt.feared, attempt.predicted, attempt.expected_distress) == (
        "they'll say no",
        70,
        60,
    )


async def test_edit_from_history_keeps_the_time(make_app: MakeApp, db: str) -> None:
    with Store.open(db) as store:
        first = store.challenges()[0]
        logged = store.add_attempt(
            {
                "challenge_id": first.id,
                "occurred_at": NOW - timedelta(days=2, seconds=7),
                "outcome": Outcome.PARTLY,
                "confidence": 5,
                "learned": "it was fine",
            }
        )
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert app.screen.query_one("#history", DataTable).row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogForm) and form.mode == "edit"
        assert form.query_one("#learned", Input).value == "it was fine"
        assert not form.query("#plan")  # a finished ask is not planned again
        fill(form, confidence=9)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#history", DataTable).get_row_at(0)[-1] == "9"
    with stored(db) as store:
        edited = store.attempt(logged.id)
    assert edited.confidence == 9 and edited.occurred_at == logged.occurred_at
    assert edited.learned == "it was fine"
