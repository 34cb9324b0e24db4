"""What the command line and the screens ask for, assembled from the store and the rules.

Both front ends call these functions, so the TUI and `tracker --json` always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tracker.domain import rules
from tracker.domain.models import Attempt, Challenge, Settings
from tracker.store.repository import Store


@dataclass(frozen=True, slots=True)
class Overview:
    challenges: tuple[Challenge, ...]
    settings: Settings
    ladder: rules.Ladder
    suggestion: rules.Suggestion
    week: rules.Week
    streak: int
    calibration: rules.Calibration
    total_asks: int
    now: datetime

    def challenge(self, challenge_id: int) -> Challenge | None:
        return next((c for c in self.challenges if c.id == challenge_id), None)


def overview(store: Store, now: datetime) -> Overview:
    """The ladder, the suggestion and the progress figures at `now` (aware, local)."""
    challenges = store.challenges()
    settings = store.settings()
    done = store.completed_attempts()
    return summarize(challenges, done, settings, now)


def summarize(
    challenges: list[Challenge], done: list[Attempt], settings: Settings, now: datetime
) -> Overview:
    return Overview(
        challenges=tuple(challenges),
        settings=settings,
        ladder=rules.ladder(challenges, done, settings),
        suggestion=rules.suggest(challenges, done, settings, now),
        week=rules.this_week(done, settings, now),
        streak=rules.streak(done, settings, now),
        calibration=rules.calibration(challenges, done),
        total_asks=sum(1 for a in done if a.is_ask),
        now=now,
    )
