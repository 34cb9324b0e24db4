"""Looking after the database file: a full check, and forgetting everything for good.

`check_database` reads only (PRAGMA integrity_check and foreign_key_check on a read-only
connection), so it is safe on a damaged file. `forget_all` deletes every attempt and
custom challenge with secure_delete on, puts the built-in ladder back as shipped, then
VACUUMs and truncates the write-ahead log so no deleted text stays in the file, its -wal
or its -shm, and removes tracker's own copies in the backups folder.
"""

from __future__ import annotations

import sqlite3
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import DBAPIError

from tracker.clock import local_zone
from tracker.store.backup import own_backups
from tracker.store.database import before_write
from tracker.store.errors import DamagedDatabase, StoreError, UnusableDatabase, database_error
from tracker.store.files import (
    BUSY_TIMEOUT_MS,
    Location,
    connect_read_only,
    needs_creating,
    schema_revision,
    wipe_free_pages,
)
from tracker.store.folding import fold_log, frame_of, stored_summary
from tracker.store.lock import refuse_unless_alone
from tracker.store.people import given_t, person_t, thank_t
from tracker.store.repository import Store, attempt_t, bump_generation, challenge_t
from tracker.store.schema import RungClimbRow
from tracker.store.seed import builtin_challenges
from tracker.store.sql import Query
from tracker.store.version import HEAD_REVISION, KNOWN_REVISIONS

climb_t = RungClimbRow.__table__  # type: ignore[attr-defined]

#: How many problems integrity_check reports at most.
MAX_PROBLEMS = 100


@dataclass(frozen=True, slots=True)
class CheckReport:
    path: Path | str  # a file, or a server database's URL (password hidden)
    integrity: list[str]  # what integrity_check found wrong; empty when nothing
    foreign_keys: list[dict[str, Any]]  # rows pointing at a missing row
    summary: list[str] = field(default_factory=list)  # the stored summary against the log

    @property
    def ok(self) -> bool:
        return not self.integrity and not self.foreign_keys and not self.summary

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "integrity": self.integrity,
            "foreign_keys": self.foreign_keys,
            "summary": self.summary,
            "path": str(self.path),
        }


def summary_problems(query: Query, zone: tzinfo) -> list[str]:
    """What is wrong with the stored summary that readers would take as current: it must
    equal a fresh fold of the log. A stale one is no problem (readers fold the log
    themselves, and the next change refreshes it)."""
    frame, _, _ = frame_of(query, zone)
    stored, log_version, state_version = stored_summary(query, frame)
    if stored is None or state_version != log_version:
        return []
    if stored.to_json() != fold_log(query, frame).to_json():
        return ["the stored summary does not match a fresh fold of the log"]
    return []


def check_database(path: Path) -> CheckReport:
    """Every page, record, index and constraint of `path`, and every link between rows.

    Raises NotATrackerDatabase for a file tracker did not make, UnusableDatabase when
    there is no file; damage is reported, not raised.
    """
    if not path.exists():
        raise UnusableDatabase(f"there is no database at {path}; nothing to check")
    needs_creating(path)  # refuses a file tracker did not make
    integrity: list[str] = []
    foreign_keys: list[dict[str, Any]] = []
    try:
        raw = connect_read_only(path)
    except sqlite3.Error as e:
        raise database_error(e, str(path), path) from None
    try:
        try:
            rows = raw.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})").fetchall()
            found = [str(r[0]) for r in rows]
            integrity = [] if found == ["ok"] else found
        except sqlite3.DatabaseError as e:
            problem = database_error(e, str(path), path)
            if not isinstance(problem, DamagedDatabase):  # busy or unreadable: not damage
                raise problem from None
            integrity = [str(e)]
        try:
            for table, rowid, parent, _fk in raw.execute("PRAGMA foreign_key_check"):
                foreign_keys.append({"table": table, "rowid": rowid, "parent": parent})
        except sqlite3.DatabaseError as e:
            if not integrity:
                integrity = [str(e)]
        summary: list[str] = []
        if not integrity and schema_revision(path) == HEAD_REVISION:
            try:
                summary = summary_problems(lambda sql: raw.execute(sql).fetchall(), local_zone())
            except sqlite3.DatabaseError as e:
                integrity = [str(e)]
    finally:
        raw.close()
    return CheckReport(path, integrity, foreign_keys, summary)


#: Attempts whose challenge is missing (PostgreSQL's own foreign key should make it none).
ORPHANS_SQL = (
    "SELECT a.id FROM attempt a LEFT JOIN challenge c ON c.id = a.challenge_id"
    " WHERE c.id IS NULL ORDER BY a.id"
)


