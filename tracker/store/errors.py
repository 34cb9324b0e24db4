"""What can go wrong in the store, split by who can fix it.

`InvalidInput` and `NotFound` are the user's input (exit 2); `UnusableDatabase` and its
kinds are the file (exit 1). Messages are one line, safe to print after `error:`.
"""

from __future__ import annotations


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
