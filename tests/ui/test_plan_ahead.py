"""Issue 12 in the app: "Save as planned" takes a time ahead, Home shows a plan's planned
time, completing a plan starts at the time a save would use, and an app deletion is
kept for `tracker undo`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual.widgets import Input, OptionList, Static

from tests.ui.conftest import NOW, SIZE, settle, stored
from tracker.domain.models import Outcome
from tracker.ui.app import TrackerApp
from tracker.ui.screens.home import HomeScreen
from tracker.ui.screens.log_form import LogForm

MakeApp = Callable[..., TrackerApp]
TOMORROW_9 = (NOW + timedelta(days=1)).replace(hour=9)


def shown(form: LogForm, selector: str) -> str:
    widget = form.query_one(selector, Static)
    return str(widget.render()) if widget.display else ""


async def test_save_as_planned_takes_a_time_ahead_and_home_shows_it(
    make_app: MakeApp, db: str
) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogForm)
        form.query_one("#when", Input).value = "tomorrow 9am"
        await pilot.pause()
        assert "tomorrow, 09:00" in shown(form, "#hint-occurred_at")  # the live preview
        error = shown(form, "#error-occurred_at")
        assert "in the future" in error and "Save as planned" in error
        await pilot.click("#plan")
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        planned = home.query_one("#planned", OptionList)
        assert planned.option_count == 1
        assert "for Mon 23 Nov 09:00" in str(planned.get_option_at_index(0).prompt)
    with stored(db) as store:
        (attempt,) = store.attempts()
    assert attempt.planned and attempt.planned_for == TOMORROW_9
    assert attempt.occurred_at == NOW


async def test_a_log_in_the_future_is_still_refused(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogForm)
        form.query_one("#when", Input).value = "tomorrow 9am"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LogForm)
        assert "in the future" in shown(form, "#error-occurred_at")
    with stored(db) as store:
        assert store.count_attempts() == 0


async def test_completing_a_plan_whose_time_has_passed_starts_at_that_time(
    make_app: MakeApp, db: str
) -> None:
    past = NOW - timedelta(hours=3)
    with stored(db) as store:
        challenge = store.challenges()[0]
        plan = store.add_attempt(
            {"challenge_id": challenge.id, "occurred_at": past, "planned_for": past}
        )
        store.add_attempt(
            {"challenge_id": challenge.id, "occurred_at": NOW, "planned_for": TOMORROW_9}
        )
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.snapshot is not None
        done = next(a for a in app.snapshot.planned if a.id == plan.id)
        app.open_log_form(attempt=done)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogForm) and form.mode == "complete"
        assert form.query_one("#when", Input).value == "2026-11-22 07:00"
        assert "planned for today, 07:00" in shown(form, "#hint-occurred_at")
        form.query_one("#outcome").value = Outcome.HELPED  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        ahead = next(a for a in app.snapshot.planned if a.id != plan.id)
        app.open_log_form(attempt=ahead)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogForm)
        assert form.query_one("#when", Input).value == "now"  # its time has not come
        await pilot.click("#plan")  # saved as planned again: it keeps its planned time
        await settle(pilot)
    with stored(db) as store:
        logged = store.attempt(plan.id)
        still = next(a for a in store.attempts() if a.planned)
    assert logged.outcome is Outcome.HELPED and logged.occurred_at == past
    assert logged.planned_for is None
    assert still.planned_for == TOMORROW_9


async def test_an_app_deletion_is_kept_for_tracker_undo(make_app: MakeApp, db: str) -> None:
    with stored(db) as store:
        challenge = store.challenges()[0]
        store.add_attempt({"challenge_id": challenge.id, "occurred_at": NOW, "outcome": "helped"})
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
    with stored(db) as store:
        assert store.count_attempts() == 0
        back = store.undo_last()
    assert back.outcome is Outcome.HELPED
