"""Starting the app, moving between views, the palette, the theme, and a bad database."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

from textual.binding import Binding
from textual.widgets import Static

from tests.ui.conftest import SIZE, settle, stored
from tracker.ui.app import TrackerApp
from tracker.ui.screens.error import ErrorScreen
from tracker.ui.screens.help import KEYS, HelpScreen
from tracker.ui.screens.history import HistoryScreen
from tracker.ui.screens.home import HomeScreen
from tracker.ui.screens.insights import InsightsScreen
from tracker.ui.screens.ladder import LadderScreen
from tracker.ui.screens.log_form import LogForm

MakeApp = Callable[..., TrackerApp]


def text_of(app: TrackerApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_first_run_greets_and_creates_the_database(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#welcome").display
        assert "Welcome" in text_of(app, "#welcome")
        assert 'a "no" is a finished practice' in text_of(app, "#welcome")
        assert "Ask a stranger for the time" in text_of(app, "#next-title")
        assert "0 of 3 asks" in text_of(app, "#week")
    assert Path(db).exists()


async def test_keys_and_clicks_reach_every_view(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, screen in (
            ("2", LadderScreen),
            ("3", HistoryScreen),
            ("4", InsightsScreen),
            ("1", HomeScreen),
        ):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen), key
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LogForm)
        await pilot.press("2")  # typed into the form, not a view switch
        assert isinstance(app.screen, LogForm)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        # every view is a click away too
        await pilot.click("#nav-insights")
        await settle(pilot)
        assert isinstance(app.screen, InsightsScreen)
        await pilot.click("#nav-home")
        await settle(pilot)
        await pilot.click("#log-this")
        await settle(pilot)
        assert isinstance(app.screen, LogForm)


async def test_help_opens_escape_closes_it_and_q_quits(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        method = text_of(app, "#help-method")
        assert 'A "no" is a finished practice' in method
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_palette_reaches_every_action(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for title in ("Home", "Ladder", "History", "Insights", "Log an ask", "Help"):
            assert title in titles
        assert {"Add a challenge", "Light theme", "Dark theme", "Quit"} <= titles
        commands = {c.title: c.callback for c in app.get_system_commands(app.screen)}
        result = commands["Ladder"]()  # the palette awaits what a command returns
        if inspect.isawaitable(result):
            await result
        await settle(pilot)
        assert isinstance(app.screen, LadderScreen)


async def test_theme_is_remembered(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"light theme")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "textual-light"
    with stored(db) as store:
        assert store.settings().theme == "textual-light"
    again = make_app(db)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "textual-light"


async def test_a_file_that_is_not_a_database_gets_a_clear_message(
    make_app: MakeApp, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my shopping list\n")
    app = make_app(str(notes))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert app.failure is not None and "not a tracker database" in app.failure
        assert "not a tracker database" in text_of(app, "#error-text")
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert notes.read_text() == "my shopping list\n"


async def test_help_lists_every_app_key_from_its_binding(make_app: MakeApp, db: str) -> None:
    """Each of the app's own keys (r refresh among them) is on the Help screen, with the
    key its binding uses."""
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = {key for key, _ in KEYS}
        for binding in TrackerApp.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.action.startswith("go("):
                continue  # the views: their own line
            assert (binding.key_display or binding.key) in keys, binding.action
        assert any(key == "r" and "elsewhere" in what for key, what in KEYS)
