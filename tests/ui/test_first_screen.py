"""The first screen: a first read begun before the app starts fills its first frame,
and the footer is not rebuilt for binding changes that leave its keys as they were
(docs/performance.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from tests.ui.conftest import NOW, SIZE, settle
from tracker.ui.app import TrackerApp
from tracker.ui.data import Snapshot
from tracker.ui.first import FirstRead
from tracker.ui.screens.home import HomeScreen
from tracker.ui.widgets.footer import ViewFooter

MakeApp = Callable[..., TrackerApp]


def title_shown(app: Any) -> str:
    return str(app.screen.query_one("#next-title", Static).render())


async def test_a_first_read_done_before_start_fills_the_first_frame(
    make_app: MakeApp, demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = FirstRead(demo_db, NOW)
    assert first.wait(10)
    suggested = first.result()
    assert suggested is not None and suggested.overview.suggestion.challenge is not None
    events: list[str] = []
    show, mount = HomeScreen.show, TrackerApp.on_mount

    def shown(screen: HomeScreen, snapshot: Snapshot) -> None:
        events.append("home filled")
        show(screen, snapshot)

    def mounted(app: TrackerApp) -> None:
        events.append("app mounted")
        mount(app)

    monkeypatch.setattr(HomeScreen, "show", shown)
    monkeypatch.setattr(TrackerApp, "on_mount", mounted)
    app = make_app(demo_db, first=first)
    async with app.run_test(size=SIZE) as pilot:
        assert suggested.overview.suggestion.challenge.title in title_shown(app)
        # Filled as it was made, before the app's opening worker began (on mount).
        assert events[:2] == ["home filled", "app mounted"]
        await settle(pilot)
        assert app.store is not None


async def test_a_first_read_that_fails_is_shown_as_the_error(
    make_app: MakeApp, tmp_path: Path
) -> None:
    bad = tmp_path / "not-a-database.db"
    bad.write_bytes(b"this is not SQLite" * 100)
    first = FirstRead(str(bad), NOW)
    assert first.wait(10) and first.error is not None
    app = make_app(str(bad), first=first)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.failure is not None


async def test_the_footer_is_rebuilt_only_when_its_keys_change(
    make_app: MakeApp, demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuilds: list[str] = []
    recompose = ViewFooter.recompose

    async def counted(self: ViewFooter) -> None:
        rebuilds.append(self.screen.__class__.__name__)
        await recompose(self)

    monkeypatch.setattr(ViewFooter, "recompose", counted)
    first = FirstRead(demo_db, NOW)
    assert first.wait(10)
    app = make_app(demo_db, first=first)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Once, when the screen's keys are first known: the figures were there from the
        # first frame, so no key changed from dimmed to usable afterwards.
        assert rebuilds == ["HomeScreen"]
        footer = app.screen.query_one(ViewFooter)
        keys = {getattr(k, "key", None) for k in footer.query("FooterKey")}
        assert {"l", "q"} <= keys
        app.screen.refresh_bindings()  # the same keys
        await settle(pilot)
        assert rebuilds == ["HomeScreen"]
