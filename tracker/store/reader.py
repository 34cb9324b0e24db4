"""Reading a tracker database without SQLAlchemy: the standard library's sqlite3 on a
SQLite file, psycopg directly on a PostgreSQL server.

`tracker next`, `progress`, `ladder`, `history` and the app's first screen only read:
the ladder, the settings, the remembered climbs, the folded summary and some attempts.
Through SQLAlchemy they would first pay for importing it and for Alembic (most of a
quick command); through the driver alone they do not. A file is checked as `Store.open`
checks it (its header, its schema revision); a server database's schema revision is
read the same way. The statements are tracker.store.sql's, the same ones the Store
runs, and the rows become the same plain values through tracker.store.rows and
tracker.store.folding.

Anything else goes through `Store`: writes, upgrades, a database not made yet.
`open_reader` answers None for those, and the caller opens a Store instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, tzinfo
from typing import Any

from tracker.clock import local_zone
from tracker.domain.models import Attempt, Challenge, Settings
from tracker.domain.people import Person, ThankDue, due_since, thanks_due
from tracker.domain.summary import Summary
from tracker.store.errors import StoreError, database_error, newer_database
from tracker.store.files import (
    Location,
    connect_read_only,
    locate,
    needs_creating,
    schema_revision,
    sqlite_uri,
)
from tracker.store.filters import HistoryFilter
from tracker.store.folding import read_challenges, read_state
from tracker.store.lock import hold
from tracker.store.rows import attempt_from, stored_time
from tracker.store.sql import (
    ASKS_WITH_PEOPLE_SQL,
    PEOPLE_SQL,
    REVISION_SQL,
    THANKABLE_SQL,
    attempts_sql,
    count_sql,
    for_server,
)
from tracker.store.url import is_server_url
from tracker.store.version import HEAD_REVISION, KNOWN_REVISIONS


class Reader:
    """A read-only view of one tracker database. Use as a context manager or call close().

    Each method reads in one transaction (a consistent snapshot: on PostgreSQL, a
    read-only REPEATABLE READ one)."""

    def __init__(self, location: Location, zone: tzinfo | None = None) -> None:
        self.location = location
        self.zone = zone if zone is not None else local_zone()
        self._server = location.path is None
        self._conn: Any
        # Held while open, so `forget` knows (never made here: reading makes no file).
        self._lock = None if location.path is None else hold(location.path, create=False)
        if self._server:
            from tracker.store.postgres import connect_for_reading  # brings psycopg

            self._conn = connect_for_reading(location.url)
        else:
            assert location.path is not None
            try:
                # Transactions are begun here, explicitly (isolation_level=None).
                self._conn = connect_read_only(
                    location.path, isolation_level=None, check_same_thread=False
                )
            except sqlite3.Error as e:
                if self._lock is not None:
                    self._lock.close()
                raise database_error(e, str(location.path), location.path) from None

    def close(self) -> None:
        self._conn.close()
        if self._lock is not None:
            self._lock.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _query(self, sql: str, params: dict[str, Any] | None = None) -> list[Sequence[Any]]:
        if self._server:
            rows: list[Sequence[Any]] = self._conn.execute(
                for_server(sql, params), params or None
            ).fetchall()
            return rows
        result: list[Sequence[Any]] = self._conn.execute(sql, params or {}).fetchall()
        return result

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """One read transaction; any driver error becomes a plain one."""
        try:
            if self._server:
                with self._conn.transaction():
                    yield
                self._conn.commit()
                return
            self._conn.execute("BEGIN")
            try:
                yield
            finally:
                self._conn.execute("COMMIT")
        except StoreError:
            raise
        except Exception as e:
            if not _is_driver_error(e):
                raise
            raise database_error(e, self.location.label, self.location.path) from None

    def state(self) -> tuple[Summary, list[Challenge], Settings]:
        """As Store.state: the log's summary, the ladder and the settings."""
        with self._reading():
            return read_state(self._query, self.zone)

    def challenges(self) -> list[Challenge]:
        with self._reading():
            return read_challenges(self._query)

    def attempts(
        self, where: HistoryFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Attempt]:
        """As Store.attempts: newest first."""
        sql, params = attempts_sql(where, limit, offset)
        with self._reading():
            return [attempt_from(r) for r in self._query(sql, params)]

    def count_attempts(self, where: HistoryFilter | None = None) -> int:
        sql, params = count_sql(where)
        with self._reading():
            return int(self._query(sql, params)[0][0])

    # -- people (as tracker.store.people.PeopleStore reads them) --------------------

    def people(self) -> list[Person]:
        with self._reading():
            return [Person(id_, label) for id_, label in self._query(PEOPLE_SQL)]

    def thanks_due(self, now: datetime) -> list[ThankDue]:
        """As Store.thanks_due: thank-yous due on `now`'s local day."""
        params = {"since": stored_time(due_since(now))}
        with self._reading():
            rows = self._query(THANKABLE_SQL, params)
        return thanks_due([attempt_from(r) for r in rows], (), now)

    def asks_with_people_since(self, since: datetime) -> list[Attempt]:
        with self._reading():
            rows = self._query(ASKS_WITH_PEOPLE_SQL, {"since": stored_time(since)})
        return [attempt_from(r) for r in rows]


