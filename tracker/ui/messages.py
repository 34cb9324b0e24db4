"""Messages that workers post when database work finishes.

Workers run in threads and never touch widgets: they post one of these, and the
handler (on the main thread) updates the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from tracker.domain.models import Attempt, Challenge
from tracker.ui.data import Snapshot

if TYPE_CHECKING:
    from tracker.store.repository import Store


class StoreOpened(Message):
    """The database is open for writing; `snapshot` is its first snapshot, unless one was
    already shown (read before the store was ready: see TrackerApp._open)."""

    def __init__(self, store: Store, snapshot: Snapshot | None) -> None:
        super().__init__()
        self.store = store
        self.snapshot = snapshot


class StoreFailed(Message):
    """The database could not be opened; `text` says why, in one line."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class SnapshotLoaded(Message):
    """Fresh figures for every view; `number` orders loads so a late, older one is dropped."""

    def __init__(self, snapshot: Snapshot, number: int) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.number = number


class AttemptSaved(Message):
    """A form's attempt was written; `verb` is "logged", "planned", "completed" or "updated"."""

    def __init__(self, attempt: Attempt, verb: str) -> None:
        super().__init__()
        self.attempt = attempt
        self.verb = verb


class ChallengeSaved(Message):
    def __init__(self, challenge: Challenge, verb: str) -> None:
        super().__init__()
        self.challenge = challenge
        self.verb = verb


class SaveFailed(Message):
    """The store refused the input: one message per field, or a form-wide `text`."""

    def __init__(self, fields: dict[str, str], text: str = "") -> None:
        super().__init__()
        self.fields = fields
        self.text = text


class HistoryPage(Message):
    """One page of attempts for the history table (`token` drops stale answers)."""

    def __init__(self, token: int, attempts: list[Attempt], total: int, offset: int) -> None:
        super().__init__()
        self.token = token
        self.attempts = attempts
        self.total = total
        self.offset = offset


class AttemptDeleted(Message):
    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt


class AttemptRestored(Message):
    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt


class WorkFailed(Message):
    """A background write failed for a reason the user should hear about."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
