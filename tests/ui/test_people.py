"""The People view, Home's thank-yous due, and the log form's Who suggestions (Pilot),
plus an SVG snapshot of the People view on the demo history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from textual.widgets import Button, Input, OptionList, Select, Static

from tests.ui.conftest import NOW, SIZE, settle, stored
from tests.ui.test_snapshots import after
from tracker.domain.models import Outcome
from tracker.domain.people import ThankKind
from tracker.store.backup import backups_dir
from tracker.store.repository import Store
from tracker.ui.app import TrackerApp
from tracker.ui.screens.people import PeopleScreen

MakeApp = Callable[..., TrackerApp]
SnapCompare = Callable[..., bool]
TIME = "ask-a-stranger-the-time"


def fill(db: str, people: list[tuple[str, Outcome, float]]) -> None:
    with Store.open(db) as store:
        c = store.challenge(TIME)
        for who, outcome, days in people:
            data = {
                "challenge_id": c.id,
                "occurred_at": NOW - timedelta(days=days),
                "outcome": outcome,
                "who": who,
            }
            store.add_attempt(data)


def shown(app: TrackerApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_the_people_view_lists_everyone_with_labels_as_plain_text(
    make_app: MakeApp, db: str
) -> None:
    fill(db, [("my sister", Outcome.HELPED, 2), ("Sam [bold]x[/]", Outcome.DECLINED, 1)])
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        listing = app.screen.query_one("#people-list", OptionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(2)]
        assert prompts[0] == "Sam [bold]x[/]", "markup in a label is shown, never applied"
        assert prompts[1].startswith("my sister") and "thank-you due" in prompts[1]
        await pilot.press("down")
        await settle(pilot)
        assert "press t" in shown(app, "#person")
        await pilot.press("t")
        await settle(pilot)
    with stored(db) as store:
        assert [t.kind for t in store.thanks()] == [ThankKind.THANKED]


async def test_gave_rename_merge_from_the_view(make_app: MakeApp, db: str) -> None:
    fill(db, [("sam", Outcome.HELPED, 3), ("Samuel", Outcome.PARTLY, 1)])
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("g")  # for Samuel, the most recent
        await settle(pilot)
        await pilot.press(*"lent a ladder", "enter")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        field = app.screen.query_one("#dialog-text", Input)
        field.value = "Sammy"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        app.screen.query_one("#dialog-choice", Select).value = "sam"
        await pilot.click("#dialog-save")
        await settle(pilot)
    with stored(db) as store:
        assert [p.label for p in store.people()] == ["sam"]
        assert [(g.who, g.what) for g in store.gifts()] == [("sam", "lent a ladder")]
        assert {a.who for a in store.attempts()} == {"sam"}


async def test_forget_after_a_confirm_wipes_the_label_and_undo(make_app: MakeApp, db: str) -> None:
    fill(db, [("Quokka uncle", Outcome.HELPED, 2), ("Sam", Outcome.HELPED, 3)])
    with Store.open(db) as store:
        store.give("quokka uncle", "fixed the Quokka bike", NOW)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")  # delete the ask in History: it is kept for undo
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        listing = app.screen.query_one("#people-list", OptionList)
        labels = [str(listing.get_option_at_index(i).prompt) for i in range(2)]
        listing.highlighted = next(i for i, label in enumerate(labels) if "Quokka" in label)
        await pilot.press("f")
        await settle(pilot)
        await pilot.click("#dialog-cancel")  # keeps them
        await settle(pilot)
        with stored(db) as store:
            assert len(store.people()) == 2
        await pilot.press("f")
        await settle(pilot)
        await pilot.click("#dialog-yes")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("u")  # undo brings the ask back, without the label
        await settle(pilot)
    with stored(db) as store:
        assert [p.label for p in store.people()] == ["Sam"]
        assert all(a.who != "Quokka uncle" for a in store.attempts())
        assert len(store.attempts()) == 2
    folder = Path(db).parent
    for file in [*folder.glob("tracker.db*"), *backups_dir(Path(db)).glob("*")]:
        assert b"quokka" not in file.read_bytes().lower(), file


async def test_home_lists_thank_yous_due_one_key_from_done(make_app: MakeApp, db: str) -> None:
    fill(db, [("my sister", Outcome.HELPED, 2), ("a colleague", Outcome.DECLINED, 1)])
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card = app.screen.query_one("#thanks-card")
        assert card.display
        listing = app.screen.query_one("#thanks", OptionList)
        assert listing.option_count == 1
        assert "my sister" in str(listing.get_option_at_index(0).prompt)
        listing.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert not app.screen.query_one("#thanks-card").display
    with stored(db) as store:
        assert store.thanks_due(NOW) == []


async def test_the_log_form_suggests_known_people_then_relationship_words(
    make_app: MakeApp, db: str
) -> None:
    fill(db, [("My Sister-in-law", Outcome.HELPED, 2)])
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        who = app.screen.query_one("#who", Input)
        assert who.suggester is not None
        assert await who.suggester.get_suggestion("my s") == "My Sister-in-law"
        assert await who.suggester.get_suggestion("a col") == "a colleague"


async def test_the_nav_bar_and_help_name_people(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#nav-people")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        assert "say who you asked" in shown(app, "#person").lower()
        assert not app.screen.query(Button)  # nothing to act on yet


def test_people_view(snap_compare: SnapCompare, make_app: MakeApp, demo_db: str) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=after("5"))
