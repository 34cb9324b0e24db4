"""The forms answer as you type: a fixed value loses its error, a number field says why
a letter was refused and checks its range live, a failed save takes you to the first
field in error, and a re-rating shows what you said last time on the same challenge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual.widgets import Input, OptionList, Static

from tests.ui.conftest import NOW, SIZE, settle
from tracker.domain.models import Outcome
from tracker.store.repository import Store
from tracker.ui.app import TrackerApp
from tracker.ui.screens.challenge_form import ChallengeForm
from tracker.ui.screens.home import HomeScreen
from tracker.ui.screens.log_form import LogForm
from tracker.ui.widgets.picker import ChallengePicker

MakeApp = Callable[..., TrackerApp]


def shown(form: object, selector: str) -> str:
    from textual.screen import Screen

    assert isinstance(form, Screen)
    widget = form.query_one(selector, Static)
    return str(widget.render()) if widget.display else ""


async def open_log_form(app: TrackerApp, pilot: object) -> LogForm:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await settle(pilot)
    await pilot.press("l")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, LogForm)
    return form


async def test_an_error_goes_as_soon_as_its_value_is_fixed(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_log_form(app, pilot)
        form.query_one("#confidence", Input).value = "11"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "choose what happened" in shown(form, "#error-outcome")
        assert "from 0 to 10" in shown(form, "#error-confidence")
        assert "2 fields" in shown(form, "#form-message")
        form.query_one("#confidence", Input).value = "7"
        await pilot.pause()
        assert shown(form, "#error-confidence") == ""  # gone without saving again
        assert "choose what happened" in shown(form, "#error-outcome")
        assert "the field marked below" in shown(form, "#form-message")
        form.query_one("#outcome").value = Outcome.HELPED  # type: ignore[attr-defined]
        await pilot.pause()
        assert shown(form, "#error-outcome") == ""
        assert shown(form, "#form-message") == ""


async def test_the_range_is_checked_as_you_type(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_log_form(app, pilot)
        form.query_one("#predicted", Input).focus()
        await pilot.press("1", "5")
        assert shown(form, "#error-predicted") == ""
        await pilot.press("0")
        assert "from 0 to 100" in shown(form, "#error-predicted")
        assert shown(form, "#form-message") == ""  # nothing was saved: no summary yet
        await pilot.press("backspace")
        assert shown(form, "#error-predicted") == ""


async def test_a_letter_in_a_number_field_says_why_it_was_left_out(
    make_app: MakeApp, db: str
) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_log_form(app, pilot)
        field = form.query_one("#expected_distress", Input)
        field.focus()
        await pilot.press("4", "o")
        assert field.value == "4"
        assert "numbers only" in shown(form, "#error-expected_distress")
        await pilot.press("0")
        assert field.value == "40"
        assert shown(form, "#error-expected_distress") == ""


async def test_a_failed_save_moves_to_the_first_field_in_error(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_log_form(app, pilot)
        form.query_one("#confidence", Input).value = "12"
        form.query_one("#predicted", Input).value = "250"
        form.query_one("#who", Input).focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.focused is form.query_one("#predicted")  # above outcome and confidence


async def test_challenge_form_title_error_goes_and_focus_finds_it(
    make_app: MakeApp, db: str
) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ChallengeForm)
        form.query_one("#tip", Input).focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "short title" in shown(form, "#error-title")
        assert app.focused is form.query_one("#title")
        await pilot.press("A")
        assert shown(form, "#error-title") == ""
        assert shown(form, "#form-message") == ""


def _rate(db: str) -> int:
    """Two rated asks on one challenge; returns its id."""
    with Store.open(db) as store:
        challenge = store.challenges()[0]
        for days, predicted, rerated, confidence in ((5, 70, 50, 4), (2, 60, 40, 6)):
            store.add_attempt(
                {
                    "challenge_id": challenge.id,
                    "occurred_at": NOW - timedelta(days=days),
                    "outcome": Outcome.HELPED,
                    "predicted": predicted,
                    "rerated": rerated,
                    "confidence": confidence,
                }
            )
        return challenge.id


async def test_re_rating_shows_last_time_on_the_same_challenge(make_app: MakeApp, db: str) -> None:
    rated = _rate(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_log_form(challenge_id=rated)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogForm)
        assert "last time: 40%" in shown(form, "#hint-predicted")  # the latest re-rating
        assert "last time: 6 of 10" in shown(form, "#hint-confidence")
        picker = form.query_one(ChallengePicker)
        other = next(c for c in picker.challenges if c.id != rated)
        form.query_one("#challenge #filter", Input).value = other.title
        await settle(pilot)
        assert picker.value == other.id
        assert shown(form, "#hint-predicted") == ""  # never rated there


async def test_completing_a_plan_shows_last_time(make_app: MakeApp, db: str) -> None:
    rated = _rate(db)
    with Store.open(db) as store:
        store.add_attempt({"challenge_id": rated, "occurred_at": NOW, "predicted": 55})
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        planned = home.query_one("#planned", OptionList)
        planned.focus()
        planned.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogForm) and form.mode == "complete"
        assert "last time: 40%" in shown(form, "#hint-predicted")
        assert "last time: 6 of 10" in shown(form, "#hint-confidence")
