"""Keeping the open app live: a change committed by any other process (the command
line in another shell, another machine on PostgreSQL) reaches the current screen
within about a second.

A plain daemon thread (not a Textual worker, so waiting for workers still ends) asks
the store's watcher (tracker.store.watch) every POLL seconds whether the database
changed, and posts DatabaseChanged to the app when it did; the app then loads fresh
figures as it does after its own writes. Views redraw in place: forms keep what is
typed in them and History keeps its place (see HistoryScreen.on_history_page).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from textual.message import Message

from tracker.store.watch import changes

if TYPE_CHECKING:
    from textual.app import App

    from tracker.store.files import Location
    from tracker.store.watch import Watcher

#: How often the database is asked whether it changed (seconds).
POLL = 0.5


class DatabaseChanged(Message):
    """Something was committed to the database since the last look."""


class Follower:
    """Watches one database for the app until `stop()`."""

    def __init__(self, app: App[Any], watcher: Watcher, poll: float = POLL) -> None:
        self._app = app
        self._watcher = watcher
        self._poll = poll
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tracker-live", daemon=True)

    def start(self) -> Follower:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            while not self._stopped.is_set():
                try:
                    changed = self._watcher.changed(self._poll)
                except Exception:  # never a traceback from a background look
                    changed = False
                    self._stopped.wait(self._poll)
                if changed and not self._stopped.is_set():
                    self._app.post_message(DatabaseChanged())
        finally:
            self._watcher.close()

    def stop(self) -> None:
        """Stop soon, without waiting: the thread closes its own connection on its way out."""
        self._stopped.set()
        self._watcher.stop()


def follow(app: App[Any], location: Location) -> Follower | None:
    """Start watching `location` for `app`; None when it cannot be watched."""

    try:
        watcher = changes(location)
    except Exception:
        return None
    return None if watcher is None else Follower(app, watcher).start()