def check_server(location: Location) -> CheckReport:
    """The checks that make sense on a PostgreSQL database, reading only: every attempt
    points at its challenge, every constraint is validated, and the stored summary
    equals a fresh fold of the log. Pages and indexes are the server's to look after."""
    from tracker.store.postgres import connect, server_error  # brings psycopg

    label = location.label
    try:
        with connect(location.url) as conn:
            conn.read_only = True
            known = conn.execute("SELECT to_regclass('alembic_version')").fetchone()
            if not known or known[0] is None:
                raise UnusableDatabase(f"there is no tracker database at {label}; nothing to check")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(row[0]) if row else None
            if revision is not None and revision not in KNOWN_REVISIONS:
                raise UnusableDatabase(
                    f"{label} was written by a newer version of tracker (schema {revision}); "
                    "upgrade tracker to check it"
                )
            foreign_keys = [
                {"table": "attempt", "rowid": rowid, "parent": "challenge"}
                for (rowid,) in conn.execute(ORPHANS_SQL).fetchall()
            ]
            integrity = [
                f"constraint {name} is not validated"
                for (name,) in conn.execute(
                    "SELECT conname FROM pg_constraint c JOIN pg_namespace n"
                    " ON n.oid = c.connamespace WHERE n.nspname = current_schema()"
                    " AND NOT c.convalidated ORDER BY conname"
                ).fetchall()
            ]
            summary: list[str] = []
            if revision == HEAD_REVISION:
                summary = summary_problems(lambda sql: conn.execute(sql).fetchall(), local_zone())
    except StoreError:
        raise
    except Exception as e:
        raise server_error(e, label) from None
    return CheckReport(label, integrity, foreign_keys, summary)


@dataclass(frozen=True, slots=True)
class ForgetReport:
    attempts: int
    custom_challenges: int
    backups_removed: list[Path] = field(default_factory=list)
    log_cleared: bool = True  # False: another program kept the -wal file from being emptied


def forget_all(store: Store) -> ForgetReport:
    """Delete every attempt and custom challenge for good; the ladder goes back as shipped.

    Settings stay. Copies elsewhere than the backups folder cannot be known, so stay too.
    """
    refuse_unless_alone(store.lock, store.location.label, "tracker forget --all --yes")
    shipped = [c.model_dump(mode="json") for c in builtin_challenges()]
    engine = store.engine
    sqlite = engine.dialect.name == "sqlite"
    cleared = True
    try:
        # No daily copy first: that copy would keep what is being forgotten.
        before_write(engine, daily_backup=False)
        with engine.connect() as conn:
            raw: Any = conn.connection.driver_connection
            if sqlite:
                raw.execute("PRAGMA secure_delete = ON")  # deleted content is zeroed
            try:
                conn = conn.execution_options(tracker_write=True)
                with conn.begin():
                    attempts = conn.execute(select(func.count()).select_from(attempt_t))
                    attempt_count = int(attempts.scalar_one())
                    custom = conn.execute(
                        select(func.count())
                        .select_from(challenge_t)
                        .where(challenge_t.c.builtin.is_(False))
                    )
                    custom_count = int(custom.scalar_one())

                    for people_table in (thank_t, given_t, person_t):
                        conn.execute(delete(people_table))  # whom they asked, thanked, helped
                    conn.execute(delete(attempt_t))
                    conn.execute(delete(climb_t))  # climbs the forgotten asks made
                    from tracker.store import undo

                    undo.clear(conn)  # a deleted ask kept for an undo goes too
                    conn.execute(delete(challenge_t))
                    conn.execute(insert(challenge_t), shipped)
                    store.refresh_summary(conn)  # the stored summary of the log, now empty
                    # What anyone read before (an app's undo) may no longer be written.
                    generation = bump_generation(conn)
                if sqlite:
                    cleared = wipe_free_pages(raw)
            finally:
                if sqlite:
                    raw.execute("PRAGMA secure_delete = OFF")
                    raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except (sqlite3.Error, DBAPIError) as e:
        raise database_error(e, store.location.label, store.location.path) from None
    store.generation = generation
    removed: list[Path] = []
    if store.location.path is not None:
        for copy in own_backups(store.location.path):
            with suppress(FileNotFoundError):
                copy.unlink()
                removed.append(copy)
    return ForgetReport(attempt_count, custom_count, removed, cleared)
