"""The progression rules of DESIGN.md, as pure functions.

The rules read the log through its `Summary` (tracker.domain.summary): the running
totals that folding the completed attempts in time order gives. Each rule is a
`*_from` function of a summary: the one the store hands over (kept current as attempts
are written), or one folded from a list of attempts (`summary.fold`, as the tests do).
Nothing reads the clock or a database: the current time comes in as `now` (aware, in
the user's local zone).

Planned attempts (no outcome yet) count in no rule until they are completed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from tracker.domain.models import Challenge, Context, Settings
from tracker.domain.summary import (
    RungTally,
    Summary,
    Try,
    needed_challenges,
    qualifies,
    week_start,
)


class RungState(StrEnum):
    CLIMBED = "climbed"
    CURRENT = "current"
    LOCKED = "locked"


@dataclass(frozen=True, slots=True)
class ChallengeProgress:
    challenge: Challenge
    asks: int
    last_ask_at: datetime | None


@dataclass(frozen=True, slots=True)
class RungProgress:
    rung: int
    state: RungState
    asks: int
    distinct_challenges: int
    needed_challenges: int
    climbed_at: datetime | None
    needed: str  # what is still needed to climb, in plain words ("" once climbed)
    challenges: tuple[ChallengeProgress, ...]

    @property
    def active(self) -> tuple[ChallengeProgress, ...]:
        return tuple(c for c in self.challenges if not c.challenge.archived)

    @property
    def listed(self) -> bool:
        """Whether a view that hides archived challenges lists this rung: it has an
        active challenge, an ask, or a climb (not only archived, untried challenges)."""
        return bool(self.active) or self.asks > 0 or self.state is RungState.CLIMBED


@dataclass(frozen=True, slots=True)
class Ladder:
    rungs: tuple[RungProgress, ...]  # lowest rung first
    current_rung: int | None  # None when every rung is climbed (or the ladder is empty)
    anytime: tuple[ChallengeProgress, ...] = ()  # any-time challenges: on no rung, never locked

    @property
    def all_climbed(self) -> bool:
        return self.current_rung is None and any(r.active for r in self.rungs)

    def rung(self, number: int) -> RungProgress | None:
        return next((r for r in self.rungs if r.rung == number), None)


def newly_climbed(before: Ladder, after: Ladder) -> tuple[int, ...]:
    """Rungs climbed in `after` that were not in `before`, lowest first: what a write
    climbed (the app's toast and the command line's "Rung N climbed" both say it)."""
    was = {r.rung for r in before.rungs if r.state is RungState.CLIMBED}
    return tuple(r.rung for r in after.rungs if r.state is RungState.CLIMBED and r.rung not in was)


@dataclass(frozen=True, slots=True)
class Revisit:
    rung: int
    due: date
    last_ask_at: datetime
    interval_days: int


@dataclass(frozen=True, slots=True)
class Suggestion:
    challenge: Challenge | None  # None only when the ladder has no active challenge
    rung: int | None
    current_rung: int | None
    reason: str
    step_back: bool
    all_climbed: bool
    revisits_due: tuple[Revisit, ...]


@dataclass(frozen=True, slots=True)
class CalibrationRow:
    attempts: int
    mean_predicted: float | None  # percent
    happened_rate: float | None  # percent of those attempts whose feared outcome happened


@dataclass(frozen=True, slots=True)
class Calibration:
    overall: CalibrationRow
    by_rung: dict[int, CalibrationRow]
    by_context: dict[Context, CalibrationRow]


@dataclass(frozen=True, slots=True)
class Week:
    start: date  # the Monday, local time
    asks: int
    goal: int

    @property
    def met(self) -> bool:
        return self.asks >= self.goal


_ORDINALS = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _still_needed(tally: RungTally, needed: int, settings: Settings) -> str:
    """What stands between this rung and climbed, naming the numbers."""
    confident = f"confidence {settings.climb_confidence} or more"
    if not tally.asks:
        spread = f" from {needed} different challenges" if needed > 1 else ""
        return (
            f"no asks yet; {_plural(settings.climb_min_asks, 'ask')}{spread}, "
            f"with {confident} on the last {settings.climb_recent}, climb it"
        )
    parts: list[str] = []
    if tally.asks < settings.climb_min_asks:
        parts.append(f"{tally.asks} of {settings.climb_min_asks} asks done")
    if len(tally.challenges) < needed:
        parts.append(f"{len(tally.challenges)} of {needed} different challenges tried")
    recent = tally.recent_asks
    wanted = f"{confident} on your last {settings.climb_recent} asks"
    if any(a.rerated is not None for a in recent):
        wanted += f" (re-rated likelihood {settings.climb_rerated}% or less)"
    shaky = [a for a in recent if not qualifies(a, settings)]
    if shaky:
        last = shaky[-1]
        back = len(recent) - next(i for i, a in enumerate(recent) if a is last)
        which = (
            "your last ask" if back == 1 else f"your {_ORDINALS.get(back, str(back))}-to-last ask"
        )
        if last.confidence is None:
            detail = f"{which} had no confidence rating"
        elif last.confidence < settings.climb_confidence:
            detail = f"{which}'s confidence was {last.confidence}"
        else:
            detail = f"{which}'s re-rated likelihood was {last.rerated}%"
        parts.append(f"{detail}; {wanted} climbs it")
    elif not parts:
        parts.append(f"{wanted} climbs it")
    return "; ".join(parts)


def ladder_from(summary: Summary, challenges: Iterable[Challenge], settings: Settings) -> Ladder:
    """Each rung's state and progress, from the user's own (possibly rearranged) ladder.

    Asks count toward the rung their challenge is on now: moving a challenge moves its
    history with it. Asks at archived challenges still count; archived challenges are
    not offered again. A rung appears when it has an active challenge, was climbed or
    has asks. Any-time challenges are on no rung: they are listed apart, and their asks
    count on none.
    """
    members: dict[int, list[Challenge]] = defaultdict(list)
    anytime: list[ChallengeProgress] = []
    for c in sorted(challenges, key=lambda c: c.id):
        if c.rung is None:
            anytime.append(_progress(summary, c))
        else:
            members[c.rung].append(c)
    empty = RungTally()
    # Every rung with a challenge, even one whose challenges are all archived (so they
    # can be seen and brought back); `RungProgress.listed` says which a plain view shows.
    shown = [(rung, summary.rungs.get(rung, empty), members[rung]) for rung in sorted(members)]

    current = next((r for r, t, ms in shown if t.climbed_at is None and _has_active(ms)), None)
    rungs: list[RungProgress] = []
    for rung, tally, ms in shown:
        active = sum(1 for c in ms if not c.archived)
        needed = needed_challenges(active, settings)
        if tally.climbed_at is not None:
            state = RungState.CLIMBED
        elif rung == current:
            state = RungState.CURRENT
        else:
            state = RungState.LOCKED
        progress = [_progress(summary, c) for c in ms]
        rungs.append(
            RungProgress(
                rung=rung,
                state=state,
                asks=tally.asks,
                distinct_challenges=len(tally.challenges),
                needed_challenges=needed,
                climbed_at=tally.climbed_at,
                needed="" if tally.climbed_at else _still_needed(tally, needed, settings),
                challenges=tuple(progress),
            )
        )
    return Ladder(rungs=tuple(rungs), current_rung=current, anytime=tuple(anytime))


def _progress(summary: Summary, c: Challenge) -> ChallengeProgress:
    ct = summary.challenges.get(c.id)
    return ChallengeProgress(c, ct.asks if ct else 0, ct.last_ask_at if ct else None)


def anytime_asks_from(summary: Summary, challenges: Iterable[Challenge]) -> int:
    """Asks at any-time challenges: they count for the week, the streak and calibration,
    and on no rung, so the rungs' asks and these add up to `summary.total_asks`."""
    return sum(
        t.asks
        for c in challenges
        if c.rung is None and (t := summary.challenges.get(c.id)) is not None
    )


