"""What can go wrong in the store, split by who can fix it, and how each is told.

`InvalidInput` and `NotFound` are the user's input (exit 2); `UnusableDatabase` and its
kinds are the file (exit 1). Messages are one line, safe to print after `error:`, and
never hold a statement or its parameters.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from tracker.store.url import is_server_url
from tracker.store.version import backups_dir


class StoreError(Exception):
    """Base of every error the store raises on purpose."""

    exit_code = 1


class InvalidInput(StoreError):
    exit_code = 2

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or {}


class NotFound(StoreError):
    exit_code = 2


class UnusableDatabase(StoreError):
    exit_code = 1


class NotATrackerDatabase(UnusableDatabase):
    pass


class NewerDatabase(UnusableDatabase):
    pass


class DamagedDatabase(UnusableDatabase):
    pass


class AlreadyExists(InvalidInput):
    """A file tracker was asked to make is there already (it is never overwritten)."""


class CannotWrite(StoreError):
    """A file of tracker's own (an export, a backup) could not be written."""

    exit_code = 1


#: What an OSError's errno means for someone whose write did not happen.
_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "your disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


#: Free space below this is a full disk for SQLite: a -shm file alone needs 32 KiB.
ROOM_NEEDED = 64 * 1024


def file_system_trouble(path: Path) -> str | None:
    """ "the disk is full" or "the file system is read-only" when that is so where `path`
    lives (asked of the file system itself, after a driver's error), else None."""
    try:
        st = os.statvfs(path.parent)
    except OSError:
        return None
    if st.f_flag & os.ST_RDONLY:
        return _REASONS[errno.EROFS]
    free = st.f_bfree if os.geteuid() == 0 else st.f_bavail  # root may use reserved blocks
    if free * st.f_frsize < ROOM_NEEDED:
        return _REASONS[errno.ENOSPC]
    return None


def _may_not_write(path: Path) -> bool:
    """Whether this user may not write `path` (or, for a new file, its folder)."""
    target = path if path.exists() else path.parent
    return not os.access(target, os.W_OK)


#: The driver's words for a file whose bytes (or tracker's tables in it) are wrong, as
#: opposed to one that could not be read or written: only these say "damaged" and advise
#: a backup.
_DAMAGE_WORDS = ("malformed", "not a database", "corrupt", "no such table", "no such column")


def os_reason(error: OSError) -> str:
    return _REASONS.get(error.errno or 0) or error.strerror or type(error).__name__


def cannot_write(target: Path, error: BaseException) -> CannotWrite:
    """The error for a file write that failed; nothing was written at `target`."""
    if isinstance(error, OSError):
        reason = os_reason(error)
    else:  # sqlite3.Error while copying
        reason = _sqlite_reason(str(error).strip().splitlines()[0] if str(error) else "")
    return CannotWrite(f"could not write {target}: {reason}; nothing was written there")


def _sqlite_reason(text: str) -> str:
    lowered = text.lower()
    if "disk is full" in lowered or "disk full" in lowered:
        return "the disk is full"
    if "readonly" in lowered or "read-only" in lowered:
        return "the file system is read-only"
    return text or "the copy failed"


def newer_database(path: Path | str, revision: str) -> NewerDatabase:
    return NewerDatabase(
        f"{path} was written by a newer version of tracker (schema {revision}); "
        "it was left untouched. Upgrade tracker to open it."
    )


def damaged_message(label: str, path: Path | None, detail: str) -> str:
    """What to say about a damaged database: which file, what is wrong, what to do."""
    if path is None:
        where = "restore it from your server's backup"
    else:
        where = (
            f"copy your latest backup from {backups_dir(path)} over it (tracker keeps one a "
            "day there, and `tracker backup` makes more)"
        )
    return (
        f"{label} is damaged ({detail}); tracker left it exactly as it was. To go on, {where}, "
        "or start a new file with --db"
    )


def database_error(error: BaseException, label: str, path: Path | None = None) -> UnusableDatabase:
    """The plain error to raise for a driver's error: busy, full, read-only, unreadable
    or damaged.

    Only the driver's own message is used, never the statement or its parameters.
    """
    if path is None and is_server_url(label):
        from tracker.store.postgres import (
            server_error,  # psycopg errors; postgres imports this module
        )

        return server_error(error, label)
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()
    text = detail[0] if detail else type(error).__name__
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return UnusableDatabase(
            f"{label} is busy: another program kept it locked; nothing was saved. "
            "Try again in a moment"
        )
    trouble = file_system_trouble(path) if path is not None else None
    if "disk is full" in lowered or "disk full" in lowered:
        trouble = _REASONS[errno.ENOSPC]
    if trouble == _REASONS[errno.ENOSPC]:
        return UnusableDatabase(
            f"{label} could not be written because the disk is full; nothing was saved. "
            "Free some space and try again"
        )
    if trouble is not None:
        return UnusableDatabase(
            f"{label} cannot be written because {trouble}; nothing was saved. "
            "Mount it read-write, or copy the file somewhere you may write"
        )
    if path is not None and path.exists() and not os.access(path, os.R_OK):
        return UnusableDatabase(
            f"{label} could not be opened: permission denied; check that you may read it"
        )
    if "readonly" in lowered or "read-only" in lowered:
        denied = "permission denied; " if path is not None and _may_not_write(path) else ""
        return UnusableDatabase(
            f"{label} cannot be written ({denied}{text}); nothing was saved. "
            "Check that you may write to it and its folder"
        )
    if "unable to open" in lowered:
        return UnusableDatabase(
            f"{label} could not be opened ({text}); check that it and its folder exist "
            "and you may use them"
        )
    if any(words in lowered for words in _DAMAGE_WORDS):
        return DamagedDatabase(damaged_message(label, path, text))
    return UnusableDatabase(
        f"{label} could not be read or written ({text}); nothing was saved, and the file "
        "was left as it was. Check the disk and try again"
    )
