"""Forgetting one person for good: their label, thank-yous and help given, everywhere.

`forget_person` removes the label from every attempt and deletes the person's
thank-yous and help-given entries in one write transaction with secure_delete on, then
VACUUMs and empties the write-ahead log (as `forget_all` in tracker.store.maintenance
does), and wipes the same from every copy in tracker's backups folder. On PostgreSQL
the deletes are plain deletes. The attempts themselves stay: they are the user's
practice, and counted in the rules.

`refuse_if_open` is the one check that the database is not open in another program
(the app), which could write back what was forgotten or keep it in its -wal file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import DBAPIError

from tracker.domain.people import label_key
from tracker.store.database import before_write
from tracker.store.errors import InvalidInput, NotFound, UnusableDatabase, database_error
from tracker.store.files import BUSY_TIMEOUT_MS, fsync_file, wipe_free_pages
from tracker.store.lock import refuse_unless_alone

if TYPE_CHECKING:
    from tracker.store.files import Location
    from tracker.store.repository import Store

#: Every SQLite connection to a WAL database holds a read lock on this byte of the
#: -shm file while it is open (the "dead man switch", UNIX_SHM_DMS in os_unix.c).
_SHM_DMS_OFFSET = 128


@dataclass(frozen=True, slots=True)
class ForgetPersonReport:
    label: str
    attempts: int  # asks the label was removed from (the asks themselves stay)
    thanks: int
    gifts: int
    backups_cleaned: list[Path] = field(default_factory=list)
    log_cleared: bool = True  # False: another program kept the -wal file from being emptied


def open_elsewhere(path: Path) -> bool:
    """Whether another process has the SQLite file at `path` open (the app, say).

    Asks the operating system whether any process holds SQLite's lock on the -shm file;
    only a lock query is made, nothing is written. Call it before this process opens
    the file itself: closing a descriptor drops this process's own locks on that file.
    """
    shm = path.with_name(path.name + "-shm")
    try:
        fd = os.open(shm, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False  # no -shm file: nobody has the database open in WAL mode
    try:
        query = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, _SHM_DMS_OFFSET, 1, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
        kind = struct.unpack("hhqqi", answer)[0]
        return bool(kind != fcntl.F_UNLCK)
    except OSError:
        return False
    finally:
        os.close(fd)


def refuse_if_open(location: Location, what: str) -> None:
    """Raise UnusableDatabase when another program has the database open."""
    if location.path is not None and open_elsewhere(location.path):
        raise UnusableDatabase(
            f"another program (the app?) has {location.label} open; close it and run "
            f"`{what}` again, so nothing forgotten stays in it or comes back"
        )


def forget_person(store: Store, label: str, *, from_app: bool = False) -> ForgetPersonReport:
    """Wipe the person `label` names from the database and from tracker's backups.

    Refused while another open holds the database, unless `from_app`: the app itself
    holds it (its reads and its watcher), and purges what it keeps for undo; the data
    generation bumped here still stops any other program's stale undo."""
    from sqlalchemy import delete, func, select, update  # SQLAlchemy: refuse_if_open needs none

    from tracker.store.people import given_t, person_t, thank_t  # brings SQLAlchemy
    from tracker.store.repository import attempt_t, bump_generation  # brings SQLAlchemy

    if not label.strip():
        raise InvalidInput("say whom to forget: --who LABEL (`tracker people` lists everyone)")
    person = store.person(label)  # NotFound when nobody has that label
    if not from_app:
        refuse_unless_alone(store.lock, store.location.label, "tracker forget --who LABEL --yes")
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
                    row = conn.execute(
                        select(person_t.c.id, person_t.c.label).where(
                            person_t.c.key == label_key(label)
                        )
                    ).first()
                    if row is None:  # forgotten by someone else meanwhile
                        raise NotFound(f"no person {label.strip()!r}")
                    person_id, stored = row
                    theirs = select(attempt_t.c.id).where(attempt_t.c.who == stored)
                    attempts = conn.execute(
                        select(func.count()).select_from(attempt_t).where(attempt_t.c.who == stored)
                    ).scalar_one()
                    thanks = conn.execute(
                        delete(thank_t).where(thank_t.c.attempt_id.in_(theirs))
                    ).rowcount
                    gifts = conn.execute(
                        delete(given_t).where(given_t.c.person_id == person_id)
                    ).rowcount
                    conn.execute(
                        update(attempt_t).where(attempt_t.c.who == stored).values(who=None)
                    )
                    conn.execute(delete(person_t).where(person_t.c.id == person_id))
                    from tracker.store import undo  # brings SQLAlchemy

                    undo.clear(conn)  # the deletion kept for an undo may name them
                    store.refresh_summary(conn)
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
    cleaned: list[Path] = []
    if store.location.path is not None:
        from tracker.store.backup import own_backups  # after the Store: see forget_person

        for copy in own_backups(store.location.path):
            if copy.name.endswith(".partial"):
                with contextlib.suppress(FileNotFoundError):
                    copy.unlink()  # a half-made copy: no use to anyone
                continue
            if forget_in_copy(copy, label_key(person.label)):
                cleaned.append(copy)
    return ForgetPersonReport(
        person.label, int(attempts), int(thanks), int(gifts), cleaned, cleared
    )


