"""What the command line and the screens ask for, assembled from the store and the rules.

Both front ends call these functions, so the TUI and `tracker --json` always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from tracker.domain import rules
from tracker.domain.models import Attempt, Challenge, Settings
from tracker.domain.summary import Summary

if TYPE_CHECKING:
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
