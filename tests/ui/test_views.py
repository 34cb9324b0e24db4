"""The views are declared once (tracker.ui.views.VIEWS) and everything reads that table:
the app's modes and keys, the command palette, the navigation bar and the help."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.binding import Binding

from tests.ui.conftest import SIZE, settle
from tracker.ui.app import PALETTE, TrackerApp
from tracker.ui.screens.help import KEYS
from tracker.ui.views import DIALOG_VIEWS, MODE_VIEWS, VIEWS, View
from tracker.ui.widgets.nav import NavTab

MakeApp = Callable[..., TrackerApp]


def test_every_view_has_a_key_a_palette_entry_and_a_place_in_the_help() -> None:
    bindings = {b.key: b.action for b in TrackerApp.BINDINGS if isinstance(b, Binding)}
    palette = {action: title for title, _, action in PALETTE}
    for view in VIEWS:
        assert bindings[view.key] == view.action
        assert palette[view.action] == view.title
    keys, titles = KEYS[0]
    assert keys.split() == [v.shown_key for v in MODE_VIEWS]
    assert titles.split(", ") == [v.title for v in MODE_VIEWS]
    for view in DIALOG_VIEWS:
        assert (view.shown_key, view.help) in KEYS
    for view in MODE_VIEWS:
        assert not view.help or (view.title, view.help) in KEYS
    assert set(TrackerApp.MODES) == {v.name for v in MODE_VIEWS}
    assert not {v.name for v in DIALOG_VIEWS} & set(TrackerApp.MODES)
    assert len({v.name for v in VIEWS}) == len({v.key for v in VIEWS}) == len(VIEWS)


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.name)
def test_each_views_screen_can_be_made(view: View) -> None:
    assert type(view.make()).__name__ == view.screen


async def test_each_view_opens_with_its_key_and_modes_are_in_the_bar(
    make_app: MakeApp, demo_db: str
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tabs = [t.mode for t in app.screen.query(NavTab)]
        assert tabs == [v.name for v in MODE_VIEWS]
        for view in VIEWS:
            await pilot.press(view.key)
            await settle(pilot)
            assert type(app.screen).__name__ == view.screen
            if view.dialog:
                await pilot.press("escape")
                await settle(pilot)
                assert type(app.screen).__name__ != view.screen
