"""Support is one key away: `!` from every view, dialog and the error screen, and the
palette; the contact shows as plain text; the Ladder groups the any-time asks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input, OptionList, Static

from tests.ui.conftest import SIZE, settle
from tracker.store.repository import Store
from tracker.ui.app import TrackerApp
from tracker.ui.screens.error import ErrorScreen
from tracker.ui.screens.support import SupportScreen
from tracker.words import SUPPORT_TEXT

MakeApp = Callable[..., TrackerApp]


def shown(screen: SupportScreen) -> str:
    return "\n".join(str(s.render()) for s in screen.query(Static).results())


async def _opens_and_closes(pilot: object, app: object, before: type) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.press("exclamation_mark")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SupportScreen), f"no Support from {before.__name__}"
    text = shown(pilot.app.screen)
    assert "emergency number now" in text and "not therapy" in text
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(pilot.app.screen, before)


async def test_bang_opens_support_from_every_view_and_dialog(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("1", "2", "3", "4"):
            await pilot.press(key)
            await settle(pilot)
            await _opens_and_closes(pilot, app, type(app.screen))
        await pilot.press("1")
        for opener in ("l", "question_mark"):
            await pilot.press(opener)
            await settle(pilot)
            dialog = type(app.screen)
            await _opens_and_closes(pilot, app, dialog)
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("2", "n")  # the add-a-challenge dialog, its title field focused
        await settle(pilot)
        await _opens_and_closes(pilot, app, type(app.screen))


async def test_bang_in_a_field_with_text_is_typed_not_taken(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        note = form.query_one("#note", Input)
        note.focus()
        await pilot.pause()
        await pilot.press(*"thanks", "exclamation_mark")
        await settle(pilot)
        assert app.screen is form and note.value == "thanks!"


async def test_support_opens_on_the_error_screen(make_app: MakeApp, tmp_path: Path) -> None:
    foreign = tmp_path / "notes.db"
    foreign.write_text("not a tracker database\n" * 20)
    app = make_app(str(foreign))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        await _opens_and_closes(pilot, app, ErrorScreen)


async def test_the_contact_is_plain_text_and_the_palette_has_support(
    make_app: MakeApp, db: str
) -> None:
    with Store.open(db) as store:
        store.update_settings({"support_contact": "Sam [b]not bold[/b] [link=x]"})
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Support" in titles
        await pilot.press("exclamation_mark")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupportScreen)
        text = shown(screen)
        assert "Your support contact: Sam [b]not bold[/b] [link=x]" in text
        for paragraph in SUPPORT_TEXT:
            assert paragraph in text


async def test_the_ladder_shows_the_anytime_group_above_the_rungs(
    make_app: MakeApp, db: str
) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        options = app.screen.query_one("#ladder", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids[0] == "anytime"
        assert ids.index("anytime") < ids.index("rung-10")
        first = options.get_option_at_index(1).prompt
        assert "Talk to a doctor" in str(first)


async def test_the_retired_crisis_challenge_is_not_on_the_app_ladder(
    make_app: MakeApp, db: str
) -> None:
    with Store.open(db) as store:
        crisis = store.challenge("ask-a-friend-to-stay-with-you-in-a-crisis")
    assert crisis.archived
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        options = app.screen.query_one("#ladder", OptionList)
        ids = {options.get_option_at_index(i).id for i in range(options.option_count)}
        assert f"c{crisis.id}" not in ids
        assert "rung-10" in ids
