"""The database file itself, with the standard library alone.

Finding it (`locate`), recognising it from its header before SQLite opens it, creating
a new one (0600 in a 0700 folder, its header made aside and linked into place), making
sure bytes are on disk (`fsync_file`), read-only sqlite3 connections, the schema
revision and PRAGMA quick_check. tracker.store.reader reads through this module alone,
so reading needs no SQLAlchemy; tracker.store.database builds the engine, the write
transactions and the upgrades on top of it.

Opening and reading never write to the main file: the journal mode is set once, when
the file is made (or, for a copy in another mode, after a quick check).
"""

from __future__ import annotations

import glob
import os
import sqlite3
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_data_path

from tracker.store.errors import (
    DamagedDatabase,
    InvalidInput,
    NotATrackerDatabase,
    UnusableDatabase,
    damaged_message,
    database_error,
)
from tracker.store.url import hide_password
from tracker.store.version import APPLICATION_ID

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
ENV_VAR = "TRACKER_DB"
#: A half-made new file (see create_file) is removed once it is this old (seconds).
LEFTOVER_AGE = 3600


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


def read_header(path: Path) -> bytes | None:
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


def needs_creating(path: Path) -> bool:
    """True when there is no database at `path` yet (nothing, or an empty file); raises
    NotATrackerDatabase when the file there is not a tracker database.

    Only the SQLite header is read, so a foreign file is never opened by SQLite and
    never changed.
    """
    header = read_header(path)
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


def create_file(path: Path) -> None:
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
            if needs_creating(path):
                os.replace(tmp, path)
    except (OSError, sqlite3.Error) as e:
        raise UnusableDatabase(
            f"cannot create {path}: {getattr(e, 'strerror', None) or e}"
        ) from None
    finally:
        with suppress(FileNotFoundError):
            tmp.unlink()


def remove_leftovers(path: Path) -> None:
    """Temporary files of a first open that was stopped before it linked its file."""
    cutoff = time.time() - LEFTOVER_AGE
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.new*"):
        with suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()


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
        raise database_error(e, str(path), path) from None
    except sqlite3.DatabaseError as e:
        raise database_error(e, str(path), path) from None
    return str(row[0]) if row else None


def quick_check(path: Path) -> list[str]:
    """What PRAGMA quick_check finds wrong with `path` (empty when nothing). Reads only."""
    try:
        raw = connect_read_only(path)
        try:
            rows = raw.execute("PRAGMA quick_check(20)").fetchall()
        finally:
            raw.close()
    except sqlite3.Error as e:
        problem = database_error(e, str(path), path)
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


def is_wal(path: Path) -> bool:
    """Whether the file's header says WAL (read and write versions 2)."""
    header = read_header(path) or b""
    return header[18:20] == b"\x02\x02"


def ensure_wal(path: Path) -> None:
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
        raise database_error(e, str(path), path) from None
