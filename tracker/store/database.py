"""Where the database lives, and opening it safely.

Promises (DESIGN.md, "Storage promises"): WAL, synchronous=FULL, foreign keys on, a
busy timeout, writes in BEGIN IMMEDIATE; new files 0600 in a 0700 folder; a file that
is not a tracker database is refused before anything touches it; an older schema is
backed up and upgraded; a newer one is refused.

Damage is looked for before anything is written: every process runs PRAGMA quick_check
before its first write to a file (and before an upgrade or a change of journal mode),
and refuses a damaged file without touching it. Opening and reading never write to the
main file: the journal mode is set once, when the file is made (or, for a copy in
another mode, after a quick check), not on every connection.
"""

from __future__ import annotations

import glob
import os
import sqlite3
import tempfile
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.store.errors import (
    DamagedDatabase,
    InvalidInput,
    NewerDatabase,
    NotATrackerDatabase,
    StoreError,
    UnusableDatabase,
)
from tracker.store.url import hide_password, is_server_url
from tracker.store.version import APPLICATION_ID, HEAD_REVISION, KNOWN_REVISIONS

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
ENV_VAR = "TRACKER_DB"
#: Where Alembic finds the migrations (a module setting so a test can point elsewhere).
MIGRATIONS = "tracker.store:migrations"


@dataclass(frozen=True, slots=True)
class Location:
    """A database given by the user: a SQLite file, or any SQLAlchemy URL."""

    url: str
    path: Path | None  # set for SQLite files

    @property
    def label(self) -> str:
        """The database as shown in messages (a URL's password hidden)."""
        if self.path:
            return str(self.path)
        return hide_password(self.url)


def default_path() -> Path:
    """tracker.db in the platform's user data directory (XDG on Linux)."""
    from platformdirs import user_data_path

    return user_data_path("tracker", appauthor=False) / "tracker.db"


def locate(db: str | None = None) -> Location:
    """`--db`, else $TRACKER_DB, else the default path. A path or a SQLAlchemy URL."""
    given = db or os.environ.get(ENV_VAR) or str(default_path())
    if given.startswith("sqlite:"):
        # A SQLite URL is a file by another name: checked and opened as the file, so it
        # gets every check a path gets. Options and in-memory databases are refused.
        rest = given.removeprefix("sqlite:").removeprefix("//")
        if not rest.startswith("/") or len(rest) < 2 or "?" in rest:
            raise InvalidInput(
                f"{given!r} is not a SQLite file tracker can use: give a path, or "
                "sqlite:///path/to/tracker.db without options"
            )
        path = Path(rest[1:]).expanduser().absolute()
        return Location(url=f"sqlite:///{path}", path=path)
    if "://" in given:
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


def make_private_dir(folder: Path) -> None:
    """Create `folder` and any missing parents, each 0700 whatever the umask.

    Folders that already exist are left as they are.
    """
    missing: list[Path] = []
    here = folder
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for step in reversed(missing):
        try:
            step.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(step, 0o700)


def sqlite_uri(path: Path, mode: str = "ro") -> str:
    """A `file:` URI for sqlite3 (quoted, so "?" or "#" in a folder name are safe)."""
    return f"{path.absolute().as_uri()}?mode={mode}"


def connect_read_only(path: Path, **options: Any) -> sqlite3.Connection:
    """A standard-library connection that cannot write to `path`."""
    connection: sqlite3.Connection = sqlite3.connect(
        sqlite_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000, **options
    )
    return connection


