"""Reading a tracker file with the standard library's sqlite3 alone.

`tracker next`, `tracker progress` and the app's first screen only read: the ladder,
the settings, the remembered climbs, the folded summary and a few recent attempts.
Through SQLAlchemy they would first pay for importing it (about 0.3 s, most of a quick
command); through sqlite3, on a read-only connection, they do not. The file is checked
as `Store.open` checks it (its header, its schema), and the rows become the same plain
values through tracker.store.rows and tracker.store.folding.

Anything else goes through `Store`: writes, upgrades, a file not made yet, a server
URL. `open_reader` answers None for those, and the caller opens a Store instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from tracker.clock import local_zone
from tracker.domain.models import Attempt, Challenge, Settings
from tracker.domain.people import THANKABLE, Person, ThankDue, due_since, thanks_due
from tracker.domain.summary import Summary
from tracker.store.database import (
    check_file,
    connect_read_only,
    explain,
    locate,
    newer_database,
    schema_revision,
)
from tracker.store.filters import HistoryFilter
from tracker.store.folding import read_challenges, read_state
from tracker.store.rows import ATTEMPT_COLUMNS, attempt_from, stored_time
from tracker.store.version import HEAD_REVISION, KNOWN_REVISIONS

_ATTEMPTS = f"SELECT {', '.join('a.' + c for c in ATTEMPT_COLUMNS)} FROM attempt a"
_COUNT = "SELECT count(*) FROM attempt a"
_PEOPLE = "SELECT id, label FROM person ORDER BY id"
_THANKABLE = (
    f"{_ATTEMPTS} WHERE a.outcome IN ({', '.join(repr(o.value) for o in sorted(THANKABLE))})"
    " AND a.who IS NOT NULL AND a.occurred_at >= :since"
    " AND NOT EXISTS (SELECT 1 FROM thank t WHERE t.attempt_id = a.id)"
)
_ASKS_WITH_PEOPLE = (
    f"{_ATTEMPTS} WHERE a.who IS NOT NULL AND a.outcome IS NOT NULL"
    " AND a.outcome != 'avoided' AND a.occurred_at >= :since ORDER BY a.occurred_at, a.id"
)
_SEARCHED = ("c.title", "c.slug", "a.who", "a.feared", "a.learned", "a.note")


def where_sql(where: HistoryFilter | None) -> tuple[str, dict[str, Any]]:
    """The joins and WHERE clause for a history filter, with named parameters.

    The same conditions as Store.attempts (tracker.store.repository._filtered), which a
    test checks on random filters.
    """
    if where is None:
        return "", {}
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if where.since is not None:
        conditions.append("a.occurred_at >= :since")
        params["since"] = stored_time(where.since)
    if where.outcome is not None:
        conditions.append("a.outcome = :outcome")
        params["outcome"] = where.outcome.value
    if where.planned is True:
        conditions.append("a.outcome IS NULL")
    elif where.planned is False:
        conditions.append("a.outcome IS NOT NULL")
    if where.rung is not None:
        conditions.append("c.rung = :rung")
        params["rung"] = where.rung
    if where.text:
        params["text"] = f"%{where.text.strip()}%"
        # As SQLAlchemy renders ilike on SQLite: SQLite's lower() on both sides.
        conditions.append(
            "(" + " OR ".join(f"lower({c}) LIKE lower(:text)" for c in _SEARCHED) + ")"
        )
    join = " JOIN challenge c ON c.id = a.challenge_id" if where.rung or where.text else ""
    return join + (" WHERE " + " AND ".join(conditions) if conditions else ""), params


class Reader:
    """A read-only view of one tracker file. Use as a context manager or call close()."""

    def __init__(self, path: Path, zone: tzinfo | None = None) -> None:
        self.path = path
        self.zone = zone if zone is not None else local_zone()
        try:
            # Transactions are begun here, explicitly (isolation_level=None).
            self._conn = connect_read_only(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as e:
            raise explain(e, str(path), path) from None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _query(self, sql: str, params: dict[str, Any] | None = None) -> list[Sequence[Any]]:
        return self._conn.execute(sql, params or {}).fetchall()

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """One read transaction (a consistent snapshot); any error becomes a plain one."""
        try:
            self._conn.execute("BEGIN")
            try:
                yield
            finally:
                self._conn.execute("COMMIT")
        except sqlite3.Error as e:
            raise explain(e, str(self.path), self.path) from None

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
        clause, params = where_sql(where)
        sql = f"{_ATTEMPTS}{clause} ORDER BY a.occurred_at DESC, a.id DESC"
        if limit is not None:
            sql += " LIMIT :limit OFFSET :offset"
            params |= {"limit": limit, "offset": offset}
        with self._reading():
            return [attempt_from(r) for r in self._query(sql, params)]

    def count_attempts(self, where: HistoryFilter | None = None) -> int:
        clause, params = where_sql(where)
        with self._reading():
            return int(self._query(_COUNT + clause, params)[0][0])

    # -- people (as tracker.store.people.PeopleStore reads them) --------------------

    def people(self) -> list[Person]:
        with self._reading():
            return [Person(id_, label) for id_, label in self._query(_PEOPLE)]

    def thanks_due(self, now: datetime) -> list[ThankDue]:
        """As Store.thanks_due: thank-yous due on `now`'s local day."""
        params = {"since": stored_time(due_since(now))}
        with self._reading():
            rows = self._query(_THANKABLE, params)
        return thanks_due([attempt_from(r) for r in rows], (), now)

    def asks_with_people_since(self, since: datetime) -> list[Attempt]:
        with self._reading():
            rows = self._query(_ASKS_WITH_PEOPLE, {"since": stored_time(since)})
        return [attempt_from(r) for r in rows]


def open_reader(db: str | None = None, zone: tzinfo | None = None) -> Reader | None:
    """A Reader on the database `db` names, when reading it needs nothing more.

    None when the Store must open it instead: a server URL, a file not made yet, or one
    whose schema needs an upgrade. A file that is not a tracker database, or one from a
    newer tracker, is refused here just as Store.open refuses it.
    """
    location = locate(db)
    if location.path is None or check_file(location.path):
        return None
    revision = schema_revision(location.path)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise newer_database(location.path, revision)
    if revision != HEAD_REVISION:
        return None
    return Reader(location.path, zone)
