"""Keys and mouse (issue 12, item 9): Enter opens a focused planned ask on Home without
an arrow key first; on the Ladder a click selects a row and Enter or a double click edits
it; the Ladder can be filtered by typing, as History is searched."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Button, OptionList, Static

from tests.ui.conftest import SIZE, settle
from tracker.ui.app import TrackerApp
from tracker.ui.screens.challenge_form import ChallengeForm
from tracker.ui.screens.home import HomeScreen
from tracker.ui.screens.ladder import LadderScreen
from tracker.ui.screens.log_form import LogForm

MakeApp = Callable[..., TrackerApp]


async def test_enter_on_the_focused_planned_list_opens_its_first_ask(
    make_app: MakeApp, demo_db: str
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        planned = home.query_one("#planned", OptionList)
        assert planned.option_count == 2
        planned.focus()  # as Tab reaches it: no arrow key pressed
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogForm) and form.mode == "complete"


async def ladder(app: TrackerApp, pilot: object) -> tuple[LadderScreen, OptionList]:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, LadderScreen)
    return screen, screen.query_one("#ladder", OptionList)


async def test_a_click_on_the_ladder_selects_and_a_double_click_edits(
    make_app: MakeApp, demo_db: str
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, options = await ladder(app, pilot)
        start = options.highlighted
        assert start is not None
        region = options.content_region
        rows = [  # the lines on screen that draw a challenge other than the selected one
            y
            for y in range(region.height)
            if (index := screen.get_style_at(region.x + 6, region.y + y).meta.get("option"))
            is not None
            and index != start
            and not options.get_option_at_index(index).disabled
        ]
        assert rows, "no other challenge on screen"
        y = rows[0]
        await pilot.click(offset=(region.x + 6, region.y + y))
        await settle(pilot)
        assert app.screen is screen, "a single click only selects"
        assert options.highlighted not in (None, start)
        assert not screen.query_one("#move", Button).disabled
        await pilot.click(offset=(region.x + 6, region.y + y), times=2)
        await settle(pilot)
        assert isinstance(app.screen, ChallengeForm)


async def test_enter_on_the_ladder_edits_the_selected_challenge(
    make_app: MakeApp, demo_db: str
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ladder(app, pilot)
        await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChallengeForm)


def listed(screen: LadderScreen) -> list[str]:
    """The titles of the challenges listed, top to bottom."""
    return [c.title for c in screen.shown_challenges()]


async def test_the_ladder_is_filtered_by_typing(make_app: MakeApp, demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, options = await ladder(app, pilot)
        everything = listed(screen)
        await pilot.press("slash")
        await pilot.press(*"stranger")
        await settle(pilot)
        shown = listed(screen)
        assert shown and len(shown) < len(everything)
        assert all(
            "stranger" in f"{c.title} {c.description} {c.context}".lower()
            for c in screen.shown_challenges()
        )
        assert "stranger" in str(screen.query_one("#ladder-summary", Static).render())
        await pilot.press("enter")  # back to the list, the filter kept
        await settle(pilot)
        assert app.focused is options and listed(screen) == shown
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ChallengeForm)
        assert "stranger" in app.screen.challenge.title.lower()  # type: ignore[union-attr]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("slash", "ctrl+u")  # an emptied search shows everything again
        await settle(pilot)
        assert listed(screen) == everything


async def test_a_filter_that_matches_nothing_says_so(make_app: MakeApp, demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await ladder(app, pilot)
        await pilot.press("slash", *"zzqx")
        await settle(pilot)
        assert listed(screen) == []
        assert "No challenges match" in str(screen.query_one("#ladder-summary", Static).render())
        for name in ("#edit", "#move", "#archive"):
            assert screen.query_one(name, Button).disabled