def fsync_file(path: Path) -> None:
    """Make sure a file's bytes are on disk before it is linked or renamed into place."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _create_file(path: Path) -> None:
    """A private file marked as a tracker database (in WAL mode), in a private folder.

    The header is made in a temporary file and linked into place, so the database's
    name never points at a half-made file, whenever the process is stopped.
    """
    try:
        make_private_dir(path.parent)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    except OSError as e:
        raise UnusableDatabase(f"cannot create {path}: {e.strerror}") from None
    os.close(fd)  # mkstemp makes it 0600
    tmp = Path(tmp_name)
    try:
        raw = sqlite3.connect(tmp)
        try:
            raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            raw.commit()
            raw.execute("PRAGMA journal_mode = WAL")
        finally:
            raw.close()
        fsync_file(tmp)
        try:
            os.link(tmp, path)
        except FileExistsError:
            # Another process made it first, or an empty file was there: use theirs,
            # and put ours in place of an empty one.
            if check_file(path):
                os.replace(tmp, path)
    except (OSError, sqlite3.Error) as e:
        raise UnusableDatabase(
            f"cannot create {path}: {getattr(e, 'strerror', None) or e}"
        ) from None
    finally:
        with suppress(FileNotFoundError):
            tmp.unlink()


def schema_revision(path: Path) -> str | None:
    """The Alembic revision of an existing tracker file, read without writing to it."""
    try:
        raw = connect_read_only(path)
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


def newer_database(path: Path, revision: str) -> NewerDatabase:
    return NewerDatabase(
        f"{path} was written by a newer version of tracker (schema {revision}); "
        "it was left untouched. Upgrade tracker to open it."
    )


def _unusable(path: Path, error: Exception) -> UnusableDatabase:
    return explain(error, str(path), path)


def damaged_message(label: str, path: Path | None, detail: str) -> str:
    """What to say about a damaged database: which file, what is wrong, what to do."""
    if path is None:
        where = "restore it from your server's backup"
    else:
        from tracker.store.backup import backups_dir

        where = (
            f"copy your latest backup from {backups_dir(path)} over it (tracker keeps one a "
            "day there, and `tracker backup` makes more)"
        )
    return (
        f"{label} is damaged ({detail}); tracker left it exactly as it was. To go on, {where}, "
        "or start a new file with --db"
    )


def explain(error: BaseException, label: str, path: Path | None = None) -> UnusableDatabase:
    """The plain error for a database error: busy, full, read-only, unreadable or damaged.

    Only the driver's own message is used, never the statement or its parameters.
    """
    if path is None and is_server_url(label):
        from tracker.store.postgres import explain as explain_server

        return explain_server(error, label)
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()
    text = detail[0] if detail else type(error).__name__
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return UnusableDatabase(
            f"{label} is busy: another program kept it locked; nothing was saved. "
            "Try again in a moment"
        )
    if "disk is full" in lowered or "disk full" in lowered:
        return UnusableDatabase(
            f"{label} could not be written because the disk is full; nothing was saved. "
            "Free some space and try again"
        )
    if "readonly" in lowered or "read-only" in lowered:
        return UnusableDatabase(
            f"{label} cannot be written ({text}); check that you may write to it and its folder"
        )
    if "unable to open" in lowered:
        return UnusableDatabase(
            f"{label} could not be opened ({text}); check that it and its folder exist "
            "and you may use them"
        )
    return DamagedDatabase(damaged_message(label, path, text))


def quick_check(path: Path) -> list[str]:
    """What PRAGMA quick_check finds wrong with `path` (empty when nothing). Reads only."""
    try:
        raw = connect_read_only(path)
        try:
            rows = raw.execute("PRAGMA quick_check(20)").fetchall()
        finally:
            raw.close()
    except sqlite3.Error as e:
        problem = explain(e, str(path), path)
        if not isinstance(problem, DamagedDatabase):  # busy, unreadable: not damage
            raise problem from None
        return [str(e)]
    problems = [str(r[0]) for r in rows]
    return [] if problems == ["ok"] else problems


def refuse_if_damaged(path: Path) -> None:
    """Raise DamagedDatabase, touching nothing, when quick_check finds a problem."""
    problems = quick_check(path)
    if problems:
        more = f" and {len(problems) - 1} more problems" if len(problems) > 1 else ""
        raise DamagedDatabase(damaged_message(str(path), path, problems[0] + more))


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
    refuse_if_damaged(path)
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
    from tracker.clock import now

    today = now().date()
    if state.backed_up == today:
        return
    if not state.fresh:
        from tracker.store.backup import daily_backup as make_daily_backup

        remove_leftovers(path)
        try:
            make_daily_backup(path, today)
        except (OSError, sqlite3.Error):
            return
    state.backed_up = today


#: A half-made new file (see _create_file) is removed once it is this old (seconds).
LEFTOVER_AGE = 3600


def remove_leftovers(path: Path) -> None:
    """Temporary files of a first open that was stopped before it linked its file."""
    cutoff = time.time() - LEFTOVER_AGE
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.new*"):
        with suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # We issue BEGIN ourselves (see _on_begin), so the driver must not. WAL is not set
    # here: it lives in the file's header (see _create_file and _ensure_wal), and
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
    from alembic import command
    from alembic.config import Config

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


def _is_wal(path: Path) -> bool:
    """Whether the file's header says WAL (read and write versions 2)."""
    header = _read_header(path) or b""
    return header[18:20] == b"\x02\x02"


def _ensure_wal(path: Path) -> None:
    """Put a copy made in another journal mode (e.g. a restored backup) into WAL.

    This writes to the header, so the file is quick-checked first: a damaged file is
    refused as it is.
    """
    refuse_if_damaged(path)
    try:
        raw = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            raw.execute("PRAGMA journal_mode = WAL")
        finally:
            raw.close()
    except sqlite3.Error as e:
        raise explain(e, str(path), path) from None


def open_database(location: Location) -> tuple[Engine, bool]:
    """An engine on a ready, current database, and whether it was just created.

    Creates a new file (and its folder) when there is none; refuses foreign files and
    files from a newer tracker untouched; backs up and upgrades an older schema.
    """
    if location.path is None and is_server_url(location.url):
        from tracker.store.postgres import open_server

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
    create = check_file(path)
    verified = False
    if create:
        _create_file(path)
        revision = None
    else:
        revision = schema_revision(path)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise newer_database(path, revision)
        if not _is_wal(path):
            _ensure_wal(path)
            verified = True
    backup: Path | None = None
    if revision is not None and revision != HEAD_REVISION:
        if not verified:
            refuse_if_damaged(path)
            verified = True
        from tracker.store.backup import backup_before_upgrade

        try:
            backup = backup_before_upgrade(path, revision)
        except (OSError, sqlite3.Error) as e:
            raise UnusableDatabase(
                f"{path} needs an upgrade, but the copy to keep from before it could not be "
                f"made ({getattr(e, 'strerror', None) or e}); nothing was changed"
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


def harden_side_files(path: Path) -> None:
    """-wal and -shm files inherit the database's mode; make sure of it anyway."""
    for suffix in ("-wal", "-shm"):
        with suppress(FileNotFoundError):
            os.chmod(path.with_name(path.name + suffix), 0o600)
