"""The progression rules of DESIGN.md, as pure functions.

Every function takes the ladder (challenges), the log (attempts) and the settings as
plain values, and the current time as `now` (aware, in the user's local zone). Nothing
reads the clock or a database, so each rule can be tested on its own scenario.

Planned attempts (no outcome yet) count in no rule until they are completed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from tracker.domain.models import Attempt, Challenge, Context, Settings


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


@dataclass(frozen=True, slots=True)
class Ladder:
    rungs: tuple[RungProgress, ...]  # lowest rung first
    current_rung: int | None  # None when every rung is climbed (or the ladder is empty)

    @property
    def all_climbed(self) -> bool:
        return self.current_rung is None and any(r.active for r in self.rungs)

    def rung(self, number: int) -> RungProgress | None:
        return next((r for r in self.rungs if r.rung == number), None)


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


def completed(attempts: Iterable[Attempt]) -> list[Attempt]:
    """Completed attempts in the order they happened (planned ones left out)."""
    return sorted((a for a in attempts if not a.planned), key=lambda a: (a.occurred_at, a.id))


def _qualifies(ask: Attempt, settings: Settings) -> bool:
    """Does this ask show the confidence that climbing needs?"""
    if ask.confidence is None or ask.confidence < settings.climb_confidence:
        return False
    return ask.rerated is None or ask.rerated <= settings.climb_rerated


def _needed_challenges(active_count: int, settings: Settings) -> int:
    return max(1, min(settings.climb_min_challenges, active_count))


def climbed_at(
    asks: Sequence[Attempt], needed_challenges: int, settings: Settings
) -> datetime | None:
    """The first moment the rung's asks (oldest first) met every climbing condition."""
    seen: set[int] = set()
    streak = 0  # qualifying asks in a row, ending at the latest one
    for count, ask in enumerate(asks, start=1):
        seen.add(ask.challenge_id)
        streak = streak + 1 if _qualifies(ask, settings) else 0
        if (
            count >= settings.climb_min_asks
            and len(seen) >= needed_challenges
            and streak >= settings.climb_recent
        ):
            return ask.occurred_at
    return None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _still_needed(asks: Sequence[Attempt], needed_challenges: int, settings: Settings) -> str:
    """What stands between this rung and climbed, naming the numbers."""
    confident = f"confidence {settings.climb_confidence} or more"
    if not asks:
        spread = f" from {needed_challenges} different challenges" if needed_challenges > 1 else ""
        return (
            f"no asks yet; {_plural(settings.climb_min_asks, 'ask')}{spread}, "
            f"with {confident} on the last {settings.climb_recent}, climb it"
        )
    parts: list[str] = []
    if len(asks) < settings.climb_min_asks:
        parts.append(f"{len(asks)} of {settings.climb_min_asks} asks done")
    distinct = len({a.challenge_id for a in asks})
    if distinct < needed_challenges:
        parts.append(f"{distinct} of {needed_challenges} different challenges tried")
    recent = asks[-settings.climb_recent :]
    wanted = f"{confident} on your last {settings.climb_recent} asks"
    if any(a.rerated is not None for a in recent):
        wanted += f" (re-rated likelihood {settings.climb_rerated}% or less)"
    shaky = [a for a in recent if not _qualifies(a, settings)]
    if shaky:
        last = shaky[-1]
        which = "last ask" if last is asks[-1] else "ask before"
        if last.confidence is None:
            detail = f"your {which} had no confidence rating"
        elif last.confidence < settings.climb_confidence:
            detail = f"your {which}'s confidence was {last.confidence}"
        else:
            detail = f"your {which}'s re-rated likelihood was {last.rerated}%"
        parts.append(f"{detail}; {wanted} climbs it")
    elif not parts:
        parts.append(f"{wanted} climbs it")
    return "; ".join(parts)


