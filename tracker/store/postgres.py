"""A tracker database on a PostgreSQL server, through psycopg 3.

`tracker --db postgresql://user@host/dbname` (or `postgresql+psycopg://`, or
$TRACKER_DB). Passwords are best left to libpq: PGPASSWORD or ~/.pgpass work as they
do for psql, because nothing here overrides them; a password in the URL works too and
is never printed.

What SQLite's file locking gives tracker, PostgreSQL gets from one advisory lock
(ADVISORY_KEY): every write transaction, and the transaction that creates or upgrades
the schema, takes it first (pg_advisory_xact_lock, released at commit or rollback).
So several processes opening an empty database at once create it once, and two
writers on two machines never fold the summary from the same old state: under READ
COMMITTED each statement after the lock sees everything committed before it.

psycopg is imported only here, and only when a server URL is used.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from tracker.store.errors import DamagedDatabase, UnusableDatabase, newer_database
from tracker.store.sql import REVISION_SQL
from tracker.store.url import hide_password, libpq_url, sqlalchemy_url
from tracker.store.version import HEAD_REVISION, KNOWN_REVISIONS

if TYPE_CHECKING:
    import psycopg  # only for a server
    from sqlalchemy import Connection, Engine

#: pg_advisory_xact_lock's key for tracker's writes and upgrades ("TRKR").
ADVISORY_KEY = 0x54524B52
#: How long a statement may wait for the lock or a row before giving up (ms).
LOCK_TIMEOUT_MS = 10_000
CONNECT_TIMEOUT_S = 10


def _where(url: str) -> str:
    """HOST:PORT the URL points at (libpq's defaults filled in)."""
    try:
        from psycopg.conninfo import conninfo_to_dict  # psycopg, only for a server

        info = conninfo_to_dict(libpq_url(url))
    except Exception:
        info = {}
    host = str(info.get("host") or info.get("hostaddr") or "localhost")
    port = str(info.get("port") or "5432")
    return f"{host}:{port}"


def _reason(error: BaseException) -> str:
    """libpq's own words for why it failed, first line, without its prefixes."""
    text = str(getattr(error, "orig", None) or error).strip()
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    line = line.rsplit(" failed: ", 1)[-1]
    line = re.sub(r"^(connection failed: |FATAL:\s*|ERROR:\s*)+", "", line).strip()
    return (line[:1].lower() + line[1:]) if line else type(error).__name__


def is_connection_error(error: BaseException) -> bool:
    """Whether `error` (psycopg's or SQLAlchemy's wrapper) means the server could not be
    reached or refused the session, rather than a problem with a statement."""
    try:
        import psycopg  # only for a server
    except ImportError:  # pragma: no cover - only called once psycopg was used
        return False
    inner = getattr(error, "orig", None) or error
    if getattr(error, "connection_invalidated", False):
        return True
    if not isinstance(inner, psycopg.OperationalError):
        return False
    sqlstate = getattr(inner, "sqlstate", None) or ""
    return sqlstate == "" or sqlstate.startswith(("08", "28", "3D", "57P"))


def connection_error(url: str, error: BaseException) -> UnusableDatabase:
    """'could not connect to HOST:PORT: REASON', never with a password in it."""
    return UnusableDatabase(
        hide_password(f"could not connect to {_where(url)}: {_reason(error)}; nothing was saved")
    )


def server_error(error: BaseException, label: str) -> UnusableDatabase:
    """The plain error for a server error (see tracker.store.errors.database_error); `label`
    is the database's URL with its password hidden."""
    if is_connection_error(error):
        return connection_error(label, error)
    reason = hide_password(_reason(error))
    lowered = reason.lower()
    if "lock timeout" in lowered or "deadlock" in lowered or "canceling statement" in lowered:
        return UnusableDatabase(
            f"{label} is busy: another program kept it locked; nothing was saved. "
            "Try again in a moment"
        )
    if "permission denied" in lowered or "read-only" in lowered:
        return UnusableDatabase(
            f"{label} cannot be written ({reason}); check that your role may write to it"
        )
    if "no space" in lowered or "disk full" in lowered:
        return UnusableDatabase(
            f"{label} could not be written because the server's disk is full; nothing was "
            "saved. Free some space and try again"
        )
    return DamagedDatabase(
        f"{label} could not be read ({reason}); tracker left it as it was. To go on, "
        "restore it from your server's backup, or give another database with --db"
    )


def _driver() -> None:
    """Make sure psycopg is there, or say in one line how to get it."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise UnusableDatabase(
            "a PostgreSQL database needs the psycopg driver, which is not installed: "
            "pip install 'tracker[postgres]'"
        ) from None


def connect(url: str, **options: Any) -> psycopg.Connection[Any]:
    """A psycopg connection (for reads that need no SQLAlchemy)."""
    _driver()
    import psycopg  # only for a server

    try:
        return psycopg.connect(libpq_url(url), connect_timeout=CONNECT_TIMEOUT_S, **options)
    except psycopg.Error as e:
        raise connection_error(url, e) from None


def connect_for_reading(url: str) -> psycopg.Connection[Any]:
    """A connection whose every transaction is one read-only snapshot (REPEATABLE READ):
    the several statements of one read agree with each other."""
    conn = connect(url)  # first: it says how to get psycopg when it is missing
    import psycopg  # only for a server

    conn.read_only = True
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    return conn


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
    dbapi_connection.commit()


def _on_begin(connection: Connection) -> None:
    if connection.get_execution_options().get("tracker_write"):
        from tracker.store.watch import CHANNEL  # watch imports this module

        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({ADVISORY_KEY})")
        # Delivered to LISTENing apps if, and when, this transaction commits.
        connection.exec_driver_sql(f"NOTIFY {CHANNEL}")


def make_engine(url: str) -> Engine:
    """An engine on the server; write transactions take tracker's advisory lock first."""
    from sqlalchemy import create_engine, event  # SQLAlchemy: reads need none

    _driver()
    engine = create_engine(
        sqlalchemy_url(url),
        hide_parameters=True,
        pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def open_server(url: str, label: str) -> Engine:
    """An engine on a ready, current server database (created or upgraded as needed).

    A server that cannot be reached says so, before anything else is tried.
    """
    from tracker.store.database import _upgrade  # database imports this module

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            known = conn.exec_driver_sql("SELECT to_regclass('alembic_version')").scalar()
            revision = conn.exec_driver_sql(REVISION_SQL).scalar() if known else None
    except Exception as e:
        engine.dispose()
        raise connection_error(url, e) from None
    if revision is not None and revision not in KNOWN_REVISIONS:
        engine.dispose()
        raise newer_database(label, str(revision))
    if revision == HEAD_REVISION:
        return engine
    try:
        _upgrade(engine, label)  # under the advisory lock: one process creates it
    except Exception:
        engine.dispose()
        raise
    return engine
