"""Ladder: states in words, and adding, editing, moving and archiving challenges."""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Console
from textual.widgets import Input, OptionList, Select

from tests.ui.conftest import SIZE, settle, stored
from tracker.ui.app import TrackerApp
from tracker.ui.screens.challenge_form import ChallengeForm
from tracker.ui.screens.ladder import LadderScreen

MakeApp = Callable[..., TrackerApp]


def plain(renderable: object) -> str:
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(renderable)
    return " ".join(console.export_text().split())


def prompts(app: TrackerApp) -> list[str]:
    options = app.screen.query_one("#ladder", OptionList)
    return [plain(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def headings(app: TrackerApp) -> str:
    options = app.screen.query_one("#ladder", OptionList)
    return " | ".join(
        plain(options.get_option_at_index(i).prompt)
        for i in range(options.option_count)
        if options.get_option_at_index(i).disabled
    )


async def test_states_are_in_words(make_app: MakeApp, demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, LadderScreen)
        words = headings(app)
        assert "Rung 1 · climbed on" in words and "Rung 2 · climbed on" in words
        assert "Rung 3 · current: you are here" in words
        assert "confidence 7 or more on your last 2 asks" in words
        assert "Rung 4 · locked" in words
        assert "You are on rung 3. 2 rungs climbed." in str(
            app.screen.query_one("#ladder-summary").render()
        )


async def test_add_edit_move_and_archive(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ChallengeForm)
        await pilot.press("ctrl+s")  # no title yet
        await settle(pilot)
        assert isinstance(app.screen, ChallengeForm)
        form.query_one("#title", Input).value = "Ask my neighbour to water the plants"
        form.query_one("#rung", Select).value = 4
        form.query_one("#context", Select).value = "community"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LadderScreen)
        with stored(db) as store:
            added = store.challenge("ask-my-neighbour-to-water-the-plants")
        assert (added.rung, added.builtin, str(added.context)) == (4, False, "community")

        ladder = app.screen.query_one("#ladder", OptionList)
        ladder.highlighted = ladder.get_option_index(f"c{added.id}")
        await pilot.press("m")
        await settle(pilot)
        move = app.screen
        assert isinstance(move, ChallengeForm) and move.move
        move.query_one("#rung", Select).value = 5
        await pilot.click("#save")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        edit = app.screen
        assert isinstance(edit, ChallengeForm)
        edit.query_one("#title", Input).value = "Ask a neighbour to water my plants"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        with stored(db) as store:
            changed = store.challenge(added.id)
        assert (changed.rung, changed.title, changed.archived) == (
            5,
            "Ask a neighbour to water my plants",
            True,
        )
        assert any("archived" in p for p in prompts(app))
        await pilot.press("a")
        await settle(pilot)
        with stored(db) as store:
            assert not store.challenge(added.id).archived
