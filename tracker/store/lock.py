"""Who has a database file open, so that `tracker forget` can refuse while anyone does.

Every open of a tracker file (a Store, a Reader, the app) holds a shared lock
(flock LOCK_SH) on a side file beside it, `NAME-lock` (0600, empty, never removed:
removing a lock file while others may open it would let two processes lock different
files). `tracker forget --all` takes the lock exclusively without waiting: if that
fails, another process has the file open and may hold its data in memory, so nothing
is forgotten. An open that comes while a forget holds the lock waits for it to finish.

flock locks belong to the open file, not the process, and never touch SQLite's own
(POSIX) locks on the database and its -wal and -shm files. Where there are no flock
locks (Windows, some network file systems) or the side file cannot be made (a
read-only folder), nothing is held: the data generation that forget bumps (see
Store.generation) still keeps what a process read before a forget from coming back.
"""

from __future__ import annotations

import os
import time
from contextlib import suppress
from pathlib import Path

from tracker.store.errors import UnusableDatabase

#: How long an open waits for a forget in another process to finish (seconds).
WAIT_FOR_FORGET = 30.0


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + "-lock")


class OpenLock:
    """A shared lock on a database's side file, held until close()."""

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    def close(self) -> None:
        if self._fd is not None:
            with suppress(OSError):
                os.close(self._fd)  # closing the file releases its lock
            self._fd = None

    def exclusive(self) -> bool:
        """Take the lock for this process alone, without waiting; False when another
        open holds it (this one then goes back to shared)."""
        import fcntl  # POSIX only: there is none on Windows

        if self._fd is None:
            return False
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            with suppress(OSError):  # a failed upgrade may have dropped the shared lock
                fcntl.flock(self._fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return False
        return True


def hold(path: Path, create: bool = True) -> OpenLock | None:
    """A shared lock on `path`'s side file (made when `create` and missing), or None
    when none can be had. Waits while a forget holds it, up to WAIT_FOR_FORGET."""
    try:
        import fcntl  # POSIX only: there is none on Windows
    except ImportError:  # pragma: no cover - not on Windows
        return None
    side = lock_path(path)
    nofollow = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd: int | None = None
    if create:
        with suppress(OSError):  # e.g. a read-only folder: try to open an existing one
            fd = os.open(side, os.O_RDWR | os.O_CREAT | nofollow, 0o600)
            with suppress(OSError):
                os.fchmod(fd, 0o600)
    if fd is None:
        try:
            fd = os.open(side, os.O_RDONLY | nofollow)
        except OSError:
            return None
    deadline = time.monotonic() + WAIT_FOR_FORGET
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return OpenLock(fd)
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                raise UnusableDatabase(
                    f"{path} is busy: another tracker is forgetting its history; "
                    "try again in a moment"
                ) from None
            time.sleep(0.05)
        except OSError:  # no flock here (some network file systems)
            os.close(fd)
            return None


def refuse_unless_alone(lock: OpenLock | None, label: str, what: str) -> None:
    """Before a forget: take `lock` for this process alone, or refuse (UnusableDatabase)
    because another open (the app, another tracker command) may hold the data in memory
    and write it back."""
    if lock is not None and not lock.exclusive():
        raise UnusableDatabase(
            f"{label} is open in another program (the app, or another tracker command), "
            f"which may still hold your history; nothing was forgotten. Close it, then run "
            f"`{what}` again"
        )
