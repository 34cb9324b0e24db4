"""Settings (,): opened with its key and from the palette; every setting in the domain's
definition has a row with its sentence; the weekly goal, a threshold, the theme and the
support contact can be changed, and the rules follow; refused values get the words
`tracker settings` uses; Escape leaves everything as it was."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from tests.conftest import Run
from tests.ui.conftest import SIZE, settle, stored
from tracker.domain.models import ABOUT, DISPLAY_SETTINGS, RULE_SETTINGS
from tracker.ui.app import TrackerApp
from tracker.ui.screens.home import HomeScreen
from tracker.ui.screens.settings import SettingsScreen
from tracker.ui.screens.support import SupportScreen
from tracker.ui.widgets.fields import FieldRow

MakeApp = Callable[..., TrackerApp]


def texts(screen: Any) -> str:
    return "\n".join(str(s.render()) for s in screen.query(Static).results())


async def open_settings(pilot: Pilot[Any]) -> SettingsScreen:
    await settle(pilot)
    await pilot.press("comma")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


async def type_into(pilot: Pilot[Any], screen: SettingsScreen, name: str, value: str) -> None:
    field = screen.query_one(f"#{name}", Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    if value:
        await pilot.press(*value)
    await pilot.pause()


async def save(pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_comma_opens_settings_with_every_setting_and_its_sentence(
    make_app: MakeApp, demo_db: str
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        hints = {row.field_name: row.hint for row in screen.query(FieldRow)}
        labels = {row.field_name: row.label for row in screen.query(FieldRow)}
        assert list(hints) == [*RULE_SETTINGS, *DISPLAY_SETTINGS]
        for name, about in ABOUT.items():
            assert labels[name] == about.label
            assert hints[name].startswith(about.sentence)
            assert screen.query_one(f"#hint-{name}", Static).render() is not None
        shown = texts(screen)
        assert screen.query_one("#weekly_goal", Input).value == "3"
        assert "7, 14, 28, 56" in shown


async def test_the_palette_opens_settings(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        commands = {c.title: c.callback for c in app.get_system_commands(app.screen)}
        result = commands["Settings"]()
        if inspect.isawaitable(result):
            await result
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)


async def test_the_weekly_goal_is_saved_and_home_follows(make_app: MakeApp, demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await type_into(pilot, screen, "weekly_goal", "5")
        await save(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.snapshot is not None and app.snapshot.overview.settings.weekly_goal == 5
        assert "of 5" in str(app.screen.query_one("#week", Static).render())
    with stored(demo_db) as store:
        assert store.settings().weekly_goal == 5


async def test_a_threshold_is_saved_and_the_suggestion_follows(
    make_app: MakeApp, demo_db: str
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reason = str(app.screen.query_one("#next-reason", Static).render())
        assert "of 20 asks" not in reason
        screen = await open_settings(pilot)
        await type_into(pilot, screen, "climb_min_asks", "20")
        await save(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "11 of 20 asks done" in str(app.screen.query_one("#next-reason", Static).render())
    with stored(demo_db) as store:
        assert store.settings().climb_min_asks == 20


async def test_the_theme_is_saved_and_shown(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert app.theme == "textual-dark"
        screen.query_one("#theme", Select).value = "textual-light"
        await pilot.pause()
        await save(pilot)
        assert app.theme == "textual-light"
        assert not isinstance(app.screen, SettingsScreen)
    with stored(db) as store:
        assert store.settings().theme == "textual-light"


async def test_the_support_contact_is_saved_and_support_shows_it(
    make_app: MakeApp, db: str
) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await type_into(pilot, screen, "support_contact", "my sister Sam [b]07[/b]")
        await save(pilot)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert isinstance(app.screen, SupportScreen)
        assert "my sister Sam [b]07[/b]" in texts(app.screen)
    with stored(db) as store:
        assert store.settings().support_contact == "my sister Sam [b]07[/b]"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("weekly_goal", "99"),
        ("weekly_goal", "-1"),
        ("weekly_goal", "four"),
        ("climb_confidence", "11"),
        ("step_back_distress", ""),
        ("support_contact", "Sam\x1b[31m"),
    ],
)
async def test_refused_values_get_the_command_lines_words_and_nothing_is_saved(
    make_app: MakeApp, db: str, run: Run, name: str, value: str
) -> None:
    refused = run("settings", "--", name, value)
    assert refused.code == 2
    words = refused.err.removeprefix("error: ").strip()
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        field = screen.query_one(f"#{name}", Input)
        field.focus()
        field.value = value
        await pilot.pause()
        error = screen.query_one(f"#error-{name}", Static)
        assert error.display and str(error.render()) == words  # as typed
        await save(pilot)
        assert app.screen is screen  # still open, the value kept to correct
        assert error.display and str(error.render()) == words
        assert app.focused is field
        await type_into(pilot, screen, name, "4" if name != "support_contact" else "Sam")
        assert not error.display  # the message goes once the value is fixed
    with stored(db) as store:
        assert getattr(store.settings(), name) == getattr(type(store.settings())(), name)


async def test_escape_cancels(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await type_into(pilot, screen, "weekly_goal", "7")
        screen.query_one("#theme", Select).value = "textual-light"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.theme == "textual-dark"
        assert app.snapshot is not None and app.snapshot.overview.settings.weekly_goal == 3
    with stored(db) as store:
        assert store.settings().weekly_goal == 3
        assert store.settings().theme == "textual-dark"
