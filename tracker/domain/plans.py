"""Plans: asks saved before they are made, perhaps for a time ahead.

A plan given a time has a planned time (`Attempt.planned_for`, which may be ahead);
its `occurred_at` is never ahead of when it was saved. Pure: `now` is passed in.
"""

from __future__ import annotations

from datetime import datetime

from tracker.domain.models import Attempt


def plan_times(when: datetime | None, now: datetime) -> tuple[datetime, datetime | None]:
    """A new plan's `occurred_at` and `planned_for`, given the time asked for (if any).

    With no time, it is saved now with no planned time; with one, that is its planned
    time, and it is saved at it when that has passed, else now."""
    if when is None:
        return now, None
    return min(when, now), when


def completion_time(plan: Attempt, now: datetime) -> datetime:
    """When completing a plan logs the ask: its planned time once that has passed,
    else now (an ask is never logged in the future)."""
    if plan.planned_for is not None and plan.planned_for <= now:
        return plan.planned_for
    return now


def is_due(plan: Attempt, now: datetime) -> bool:
    """Whether a plan is waiting (`tracker due`): it has no planned time, or one that
    is today or earlier (local days, in `now`'s zone)."""
    if plan.planned_for is None:
        return True
    return plan.planned_for.astimezone(now.tzinfo).date() <= now.date()


def plan_time(plan: Attempt) -> datetime:
    """When a plan is for: its planned time, else when it was saved (to sort plans)."""
    return plan.planned_for if plan.planned_for is not None else plan.occurred_at