def ladder(
    challenges: Iterable[Challenge], attempts: Iterable[Attempt], settings: Settings
) -> Ladder:
    """Each rung's state and progress, from the user's own (possibly rearranged) ladder.

    Asks count toward the rung their challenge is on now: moving a challenge moves its
    history with it. Asks at archived challenges still count; archived challenges are
    not offered again. A rung appears when it has an active challenge or was climbed.
    """
    by_id = {c.id: c for c in challenges}
    asks_by_rung: dict[int, list[Attempt]] = defaultdict(list)
    asks_by_challenge: dict[int, list[Attempt]] = defaultdict(list)
    for a in completed(attempts):
        challenge = by_id.get(a.challenge_id)
        if challenge is None or not a.is_ask:
            continue
        asks_by_rung[challenge.rung].append(a)
        asks_by_challenge[a.challenge_id].append(a)

    members: dict[int, list[Challenge]] = defaultdict(list)
    for c in sorted(by_id.values(), key=lambda c: c.id):
        members[c.rung].append(c)

    provisional: list[tuple[int, datetime | None, int, list[Challenge]]] = []
    for rung in sorted(members):
        active = [c for c in members[rung] if not c.archived]
        needed = _needed_challenges(len(active), settings)
        when = climbed_at(asks_by_rung[rung], needed, settings)
        if active or when is not None:
            provisional.append((rung, when, needed, members[rung]))

    current = next((r for r, when, _, ms in provisional if when is None and _has_active(ms)), None)
    rungs: list[RungProgress] = []
    for rung, when, needed, ms in provisional:
        asks = asks_by_rung[rung]
        if when is not None:
            state = RungState.CLIMBED
        elif rung == current:
            state = RungState.CURRENT
        else:
            state = RungState.LOCKED
        progress = tuple(
            ChallengeProgress(
                challenge=c,
                asks=len(asks_by_challenge[c.id]),
                last_ask_at=asks_by_challenge[c.id][-1].occurred_at
                if asks_by_challenge[c.id]
                else None,
            )
            for c in ms
        )
        rungs.append(
            RungProgress(
                rung=rung,
                state=state,
                asks=len(asks),
                distinct_challenges=len({a.challenge_id for a in asks}),
                needed_challenges=needed,
                climbed_at=when,
                needed="" if when is not None else _still_needed(asks, needed, settings),
                challenges=progress,
            )
        )
    return Ladder(rungs=tuple(rungs), current_rung=current)


def _has_active(challenges: Iterable[Challenge]) -> bool:
    return any(not c.archived for c in challenges)


def revisits(
    state: Ladder, attempts: Iterable[Attempt], settings: Settings, now: datetime
) -> list[Revisit]:
    """When each climbed rung is next due for a revisit (due or not).

    The first revisit is due `revisit_days[0]` days after the rung's last ask. An ask
    made on or before the due day is an on-time revisit and moves to the next, longer
    interval; a late one keeps the interval. Days are counted in local dates.
    """
    if not settings.revisit_days:
        return []
    tz = now.tzinfo
    rung_of = {p.challenge.id: r.rung for r in state.rungs for p in r.challenges}
    climbed = {r.rung: r.climbed_at for r in state.rungs if r.climbed_at is not None}
    later: dict[int, list[datetime]] = defaultdict(list)
    for a in completed(attempts):
        rung = rung_of.get(a.challenge_id)
        if a.is_ask and rung in climbed and a.occurred_at > climbed[rung]:
            later[rung].append(a.occurred_at)

    result: list[Revisit] = []
    intervals = settings.revisit_days
    for rung, since in sorted(climbed.items()):
        assert since is not None
        step, last = 0, since
        due = since.astimezone(tz).date() + timedelta(days=intervals[0])
        for at in later[rung]:
            if at.astimezone(tz).date() <= due:
                step = min(step + 1, len(intervals) - 1)
            last = at
            due = at.astimezone(tz).date() + timedelta(days=intervals[step])
        result.append(Revisit(rung=rung, due=due, last_ask_at=last, interval_days=intervals[step]))
    return result


def revisits_due(
    state: Ladder, attempts: Iterable[Attempt], settings: Settings, now: datetime
) -> tuple[Revisit, ...]:
    today = now.date()
    return tuple(r for r in revisits(state, attempts, settings, now) if r.due <= today)


def _pick(rung: RungProgress, last_context: Context | None) -> ChallengeProgress | None:
    """Fewest asks, then least recently practised, then a new context, then lowest id."""
    options = rung.active
    if not options:
        return None
    never = datetime.min

    def key(p: ChallengeProgress) -> tuple[int, datetime, bool, int]:
        last = p.last_ask_at.replace(tzinfo=None) if p.last_ask_at else never
        return (p.asks, last, p.challenge.context == last_context, p.challenge.id)

    return min(options, key=key)


def _hard_tries(
    rung: int, attempts: Sequence[Attempt], rung_of: dict[int, int], settings: Settings
) -> list[Attempt] | None:
    """The latest tries at this rung, when each of them was avoided or overwhelming."""
    tries = [a for a in attempts if rung_of.get(a.challenge_id) == rung]
    recent = tries[-settings.step_back_recent :]
    if len(recent) < settings.step_back_recent:
        return None

    def hard(a: Attempt) -> bool:
        return not a.is_ask or (
            a.peak_distress is not None and a.peak_distress >= settings.step_back_distress
        )

    return recent if all(hard(a) for a in recent) else None