def _has_active(challenges: Iterable[Challenge]) -> bool:
    return any(not c.archived for c in challenges)


def revisits_from(summary: Summary, settings: Settings) -> list[Revisit]:
    """When each climbed rung is next due for a revisit (due or not).

    The first revisit is due `revisit_days[0]` days after the ask that climbed the
    rung. An ask made on or before the due day is an on-time revisit and moves to the
    next, longer interval; a late one keeps the interval. Days are local dates.
    """
    result = []
    for rung, t in sorted(summary.rungs.items()):
        if t.climbed_at is None or t.revisit_due is None or t.revisit_last is None:
            continue
        interval = settings.revisit_days[t.revisit_step]
        result.append(Revisit(rung, t.revisit_due, t.revisit_last, interval))
    return result


def revisits_due_from(summary: Summary, settings: Settings, now: datetime) -> tuple[Revisit, ...]:
    today = now.date()
    return tuple(r for r in revisits_from(summary, settings) if r.due <= today)


def _pick(rung: RungProgress, last_context: Context | None) -> ChallengeProgress | None:
    """Fewest asks, then least recently practised, then a new context, then lowest id."""
    options = rung.active
    if not options:
        return None
    never = datetime.min

    def key(p: ChallengeProgress) -> tuple[int, datetime, bool, int]:
        last = p.last_ask_at.astimezone(UTC).replace(tzinfo=None) if p.last_ask_at else never
        return (p.asks, last, p.challenge.context == last_context, p.challenge.id)

    return min(options, key=key)