def _is_driver_error(error: BaseException) -> bool:
    if isinstance(error, sqlite3.Error):
        return True
    module = type(error).__module__
    return module.startswith("psycopg")


def _server_revision(location: Location) -> tuple[Reader | None, str | None]:
    """A Reader on a server database and its schema revision (None: no schema yet)."""
    reader = Reader(location)
    try:
        with reader._reading():
            exists = reader._query("SELECT to_regclass('alembic_version')")
            rows = reader._query(REVISION_SQL) if exists and exists[0][0] else []
    except BaseException:
        reader.close()
        raise
    return reader, (str(rows[0][0]) if rows else None)


def nothing_saved(location: Location) -> bool:
    """Whether nothing is saved at `location` yet (a file not made, or a server database
    without tracker's tables), so that a command that only reads creates nothing."""
    if location.path is not None:
        return needs_creating(location.path)
    if not is_server_url(location.url):
        return False
    reader, revision = _server_revision(location)
    if reader is not None:
        reader.close()
    return revision is None


def open_reader(db: str | None = None, zone: tzinfo | None = None) -> Reader | None:
    """A Reader on the database `db` names, when reading it needs nothing more.

    None when the Store must open it instead: a database not made yet, one whose
    schema needs an upgrade, or a URL of another kind. A file that is not a tracker
    database, or a database from a newer tracker, is refused here as Store.open
    refuses it.
    """
    location = locate(db)
    if location.path is None:
        if not is_server_url(location.url):
            return None
        reader, revision = _server_revision(location)
        assert reader is not None
        if revision == HEAD_REVISION:
            reader.zone = zone if zone is not None else reader.zone
            return reader
        reader.close()
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise newer_database(location.label, revision)
        return None
    if needs_creating(location.path):
        return None
    revision = schema_revision(location.path)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise newer_database(location.path, revision)
    if revision != HEAD_REVISION:
        return None
    return Reader(location, zone)


def read_support_contact(db: str | None = None) -> str:
    """The saved support contact, or "" when there is none or the file cannot be read
    at all (missing, damaged, locked, not a tracker file, a server URL): Support must
    show whatever is wrong. Read-only, waiting half a second at most; nothing is made,
    upgraded or written."""
    try:
        location = locate(db)
        if location.path is None or not location.path.is_file():
            return ""
        conn = sqlite3.connect(sqlite_uri(location.path), uri=True, timeout=0.5)
        try:
            row = conn.execute("SELECT value FROM setting WHERE key = 'support_contact'").fetchone()
        finally:
            conn.close()
    except Exception:  # whatever is wrong with the file, the support text still shows
        return ""
    return row[0] if row and isinstance(row[0], str) else ""
