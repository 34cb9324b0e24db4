"""On PostgreSQL too, reads load neither SQLAlchemy nor Alembic, and the PostgreSQL
driver is the only network code tracker has."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.test_layers import PACKAGE, imports_of
from tracker.store.repository import Store

#: Where the driver may be imported: the server module, and the app's change watcher.
DRIVER_MODULES = {"store/postgres.py", "store/watch.py"}
NETWORK = ("socket", "urllib", "http", "requests", "httpx", "ftplib", "smtplib", "ssl")


def test_the_postgresql_driver_is_the_only_network_code() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        where = str(path.relative_to(PACKAGE))
        for name in imports_of(path):
            top = name.split(".")[0]
            assert top not in NETWORK, f"{where} imports {name}"
            if top in ("psycopg", "psycopg2", "asyncpg", "pg8000"):
                assert top == "psycopg" and where in DRIVER_MODULES, f"{where} imports {name}"


def test_reading_a_current_server_database_loads_no_sqlalchemy(pg_url: str) -> None:
    Store.open(pg_url).close()
    env = {**os.environ, "TZ": "UTC"}
    for command in ("next", "progress", "history", "ladder"):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "tracker", "--db", pg_url, command],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            cwd=Path(__file__).parent,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        loaded = {
            line.rsplit("|", 1)[1].strip().split(".")[0]
            for line in proc.stderr.splitlines()
            if "|" in line
        }
        assert "psycopg" in loaded, command
        assert not loaded & {"sqlalchemy", "sqlmodel", "alembic", "textual"}, command
