"""What the history view asks the store for: a plain value, no database types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tracker.domain.models import Outcome


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    """What the history view asks for; every part optional."""

    text: str | None = None
    outcome: Outcome | None = None
    planned: bool | None = None  # True: only planned; False: only completed
    rung: int | None = None
    since: datetime | None = None
