"""Believable sample history for `tracker demo`, the screenshots and the UI tests.

`fill_demo` writes about eight weeks of practice through the ordinary Store API, so
every screen has something to show: rungs 1 and 2 climbed, rung 3 in progress, an
ask not made, a "no" that still counted, an any-time ask for support, revisits due,
two planned asks and plenty of predictions to compare with what really happened. The
same seed always gives the same history. Pure Python and Store calls only: nothing here
knows about the terminal.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from tracker.domain.models import Barrier, Challenge, Channel, Context, Outcome, Strategy
from tracker.domain.people import can_thank

if TYPE_CHECKING:
    from tracker.store.repository import Store


@dataclass(frozen=True, slots=True)
class _Step:
    days_ago: int
    rung: int | None  # None: an any-time ask for support
    outcome: Outcome | None  # None: planned, not yet done
    confidence: int | None = None
    rerated: int | None = None
    happened: bool | None = False


_H, _P, _D, _N, _A = (
    Outcome.HELPED,
    Outcome.PARTLY,
    Outcome.DECLINED,
    Outcome.NO_ANSWER,
    Outcome.AVOIDED,
)

#: The shape of the story; times of day, texts and distress come from the seed.
_STORY: tuple[_Step, ...] = (
    _Step(55, 1, _H, 4, 50),
    _Step(53, 1, _H, 6, 35),
    _Step(48, 1, _P, 7, 25),
    _Step(46, 1, _H, 8, 15),  # rung 1 climbed
    _Step(44, 2, _A, None, None, None),  # froze and walked on
    _Step(41, 2, _H, 5, 40),
    _Step(39, 2, _D, 6, 35, True),
    _Step(37, 2, _H, 6, 35),
    _Step(34, 2, _P, 7, 30),
    _Step(32, 2, _D, 7, 25, True),  # a "no" that still counted: rung 2 climbed
    _Step(30, 1, _H, 9, 10),  # a revisit
    _Step(27, 3, _H, 4, 50),
    _Step(25, 3, _N, 5, 45, None),
    _Step(23, 3, _P, 6, 40),
    _Step(20, 3, _H, 7, 35),
    _Step(18, 3, _D, 5, 40, True),
    _Step(16, 3, _H, 6, 35),
    _Step(15, None, _H, 6, 40),  # talked to a doctor: an any-time ask, on no rung
    _Step(13, 3, _H, 7, 30),
    _Step(12, 3, _P, 6, 35),
    _Step(11, 3, _A, None, None, None),
    _Step(9, 2, _H, 8, 20),  # a revisit
    _Step(6, 3, _P, 5, 40),
    _Step(4, 3, _H, 6, 35),
    _Step(2, 3, _H, 7, 25),
    _Step(1, 3, None),
    _Step(0, 3, None),
)

_FEARS: dict[Barrier, tuple[str, ...]] = {
    # What could be seen or heard, not what they might think (issue 9, item 7).
    Barrier.REJECTION: (
        "They'll frown and walk off.",
        "They'll say no, sharply.",
    ),
    Barrier.BURDEN: (
        "They'll sigh and say they're too busy.",
        "They won't reply for days.",
    ),
    Barrier.COMPETENCE: (
        "They'll laugh, or ask why I don't know.",
        "They'll correct me in front of others.",
    ),
    Barrier.VULNERABILITY: (
        "They'll change the subject.",
        "They'll go quiet and end the call.",
    ),
    Barrier.SELF_RELIANCE: (
        "They'll tell me to sort it out myself.",
        "They'll say it's easy and take over.",
    ),
}

_LEARNED_ASK = (
    "They were glad to help, and it took less than a minute.",
    "Being specific made it easy for them to say yes.",
    "My voice shook a little and it still went fine.",
    "They thanked me for asking. I didn't expect that.",
    "Nobody looked annoyed. The worry was bigger than the ask.",
)
_LEARNED_NO = (
    "They said no, kindly. A 'no' was just information, and I survived it.",
    "It was a no, but asking was the practice, and I did it.",
)
_EVIDENCE = (
    "They smiled and said of course.",
    "No sigh, no frown: they just answered.",
    "They replied within the hour.",
)
_KINDER = (
    "Asking is a normal thing to do, and I did it.",
    "A no is about their day, not about me.",
    "I would tell a friend this was brave. It was.",
)
_LEARNED_AVOIDED = (
    "I froze and walked on. Next time I'll pick a quieter moment.",
    "I talked myself out of it. A smaller step first might help.",
)

_WHO: dict[Context, tuple[str, ...]] = {
    Context.STRANGERS: ("a stranger at the bus stop", "someone in the park"),
    Context.SERVICES: ("a shop assistant", "the pharmacist", "a waiter"),
    Context.COMMUNITY: ("a neighbour", "the librarian"),
    Context.ONLINE: ("a forum", "a seller online"),
    Context.WORK: ("a colleague", "my manager"),
    Context.FAMILY: ("my sister", "my dad"),
    Context.FRIENDS: ("a friend", "an old friend"),
}

_CHANNELS: dict[Context, tuple[Channel, ...]] = {
    Context.STRANGERS: (Channel.IN_PERSON,),
    Context.SERVICES: (Channel.IN_PERSON, Channel.PHONE),
    Context.COMMUNITY: (Channel.IN_PERSON,),
    Context.ONLINE: (Channel.MESSAGE,),
    Context.WORK: (Channel.IN_PERSON, Channel.MESSAGE, Channel.EMAIL),
    Context.FAMILY: (Channel.PHONE, Channel.MESSAGE, Channel.IN_PERSON),
    Context.FRIENDS: (Channel.MESSAGE, Channel.PHONE, Channel.IN_PERSON),
}


def _clamp(value: float, low: int = 0, high: int = 100) -> int:
    return max(low, min(high, round(value)))


def _moment(now: datetime, days_ago: int, rng: random.Random) -> datetime:
    """A believable local time of day, `days_ago` days before `now`, never after it."""
    if days_ago == 0:
        return (now - timedelta(hours=2, minutes=rng.randint(0, 50))).astimezone(UTC)
    day = (now - timedelta(days=days_ago)).date()
    clock = time(rng.randint(8, 19), rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))
    local = datetime.combine(day, clock, tzinfo=now.tzinfo)
    return min(local, now).astimezone(UTC)


def _attempt(
    step: _Step, challenge: Challenge, now: datetime, progress: float, rng: random.Random
) -> dict[str, Any]:
    """One attempt's fields; `progress` runs from 0 (first week) to 1 (today)."""
    predicted = _clamp(70 - 40 * progress + rng.randint(-8, 8))
    fields: dict[str, Any] = {
        "challenge_id": challenge.id,
        "occurred_at": _moment(now, step.days_ago, rng),
        "feared": rng.choice(_FEARS[challenge.barrier]),
        "predicted": predicted,
        "expected_distress": _clamp(65 - 25 * progress + rng.randint(-10, 10)),
        "who": rng.choice(_WHO[challenge.context]),
        "channel": rng.choice(_CHANNELS[challenge.context]),
    }
    if step.outcome is None:
        return fields
    fields["outcome"] = step.outcome
    if step.outcome is Outcome.AVOIDED:
        fields["peak_distress"] = _clamp(75 + rng.randint(0, 10))
        fields["learned"] = rng.choice(_LEARNED_AVOIDED)
        return fields
    strategies = [s for s in Strategy if rng.random() < (0.6 if s is Strategy.SPECIFIC else 0.25)]
    learned = _LEARNED_NO if step.outcome is Outcome.DECLINED else _LEARNED_ASK
    fields |= {
        "happened": step.happened,
        "peak_distress": _clamp(60 - 30 * progress + rng.randint(-10, 10)),
        "confidence": step.confidence,
        "rerated": step.rerated,
        "strategies": strategies,
        "learned": rng.choice(learned),
    }
    if rng.random() < 0.5:
        fields["evidence"] = rng.choice(_EVIDENCE)
    if step.outcome is Outcome.DECLINED or rng.random() < 0.3:
        fields["kinder"] = rng.choice(_KINDER)
    if rng.random() < 0.2:
        fields["note"] = "Said thank you again the next day."
    return fields