def _hard_tries(
    tally: RungTally | None, below: RungTally | None, settings: Settings
) -> list[Try] | None:
    """The latest tries at a rung, when each of them was avoided or overwhelming and
    no ask has been made on the rung below since (that ask is the step back done)."""
    recent = tally.recent_tries[-settings.step_back_recent :] if tally else []
    if len(recent) < settings.step_back_recent:
        return None
    since = below.recent_asks[-1].occurred_at if below and below.recent_asks else None
    if since is not None and since > recent[-1].occurred_at:
        return None

    def hard(t: Try) -> bool:
        return not t.is_ask or (
            t.peak_distress is not None and t.peak_distress >= settings.step_back_distress
        )

    return recent if all(hard(t) for t in recent) else None


def _describe_hard(tries: Sequence[Try]) -> str:
    skipped = sum(1 for t in tries if not t.is_ask)
    peaks = [t.peak_distress for t in tries if t.is_ask and t.peak_distress is not None]
    bits = []
    if skipped:
        bits.append(f"{skipped} not asked")
    if peaks:
        bits.append("peak distress " + " and ".join(str(p) for p in peaks))
    return ", ".join(bits)


def _footing(summary: Summary, rung: RungProgress) -> ChallengeProgress | None:
    """A step back's pick: among the rung's active challenges with at least one ask,
    the one whose latest ask went best: highest confidence (none counts lowest), then
    lowest peak distress (none counts highest), then the most recent, then lowest id.
    None when no challenge there has an ask yet."""
    best: tuple[tuple[int, int, datetime, int], ChallengeProgress] | None = None
    for p in rung.active:
        t = summary.challenges.get(p.challenge.id)
        if t is None or t.last_ask_at is None:
            continue
        key = (
            -1 if t.last_confidence is None else t.last_confidence,
            -(101 if t.last_peak is None else t.last_peak),
            t.last_ask_at,
            -p.challenge.id,
        )
        if best is None or key > best[0]:
            best = (key, p)
    return best[1] if best else None


def _step_back_reason(current: int, target: int, hard: Sequence[Try], *, well: bool) -> str:
    """Why a step back, in words that read as footing, not as a demotion."""
    what = _describe_hard(hard)
    where = f"here on rung {current}" if target == current else f"on rung {target}"
    step = f"a step you have done well before, {where}" if well else f"a gentler step {where}"
    later = f", and rung {current} is still yours when you are ready" if target != current else ""
    return (
        f"Rung {current}: your last {len(hard)} tries were hard going ({what}). That is part "
        f"of the practice. Rebuild your footing with {step}{later}."
    )


#: From this rung up, a step back's reason also names the any-time support asks.
SUPPORT_FROM_RUNG = 8


def _support_words(challenges: Iterable[Challenge]) -> str:
    titles = [
        c.title for c in sorted(challenges, key=lambda c: c.id) if c.anytime and not c.archived
    ]
    if not titles:
        return " Asking for support is open to you at any time, on no rung."
    return " Any time, on no rung, you can also ask for support: " + "; ".join(titles) + "."


