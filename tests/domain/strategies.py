"""Hypothesis strategies for the rule properties: random ladders and random logs.

The ladders have up to 12 challenges spread over rungs 1-10 (sometimes crowded onto a
few low rungs, so that rungs do get climbed), in any context, some archived. The logs
have up to 24 attempts with random outcomes (some planned), confidence, re-rated
likelihood, distress and times, a few at challenges that no longer exist.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from hypothesis import strategies as st

from tests.domain.builders import LONDON, NEW_YORK, NOW, TOKYO, challenge
from tracker.domain.models import Attempt, Challenge, Context, Outcome

#: Attempts happen in the 12 weeks before NOW.
EARLIEST = (NOW - timedelta(weeks=12)).astimezone(UTC)
SPAN_MINUTES = 12 * 7 * 24 * 60
UNKNOWN_CHALLENGE = 999_999
T = TypeVar("T")
#: A draw function: a composite strategy's, or st.data()'s `draw`.
Draw = Callable[[st.SearchStrategy[Any]], Any]

# Values rich in boundaries (30/31, 6/7, 84/85), packed so that each attempt takes only a
# few draws: generation, not the rules, is what costs time here.
PERCENT = [None, None, None, 0, 10, 20, 30, 30, 31, 50, 100]
CONFIDENCE = [None, 0, 3, 6, 7, 7, 8, 8, 9, 9, 10, 10]
DISTRESS = [None, None, 0, 30, 60, 84, 85, 90, 100]
#: (confidence, re-rated likelihood, peak distress)
feelings = st.sampled_from([(c, r, d) for c in CONFIDENCE for r in PERCENT for d in DISTRESS])
#: (predicted likelihood, feared outcome happened)
predictions = st.sampled_from([(p, h) for p in PERCENT for h in (None, True, False)])
outcomes = st.sampled_from(
    [
        Outcome.HELPED,
        Outcome.HELPED,
        Outcome.PARTLY,
        Outcome.DECLINED,
        Outcome.NO_ANSWER,
        Outcome.AVOIDED,
        Outcome.AVOIDED,
        None,
    ]
)
#: (context, archived, built-in): work and friends are common, so that siblings often share
#: the last attempt's context; one challenge in five is archived.
profiles = st.sampled_from(
    [
        (c, a, b)
        for c in [*Context, Context.WORK, Context.WORK, Context.FRIENDS, Context.FRIENDS]
        for a in (False, False, False, False, True)
        for b in (True, False)
    ]
)


@st.composite
def ladders(draw: st.DrawFn, min_size: int = 0, max_size: int = 12) -> list[Challenge]:
    top = draw(st.sampled_from([2, 3, 10]))
    ids = draw(st.lists(st.integers(1, 500), min_size=min_size, max_size=max_size, unique=True))
    made = []
    for i in ids:
        context, archived, builtin = draw(profiles)
        made.append(
            challenge(
                i,
                rung=draw(st.integers(1, top)),
                context=context,
                archived=archived,
                builtin=builtin,
            )
        )
    return made


def targets(challenges: Sequence[Challenge]) -> st.SearchStrategy[int]:
    """Which challenge an attempt is at: more often one on the two lowest rungs, so that
    rungs get climbed and siblings practised unevenly; now and then one that is gone."""
    low = sorted({c.rung for c in challenges if c.rung is not None})[:2]
    favoured = [c.id for c in challenges if c.rung in low]
    return st.sampled_from([*(c.id for c in challenges), *favoured, *favoured, UNKNOWN_CHALLENGE])


def attempt_at(
    draw: Draw,
    id: int,
    target: st.SearchStrategy[int],
    at: datetime,
    outcome: Outcome | st.SearchStrategy[Outcome | None] | None = outcomes,
) -> Attempt:
    chosen: Outcome | None = draw(outcome) if isinstance(outcome, st.SearchStrategy) else outcome
    confidence, rerated, peak = draw(feelings)
    predicted, happened = draw(predictions)
    return Attempt(
        id=id,
        challenge_id=draw(target),
        occurred_at=at,
        outcome=chosen,
        predicted=predicted,
        happened=happened,
        peak_distress=peak,
        confidence=confidence,
        rerated=rerated,
    )


def moment(draw: Draw) -> datetime:
    # Coarse times (15 minutes) so that ties in time happen now and then.
    return EARLIEST + timedelta(minutes=15 * draw(st.integers(0, SPAN_MINUTES // 15)))


@st.composite
def logs(draw: st.DrawFn, challenges: Sequence[Challenge], max_size: int = 24) -> list[Attempt]:
    n = draw(st.integers(0, max_size) | st.integers(max_size // 2, max_size))
    target = targets(challenges)
    return [attempt_at(draw, i, target, moment(draw)) for i in range(1, n + 1)]


@st.composite
def worlds(draw: st.DrawFn, min_challenges: int = 0) -> tuple[list[Challenge], list[Attempt]]:
    challenges = draw(ladders(min_size=min_challenges))
    return challenges, draw(logs(challenges))


@st.composite
def worlds_and_an_extra(
    draw: st.DrawFn, outcome: Outcome | st.SearchStrategy[Outcome | None] | None, latest: bool
) -> tuple[list[Challenge], list[Attempt], Attempt]:
    """A world and one more attempt (after all others when `latest`)."""
    challenges, attempts = draw(worlds())
    if latest:
        last = max((a.occurred_at for a in attempts), default=EARLIEST)
        at = last + timedelta(minutes=draw(st.integers(1, 60 * 24 * 30)))
    else:
        at = moment(draw)
    extra = attempt_at(draw, 10_000, targets(challenges), at, outcome)
    return challenges, attempts, extra


#: Moments after every generated attempt, in zones east and west of UTC too, so that
#: local dates and UTC dates disagree for some of the attempts.
NOWS = st.sampled_from(
    [
        NOW,
        NOW.astimezone(UTC),
        datetime(2026, 11, 23, 8, 0, tzinfo=LONDON),
        NOW + timedelta(days=9),
        datetime(2026, 11, 22, 20, 0, tzinfo=NEW_YORK),
        datetime(2026, 11, 23, 7, 0, tzinfo=TOKYO),
    ]
)

NOT_ASKS = [Outcome.AVOIDED, None]
ZONED_NOWS = st.sampled_from(
    [
        NOW,
        datetime(2026, 11, 23, 0, 30, tzinfo=LONDON),  # just after midnight on a Monday
        datetime(2026, 11, 22, 23, 45, tzinfo=NEW_YORK),  # Sunday night, Monday in UTC
        datetime(2026, 11, 23, 7, 0, tzinfo=TOKYO),  # Monday morning, Sunday in UTC
        datetime(2026, 11, 25, 12, 0, tzinfo=NEW_YORK),
    ]
)

#: One draw per shuffle (st.permutations costs a draw per element).
SHUFFLES = st.randoms(use_true_random=True)


def shuffled(items: Sequence[T], rng: random.Random) -> list[T]:
    copy = list(items)
    rng.shuffle(copy)
    return copy
