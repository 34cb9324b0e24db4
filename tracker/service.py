"""What the command line and the screens ask for, assembled from the store and the rules.

Both front ends call these functions, so the TUI and `tracker --json` always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tracker.domain import rules
from tracker.domain.models import Attempt, Challenge, Settings
from tracker.domain.people import Person, ThankDue
from tracker.domain.plans import is_due, plan_time
from tracker.domain.summary import Summary
from tracker.store.filters import HistoryFilter


class Source(Protocol):
    """What reading needs: a Store, or a tracker.store.reader.Reader (no SQLAlchemy)."""

    def state(self) -> tuple[Summary, list[Challenge], Settings]: ...

    def attempts(
        self, where: HistoryFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Attempt]: ...

    def count_attempts(self, where: HistoryFilter | None = None) -> int: ...


@dataclass(frozen=True, slots=True)
class Overview:
    challenges: tuple[Challenge, ...]
    settings: Settings
    summary: Summary
    ladder: rules.Ladder
    suggestion: rules.Suggestion
    week: rules.Week
    streak: int
    calibration: rules.Calibration
    total_asks: int
    anytime_asks: int  # asks at any-time challenges: with the rungs' asks, total_asks
    now: datetime

    def challenge(self, challenge_id: int) -> Challenge | None:
        return next((c for c in self.challenges if c.id == challenge_id), None)


def overview(store: Source, now: datetime) -> Overview:
    """The ladder, the suggestion and the progress figures at `now` (aware, local).

    Reads the log's summary, which the store keeps current, so this costs the same
    whatever the size of the history.
    """
    summary, challenges, settings = store.state()
    return Overview(
        challenges=tuple(challenges),
        settings=settings,
        summary=summary,
        ladder=rules.ladder_from(summary, challenges, settings),
        suggestion=rules.suggest_from(summary, challenges, settings, now),
        week=rules.weeks_from(summary, settings, now, 1)[0],
        streak=rules.streak_from(summary, settings, now),
        calibration=rules.calibration_from(summary, challenges),
        total_asks=summary.total_asks,
        anytime_asks=rules.anytime_asks_from(summary, challenges),
        now=now,
    )


class PeopleSource(Source, Protocol):
    """What `waiting` reads: a Source that also knows the thank-yous due."""

    def thanks_due(self, now: datetime) -> list[ThankDue]: ...

    def people(self) -> list[Person]: ...

    def asks_with_people_since(self, since: datetime) -> list[Attempt]: ...


@dataclass(frozen=True, slots=True)
class Waiting:
    """Everything waiting for the user (`tracker due`): plans whose time has come,
    revisits due, thank-yous due, and this week against the goal."""

    overview: Overview
    planned: tuple[Attempt, ...]  # no planned time, or one today or earlier; soonest first
    thanks: tuple[ThankDue, ...]  # the soonest to lapse first

    @property
    def revisits(self) -> tuple[rules.Revisit, ...]:
        return self.overview.suggestion.revisits_due

    @property
    def empty(self) -> bool:
        return not (self.planned or self.thanks or self.revisits)


def waiting(store: PeopleSource, now: datetime) -> Waiting:
    """What is waiting at `now` (aware, local): as cheap as `overview` plus two small reads."""

    view = overview(store, now)
    plans = [a for a in store.attempts(HistoryFilter(planned=True)) if is_due(a, now)]
    plans.sort(key=lambda a: (plan_time(a), a.id))
    return Waiting(view, tuple(plans), tuple(store.thanks_due(now)))
