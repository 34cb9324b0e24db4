"""`tracker forget --all --yes` while the app is open is refused (exit 1), and the app's
undo can never bring a forgotten attempt back."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.store.helpers import cli
from tests.ui.conftest import SIZE, settle, stored
from tests.ui.test_history import bulk_log
from tracker.store import lock as lock_module
from tracker.store.maintenance import forget_all
from tracker.ui.app import TrackerApp

MakeApp = Callable[..., TrackerApp]


async def test_forget_is_refused_while_the_app_is_open(make_app: MakeApp, db: str) -> None:
    bulk_log(db, 3)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        code, out, err = cli("forget", "--all", "--yes", db=Path(db))
        assert code == 1, (out, err)
        assert err.startswith("error: ") and "open" in err and len(err.splitlines()) == 1
        with stored(db) as store:
            assert store.count_attempts() == 3
    code, _, err = cli("forget", "--all", "--yes", db=Path(db))
    assert code == 0, err


async def test_forget_is_refused_while_the_app_shows_its_first_read(
    make_app: MakeApp, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the app's Store opens, its first screen already holds the history."""
    from tracker.store.errors import UnusableDatabase
    from tracker.store.repository import Store

    bulk_log(db, 3)
    original = Store.open

    def not_for_the_app(cls: type[Store], *args: Any, **kwargs: Any) -> Store:
        if threading.current_thread() is not threading.main_thread():  # the app's worker
            raise UnusableDatabase("the app's Store stays closed in this test")
        return original(*args, **kwargs)

    monkeypatch.setattr(Store, "open", classmethod(not_for_the_app))
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.snapshot is not None and app.store is None
        code, _, err = cli("forget", "--all", "--yes", db=Path(db))
        assert code == 1 and "nothing was forgotten" in err, err
        with stored(db) as store:
            assert store.count_attempts() == 3


async def test_undo_after_a_forget_brings_nothing_back(
    make_app: MakeApp, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no lock can be had (some network file systems), the generation check holds."""
    for name in ("tracker.store.repository.hold", "tracker.store.reader.hold"):
        monkeypatch.setattr(name, lambda *a, **k: None, raising=False)
    monkeypatch.setattr(lock_module, "hold", lambda *a, **k: None)
    bulk_log(db, 3)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        with stored(db) as other:
            forget_all(other)
        await pilot.press("u")
        await settle(pilot)
        with stored(db) as store:
            assert store.count_attempts() == 0, "the forgotten attempt stays forgotten"
        assert any("forgotten" in n.message for n in app._notifications), "and it says why"