def _describe_hard(tries: Sequence[Attempt]) -> str:
    avoided = sum(1 for a in tries if not a.is_ask)
    peaks = [a.peak_distress for a in tries if a.is_ask and a.peak_distress is not None]
    bits = []
    if avoided:
        bits.append(f"{avoided} avoided")
    if peaks:
        bits.append("peak distress " + " and ".join(str(p) for p in peaks))
    return ", ".join(bits)


def suggest(
    challenges: Iterable[Challenge],
    attempts: Iterable[Attempt],
    settings: Settings,
    now: datetime,
) -> Suggestion:
    """The next challenge to try, with a one-line reason that names the numbers."""
    challenges = list(challenges)
    done = completed(attempts)
    state = ladder(challenges, done, settings)
    due = revisits_due(state, done, settings, now)
    rung_of = {c.id: c.rung for c in challenges}
    by_id = {c.id: c for c in challenges}
    last_context = (
        by_id[done[-1].challenge_id].context if done and done[-1].challenge_id in by_id else None
    )
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
    hard = _hard_tries(current.rung, done, rung_of, settings)
    if hard is not None:
        below = [r for r in with_active if r.rung < current.rung]
        target = below[-1] if below else current
        what = _describe_hard(hard)
        if target is current:
            reason = (
                f"Rung {current.rung}: your last {len(hard)} tries were hard ({what}). "
                f"Try the gentlest step again; asking at all is the practice."
            )
        else:
            reason = (
                f"Rung {current.rung}: your last {len(hard)} tries were hard ({what}), so step "
                f"back to rung {target.rung} for now; it builds the footing to return."
            )
    else:
        reason = f"Rung {current.rung}: {current.needed}."

    pick = _pick(target, last_context)
    assert pick is not None
    return Suggestion(
        challenge=pick.challenge,
        rung=target.rung,
        current_rung=state.current_rung,
        reason=reason,
        step_back=hard is not None,
        all_climbed=False,
        revisits_due=due,
    )


def _row(pairs: Sequence[tuple[int, bool]]) -> CalibrationRow:
    if not pairs:
        return CalibrationRow(attempts=0, mean_predicted=None, happened_rate=None)
    n = len(pairs)
    return CalibrationRow(
        attempts=n,
        mean_predicted=round(sum(p for p, _ in pairs) / n, 1),
        happened_rate=round(100 * sum(1 for _, h in pairs if h) / n, 1),
    )


def calibration(challenges: Iterable[Challenge], attempts: Iterable[Attempt]) -> Calibration:
    """Mean predicted likelihood against the share of feared outcomes that came true."""
    by_id = {c.id: c for c in challenges}
    overall: list[tuple[int, bool]] = []
    rungs: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    contexts: dict[Context, list[tuple[int, bool]]] = defaultdict(list)
    for a in attempts:
        if a.planned or a.predicted is None or a.happened is None:
            continue
        pair = (a.predicted, a.happened)
        overall.append(pair)
        challenge = by_id.get(a.challenge_id)
        if challenge is not None:
            rungs[challenge.rung].append(pair)
            contexts[challenge.context].append(pair)
    return Calibration(
        overall=_row(overall),
        by_rung={r: _row(p) for r, p in sorted(rungs.items())},
        by_context={c: _row(p) for c, p in sorted(contexts.items())},
    )


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks(attempts: Iterable[Attempt], settings: Settings, now: datetime, count: int) -> list[Week]:
    """Asks per week (Monday to Sunday, local time) for the last `count` weeks, oldest first."""
    this_week = week_start(now.date())
    starts = [this_week - timedelta(weeks=i) for i in range(count - 1, -1, -1)]
    tally = dict.fromkeys(starts, 0)
    for a in attempts:
        if a.is_ask:
            start = week_start(a.occurred_at.astimezone(now.tzinfo).date())
            if start in tally:
                tally[start] += 1
    return [Week(start=s, asks=tally[s], goal=settings.weekly_goal) for s in starts]


def this_week(attempts: Iterable[Attempt], settings: Settings, now: datetime) -> Week:
    return weeks(attempts, settings, now, 1)[0]


def streak(attempts: Iterable[Attempt], settings: Settings, now: datetime) -> int:
    """Consecutive weeks that met the goal, up to now; the week in progress never breaks it."""
    per_week: dict[date, int] = defaultdict(int)
    for a in attempts:
        if a.is_ask:
            per_week[week_start(a.occurred_at.astimezone(now.tzinfo).date())] += 1
    start = week_start(now.date())
    count = 1 if per_week[start] >= settings.weekly_goal else 0
    start -= timedelta(weeks=1)
    while per_week.get(start, 0) >= settings.weekly_goal:
        count += 1
        start -= timedelta(weeks=1)
    return count
