"""The log folded into running totals: all that the rules read, in one small value.

Every rule of DESIGN.md needs only running figures: asks and the last ask per
challenge, each rung's climb state and its last few tries, revisit timing, asks per
week, and prediction tallies. Folding the completed attempts in time order yields
them. The store keeps the folded `Summary` beside the log and folds each new attempt
in as it is written, so the rules cost the same at the 100,000th attempt as at the
first; anything that changes history in the middle is folded again from the start.

A fold depends on the ladder's shape, the settings, the time zone and the rungs
already known to be climbed (the `Frame`); a summary remembers the key of the frame it
was folded under, and is only reused under the same one. Climbs are remembered apart
from the log because a rung, once climbed, stays climbed: rearranging the ladder or
raising a threshold later does not take a climb back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from tracker.domain.models import RULE_SETTINGS, Attempt, Challenge, Outcome, Settings

#: Bump when the folded state's meaning or layout changes: old summaries are refolded.
FOLD_VERSION = 2


def needed_challenges(active: int, settings: Settings) -> int:
    """Different challenges a rung with `active` active challenges needs to be climbed."""
    return max(1, min(settings.climb_min_challenges, active))


def qualifies(ask: Try, settings: Settings) -> bool:
    """Does this ask show the confidence that climbing needs?"""
    if ask.confidence is None or ask.confidence < settings.climb_confidence:
        return False
    return ask.rerated is None or ask.rerated <= settings.climb_rerated


#: The attempt fields a climb can depend on: which rung the ask counts on
#: (challenge_id), where it falls in the order of asks (occurred_at), whether it is an
#: ask at all (outcome), and what `qualifies` reads (confidence, rerated). Changing any
#: other field of an attempt never changes when a rung is climbed; changing one of these
#: may, so the store then releases the climbs made at that attempt's moment and decides
#: them again. tests/domain/test_climb_fields.py checks that no other field matters.
CLIMB_FIELDS: frozenset[str] = frozenset(
    {"challenge_id", "occurred_at", "outcome", "confidence", "rerated"}
)


def changes_climbs(before: Attempt, after: Attempt) -> bool:
    """Could replacing `before` by `after` in a log change when a rung is climbed?"""
    return any(getattr(before, name) != getattr(after, name) for name in CLIMB_FIELDS)


@dataclass(frozen=True, slots=True)
class Frame:
    """What a fold depends on besides the log itself."""

    rung_of: Mapping[int, int]  # challenge id -> rung
    needed: Mapping[int, int]  # rung -> different challenges needed to climb it
    settings: Settings
    zone: tzinfo
    climbs: Mapping[int, datetime] = field(default_factory=dict)  # rung -> when first climbed

    @classmethod
    def of(
        cls,
        challenges: Iterable[Challenge],
        settings: Settings,
        zone: tzinfo,
        climbs: Mapping[int, datetime] | None = None,
    ) -> Frame:
        # Any-time challenges sit on no rung: their asks count on none.
        placed = [(c, c.rung) for c in challenges if c.rung is not None]
        active: dict[int, int] = {}
        for c, rung in placed:
            active[rung] = active.get(rung, 0) + (0 if c.archived else 1)
        return cls(
            rung_of={c.id: rung for c, rung in placed},
            needed={rung: needed_challenges(n, settings) for rung, n in active.items()},
            settings=settings,
            zone=zone,
            climbs=dict(climbs or {}),
        )

    def key(self) -> str:
        """A fingerprint of everything here; equal keys fold the same log the same way."""
        # The zone by what it does, not its name ("UTC" and "Etc/UTC" fold alike): its
        # offset each week over three years, which catches daylight-saving rules.
        start = datetime(2025, 1, 1, tzinfo=UTC)
        probe = [(start + timedelta(weeks=w)).astimezone(self.zone) for w in range(0, 156)]
        offsets = [int(p.utcoffset().total_seconds()) for p in probe]  # type: ignore[union-attr]
        parts = {
            "v": FOLD_VERSION,
            "rung_of": sorted(self.rung_of.items()),
            "needed": sorted(self.needed.items()),
            # Every setting the rules may read, whether or not this fold reads it.
            "rules": {name: getattr(self.settings, name) for name in RULE_SETTINGS},
            "zone": offsets,
            "climbs": sorted((r, t.isoformat()) for r, t in self.climbs.items()),
        }
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:32]

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()


@dataclass(frozen=True, slots=True)
class Try:
    """A completed attempt, reduced to what the rules look back at."""

    challenge_id: int
    occurred_at: datetime
    outcome: Outcome
    confidence: int | None = None
    rerated: int | None = None
    peak_distress: int | None = None

    @property
    def is_ask(self) -> bool:
        return self.outcome.is_ask

    @classmethod
    def of(cls, a: Attempt) -> Try:
        assert a.outcome is not None
        return cls(
            a.challenge_id, a.occurred_at, a.outcome, a.confidence, a.rerated, a.peak_distress
        )


@dataclass(slots=True)
class ChallengeTally:
    asks: int = 0
    last_ask_at: datetime | None = None
    last_confidence: int | None = None  # of the latest ask (what a step back looks at)
    last_peak: int | None = None  # peak distress of the latest ask
    outcomes: dict[str, int] = field(default_factory=dict)
    predictions: int = 0  # attempts with both a predicted likelihood and a yes/no
    predicted_sum: int = 0
    happened: int = 0


@dataclass(slots=True)
class RungTally:
    asks: int = 0
    challenges: set[int] = field(default_factory=set)
    streak: int = 0  # qualifying asks in a row, ending with the latest
    climbed_at: datetime | None = None
    recent_asks: list[Try] = field(default_factory=list)  # the last `climb_recent` asks
    recent_tries: list[Try] = field(default_factory=list)  # the last `step_back_recent` tries
    revisit_step: int = 0  # index into Settings.revisit_days
    revisit_last: datetime | None = None
    revisit_due: date | None = None

    def climb(self, moment: datetime, frame: Frame, intervals: tuple[int, ...]) -> None:
        self.climbed_at = moment
        self.revisit_step = 0
        self.revisit_last = moment
        self.revisit_due = (
            frame.local_date(moment) + timedelta(days=intervals[0]) if intervals else None
        )


@dataclass(slots=True)
class WeekTally:
    asks: int = 0
    peak_sum: int = 0
    peak_n: int = 0
    confidence_sum: int = 0
    confidence_n: int = 0


@dataclass(slots=True)
class Summary:
    frame_key: str
    watermark: tuple[datetime, int] | None = None  # (occurred_at, id) of the last fold
    last_challenge: int | None = None
    total_asks: int = 0
    challenges: dict[int, ChallengeTally] = field(default_factory=dict)
    rungs: dict[int, RungTally] = field(default_factory=dict)
    weeks: dict[date, WeekTally] = field(default_factory=dict)  # by local Monday

    def follows(self, a: Attempt) -> bool:
        """Can `a` be folded in next (it is completed and comes after everything so far)?"""
        return not a.planned and (self.watermark is None or (a.occurred_at, a.id) > self.watermark)

    def add(self, frame: Frame, a: Attempt) -> None:
        """Fold in one completed attempt; attempts must come in (occurred_at, id) order."""
        if not self.follows(a):
            raise ValueError(f"attempt {a.id} is planned or out of order for this summary")
        t = Try.of(a)
        s = frame.settings
        self.watermark = (a.occurred_at, a.id)
        self.last_challenge = a.challenge_id
        c = self.challenges.get(a.challenge_id)
        if c is None:
            c = self.challenges[a.challenge_id] = ChallengeTally()
        c.outcomes[t.outcome.value] = c.outcomes.get(t.outcome.value, 0) + 1
        if a.predicted is not None and a.happened is not None:
            c.predictions += 1
            c.predicted_sum += a.predicted
            c.happened += int(a.happened)

        rung = frame.rung_of.get(a.challenge_id)
        r = None
        if rung is not None:
            r = self.rungs.get(rung)
            if r is None:
                r = self.rungs[rung] = RungTally()
            _keep_last(r.recent_tries, t, s.step_back_recent)
        if not t.is_ask:
            return

        self.total_asks += 1
        c.asks += 1
        c.last_ask_at = a.occurred_at
        c.last_confidence = a.confidence
        c.last_peak = a.peak_distress
        day = frame.local_date(a.occurred_at)
        monday = week_start(day)
        week = self.weeks.get(monday)
        if week is None:
            week = self.weeks[monday] = WeekTally()
        week.asks += 1
        if a.peak_distress is not None:
            week.peak_sum += a.peak_distress
            week.peak_n += 1
        if a.confidence is not None:
            week.confidence_sum += a.confidence
            week.confidence_n += 1
        if r is None or rung is None:
            return

        r.asks += 1
        r.challenges.add(a.challenge_id)
        r.streak = r.streak + 1 if qualifies(t, s) else 0
        _keep_last(r.recent_asks, t, s.climb_recent)
        intervals = s.revisit_days
        if r.climbed_at is None or a.occurred_at <= r.climbed_at:
            # Before the climb (or at a remembered one): does the rung climb here?
            if (
                r.asks >= s.climb_min_asks
                and len(r.challenges) >= frame.needed.get(rung, 1)
                and r.streak >= s.climb_recent
            ):
                r.climb(a.occurred_at, frame, intervals)
        elif intervals and r.revisit_due is not None:
            # A revisit on or before its due day moves on to the next, longer interval;
            # a late one keeps the interval it had.
            if day <= r.revisit_due:
                r.revisit_step = min(r.revisit_step + 1, len(intervals) - 1)
            r.revisit_last = a.occurred_at
            r.revisit_due = day + timedelta(days=intervals[r.revisit_step])

    # -- storage -----------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "frame_key": self.frame_key,
            "watermark": [self.watermark[0].isoformat(), self.watermark[1]]
            if self.watermark
            else None,
            "last_challenge": self.last_challenge,
            "total_asks": self.total_asks,
            "challenges": {
                str(k): [
                    v.asks,
                    _iso(v.last_ask_at),
                    v.outcomes,
                    v.predictions,
                    v.predicted_sum,
                    v.happened,
                    v.last_confidence,
                    v.last_peak,
                ]
                for k, v in self.challenges.items()
            },
            "rungs": {
                str(k): [
                    v.asks,
                    sorted(v.challenges),
                    v.streak,
                    _iso(v.climbed_at),
                    [_try_json(t) for t in v.recent_asks],
                    [_try_json(t) for t in v.recent_tries],
                    v.revisit_step,
                    _iso(v.revisit_last),
                    v.revisit_due.isoformat() if v.revisit_due else None,
                ]
                for k, v in self.rungs.items()
            },
            "weeks": {
                k.isoformat(): [v.asks, v.peak_sum, v.peak_n, v.confidence_sum, v.confidence_n]
                for k, v in self.weeks.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Summary:
        mark = data["watermark"]
        return cls(
            frame_key=data["frame_key"],
            watermark=(datetime.fromisoformat(mark[0]), int(mark[1])) if mark else None,
            last_challenge=data["last_challenge"],
            total_asks=data["total_asks"],
            challenges={
                int(k): ChallengeTally(
                    asks=v[0],
                    last_ask_at=_dt(v[1]),
                    outcomes=dict(v[2]),
                    predictions=v[3],
                    predicted_sum=v[4],
                    happened=v[5],
                    last_confidence=v[6],
                    last_peak=v[7],
                )
                for k, v in data["challenges"].items()
            },
            rungs={
                int(k): RungTally(
                    asks=v[0],
                    challenges=set(v[1]),
                    streak=v[2],
                    climbed_at=_dt(v[3]),
                    recent_asks=[_try(t) for t in v[4]],
                    recent_tries=[_try(t) for t in v[5]],
                    revisit_step=v[6],
                    revisit_last=_dt(v[7]),
                    revisit_due=date.fromisoformat(v[8]) if v[8] else None,
                )
                for k, v in data["rungs"].items()
            },
            weeks={date.fromisoformat(k): WeekTally(*v) for k, v in data["weeks"].items()},
        )


def start(frame: Frame) -> Summary:
    """The summary of an empty log: only the climbs already remembered."""
    summary = Summary(frame_key=frame.key())
    for rung, moment in frame.climbs.items():
        summary.rungs.setdefault(rung, RungTally()).climb(
            moment, frame, frame.settings.revisit_days
        )
    return summary


def fold(frame: Frame, attempts: Iterable[Attempt]) -> Summary:
    """The summary of a whole log (planned attempts are left out)."""
    summary = start(frame)
    for a in sorted((a for a in attempts if not a.planned), key=lambda a: (a.occurred_at, a.id)):
        summary.add(frame, a)
    return summary


def _keep_last(items: list[Try], item: Try, size: int) -> None:
    items.append(item)
    if len(items) > size:
        del items[: len(items) - size]


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _try_json(t: Try) -> list[Any]:
    return [
        t.challenge_id,
        t.occurred_at.isoformat(),
        t.outcome.value,
        t.confidence,
        t.rerated,
        t.peak_distress,
    ]


def _try(v: list[Any]) -> Try:
    return Try(v[0], datetime.fromisoformat(v[1]), Outcome(v[2]), v[3], v[4], v[5])
