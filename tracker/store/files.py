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

import fcntl
import glob
import os
import re
import signal
import sqlite3
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_data_path

from tracker.store.errors import (
    AlreadyExists,
    DamagedDatabase,
    InvalidInput,
    NotATrackerDatabase,
    UnusableDatabase,
    cannot_write,
    damaged_message,
    database_error,
    file_system_trouble,
)
from tracker.store.url import SERVER_SCHEMES, hide_password
from tracker.store.version import APPLICATION_ID

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
#: How long forgetting waits for other readers before emptying the -wal file (ms).
CHECKPOINT_WAIT_MS = 1000
ENV_VAR = "TRACKER_DB"
#: A half-made new file (see create_file) is removed once it is this old (seconds).
LEFTOVER_AGE = 3600
#: How long a first open waits for another process making or upgrading the file (s).
OPEN_WAIT = 120
#: The temporary files write_private_file makes: ".NAME.XXXXXXXX.partial".
PARTIAL_SUFFIX = ".partial"


@dataclass(frozen=True, slots=True)
class Location:
    """A database given by the user: a SQLite file, or a PostgreSQL URL."""

    url: str  # for a file, only for show: the engine is made from `path`, never parsed
    path: Path | None  # set for SQLite files
    default: bool = False  # the default file, whose folder tracker may create

    @property
    def label(self) -> str:
        """The database as shown in messages (a URL's password hidden)."""
        if self.path:
            return str(self.path)
        return hide_password(self.url)


def default_path() -> Path:
    """tracker.db in the platform's user data directory (XDG on Linux)."""
    return user_data_path("tracker", appauthor=False) / "tracker.db"


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_ACCEPTED = "give a file path, sqlite:///PATH or a postgresql:// URL"


def locate(db: str | None = None) -> Location:
    """`--db`, else $TRACKER_DB (when not empty), else the default path.

    Accepted: a file path (taken literally: "?", "#", "%" and spaces are part of the
    name), sqlite:///PATH (PATH percent-decoded as in any SQLAlchemy URL, without
    options), and postgresql[+psycopg]:// URLs. Anything else is InvalidInput.
    """
    if db is not None:
        given, source = db, "--db"
    elif from_env := os.environ.get(ENV_VAR):  # set but empty: as if not set
        given, source = from_env, f"${ENV_VAR}"
    else:
        return _file_location(default_path(), default=True)
    if given == "":
        raise InvalidInput(f"{source} is empty; {_ACCEPTED}")
    if "\x00" in given:
        raise InvalidInput(f"{source} holds a NUL character; {_ACCEPTED}")
    try:
        given.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"{source} is not valid UTF-8; {_ACCEPTED}") from None
    scheme = _SCHEME.match(given)
    name = scheme.group(1).lower() if scheme else ""
    is_url = scheme is not None and (
        given[scheme.end() :].startswith("//") or name.startswith("sqlite") or name == "file"
    )
    if not is_url:
        return _file_location(Path(given))
    if name == "sqlite":
        rest = given[scheme.end() :] if scheme else ""
        if not rest.startswith("///") or len(rest) == 3 or "?" in rest:
            raise InvalidInput(
                f"{hide_password(given)!r} is not a SQLite file tracker can use: "
                "give sqlite:///PATH without options, or the path itself"
            )
        path = _percent_decoded(rest[3:])
        if path is None or path == ":memory:" or "\x00" in path:
            raise InvalidInput(f"{given!r} is not a file; give sqlite:///PATH or the path itself")
        return _file_location(Path(path))
    if name in SERVER_SCHEMES:
        return Location(url=given, path=None)
    raise InvalidInput(f"{hide_password(given)!r} is not a database tracker can use; {_ACCEPTED}")


def _file_location(path: Path, default: bool = False) -> Location:
    path = path.expanduser().absolute()
    return Location(url=f"sqlite:///{path}", path=path, default=default)


def _percent_decoded(text: str) -> str | None:
    """%XX escapes decoded as UTF-8, as SQLAlchemy reads a URL's database; None if invalid.

    (Not urllib.parse: tracker imports no network modules, see tests/test_layers.py.)
    """
    raw = re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), text.encode())
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _refuse_special(path: Path, mode: int) -> NotATrackerDatabase:
    return NotATrackerDatabase(
        f"{path} is {_kind(mode)}, not a database file; it was left untouched. "
        "Give another file with --db."
    )