def suggest_from(
    summary: Summary, challenges: Iterable[Challenge], settings: Settings, now: datetime
) -> Suggestion:
    """The next challenge to try, with a one-line reason that names the numbers."""
    challenges = list(challenges)
    state = ladder_from(summary, challenges, settings)
    practised = {r.rung for r in state.rungs if r.active}
    due = tuple(r for r in revisits_due_from(summary, settings, now) if r.rung in practised)
    by_id = {c.id: c for c in challenges}
    last = by_id.get(summary.last_challenge) if summary.last_challenge is not None else None
    last_context = last.context if last else None
    with_active = [r for r in state.rungs if r.active]

    if not with_active:
        return Suggestion(
            challenge=None,
            rung=None,
            current_rung=None,
            reason="Your ladder has no active challenges: add one with `tracker challenge add`.",
            step_back=False,
            all_climbed=False,
            revisits_due=due,
        )

    if state.current_rung is None:
        top = with_active[-1]
        pick = _pick(top, last_context)
        assert pick is not None
        return Suggestion(
            challenge=pick.challenge,
            rung=top.rung,
            current_rung=None,
            reason=(
                f"Every rung is climbed. Keep it fresh with rung {top.rung}'s least practised "
                f"challenge ({_plural(pick.asks, 'ask')} so far), and add a harder one of your own."
            ),
            step_back=False,
            all_climbed=True,
            revisits_due=due,
        )

    current = state.rung(state.current_rung)
    assert current is not None
    target = current
    lower = [r for r in with_active if r.rung < current.rung]
    step_to = lower[-1] if lower else current
    hard = _hard_tries(
        summary.rungs.get(current.rung),
        summary.rungs.get(step_to.rung) if step_to is not current else None,
        settings,
    )
    chosen: ChallengeProgress | None = None
    if hard is not None:
        target = step_to
        chosen = _footing(summary, target)
        reason = _step_back_reason(current.rung, target.rung, hard, well=chosen is not None)
        if current.rung >= SUPPORT_FROM_RUNG:
            reason += _support_words(challenges)
    else:
        reason = f"Rung {current.rung}: {current.needed}."
    if chosen is None:
        chosen = _pick(target, last_context)
    assert chosen is not None
    return Suggestion(
        challenge=chosen.challenge,
        rung=target.rung,
        current_rung=state.current_rung,
        reason=reason,
        step_back=hard is not None,
        all_climbed=False,
        revisits_due=due,
    )


def _row(n: int, predicted: int, happened: int) -> CalibrationRow:
    if not n:
        return CalibrationRow(attempts=0, mean_predicted=None, happened_rate=None)
    return CalibrationRow(
        attempts=n,
        mean_predicted=round(predicted / n, 1),
        happened_rate=round(100 * happened / n, 1),
    )


def calibration_from(summary: Summary, challenges: Iterable[Challenge]) -> Calibration:
    """Mean predicted likelihood against the share of feared outcomes that came true."""
    by_id = {c.id: c for c in challenges}
    total = [0, 0, 0]
    rungs: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    contexts: dict[Context, list[int]] = defaultdict(lambda: [0, 0, 0])
    for cid, t in summary.challenges.items():
        if not t.predictions:
            continue
        cells = [total]
        challenge = by_id.get(cid)
        if challenge is not None:
            cells.append(contexts[challenge.context])
            if challenge.rung is not None:
                cells.append(rungs[challenge.rung])
        for cell in cells:
            cell[0] += t.predictions
            cell[1] += t.predicted_sum
            cell[2] += t.happened
    return Calibration(
        overall=_row(*total),
        by_rung={r: _row(*v) for r, v in sorted(rungs.items())},
        by_context={c: _row(*v) for c, v in sorted(contexts.items())},
    )


def weeks_from(summary: Summary, settings: Settings, now: datetime, count: int) -> list[Week]:
    """Asks per week (Monday to Sunday, local time) for the last `count` weeks, oldest first."""
    this = week_start(now.date())
    starts = [this - timedelta(weeks=i) for i in range(count - 1, -1, -1)]
    return [
        Week(start=s, asks=summary.weeks[s].asks if s in summary.weeks else 0,
             goal=settings.weekly_goal)
        for s in starts
    ]  # fmt: skip


def streak_from(summary: Summary, settings: Settings, now: datetime) -> int:
    """Consecutive weeks that met the goal, up to now; the week in progress never breaks it."""

    def met(start: date) -> bool:
        week = summary.weeks.get(start)
        return week is not None and week.asks >= settings.weekly_goal

    start = week_start(now.date())
    count = 1 if met(start) else 0
    start -= timedelta(weeks=1)
    while met(start):
        count += 1
        start -= timedelta(weeks=1)
    return count
