"""`tracker demo`: a populated app on a throwaway database that never touches the user's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList

from tests.ui.conftest import SIZE, settle
from tracker.ui.app import TrackerApp

MakeApp = Callable[..., TrackerApp]


async def test_demo_fills_every_screen_and_cleans_up(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "mine.db"
    monkeypatch.setenv("TRACKER_DB", str(mine))
    app = make_app(None, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.demo_dir is not None and app.demo_dir.exists()
        assert app.snapshot is not None and not app.snapshot.first_run
        assert app.screen.query_one("#planned", OptionList).option_count == 2
        await pilot.press("3")
        await settle(pilot)
        assert app.screen.query_one("#history", DataTable).row_count > 20
        demo_dir = app.demo_dir
    assert not demo_dir.exists()
    assert not mine.exists()


async def test_every_view_of_the_demo_says_it_is_sample_data(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Static

    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "mine.db"))
    app = make_app(None, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in "12345":
            await pilot.press(key)
            await settle(pilot)
            banner = app.screen.query_one("#demo-banner", Static)
            words = str(banner.render())
            assert banner.region.height >= 1 and "Sample data" in words, key
            assert "deleted when you quit" in words


async def test_your_own_app_has_no_demo_banner(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.screen.query("#demo-banner")
