"""What the views show, loaded in one go by a worker thread (see TrackerApp.reload)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from tracker.domain import rules
from tracker.domain.models import Attempt, Challenge
from tracker.domain.people import ThankDue, last_months, people_per_month
from tracker.service import Overview, PeopleSource, overview
from tracker.store.filters import HistoryFilter

PLANNED_SHOWN = 8
RECENT_SHOWN = 5
WEEKS_SHOWN = 8
MONTHS_SHOWN = 6


@dataclass(frozen=True, slots=True)
class Snapshot:
    overview: Overview
    window: tuple[Attempt, ...]  # completed attempts of the last WEEKS_SHOWN weeks, oldest first
    planned: tuple[Attempt, ...]  # planned asks waiting to be completed, newest first
    planned_total: int
    recent: tuple[Attempt, ...]  # the latest completed attempts, newest first
    weeks: tuple[rules.Week, ...]  # asks per week, oldest first, this week last
    attempts_total: int
    thanks_due: tuple[ThankDue, ...] = ()  # the soonest to lapse first
    people: tuple[str, ...] = ()  # every person's label, in the order first named
    people_months: tuple[tuple[date, int], ...] = ()  # different people asked, by month

    @property
    def now(self) -> datetime:
        return self.overview.now

    @property
    def first_run(self) -> bool:
        return self.attempts_total == 0

    def challenge(self, challenge_id: int) -> Challenge | None:
        return self.overview.challenge(challenge_id)

    def title(self, challenge_id: int) -> str:
        c = self.challenge(challenge_id)
        return c.title if c else f"challenge {challenge_id}"


def window_start(now: datetime, weeks: int = WEEKS_SHOWN) -> datetime:
    """Midnight (local) on the Monday `weeks - 1` weeks before this week's Monday."""
    today = now.date()
    monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    return datetime.combine(monday, time(0), tzinfo=now.tzinfo)


def load_snapshot(store: PeopleSource, now: datetime) -> Snapshot:
    """Everything the four views need at `now` (aware, local). Runs in a worker thread.

    Only the last few weeks of the log are read here (for the plots); the ladder and
    the suggestion come from tracker.service, as for `tracker next`.
    """
    view = overview(store, now)
    done = HistoryFilter(planned=False)
    waiting = HistoryFilter(planned=True)
    window = store.attempts(HistoryFilter(planned=False, since=window_start(now)))
    window.reverse()
    return Snapshot(
        overview=view,
        window=tuple(window),
        planned=tuple(store.attempts(waiting, limit=PLANNED_SHOWN)),
        planned_total=store.count_attempts(waiting),
        recent=tuple(store.attempts(done, limit=RECENT_SHOWN)),
        weeks=tuple(rules.weeks_from(view.summary, view.settings, now, WEEKS_SHOWN)),
        attempts_total=store.count_attempts(),
        thanks_due=tuple(store.thanks_due(now)),
        people=tuple(p.label for p in store.people()),
        people_months=_people_months(store, now),
    )


def _people_months(store: PeopleSource, now: datetime) -> tuple[tuple[date, int], ...]:
    months = last_months(now.date(), MONTHS_SHOWN)
    since = datetime.combine(months[0], time(0), tzinfo=now.tzinfo)
    counts = people_per_month(store.asks_with_people_since(since), now.tzinfo or UTC, months)
    return tuple(zip(months, counts, strict=True))
