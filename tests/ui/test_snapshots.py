"""SVG snapshots of each screen on a fixed clock and fixed data.

Update them after a deliberate change with `pytest tests/ui --snapshot-update`, and look
at the report before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot

from tests.ui.conftest import SIZE, settle
from tracker.ui.app import TrackerApp

MakeApp = Callable[..., TrackerApp]
SnapCompare = Callable[..., bool]


def after(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Wait for the database, press `keys`, and wait again."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


def test_home_first_run(snap_compare: SnapCompare, make_app: MakeApp, db: str) -> None:
    assert snap_compare(make_app(db), terminal_size=SIZE, run_before=after())


def test_home_with_history(snap_compare: SnapCompare, make_app: MakeApp, demo_db: str) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=after())


def test_ladder(snap_compare: SnapCompare, make_app: MakeApp, demo_db: str) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=after("2"))


def test_history(snap_compare: SnapCompare, make_app: MakeApp, demo_db: str) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=after("3"))


def test_insights(snap_compare: SnapCompare, make_app: MakeApp, demo_db: str) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=after("4"))


def test_log_form(snap_compare: SnapCompare, make_app: MakeApp, demo_db: str) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=after("l"))


def test_help(snap_compare: SnapCompare, make_app: MakeApp, demo_db: str) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=after("question_mark"))
