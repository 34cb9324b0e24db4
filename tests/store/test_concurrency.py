"""Concurrent use: CLI writers, a reader and the open app at once, never "database is locked".

Also checks the settings that make it so: WAL, a busy timeout of at least 5 s, and
writes that take the write lock at BEGIN (BEGIN IMMEDIATE), so a writer waits for
another instead of failing half-way through its transaction.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.store import driver
from tests.store.helpers import finish, integrity, rows, start
from tracker.store.database import writing
from tracker.store.files import BUSY_TIMEOUT_MS
from tracker.store.repository import Store

WRITES = 10  # per CLI writer


def test_two_cli_writers_a_reader_and_the_open_app_at_once(db_path: Path) -> None:
    """Everything starts together on a file that does not exist yet."""
    procs = {
        "cli-a": start("cli-writer", db_path, WRITES, "cli-a"),
        "cli-b": start("cli-writer", db_path, WRITES, "cli-b"),
        "reader": start("cli-reader", db_path, 6),
        "app": start("app", db_path, 2, "app"),
    }
    results = {name: driver.parse(finish(proc)) for name, proc in procs.items()}
    problems = {name: r["fail"] + r["error"] for name, r in results.items()}
    assert not any(problems.values()), problems

    reported: dict[int, str] = {}
    for r in results.values():
        reported.update(r["ok"])
    assert len(results["cli-a"]["ok"]) == len(results["cli-b"]["ok"]) == WRITES
    assert len(results["app"]["ok"]) >= 2, "the app should have written along the way"
    assert len(results["reader"]["read"]) == 6 and len(results["app"]["read"]) >= 5
    stored = dict(rows(db_path, "attempt", "id, note"))
    assert stored == reported, "every write stored, nothing else"
    assert integrity(db_path) == ["ok"]


def test_the_connection_settings(db_path: Path) -> None:
    with Store.open(str(db_path)) as store, store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert (conn.execute(text("PRAGMA busy_timeout")).scalar() or 0) >= 5000
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert BUSY_TIMEOUT_MS >= 5000


def test_writes_take_the_write_lock_at_begin(db_path: Path) -> None:
    """Inside `writing()`, before any statement, another writer is already kept out."""
    with Store.open(str(db_path)) as store:
        other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
        try:
            with writing(store.engine):
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
                assert other.execute("SELECT count(*) FROM challenge").fetchone()[0] > 0
            other.execute("BEGIN IMMEDIATE")  # free again once it is done
            other.execute("ROLLBACK")
        finally:
            other.close()


def test_reads_do_not_take_the_write_lock(db_path: Path) -> None:
    with Store.open(str(db_path)) as store, store.engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM attempt")).scalar()  # a read transaction
        other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        finally:
            other.close()


def test_a_writer_waits_for_another_instead_of_failing(db_path: Path) -> None:
    """A lock held for a while (shorter than the busy timeout) only delays a write."""
    import threading
    import time
    from datetime import UTC, datetime

    with Store.open(str(db_path)) as store:
        challenge_id = store.challenge(driver.SLUG).id
        holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
        threading.Timer(0.5, lambda: holder.execute("COMMIT")).start()
        began = time.monotonic()
        attempt = store.add_attempt(
            {"challenge_id": challenge_id, "occurred_at": datetime.now(UTC), "outcome": "helped"}
        )
        assert time.monotonic() - began >= 0.4
        assert store.attempt(attempt.id) == attempt
        holder.close()
