"""Where the database lives, and opening it safely.

Promises (DESIGN.md, "Storage promises"): WAL, synchronous=FULL, foreign keys on, a
busy timeout, writes in BEGIN IMMEDIATE; new files 0600 in a 0700 folder; a file that
is not a tracker database is refused before anything touches it; an older schema is
backed up and upgraded; a newer one is refused.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.store.errors import NewerDatabase, NotATrackerDatabase, UnusableDatabase
from tracker.store.schema import APPLICATION_ID, HEAD_REVISION, KNOWN_REVISIONS

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
ENV_VAR = "TRACKER_DB"


@dataclass(frozen=True, slots=True)
class Location:
    """A database given by the user: a SQLite file, or any SQLAlchemy URL."""

    url: str
    path: Path | None  # set for SQLite files

    @property
    def label(self) -> str:
        return str(self.path) if self.path else self.url


def default_path() -> Path:
    """tracker.db in the platform's user data directory (XDG on Linux)."""
    from platformdirs import user_data_path

    return user_data_path("tracker", appauthor=False) / "tracker.db"


def locate(db: str | None = None) -> Location:
    """`--db`, else $TRACKER_DB, else the default path. A path or a SQLAlchemy URL."""
    given = db or os.environ.get(ENV_VAR) or str(default_path())
    if "://" in given:
        if given.startswith("sqlite:///") and len(given) > len("sqlite:///"):
            return Location(url=given, path=Path(given.removeprefix("sqlite:///")).absolute())
        return Location(url=given, path=None)
    path = Path(given).expanduser().absolute()
    return Location(url=f"sqlite:///{path}", path=path)


def _read_header(path: Path) -> bytes | None:
    """The file's first 100 bytes, b"" for an empty file, None when it does not exist."""
    try:
        with path.open("rb") as f:
            return f.read(100)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise NotATrackerDatabase(f"{path} is a folder, not a database file") from None
    except OSError as e:
        raise UnusableDatabase(f"cannot read {path}: {e.strerror}") from None


def check_file(path: Path) -> bool:
    """True when `path` must be created; raises when it is not a tracker database.

    Only the SQLite header is read, so a foreign file is never opened by SQLite and
    never changed.
    """
    header = _read_header(path)
    if header is None or header == b"":
        return True
    if not header.startswith(SQLITE_MAGIC) or len(header) < 72:
        raise NotATrackerDatabase(
            f"{path} is not a tracker database (not an SQLite file); it was left untouched. "
            "Give another file with --db."
        )
    app_id = int.from_bytes(header[68:72], "big")
    if app_id != APPLICATION_ID:
        raise NotATrackerDatabase(
            f"{path} is an SQLite database that tracker did not create; it was left untouched. "
            "Give another file with --db."
        )
    return False


def _create_file(path: Path) -> None:
    """An empty, private file marked as a tracker database, in a private folder."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    except OSError as e:
        raise UnusableDatabase(f"cannot create {path}: {e.strerror}") from None
    os.close(fd)
    os.chmod(path, 0o600)
    # The id goes into the header before any table exists, with a rollback journal so
    # it lands in the main file at once (in WAL it could wait in the -wal file).
    raw = sqlite3.connect(path)
    try:
        raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        raw.commit()
    finally:
        raw.close()


def schema_revision(path: Path) -> str | None:
    """The Alembic revision of an existing tracker file, read without writing to it."""
    uri = f"file:{path}?mode=ro"
    try:
        raw = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            raw.close()
    except sqlite3.OperationalError as e:
        if "no such table" in str(e):
            return None
        raise _unusable(path, e) from None
    except sqlite3.DatabaseError as e:
        raise _unusable(path, e) from None
    return str(row[0]) if row else None


def _unusable(path: Path, error: Exception) -> UnusableDatabase:
    from tracker.store.errors import DamagedDatabase

    return DamagedDatabase(
        f"{path} could not be read ({error}); restore it from a backup "
        "(see `tracker backup`) or give another file with --db"
    )


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # We issue BEGIN ourselves (see _on_begin), so the driver must not.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA trusted_schema = OFF")
    finally:
        cursor.close()


def _on_begin(connection: Connection) -> None:
    mode = "IMMEDIATE" if connection.get_execution_options().get("tracker_write") else "DEFERRED"
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(location: Location) -> Engine:
    from sqlalchemy import create_engine, event

    if location.path is None:
        return create_engine(location.url, hide_parameters=True, pool_pre_ping=True)
    engine = create_engine(
        location.url,
        hide_parameters=True,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction: BEGIN IMMEDIATE on SQLite, committed on success."""
    with engine.connect() as conn:
        conn = conn.execution_options(tracker_write=True)
        with conn.begin():
            yield conn


def _upgrade(engine: Engine, location: Location) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "tracker.store:migrations")
    with writing(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def open_database(location: Location) -> tuple[Engine, bool]:
    """An engine on a ready, current database, and whether it was just created.

    Creates a new file (and its folder) when there is none; refuses foreign files and
    files from a newer tracker untouched; backs up and upgrades an older schema.
    """
    if location.path is None:
        engine = make_engine(location)
        _upgrade(engine, location)  # a server database: Alembic keeps it current
        return engine, False

    path = location.path
    create = check_file(path)
    if create:
        _create_file(path)
        revision = None
    else:
        revision = schema_revision(path)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise NewerDatabase(
                f"{path} was written by a newer version of tracker (schema {revision}); "
                "it was left untouched. Upgrade tracker to open it."
            )
    engine = make_engine(location)
    if revision != HEAD_REVISION:
        if revision is not None:
            from tracker.store.backup import backup_before_upgrade

            backup_before_upgrade(path, revision)
        try:
            _upgrade(engine, location)
        except Exception:
            engine.dispose()
            raise
    return engine, create or revision is None


def harden_side_files(path: Path) -> None:
    """-wal and -shm files inherit the database's mode; make sure of it anyway."""
    for suffix in ("-wal", "-shm"):
        with suppress(FileNotFoundError):
            os.chmod(path.with_name(path.name + suffix), 0o600)
