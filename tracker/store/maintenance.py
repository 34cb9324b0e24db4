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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import DBAPIError

from tracker.store.database import (
    BUSY_TIMEOUT_MS,
    before_write,
    check_file,
    connect_read_only,
    explain,
)
from tracker.store.errors import DamagedDatabase, UnusableDatabase

if TYPE_CHECKING:
    from tracker.store.repository import Store

#: How many problems integrity_check reports at most.
MAX_PROBLEMS = 100
#: How long forgetting waits for other readers before emptying the -wal file (ms).
CHECKPOINT_WAIT_MS = 1000


@dataclass(frozen=True, slots=True)
class CheckReport:
    path: Path
    integrity: list[str]  # what integrity_check found wrong; empty when nothing
    foreign_keys: list[dict[str, Any]]  # rows pointing at a missing row

    @property
    def ok(self) -> bool:
        return not self.integrity and not self.foreign_keys

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "integrity": self.integrity,
            "foreign_keys": self.foreign_keys,
            "path": str(self.path),
        }


def check_database(path: Path) -> CheckReport:
    """Every page, record, index and constraint of `path`, and every link between rows.

    Raises NotATrackerDatabase for a file tracker did not make, UnusableDatabase when
    there is no file; damage is reported, not raised.
    """
    if not path.exists():
        raise UnusableDatabase(f"there is no database at {path}; nothing to check")
    check_file(path)
    integrity: list[str] = []
    foreign_keys: list[dict[str, Any]] = []
    try:
        raw = connect_read_only(path)
    except sqlite3.Error as e:
        raise explain(e, str(path), path) from None
    try:
        try:
            rows = raw.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})").fetchall()
            found = [str(r[0]) for r in rows]
            integrity = [] if found == ["ok"] else found
        except sqlite3.DatabaseError as e:
            problem = explain(e, str(path), path)
            if not isinstance(problem, DamagedDatabase):  # busy or unreadable: not damage
                raise problem from None
            integrity = [str(e)]
        try:
            for table, rowid, parent, _fk in raw.execute("PRAGMA foreign_key_check"):
                foreign_keys.append({"table": table, "rowid": rowid, "parent": parent})
        except sqlite3.DatabaseError as e:
            if not integrity:
                integrity = [str(e)]
    finally:
        raw.close()
    return CheckReport(path=path, integrity=integrity, foreign_keys=foreign_keys)


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
    from sqlalchemy import delete, func, insert, select

    from tracker.store.repository import attempt_t, challenge_t
    from tracker.store.schema import RungClimbRow

    climb_t = RungClimbRow.__table__  # type: ignore[attr-defined]
    from tracker.store.seed import builtin_challenges

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
                    from tracker.store.people import given_t, person_t, thank_t

                    for people_table in (thank_t, given_t, person_t):
                        conn.execute(delete(people_table))  # whom they asked, thanked, helped
                    conn.execute(delete(attempt_t))
                    conn.execute(delete(climb_t))  # climbs the forgotten asks made
                    conn.execute(delete(challenge_t))
                    conn.execute(insert(challenge_t), shipped)
                    store._refresh(conn)  # the stored summary of the log, now empty
                if sqlite:
                    # Rebuild the file without free pages, then empty the -wal file into it.
                    # An open app's read snapshot would hold the checkpoint back: wait for
                    # it a little, not the full busy timeout, and say so when it stays.
                    raw.execute("VACUUM")
                    raw.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
                    busy, _log, _done = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                    cleared = busy == 0
            finally:
                if sqlite:
                    raw.execute("PRAGMA secure_delete = OFF")
                    raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except (sqlite3.Error, DBAPIError) as e:
        raise explain(e, store.location.label, store.location.path) from None
    removed: list[Path] = []
    if store.location.path is not None:
        from tracker.store.backup import own_backups

        for copy in own_backups(store.location.path):
            with suppress(FileNotFoundError):
                copy.unlink()
                removed.append(copy)
    return ForgetReport(attempt_count, custom_count, removed, cleared)
