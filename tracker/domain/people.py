"""The people behind the asks: labels, thank-yous due, help given back, per-person figures.

A person is a label the user chose ("my sister", "a colleague"), matched without regard
to case or surrounding spaces. Nothing here is an exposure: thank-yous and help given
count in no rule of the ladder. Pure: no I/O, no clock (`now` is a parameter).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from tracker.domain.models import Attempt, Outcome

#: The longest label a person may be given (older files may hold longer `who` values,
#: up to the attempt's own limit; those stay as they are).
LABEL_LIMIT = 80
#: A thank-you is due from the local day after the ask through this many days after it.
THANK_DAYS = 7
#: Outcomes after which thanking again is welcome.
THANKABLE: frozenset[Outcome] = frozenset({Outcome.HELPED, Outcome.PARTLY})

#: Words the app offers for "Who": relationships, never names.
RELATIONSHIP_WORDS: tuple[str, ...] = (
    "a friend",
    "a colleague",
    "my manager",
    "a neighbour",
    "my partner",
    "my sister",
    "my brother",
    "my mum",
    "my dad",
    "a classmate",
    "my teacher",
    "my doctor",
    "a shop assistant",
    "a stranger",
    "a helpline",
)


class ThankKind(StrEnum):
    THANKED = "thanked"
    SKIPPED = "skipped"  # the user said a thank-you is not needed


def label_key(label: str) -> str:
    """What makes two labels the same person: case and surrounding spaces do not count."""
    return label.strip().casefold()


#: A label is one line. Anything else, control characters included, is kept as typed
#: and shown escaped (tracker.visible): text from a person is data.
_LINE_BREAKS = frozenset("\n\u2028\u2029")


def label_problem(label: str, limit: int = LABEL_LIMIT) -> str | None:
    """Why `label` cannot name a person (one plain sentence), or None when it can."""
    text = label.strip()
    if not text:
        return "a person needs a label, like 'my sister' or 'a colleague'"
    if len(text) > limit:
        return f"a person's label is at most {limit} characters (got {len(text)})"
    if any(ch in _LINE_BREAKS for ch in text):
        return "a person's label is one line (no line breaks)"
    return None


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    label: str


@dataclass(frozen=True, slots=True)
class Thanks:
    """A thank-you recorded for an ask (or the user's word that none is needed)."""

    attempt_id: int
    kind: ThankKind
    at: datetime  # aware, UTC: when thanked (or when marked not needed)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Gift:
    """Help the user offered or gave someone. Not an exposure: counts in no rule."""

    id: int
    who: str
    at: datetime  # aware, UTC
    what: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ThankDue:
    attempt: Attempt
    until: date  # the last local day it is due (inclusive)


def thank_window(occurred_at: datetime, zone: tzinfo) -> tuple[date, date]:
    """The local days (first, last, both inclusive) a thank-you for an ask is due."""
    day = occurred_at.astimezone(zone).date()
    return day + timedelta(days=1), day + timedelta(days=THANK_DAYS)


def can_thank(attempt: Attempt) -> bool:
    """Whether an ask is one a thank-you belongs to: helped or partly, with a person."""
    return attempt.outcome in THANKABLE and bool(attempt.who)


def thank_due(attempt: Attempt, settled: bool, now: datetime) -> bool:
    """Whether a thank-you for `attempt` is due on `now`'s local day.

    Due from the local day after a helped or partly-helped ask with a person through
    the seventh local day after it, unless one was recorded or marked not needed.
    """
    if settled or not can_thank(attempt):
        return False
    first, last = thank_window(attempt.occurred_at, _zone(now))
    return first <= now.date() <= last


def thanks_due(
    attempts: Iterable[Attempt], settled: Iterable[int], now: datetime
) -> list[ThankDue]:
    """The thank-yous due on `now`'s local day, oldest ask first (the soonest to lapse).

    `settled`: ids of asks with a thank-you recorded or marked not needed.
    """
    done = set(settled)
    zone = _zone(now)
    due = [
        ThankDue(a, thank_window(a.occurred_at, zone)[1])
        for a in attempts
        if thank_due(a, a.id in done, now)
    ]
    due.sort(key=lambda d: (d.attempt.occurred_at, d.attempt.id))
    return due


def due_since(now: datetime) -> datetime:
    """A moment before every ask whose thank-you can be due at `now` (for a narrow read)."""
    return now - timedelta(days=THANK_DAYS + 2)


@dataclass(frozen=True, slots=True)
class PersonFigures:
    """One person as `tracker people` and the People view show them."""

    person: Person
    asks: int  # completed attempts that were asks (not avoided)
    outcomes: Mapping[Outcome, int]  # every completed attempt, by outcome
    last_asked: datetime | None
    thanks: int  # thank-yous recorded (not those marked not needed)
    last_thanked: datetime | None
    thanks_due: tuple[ThankDue, ...]
    gave: int
    last_gave: datetime | None
    helped_with: tuple[Attempt, ...] = field(default=())  # helped/partly asks, newest first
    gifts: tuple[Gift, ...] = field(default=())  # newest first

    @property
    def last_in_touch(self) -> datetime | None:
        moments = [m for m in (self.last_asked, self.last_thanked, self.last_gave) if m]
        return max(moments) if moments else None


def people_figures(
    people: Iterable[Person],
    attempts: Iterable[Attempt],
    thanks: Iterable[Thanks],
    gifts: Iterable[Gift],
    now: datetime,
) -> list[PersonFigures]:
    """Each person's figures, most recently in touch first (then by label).

    An attempt belongs to the person whose label matches its `who` (by label_key).
    """
    by_key: dict[str, Person] = {label_key(p.label): p for p in people}
    mine: dict[int, list[Attempt]] = {p.id: [] for p in by_key.values()}
    owner: dict[int, int] = {}
    for a in attempts:
        person = by_key.get(label_key(a.who)) if a.who else None
        if person is not None:
            mine[person.id].append(a)
            owner[a.id] = person.id
    settled: set[int] = set()
    thanked: dict[int, list[datetime]] = {p.id: [] for p in by_key.values()}
    for t in thanks:
        settled.add(t.attempt_id)
        if t.kind is ThankKind.THANKED and t.attempt_id in owner:
            thanked[owner[t.attempt_id]].append(t.at)
    given: dict[str, list[Gift]] = {}
    for g in gifts:
        given.setdefault(label_key(g.who), []).append(g)

    result: list[PersonFigures] = []
    for key, person in by_key.items():
        done = [a for a in mine[person.id] if a.outcome is not None]
        asks = [a for a in done if a.is_ask]
        outcomes = {o: 0 for o in Outcome}
        for a in done:
            assert a.outcome is not None
            outcomes[a.outcome] += 1
        theirs = sorted(given.get(key, []), key=lambda g: (g.at, g.id), reverse=True)
        helped = sorted(
            (a for a in done if a.outcome in THANKABLE),
            key=lambda a: (a.occurred_at, a.id),
            reverse=True,
        )
        result.append(
            PersonFigures(
                person=person,
                asks=len(asks),
                outcomes=outcomes,
                last_asked=max((a.occurred_at for a in asks), default=None),
                thanks=len(thanked[person.id]),
                last_thanked=max(thanked[person.id], default=None),
                thanks_due=tuple(thanks_due(done, settled, now)),
                gave=len(theirs),
                last_gave=theirs[0].at if theirs else None,
                helped_with=tuple(helped),
                gifts=tuple(theirs),
            )
        )
    result.sort(key=_touch_order)
    return result


def _touch_order(f: PersonFigures) -> tuple[int, float, str, int]:
    touch = f.last_in_touch
    return (
        touch is None,
        -touch.timestamp() if touch else 0.0,
        label_key(f.person.label),
        f.person.id,
    )


def people_per_month(
    attempts: Iterable[Attempt], zone: tzinfo, months: Sequence[date]
) -> list[int]:
    """How many different people were asked in each month (`months`: their first days).

    Counts completed asks (not avoided) that name someone, by label_key.
    """
    seen: dict[tuple[int, int], set[str]] = {(m.year, m.month): set() for m in months}
    for a in attempts:
        if not a.is_ask or not a.who:
            continue
        local = a.occurred_at.astimezone(zone)
        bucket = seen.get((local.year, local.month))
        if bucket is not None:
            bucket.add(label_key(a.who))
    return [len(seen[(m.year, m.month)]) for m in months]


def last_months(today: date, count: int) -> list[date]:
    """The first days of the `count` months ending with `today`'s, oldest first."""
    year, month = today.year, today.month
    firsts: list[date] = []
    for _ in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    firsts.reverse()
    return firsts


def _zone(now: datetime) -> tzinfo:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime in the user's local zone")
    return now.tzinfo
