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