def forget_in_copy(copy: Path, key: str) -> bool:
    """Wipe the person whose label_key is `key` from a backup file, rewriting it whole
    (into a temporary file, renamed over it). A copy that cannot be read is removed:
    a backup that might hold the label is not kept. True when the copy was changed."""
    try:
        mem = sqlite3.connect(":memory:")
        try:
            src = sqlite3.connect(f"{copy.absolute().as_uri()}?mode=ro", uri=True)
            try:
                src.backup(mem)
            finally:
                src.close()
            changed = _forget_rows(mem, key)
            if not changed:
                return False
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{copy.name}.", suffix=".forget", dir=copy.parent
            )
            os.close(fd)
            tmp = Path(tmp_name)
            try:
                tmp.unlink()  # VACUUM INTO needs a name with no file behind it
                mem.execute("VACUUM INTO ?", (str(tmp),))
                os.chmod(tmp, 0o600)
                fsync_file(tmp)
                os.replace(tmp, copy)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
        finally:
            mem.close()
    except (sqlite3.Error, OSError):
        with contextlib.suppress(FileNotFoundError):
            copy.unlink()
        return True
    return True


def _forget_rows(conn: sqlite3.Connection, key: str) -> bool:
    """The deletes of forget_person, on a copy of any schema revision (a copy made before
    an upgrade has no person tables). True when anything was removed."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "attempt" not in tables:
        return False
    conn.create_function("tracker_key", 1, lambda v: label_key(v) if isinstance(v, str) else None)
    ids = [r[0] for r in conn.execute("SELECT id FROM attempt WHERE tracker_key(who) = ?", (key,))]
    changed = bool(ids)
    if "thank" in tables:
        changed |= bool(
            conn.execute(
                "DELETE FROM thank WHERE attempt_id IN "
                "(SELECT id FROM attempt WHERE tracker_key(who) = ?)",
                (key,),
            ).rowcount
        )
    if "person" in tables:
        found = conn.execute("SELECT id FROM person WHERE key = ?", (key,)).fetchall()
        for (person_id,) in found:
            if "help_given" in tables:
                conn.execute("DELETE FROM help_given WHERE person_id = ?", (person_id,))
            conn.execute("DELETE FROM person WHERE id = ?", (person_id,))
        changed |= bool(found)
    conn.execute("UPDATE attempt SET who = NULL WHERE tracker_key(who) = ?", (key,))
    if "undo" in tables:  # the deletion kept for an undo may name them
        changed |= bool(conn.execute("DELETE FROM undo").rowcount)
    conn.commit()
    return changed
