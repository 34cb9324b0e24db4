"""Noticing that another process changed the database, cheaply, for the open app.

SQLite: `PRAGMA data_version` on one long-lived read-only connection. The number
changes when any other connection commits; asking reads SQLite's shared memory (the
-shm file) and not the database pages, so polling it twice a second costs almost
nothing and does not wake a sleeping disk.

PostgreSQL: every write transaction sends NOTIFY on CHANNEL (tracker.store.postgres),
delivered when it commits; the watcher LISTENs on its own connection.

`changes(location)` gives a watcher whose `changed(timeout)` waits up to `timeout`
seconds and says whether anything was committed since the last call. A watcher that
lost its connection opens a new one and answers True (it may have missed something).
"""

from __future__ import annotations

import sqlite3
import threading
from typing import TYPE_CHECKING, Any, Protocol

from tracker.store.files import Location, connect_read_only
from tracker.store.url import is_server_url

if TYPE_CHECKING:
    from pathlib import Path

#: The NOTIFY channel every write transaction on PostgreSQL signals.
CHANNEL = "tracker_changed"


class Watcher(Protocol):
    def changed(self, timeout: float) -> bool: ...

    def stop(self) -> None:
        """Make a `changed` under way return soon (safe from any thread)."""

    def close(self) -> None:
        """Release the connection (from the thread that calls `changed`)."""


class FileWatcher:
    """Polls `PRAGMA data_version` of one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._closed = threading.Event()
        self._conn: sqlite3.Connection | None = None
        self._seen = self._version()

    def _version(self) -> int | None:
        try:
            if self._conn is None:
                self._conn = connect_read_only(
                    self.path, shm_fallback=False, isolation_level=None, check_same_thread=False
                )
            row = self._conn.execute("PRAGMA data_version").fetchone()
            return int(row[0])
        except sqlite3.Error:
            self._drop()
            return None

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def changed(self, timeout: float) -> bool:
        if self._closed.wait(timeout):
            return False
        had_connection = self._conn is not None
        version = self._version()
        if version is None:
            return False  # unreadable for now (e.g. moved away): try again next time
        if not had_connection:  # a new connection counts from its own start
            self._seen = version
            return True
        if version == self._seen:
            return False
        self._seen = version
        return True

    def stop(self) -> None:
        self._closed.set()

    def close(self) -> None:
        self._closed.set()
        self._drop()


class ServerWatcher:
    """LISTENs for the NOTIFY every write on a PostgreSQL database sends."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._conn: Any = None
        self._closed = threading.Event()
        self._listen()

    def _listen(self) -> bool:
        from tracker.store.errors import StoreError  # with postgres, only for a server
        from tracker.store.postgres import connect  # psycopg, only for a server

        try:
            conn = connect(self.url, autocommit=True)
        except StoreError:
            return False
        conn.execute(f"LISTEN {CHANNEL}")
        self._conn = conn
        return True

    def changed(self, timeout: float) -> bool:
        import psycopg  # only for a server

        if self._closed.is_set():
            return False
        if self._conn is None or self._conn.closed:
            if not self._listen():
                self._closed.wait(timeout)
                return False
            return True
        try:
            got = any(True for _ in self._conn.notifies(timeout=timeout, stop_after=1))
            if got:  # several writes are one refresh
                for _ in self._conn.notifies(timeout=0):
                    pass
        except psycopg.Error:
            self._conn.close()
            self._conn = None
            return False
        return got

    def stop(self) -> None:
        self._closed.set()

    def close(self) -> None:
        self._closed.set()
        if self._conn is not None:
            self._conn.close()


def changes(location: Location) -> Watcher | None:
    """A watcher for the database at `location`; None for one tracker cannot watch."""
    if location.path is not None:
        return FileWatcher(location.path)
    if is_server_url(location.url):
        return ServerWatcher(location.url)
    return None
