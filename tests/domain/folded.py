"""The one way the rule tests reach the rules: fold a log, then ask the `*_from` rules.

tracker.domain.rules reads a `Summary`, as the store hands it over; a test holds a
list of attempts instead, so it folds them first, under the zone of its `now`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from tracker.domain.models import Attempt, Challenge, Settings
from tracker.domain.summary import Frame, Summary, fold


def folded(
    challenges: Iterable[Challenge],
    attempts: Iterable[Attempt],
    settings: Settings | None = None,
    now: datetime | None = None,
) -> Summary:
    """The summary of `attempts` on this ladder, under `settings` (default: Settings())
    and the time zone of `now` (default UTC)."""
    zone = (now.tzinfo if now is not None else None) or UTC
    return fold(Frame.of(challenges, settings or Settings(), zone), attempts)
