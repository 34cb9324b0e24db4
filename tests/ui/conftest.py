"""Pilot and snapshot tests share these: a fixed clock, a fresh database per test, and a
way to wait until every worker has answered.

Async tests run under asyncio.run (see pytest_pyfunc_call below), so no plugin is needed.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tracker.demo import fill_demo
from tracker.store.repository import Store
from tracker.ui.app import TrackerApp, create_app

#: Sunday 22 November 2026, 10:00 UTC: the same moment as the CLI tests.
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
SIZE = (120, 40)


def clock() -> datetime:
    return NOW


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = inspect.signature(pyfuncitem.obj).parameters
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    asyncio.run(pyfuncitem.obj(**kwargs))
    return True


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A path for this test's own database (created by the app on first open)."""
    return str(tmp_path / "tracker.db")


@pytest.fixture
def demo_db(db: str) -> str:
    """This test's database, filled with the demo history at NOW."""
    with Store.open(db) as store:
        fill_demo(store, NOW)
    return db


@pytest.fixture
def make_app() -> Callable[..., TrackerApp]:
    def make(db: str | None, **options: Any) -> TrackerApp:
        return create_app(db, clock=clock, **options)

    return make


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until workers are done and their messages handled (writes chain to reloads)."""
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def stored(db: str) -> Store:
    """The database as another process would see it."""
    return Store.open(db)
