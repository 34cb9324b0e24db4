"""The database through SQLAlchemy: the engine, write transactions and upgrades.

Promises (DESIGN.md, "Storage promises"): WAL, synchronous=FULL, foreign keys on, a
busy timeout, writes in BEGIN IMMEDIATE; an older schema is backed up and upgraded; a
newer one is refused. The file itself (finding it, its header, creating it, quick_check)
is tracker.store.files, which needs only the standard library.

Damage is looked for before anything is written: every process runs PRAGMA quick_check
before its first write to a file (and before an upgrade or a change of journal mode),
and refuses a damaged file without touching it.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError

from tracker.clock import now
from tracker.store import files
from tracker.store.backup import backup_before_upgrade
from tracker.store.backup import daily_backup as make_daily_backup
from tracker.store.errors import InvalidInput, StoreError, UnusableDatabase, newer_database
from tracker.store.files import BUSY_TIMEOUT_MS, Location
from tracker.store.url import is_server_url
from tracker.store.version import HEAD_REVISION, KNOWN_REVISIONS

#: Where Alembic finds the migrations (a module setting so a test can point elsewhere).
MIGRATIONS = "tracker.store:migrations"


@dataclass(slots=True)
class _WriteState:
    """What this process has done before writing to one engine's file."""

    verified: bool = False  # quick_check passed
    fresh: bool = False  # made by this process: nothing to back up yet
    backed_up: date | None = None  # the day whose daily backup is known to exist


_write_states: weakref.WeakKeyDictionary[Engine, _WriteState] = weakref.WeakKeyDictionary()


def _state(engine: Engine) -> _WriteState:
    state = _write_states.get(engine)
    if state is None:
        state = _write_states[engine] = _WriteState()
    return state


def engine_path(engine: Engine) -> Path | None:
    """The file behind an SQLite engine; None for a server database."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    return Path(engine.url.database)


def verify(engine: Engine) -> None:
    """Quick-check the engine's file once (per engine, so once per process); raise if damaged."""
    path = engine_path(engine)
    state = _state(engine)
    if path is None or state.verified:
        return
    files.refuse_if_damaged(path)
    state.verified = True


def before_write(engine: Engine, daily_backup: bool = True) -> None:
    """What the first write of a process (and of each day) needs: a quick check, a backup.

    The daily backup is best effort: a folder that cannot be written must not stop
    someone logging an ask, so a failed backup is tried again by the next process.
    """
    verify(engine)
    path = engine_path(engine)
    state = _state(engine)
    if path is None or not daily_backup:
        return
    today = now().date()
    if state.backed_up == today:
        return
    if not state.fresh:
        files.remove_leftovers(path)
        try:
            make_daily_backup(path, today)
        except (OSError, sqlite3.Error, StoreError):
            return
    state.backed_up = today


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # We issue BEGIN ourselves (see _on_begin), so the driver must not. WAL is not set
    # here: it lives in the file's header (see files.create_file and files.ensure_wal), and
    # setting it on connect would write to a file before it is known to be healthy.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA trusted_schema = OFF")
    finally:
        cursor.close()


def _on_begin(connection: Connection) -> None:
    mode = "IMMEDIATE" if connection.get_execution_options().get("tracker_write") else "DEFERRED"
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(location: Location) -> Engine:
    if location.path is None:
        return create_engine(location.url, hide_parameters=True, pool_pre_ping=True)
    # Made from the path, never parsed from a URL string: "?", "#" and "%" in a file
    # name stay part of the name.
    path = location.path
    engine = create_engine(
        URL.create("sqlite", database=str(path)),
        hide_parameters=True,
        creator=lambda: files.connect_for_store(path),
    )

    def drop_stale(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if files.stale(dbapi_connection, path):  # the disk has room again: reconnect
            raise DisconnectionError("read from the main file alone while the disk was full")

    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "checkout", drop_stale)
    event.listen(engine, "begin", _on_begin)
    return engine


@contextmanager
def writing(engine: Engine, daily_backup: bool = True) -> Iterator[Connection]:
    """A write transaction: BEGIN IMMEDIATE on SQLite, committed on success.

    The first one of a process quick-checks the file (see before_write), and the first
    one of a day makes the daily backup, both before the transaction begins.
    """
    before_write(engine, daily_backup=daily_backup)
    with engine.connect() as conn:
        conn = conn.execution_options(tracker_write=True)
        with conn.begin():
            yield conn