def fill_demo(store: Store, now: datetime, seed: int = 7) -> None:
    """Write about eight weeks of sample practice ending at `now` (aware) into `store`."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    rng = random.Random(seed)
    by_rung: dict[int | None, list[Challenge]] = {}
    for c in store.challenges(include_archived=False):
        by_rung.setdefault(c.rung, []).append(c)
    turns: dict[int | None, int] = {rung: rng.randrange(len(cs)) for rung, cs in by_rung.items()}
    first = _STORY[0].days_ago
    for step in _STORY:
        options = by_rung.get(step.rung)
        if not options:
            continue
        challenge = options[turns[step.rung] % len(options)]
        turns[step.rung] += 1
        progress = 1 - step.days_ago / first
        store.add_attempt(_attempt(step, challenge, now, progress, rng))
    _people(store, now, rng)


#: Help given back in the demo: (whom, what, days ago).
_GAVE: tuple[tuple[str, str, int], ...] = (
    ("my sister", "helped her paint the hallway", 38),
    ("a colleague", "covered their Friday shift", 16),
    ("a neighbour", "took in a parcel for them", 6),
    ("a friend", "listened when they had a hard week", 2),
)
#: Whom a thank-you again makes no sense for: they are marked "not needed".
_PASSING = (Context.STRANGERS, Context.SERVICES, Context.ONLINE)


def _people(store: Store, now: datetime, rng: random.Random) -> None:
    """Thank-yous for most asks that helped (the last few still due) and help given."""

    contexts = {c.id: c.context for c in store.challenges()}
    for a in store.attempts():
        if not can_thank(a) or now - a.occurred_at < timedelta(days=3):
            continue
        if contexts.get(a.challenge_id) in _PASSING:
            store.thank(a.id, a.occurred_at, skip=True)
        elif rng.random() < 0.75:
            later = a.occurred_at + timedelta(days=rng.randint(1, 2), hours=rng.randint(0, 3))
            store.thank(a.id, min(later, now), rng.choice(_THANK_NOTES))
    for who, what, days in _GAVE:
        store.give(who, what, (now - timedelta(days=days)).astimezone(UTC))


_THANK_NOTES = (None, None, "sent a message the next day", "told them it made my week")
