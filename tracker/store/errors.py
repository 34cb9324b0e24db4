"""What can go wrong in the store, split by who can fix it, and how each is told.

`InvalidInput` and `NotFound` are the user's input (exit 2); `UnusableDatabase` and its
kinds are the file (exit 1). Messages are one line, safe to print after `error:`, and
never hold a statement or its parameters.
"""

from __future__ import annotations

import errno
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
