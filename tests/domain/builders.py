"""Small factories for the rule tests: challenges, attempts and a fixed clock.

Times are given in local wall-clock terms (default Europe/London) and stored on the
attempt in UTC, as the store does.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from tracker.domain.models import Attempt, Barrier, Challenge, Context, Outcome, Settings

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")

#: Sunday 22 November 2026, 10:00 in London (GMT, so also 10:00 UTC).
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=LONDON)
DEFAULTS = Settings()


def local(
    year: int, month: int, day: int, hour: int = 12, minute: int = 0, tz: tzinfo = LONDON
) -> datetime:
    """An aware local time."""
    return datetime(year, month, day, hour, minute, tzinfo=tz)


def days_ago(days: float, hour: int | None = None, now: datetime = NOW) -> datetime:
    """`days` before `now`, optionally at a given local hour of that day."""
    moment = now - timedelta(days=days)
    if hour is not None:
        moment = moment.replace(hour=hour, minute=0)
    return moment


def challenge(
    id: int,
    rung: int = 1,
    context: Context = Context.STRANGERS,
    *,
    archived: bool = False,
    builtin: bool = True,
    barrier: Barrier = Barrier.REJECTION,
    tip: str = "Be specific about what you need.",
) -> Challenge:
    return Challenge(
        id=id,
        slug=f"challenge-{id}",
        title=f"Challenge {id}",
        rung=rung,
        context=context,
        barrier=barrier,
        tip=tip,
        description=f"Practice ask number {id}.",
        builtin=builtin,
        archived=archived,
    )


def attempt(
    id: int,
    on: Challenge | int,
    at: datetime,
    outcome: Outcome | None = Outcome.HELPED,
    **fields: Any,
) -> Attempt:
    challenge_id = on if isinstance(on, int) else on.id
    return Attempt(
        id=id,
        challenge_id=challenge_id,
        occurred_at=at.astimezone(UTC),
        outcome=outcome,
        **fields,
    )


class Log:
    """An attempt log that hands out ids and, unless told otherwise, times.

    Each attempt without `at` happens one hour after the previous one, starting from
    `start` (default: 30 days before NOW).
    """

    def __init__(self, start: datetime | None = None) -> None:
        self.attempts: list[Attempt] = []
        self._clock = start if start is not None else NOW - timedelta(days=30)
        self._next_id = 1

    def add(
        self,
        on: Challenge | int,
        outcome: Outcome | None = Outcome.HELPED,
        *,
        at: datetime | None = None,
        **fields: Any,
    ) -> Attempt:
        if at is None:
            at = self._clock
        self._clock = max(self._clock, at) + timedelta(hours=1)
        made = attempt(self._next_id, on, at, outcome, **fields)
        self._next_id += 1
        self.attempts.append(made)
        return made

    def ask(self, on: Challenge | int, confidence: int | None = None, **fields: Any) -> Attempt:
        """A completed ask (helped, unless `outcome=` says otherwise)."""
        return self.add(on, fields.pop("outcome", Outcome.HELPED), confidence=confidence, **fields)

    def good(self, on: Challenge | int, **fields: Any) -> Attempt:
        """An ask that shows the confidence climbing needs (8, re-rated 10 %)."""
        fields.setdefault("confidence", 8)
        fields.setdefault("rerated", 10)
        return self.ask(on, **fields)

    def climb(self, *on: Challenge, **fields: Any) -> list[Attempt]:
        """Three good asks cycling through `on`: enough to climb their rung."""
        return [self.good(on[i % len(on)], **fields) for i in range(3)]

    def avoid(self, on: Challenge | int, **fields: Any) -> Attempt:
        return self.add(on, Outcome.AVOIDED, **fields)

    def plan(self, on: Challenge | int, **fields: Any) -> Attempt:
        return self.add(on, None, **fields)

    def __iter__(self) -> Iterator[Attempt]:
        return iter(self.attempts)

    def __len__(self) -> int:
        return len(self.attempts)
