"""History: newest first, filters, delete with a real undo, and paging that stays quick."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from sqlalchemy import text
from textual.widgets import DataTable, Input, Select, Static

from tests.ui.conftest import NOW, SIZE, settle, stored
from tracker.domain.models import Outcome
from tracker.store.repository import Store
from tracker.ui.app import TrackerApp
from tracker.ui.screens.history import PAGE_SIZE

MakeApp = Callable[..., TrackerApp]


def bulk_log(db: str, count: int) -> None:
    """`count` attempts, one every ten minutes back from NOW, written in one statement."""
    outcomes = json.dumps([o.value for o in Outcome])
    start = NOW.strftime("%Y-%m-%d %H:%M:%S")
    statement = text(
        """
        WITH RECURSIVE
            n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :count - 1),
            c(id, k) AS (SELECT id, row_number() OVER (ORDER BY id) - 1 FROM challenge)
        INSERT INTO attempt (challenge_id, occurred_at, outcome, strategies, confidence)
        SELECT
            c.id,
            strftime('%Y-%m-%d %H:%M:%S', :start, printf('-%d minutes', 10 * (i + 1)))
                || '.000000',
            json_extract(:outcomes, '$[' || (i % 5) || ']'),
            '',
            i % 11
        FROM n JOIN c ON c.k = n.i % 12
        ORDER BY n.i
        """
    )
    with Store.open(db) as store, store.engine.begin() as conn:
        conn.execute(statement, {"count": count, "start": start, "outcomes": outcomes})


def label(app: TrackerApp) -> str:
    return str(app.screen.query_one("#page-label", Static).render())


async def test_delete_then_undo_restores_it_exactly(make_app: MakeApp, db: str) -> None:
    bulk_log(db, 3)
    with stored(db) as store:
        newest = store.attempts(limit=1)[0]
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        table = app.screen.query_one("#history", DataTable)
        assert table.row_count == 3
        await pilot.press("d")
        await settle(pilot)
        assert table.row_count == 2
        assert app.screen.query_one("#undo-bar").display
        with stored(db) as store:
            assert store.count_attempts() == 2
        await pilot.press("u")
        await settle(pilot)
        assert table.row_count == 3
        assert not app.screen.query_one("#undo-bar").display
    with stored(db) as store:
        assert store.attempt(newest.id) == newest


async def test_filters_by_text_outcome_and_rung(make_app: MakeApp, db: str) -> None:
    bulk_log(db, 60)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#history", DataTable)
        assert table.row_count == 60
        screen.query_one("#outcome", Select).value = Outcome.AVOIDED.value
        await settle(pilot)
        assert table.row_count == 12
        assert {table.get_row_at(i)[3] for i in range(12)} == {"didn't ask"}
        screen.query_one("#rung", Select).value = 1
        await settle(pilot)
        assert 0 < table.row_count < 12
        screen.query_one("#rung", Select).clear()
        screen.query_one("#outcome", Select).clear()
        await pilot.press("slash", *"time")
        await settle(pilot)
        assert isinstance(app.focused, Input)
        assert 0 < table.row_count < 60
        assert all("time" in str(table.get_row_at(i)[1]).lower() for i in range(table.row_count))


async def test_a_hundred_thousand_attempts_load_a_page_at_a_time(
    make_app: MakeApp, db: str
) -> None:
    bulk_log(db, 100_000)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        table = app.screen.query_one("#history", DataTable)
        assert table.row_count == PAGE_SIZE
        assert "1 to 200 of 100,000" in label(app)
        started = time.monotonic()
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert time.monotonic() - started < 2
        assert "201 to 400 of 100,000" in label(app)
        assert table.row_count == PAGE_SIZE
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "1 to 200" in label(app)
