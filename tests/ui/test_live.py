"""The open app shows changes written by other processes within 2 seconds, on SQLite
and on PostgreSQL, without losing a form being filled in or the History position."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from tests.store.helpers import ROOT, TIME, env
from tests.ui.conftest import NOW, SIZE, settle, stored
from tests.ui.test_history import bulk_log
from tracker.store.repository import Store
from tracker.ui.app import PALETTE, TrackerApp

MakeApp = Callable[..., TrackerApp]
#: What the issue promises: a change made elsewhere is on screen within this (seconds).
WITHIN = 2.0


async def shown_within(pilot: Pilot[Any], seen: Callable[[], bool], limit: float = WITHIN) -> float:
    """Seconds until `seen()` holds; fails when it does not within `limit`."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        await pilot.pause(0.05)
        if seen():
            return time.monotonic() - start
    raise AssertionError(f"not shown within {limit} s")


def total_line(app: TrackerApp) -> str:
    return str(app.screen.query_one("#total", Static).render())


def log_elsewhere(db: str, minutes_ago: int = 5, note: str | None = None) -> int:
    """One completed ask written through a connection of its own, as another process."""
    with Store.open(db) as store:
        challenge = store.challenge(TIME)
        attempt = store.add_attempt(
            {
                "challenge_id": challenge.id,
                "occurred_at": NOW - timedelta(minutes=minutes_ago),
                "outcome": "helped",
                "confidence": 8,
                "note": note,
            }
        )
        return attempt.id


async def opened(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, TrackerApp)
    while app.store is None or app.snapshot is None:
        await pilot.pause(0.05)
    await settle(pilot)


async def test_a_write_elsewhere_shows_on_home(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert total_line(app).startswith("0 asks")
        await asyncio.to_thread(log_elsewhere, db)
        await shown_within(pilot, lambda: total_line(app).startswith("1 ask "))


async def test_the_cli_in_another_process_shows_up(make_app: MakeApp, any_db: str) -> None:
    app = make_app(any_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        result = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "tracker", "--db", any_db, "log", TIME, "--outcome", "partly"],
            capture_output=True,
            text=True,
            env=env(),
            cwd=ROOT,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        await shown_within(pilot, lambda: total_line(app).startswith("1 ask "))


async def test_history_keeps_its_place_when_a_write_lands(make_app: MakeApp, db: str) -> None:
    bulk_log(db, 80)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("3")
        await settle(pilot)
        table = app.screen.query_one("#history", DataTable)
        assert table.row_count == 80
        table.focus()
        table.move_cursor(row=50, animate=False)
        await settle(pilot)
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        height = table.cursor_row - table.scroll_y
        assert table.scroll_y > 0, "scrolled down, as a reader looking back would be"

        await asyncio.to_thread(log_elsewhere, db, 1, "newest of all")
        await shown_within(pilot, lambda: table.row_count == 81)
        await settle(pilot)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == key
        assert table.cursor_row - table.scroll_y == height, "the same row at the same height"


async def test_a_form_being_filled_in_is_kept(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        who = form.query_one("#who", Input)
        who.focus()
        await pilot.press(*"my neighbour")
        loads = app._loads

        await asyncio.to_thread(log_elsewhere, db)
        await shown_within(pilot, lambda: app._loads > loads and app.snapshot is not None)
        await settle(pilot)
        assert app.snapshot is not None and app.snapshot.attempts_total == 1
        assert app.screen is form and who.value == "my neighbour" and who.has_focus


async def test_r_and_the_palette_refresh_at_once(
    make_app: MakeApp, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tracker.ui.app.follow", lambda app, location: None)  # no watching
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        log_elsewhere(db)
        await pilot.pause(0.7)
        await settle(pilot)
        assert total_line(app).startswith("0 asks"), "not watching: nothing changes by itself"
        await pilot.press("r")
        await settle(pilot)
        assert total_line(app).startswith("1 ask ")
        log_elsewhere(db, 3)
        await app.run_action("reload")
        await settle(pilot)
        assert total_line(app).startswith("2 asks")
    assert any(action == "reload" for _, _, action in PALETTE)


def test_watching_a_file_is_cheap_and_sees_only_commits(db: str) -> None:
    """The SQLite watcher reads PRAGMA data_version: no change, no answer."""
    from tracker.store.files import locate
    from tracker.store.watch import changes

    with stored(db):
        pass
    watcher = changes(locate(db))
    assert watcher is not None
    try:
        assert not watcher.changed(0)
        log_elsewhere(db)
        assert watcher.changed(0)
        assert not watcher.changed(0)
    finally:
        watcher.close()