def read_header(path: Path) -> bytes | None:
    """The file's first 100 bytes, b"" for an empty file, None when nothing is there.

    Anything but a regular file (or a link to one) is refused before it is opened: a
    device is never opened, a FIFO never waited on.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.lexists(path):
            raise NotATrackerDatabase(
                f"{path} is a symbolic link to nothing; it was left untouched. "
                "Give another file with --db."
            ) from None
        return None
    except OSError as e:
        raise UnusableDatabase(f"cannot use {path}: {e.strerror}") from None
    if not stat.S_ISREG(mode):
        raise _refuse_special(path, mode)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise UnusableDatabase(f"cannot read {path}: {e.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):  # swapped since the check above
            raise _refuse_special(path, mode)
        return os.read(fd, 100)
    except OSError as e:
        raise UnusableDatabase(f"cannot read {path}: {e.strerror}") from None
    finally:
        os.close(fd)


def needs_creating(path: Path) -> bool:
    """True when there is no database at `path` yet (nothing, or an empty file); raises
    NotATrackerDatabase when what is there is not a tracker database.

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


def connect_read_only(
    path: Path, *, shm_fallback: bool = True, **options: Any
) -> sqlite3.Connection:
    """A standard-library connection that cannot write to `path`.

    Reading a WAL file needs its -shm file, which SQLite makes or grows on first use. On
    a full disk or a read-only file system it cannot, and when the -wal holds nothing
    the main file alone is the whole database, which no one can change there: it is then
    read as immutable, so reads keep working (`shm_fallback=False` for a connection kept
    open while the disk may come back, such as the app's change watcher)."""
    timeout = BUSY_TIMEOUT_MS / 1000
    connection: sqlite3.Connection = sqlite3.connect(
        sqlite_uri(path), uri=True, timeout=timeout, **options
    )
    try:
        connection.execute("PRAGMA schema_version").fetchone()  # maps the -shm file
    except sqlite3.OperationalError:
        connection.close()
        if not (shm_fallback and _whole_in_main_file(path) and file_system_trouble(path)):
            raise
        connection = sqlite3.connect(
            f"{sqlite_uri(path)}&immutable=1",
            uri=True,
            timeout=timeout,
            factory=ImmutableConnection,
            **options,
        )
    return connection


class ImmutableConnection(sqlite3.Connection):
    """A connection that reads the main file alone (see connect_read_only): right only
    while nobody can write there, so a pool drops it once the file system has room again
    (see stale)."""


def connect_for_store(path: Path) -> sqlite3.Connection:
    """The Store's connection: read-write; where the disk is full or the file system
    read-only, a read-only one as connect_read_only makes, so the Store can still read
    (and its writes fail saying why)."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    try:
        connection.execute("PRAGMA schema_version").fetchone()  # maps the -shm file
    except sqlite3.OperationalError:
        connection.close()
        if not (_whole_in_main_file(path) and file_system_trouble(path)):
            raise
        return connect_read_only(path, check_same_thread=False)
    return connection


def stale(connection: Any, path: Path) -> bool:
    """Whether a pooled `connection` reads the main file alone where others may write now."""
    return isinstance(connection, ImmutableConnection) and file_system_trouble(path) is None


def _whole_in_main_file(path: Path) -> bool:
    """Whether no -wal file holds changes not yet in the main file."""
    try:
        return Path(f"{path}-wal").stat().st_size == 0
    except FileNotFoundError:
        return True


def fsync_file(path: Path) -> None:
    """Make sure a file's bytes are on disk before it is linked or renamed into place."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create_file(path: Path) -> None:
    """A private file marked as a tracker database (in WAL mode), in an existing folder.

    The header is made in a temporary file and linked into place, so the database's
    name never points at a half-made file, whenever the process is stopped.
    """
    try:
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


@contextmanager
def folder_lock(folder: Path, path: Path) -> Iterator[None]:
    """Hold an exclusive lock, across processes, while `path` in `folder` is made,
    switched to WAL or upgraded, so one process does it and the others then find it done.

    The lock is flock(2) on the folder itself: no file is made, and SQLite's own locks
    (fcntl locks on the database and its -shm) are not touched. Where a folder cannot
    be locked (an unusual file system), opening goes on as before.
    """
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + OPEN_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise UnusableDatabase(
                        f"{path} is busy: another tracker has been setting it up for "
                        f"{OPEN_WAIT} s; nothing was saved. Try again in a moment"
                    ) from None
                time.sleep(0.02)
            except OSError:
                break
        yield
    finally:
        os.close(fd)  # and with it the lock


