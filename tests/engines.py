"""One fixture for tests that must hold on both engines: `any_db` is this test's own
database, a SQLite file and then an empty PostgreSQL database on the suite's server."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(params=ENGINES)
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "data" / "tracker.db"
        path.parent.mkdir(mode=0o700, exist_ok=True)  # tracker makes no folder for a named path
        return str(path)
    url: str = request.getfixturevalue("pg_url")
    return url


def is_server(db: str) -> bool:
    return db.startswith("postgresql")


@contextmanager
def raw_connection(db: str) -> Iterator[Any]:
    """A plain driver connection to `db` that commits on success (for tampering)."""
    if is_server(db):
        import psycopg

        with psycopg.connect(db) as conn:
            yield conn
        return
    lite = sqlite3.connect(db)
    try:
        yield lite
        lite.commit()
    finally:
        lite.close()


def placeholder(db: str) -> str:
    return "%s" if is_server(db) else "?"