def _upgrade(engine: Engine, label: str, backup: Path | None = None) -> None:
    """Bring the schema to head in one transaction, or leave it as it was.

    On SQLite, foreign keys are off while it runs (batch migrations copy and rename
    tables, which a RESTRICT key would block), and checked before the commit.
    """
    # Alembic is imported only here (it is heavy): opening a current file needs none of it.
    from alembic import command
    from alembic.config import Config  # Alembic: see above

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as conn:
            raw: Any = conn.connection.driver_connection
            if sqlite:
                raw.execute("PRAGMA foreign_keys = OFF")
            try:
                conn = conn.execution_options(tracker_write=True)
                with conn.begin():
                    config.attributes["connection"] = conn
                    command.upgrade(config, "head")
                    if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                        raise UnusableDatabase("attempts would lose their challenge")
            finally:
                if sqlite:
                    raw.execute("PRAGMA foreign_keys = ON")
    except Exception as e:
        detail = str(getattr(e, "orig", None) or e).strip().splitlines() or [type(e).__name__]
        kept = f"; the copy made before is {backup}" if backup else ""
        raise UnusableDatabase(
            f"{label} could not be brought up to this version of tracker ({detail[0]}); "
            f"it was left as it was{kept}"
        ) from None


def open_database(location: Location) -> tuple[Engine, bool]:
    """An engine on a ready, current database, and whether it was just created.

    Creates a new file when there is none (and its folder, for the default file only);
    refuses foreign files and files from a newer tracker untouched; backs up and
    upgrades an older schema. Several processes may open a file at once.
    """
    if location.path is None and is_server_url(location.url):
        from tracker.store.postgres import open_server  # brings psycopg

        return open_server(location.url, location.label), False
    if location.path is None:
        try:
            engine = make_engine(location)
        except Exception as e:  # an unknown scheme, or its driver is not installed
            raise UnusableDatabase(
                f"{location.label} could not be used ({type(e).__name__}: {e}); give a file "
                "path, or a SQLAlchemy URL whose driver is installed"
            ) from None
        try:
            _upgrade(engine, location.label)  # a server database: Alembic keeps it current
        except StoreError:
            engine.dispose()
            raise
        except Exception as e:  # the server could not be reached or refused us
            engine.dispose()
            raise UnusableDatabase(
                f"{location.label} could not be used ({type(e).__name__}: "
                f"{str(e).splitlines()[0] if str(e) else ''})"
            ) from None
        return engine, False

    path = location.path
    if not files.needs_creating(path):
        revision = files.schema_revision(path)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise newer_database(path, revision)
        if revision == HEAD_REVISION and files.is_wal(path):
            return make_engine(location), False  # ready: nothing to make or change
    # The file must be made, put in WAL or upgraded: one process at a time does that,
    # and the others, once it is done, find nothing left to do.
    folder = path.parent
    if not folder.is_dir():
        if not location.default:
            raise InvalidInput(
                f"the folder {folder} does not exist; tracker makes no folder for a path "
                "you name: create it, or give another --db"
            )
        files.make_private_dir(folder)
    with files.folder_lock(folder, path):
        return _prepare(location, path)


def _prepare(location: Location, path: Path) -> tuple[Engine, bool]:
    """Make, switch to WAL, back up and upgrade `path` as needed (under folder_lock)."""
    create = files.needs_creating(path)
    verified = False
    if create:
        files.create_file(path)
        revision = None
    else:
        revision = files.schema_revision(path)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise newer_database(path, revision)
        if not files.is_wal(path):
            files.ensure_wal(path)
            verified = True
    backup: Path | None = None
    if revision is not None and revision != HEAD_REVISION:
        if not verified:
            files.refuse_if_damaged(path)
            verified = True
        try:
            backup = backup_before_upgrade(path, revision)
        except StoreError as e:
            raise UnusableDatabase(
                f"{path} needs an upgrade, but the copy to keep from before it could not be "
                f"made ({e}); nothing was changed"
            ) from None
    engine = make_engine(location)
    state = _state(engine)
    state.verified = verified or revision is None
    state.fresh = revision is None  # just made (here, or by a process stopped half-way)
    if revision != HEAD_REVISION:
        try:
            _upgrade(engine, str(path), backup)
        except StoreError:
            engine.dispose()
            raise
    return engine, create or revision is None