def fsync_dir(folder: Path) -> None:
    """Make a rename or link in `folder` survive a crash."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the file itself is synced
    finally:
        os.close(fd)


def check_target(target: Path, overwrite: bool) -> None:
    """Refuse to write at `target` when it is a link, not a regular file, or (unless
    `overwrite`) there at all. Raises InvalidInput; a missing target is fine."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as e:
        raise cannot_write(target, e) from None
    if stat.S_ISLNK(mode):
        raise InvalidInput(
            f"{target} is a symbolic link; tracker does not write through links, so nothing "
            "was written. Give the real path"
        )
    if not stat.S_ISREG(mode):
        raise InvalidInput(f"{target} is {_kind(mode)}; nothing was written there")
    if not overwrite:
        raise AlreadyExists(f"{target} already exists; choose a new name")


def write_private_file(
    target: Path, fill: Callable[[Path], None], *, overwrite: bool = False
) -> Path:
    """The one way tracker writes a file of its own (an export, a backup).

    `fill(tmp)` writes the content into a temporary file beside `target` (0600); it is
    synced, renamed into place and the folder synced, so `target` is either as it was
    or whole. A link or anything but a regular file at `target` is refused, and so is
    an existing file unless `overwrite` (then it is replaced in one step). No folder is
    made. On any failure, Ctrl-C or SIGTERM the temporary file is removed; one left by
    a killed process is removed by the next write in that folder.
    """
    target = target.absolute()
    check_target(target, overwrite)
    folder = target.parent
    if not folder.is_dir():
        raise InvalidInput(
            f"the folder {folder} does not exist; tracker makes no folder for a path you "
            "name, so nothing was written"
        )
    remove_stale_partials(folder, target.name)
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=PARTIAL_SUFFIX, dir=folder
        )  # 0600
    except OSError as e:
        raise cannot_write(target, e) from None
    tmp = Path(tmp_name)
    try:
        # Held while writing: remove_stale_partials leaves a live writer's file alone.
        with suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with _sigterm_as_exit():
            try:
                fill(tmp)
                fsync_file(tmp)
                os.chmod(tmp, 0o600)
                if overwrite:
                    check_target(target, overwrite=True)
                    os.replace(tmp, target)
                else:
                    _link_new(tmp, target)
                fsync_dir(folder)
            except (OSError, sqlite3.Error) as e:
                if isinstance(e, FileExistsError):
                    raise AlreadyExists(f"{target} already exists; choose a new name") from None
                raise cannot_write(target, e) from None
    finally:
        os.close(fd)
        _remove_partial(tmp)
    return target


def write_private_text(target: Path, text: str, *, overwrite: bool = False) -> Path:
    """write_private_file for text (UTF-8, newlines as given)."""

    def fill(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as f:
            f.write(text)

    return write_private_file(target, fill, overwrite=overwrite)


def _link_new(tmp: Path, target: Path) -> None:
    """Put `tmp` at `target` only if nothing is there (atomically, where links work)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename
        check_target(target, overwrite=False)
        os.rename(tmp, target)


@contextmanager
def _sigterm_as_exit() -> Iterator[None]:
    """While writing, SIGTERM ends the process through Python (so cleanup runs)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _remove_partial(tmp: Path) -> None:
    for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
        with suppress(FileNotFoundError, OSError):
            leftover.unlink()


_PARTIAL = re.compile(r"\..+\.[A-Za-z0-9_]{8}" + re.escape(PARTIAL_SUFFIX))


def remove_stale_partials(folder: Path, name: str | None = None) -> None:
    """Temporary files of writes whose process was killed (no one holds their lock).

    With `name`, those for that target only; without, every one in `folder` (tracker's
    own backups folder).
    """
    pattern = f".{glob.escape(name)}.*{PARTIAL_SUFFIX}" if name else f".*{PARTIAL_SUFFIX}"
    try:
        candidates = list(folder.glob(pattern))
    except OSError:
        return
    for leftover in candidates:
        if not _PARTIAL.fullmatch(leftover.name):
            continue
        try:
            fd = os.open(leftover, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a live writer holds it
            continue
        finally:
            os.close(fd)
        _remove_partial(leftover)


def wipe_free_pages(raw: sqlite3.Connection) -> bool:
    """After a secure delete (forget): rebuild the file without free pages, then empty
    the -wal file into it. An open app's read snapshot would hold the checkpoint back:
    wait for it a little, not the full busy timeout. True when the -wal was emptied."""
    raw.execute("VACUUM")
    raw.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
    busy, _log, _done = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return bool(busy == 0)
