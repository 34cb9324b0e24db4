"""The app's first read: on a thread of its own, begun before Textual is imported.

Importing Textual and building the first screen take most of the time to the first
frame, and the first read (the suggestion, this week, the plots: tracker.ui.data)
needs neither. So the command line starts the read, then imports the app; when the
read is done before the app makes its first screen (TrackerApp.on_load), that screen
shows the figures from its first frame, and otherwise the app's opening worker waits
for the read and shows it then. Nothing here imports Textual.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import TYPE_CHECKING

from tracker.store.files import locate
from tracker.store.lock import hold
from tracker.store.reader import open_reader
from tracker.ui.data import Snapshot, load_snapshot

if TYPE_CHECKING:
    from tracker.store.lock import OpenLock


class FirstRead:
    """The database read once with the standard library (tracker.store.reader), on a
    thread started at once (or here and now, with background=False). `snapshot` is None
    where there is nothing to read yet (the app then opens a Store); `lock` is the open
    lock (tracker.store.lock) held from this read on."""

    def __init__(self, db: str | None, now: datetime, *, background: bool = True) -> None:
        self.now = now
        self.snapshot: Snapshot | None = None
        self.lock: OpenLock | None = None
        self.error: Exception | None = None
        self._done = threading.Event()
        if background:
            threading.Thread(target=self._read, args=(db,), daemon=True).start()
        else:
            self._read(db)

    def _read(self, db: str | None) -> None:
        try:
            path = locate(db).path
            if path is not None and path.is_file():
                self.lock = hold(path)
            reader = open_reader(db)
            if reader is not None:
                with reader:
                    self.snapshot = load_snapshot(reader, self.now)
        except Exception as e:  # the app's opening worker raises it, and says what it was
            self.error = e
        finally:
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the read to end (at most `timeout` seconds); whether it has."""
        return self._done.wait(timeout)

    def result(self) -> Snapshot | None:
        """The snapshot, once read (None: nothing to read); the read's error is raised here."""
        self._done.wait()
        if self.error is not None:
            raise self.error
        return self.snapshot
