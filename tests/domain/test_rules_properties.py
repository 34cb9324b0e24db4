"""Properties of the progression rules over random ladders and random logs.

The worlds (ladders and logs) come from tests/domain/strategies.py; each property
states one promise of DESIGN.md's rules, or checks a rule against an independent
restatement of it (the oracles below).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.builders import DEFAULTS, NOW, attempt
from tests.domain.folded import folded
from tests.domain.strategies import (
    NOT_ASKS,
    NOWS,
    SHUFFLES,
    ZONED_NOWS,
    attempt_at,
    moment,
    outcomes,
    shuffled,
    targets,
    worlds,
    worlds_and_an_extra,
)
from tracker.domain.models import Attempt, Challenge, Outcome, Settings
from tracker.domain.rules import (
    Ladder,
    RungState,
    calibration_from,
    ladder_from,
    revisits_due_from,
    revisits_from,
    streak_from,
    suggest_from,
    weeks_from,
)
from tracker.domain.summary import week_start

PROPERTY = settings(max_examples=200, deadline=None)
#: For the cross-checks beyond the core properties, fewer examples keep the file quick.
CHECK = settings(max_examples=100, deadline=None)


def climbed_moments(lad: Ladder) -> dict[int, datetime]:
    return {r.rung: r.climbed_at for r in lad.rungs if r.climbed_at is not None}


def everything(
    challenges: list[Challenge], attempts: list[Attempt], s: Settings, now: datetime
) -> tuple[object, ...]:
    """Every rule's answer, for comparing two inputs."""
    lad = ladder_from(folded(challenges, attempts, s), challenges, s)
    return (
        lad,
        suggest_from(folded(challenges, attempts, s, now), challenges, s, now),
        revisits_from(folded(challenges, attempts, s, now), s),
        revisits_due_from(folded(challenges, attempts, s, now), s, now),
        calibration_from(folded(challenges, attempts), challenges),
        weeks_from(folded([], attempts, s, now), s, now, 8),
        weeks_from(folded([], attempts, s, now), s, now, 1)[0],
        streak_from(folded([], attempts, s, now), s, now),
    )


# --------------------------------------------------------------------------- an oracle


def _qualifies(a: Attempt, s: Settings) -> bool:
    return (
        a.confidence is not None
        and a.confidence >= s.climb_confidence
        and (a.rerated is None or a.rerated <= s.climb_rerated)
    )


def reference_climbs(
    challenges: list[Challenge], attempts: list[Attempt], s: Settings
) -> dict[int, datetime]:
    """DESIGN.md's climbing rule, checked moment by moment, written independently."""
    rung_of = {c.id: c.rung for c in challenges}
    result: dict[int, datetime] = {}
    for rung in sorted({r for r in rung_of.values() if r is not None}):
        active = [c for c in challenges if c.rung == rung and not c.archived]
        needed = s.climb_min_challenges if len(active) >= s.climb_min_challenges else 1
        asks = sorted(
            (
                a
                for a in attempts
                if a.outcome is not None
                and a.outcome is not Outcome.AVOIDED
                and rung_of.get(a.challenge_id) == rung
            ),
            key=lambda a: (a.occurred_at, a.id),
        )
        for k in range(1, len(asks) + 1):
            so_far = asks[:k]
            recent = so_far[-s.climb_recent :]
            if (
                len(so_far) >= s.climb_min_asks
                and len({a.challenge_id for a in so_far}) >= needed
                and len(recent) == s.climb_recent
                and all(_qualifies(a, s) for a in recent)
            ):
                result[rung] = so_far[-1].occurred_at
                break
    return result


def completed(attempts: Sequence[Attempt]) -> list[Attempt]:
    return sorted(
        (a for a in attempts if a.outcome is not None), key=lambda a: (a.occurred_at, a.id)
    )


def is_ask(a: Attempt) -> bool:
    return a.outcome is not None and a.outcome is not Outcome.AVOIDED


def reference_step_back(
    challenges: list[Challenge], attempts: list[Attempt], current: int, s: Settings
) -> bool:
    """Were the latest `step_back_recent` attempts at the current rung all hard, with no
    ask made since on the nearest lower rung that has an active challenge?"""
    rung_of = {c.id: c.rung for c in challenges}
    tries = [a for a in completed(attempts) if rung_of.get(a.challenge_id) == current]
    recent = tries[len(tries) - s.step_back_recent :] if len(tries) >= s.step_back_recent else []
    hard = bool(recent) and all(
        a.outcome is Outcome.AVOIDED
        or (a.peak_distress is not None and a.peak_distress >= s.step_back_distress)
        for a in recent
    )
    lower = [
        c.rung for c in challenges if not c.archived and c.rung is not None and c.rung < current
    ]
    if not hard or not lower:
        return hard
    below = max(lower)
    asks_below = [
        a for a in completed(attempts) if rung_of.get(a.challenge_id) == below and a.is_ask
    ]
    return not (asks_below and asks_below[-1].occurred_at > recent[-1].occurred_at)


def reference_revisits(
    challenges: list[Challenge], attempts: list[Attempt], s: Settings, now: datetime
) -> dict[int, tuple[date, int, datetime]]:
    """rung -> (due date, interval, last ask): 7 days after climbing, then 14, 28, 56 after
    each on-time revisit (one on or before its due day); a late one keeps the interval."""
    rung_of = {c.id: c.rung for c in challenges}

    def day(moment: datetime) -> date:
        return moment.astimezone(now.tzinfo).date()

    result = {}
    for rung, since in reference_climbs(challenges, attempts, s).items():
        later = [
            a.occurred_at
            for a in completed(attempts)
            if is_ask(a) and rung_of.get(a.challenge_id) == rung and a.occurred_at > since
        ]
        step, last = 0, since
        due = day(since) + timedelta(days=s.revisit_days[0])
        for at in later:
            if day(at) <= due and step < len(s.revisit_days) - 1:
                step += 1
            last, due = at, day(at) + timedelta(days=s.revisit_days[step])
        result[rung] = (due, s.revisit_days[step], last)
    return result


# --------------------------------------------------------------------------- properties


@PROPERTY
@given(data=worlds_and_an_extra(outcomes, latest=True))
def test_a_later_attempt_never_unclimbs_a_rung(
    data: tuple[list[Challenge], list[Attempt], Attempt],
) -> None:
    challenges, attempts, extra = data
    before = ladder_from(folded(challenges, attempts, DEFAULTS), challenges, DEFAULTS)
    after = ladder_from(folded(challenges, [*attempts, extra], DEFAULTS), challenges, DEFAULTS)
    moments = climbed_moments(after)
    for rung, when in climbed_moments(before).items():
        assert moments.get(rung) == when
    if before.current_rung is None:
        assert after.current_rung is None
    elif after.current_rung is not None:
        assert after.current_rung >= before.current_rung


@PROPERTY
@given(data=worlds_and_an_extra(st.just(Outcome.AVOIDED), latest=False))
def test_an_avoided_attempt_never_moves_anyone_up(
    data: tuple[list[Challenge], list[Attempt], Attempt],
) -> None:
    challenges, attempts, avoided = data
    before = ladder_from(folded(challenges, attempts, DEFAULTS), challenges, DEFAULTS)
    after = ladder_from(folded(challenges, [*attempts, avoided], DEFAULTS), challenges, DEFAULTS)
    assert after == before  # not an ask: nothing about the ladder changes
    s_before = suggest_from(folded(challenges, attempts, DEFAULTS, NOW), challenges, DEFAULTS, NOW)
    s_after = suggest_from(
        folded(challenges, [*attempts, avoided], DEFAULTS, NOW), challenges, DEFAULTS, NOW
    )
    assert s_after.current_rung == s_before.current_rung
    if s_before.rung is not None:
        assert s_after.rung is not None
        assert s_after.rung <= s_before.rung
    if s_before.step_back:
        assert s_after.step_back


@PROPERTY
@given(world=worlds(), now=NOWS)
def test_the_suggestion_is_an_active_challenge_with_a_reason(
    world: tuple[list[Challenge], list[Attempt]], now: datetime
) -> None:
    challenges, attempts = world
    s = suggest_from(folded(challenges, attempts, DEFAULTS, now), challenges, DEFAULTS, now)
    active = [c for c in challenges if not c.archived]
    assert s.reason.strip()
    assert "\n" not in s.reason
    if not active:
        assert s.challenge is None
        assert s.rung is None
        return
    assert s.challenge in active
    assert s.rung == s.challenge.rung
    assert any(ch.isdigit() for ch in s.reason)  # it names the numbers
    lad = ladder_from(folded(challenges, attempts, DEFAULTS), challenges, DEFAULTS)
    assert s.current_rung == lad.current_rung
    assert s.all_climbed == lad.all_climbed
    if s.all_climbed:
        assert s.rung == max(c.rung for c in active if c.rung is not None)
        assert not s.step_back
        return
    assert s.current_rung is not None
    assert s.step_back == reference_step_back(challenges, attempts, s.current_rung, DEFAULTS)
    if s.step_back:
        assert s.rung is not None and s.rung <= s.current_rung
        # the nearest lower rung with an active challenge, or the current one if none
        lower = [c.rung for c in active if c.rung is not None and c.rung < s.current_rung]
        assert s.rung == (max(lower) if lower else s.current_rung)
    else:
        assert s.rung == s.current_rung


@PROPERTY
@given(world=worlds())
def test_the_suggestion_follows_the_tiebreaks(
    world: tuple[list[Challenge], list[Attempt]],
) -> None:
    challenges, attempts = world
    s = suggest_from(folded(challenges, attempts, DEFAULTS, NOW), challenges, DEFAULTS, NOW)
    if s.challenge is None:
        return
    by_id = {c.id: c for c in challenges}
    done = completed(attempts)
    last_context = (
        by_id[done[-1].challenge_id].context if done and done[-1].challenge_id in by_id else None
    )

    def key(c: Challenge) -> tuple[int, datetime, bool, int]:
        asks = [a for a in done if a.challenge_id == c.id and is_ask(a)]
        last = asks[-1].occurred_at if asks else datetime.min.replace(tzinfo=UTC)
        return (len(asks), last, c.context == last_context, c.id)

    options = [c for c in challenges if c.rung == s.rung and not c.archived]
    if s.step_back:  # a step back prefers the step that went best before (issue 9)
        asked = [c for c in options if key(c)[0] > 0]
        if asked:
            assert s.challenge == max(asked, key=lambda c: footing_key(c, done))
            return
    assert s.challenge == min(options, key=key)


def footing_key(c: Challenge, done: list[Attempt]) -> tuple[int, int, datetime, int]:
    """A step back's order, restated: the latest ask's confidence (none lowest), its peak
    distress (none highest, lower better), how recent it is, then the lowest id."""
    last = [a for a in done if a.challenge_id == c.id and is_ask(a)][-1]
    confidence = -1 if last.confidence is None else last.confidence
    peak = 101 if last.peak_distress is None else last.peak_distress
    return (confidence, -peak, last.occurred_at, -c.id)


@PROPERTY
@given(world=worlds())
def test_climbing_matches_the_rule_moment_by_moment(
    world: tuple[list[Challenge], list[Attempt]],
) -> None:
    challenges, attempts = world
    lad = ladder_from(folded(challenges, attempts, DEFAULTS), challenges, DEFAULTS)
    expected = reference_climbs(challenges, attempts, DEFAULTS)
    assert climbed_moments(lad) == expected
    active_rungs = {c.rung for c in challenges if not c.archived and c.rung is not None}
    open_rungs = sorted(active_rungs - set(expected))
    assert lad.current_rung == (open_rungs[0] if open_rungs else None)
    asked_rungs = {
        by.rung for a in attempts if is_ask(a) for by in challenges if by.id == a.challenge_id
    }
    # Every rung with a challenge is on the ladder (issue 12: even one whose challenges
    # are all archived); `listed` is what a view hiding archived challenges shows.
    assert [r.rung for r in lad.rungs] == sorted({c.rung for c in challenges if c.rung})
    for r in lad.rungs:
        listed = r.rung in active_rungs or r.rung in expected or r.rung in asked_rungs
        assert r.listed == listed
        assert (r.state is RungState.CLIMBED) == (r.rung in expected)
        assert (r.state is RungState.CURRENT) == (r.rung == lad.current_rung)
        assert (r.needed == "") == (r.rung in expected)
        if r.rung in expected:
            assert r.asks >= DEFAULTS.climb_min_asks


@PROPERTY
@given(world=worlds(), now=NOWS, data=st.data())
def test_planned_attempts_change_nothing(
    world: tuple[list[Challenge], list[Attempt]], now: datetime, data: st.DataObject
) -> None:
    challenges, attempts = world
    target = targets(challenges)
    planned = [
        attempt_at(data.draw, 20_000 + i, target, moment(data.draw), None)
        for i in range(data.draw(st.integers(1, 5)))
    ]
    mixed = shuffled([*attempts, *planned], data.draw(SHUFFLES))
    assert everything(challenges, mixed, DEFAULTS, now) == everything(
        challenges, attempts, DEFAULTS, now
    )


@PROPERTY
@given(world=worlds(), now=NOWS, data=st.data())
def test_the_rules_are_deterministic_and_ignore_input_order(
    world: tuple[list[Challenge], list[Attempt]], now: datetime, data: st.DataObject
) -> None:
    challenges, attempts = world
    first = everything(challenges, attempts, DEFAULTS, now)
    assert everything(challenges, attempts, DEFAULTS, now) == first
    rng = data.draw(SHUFFLES)
    shuffled_challenges = shuffled(challenges, rng)
    shuffled_attempts = shuffled(attempts, rng)
    assert everything(shuffled_challenges, shuffled_attempts, DEFAULTS, now) == first


@PROPERTY
@given(world=worlds(), now=ZONED_NOWS)
def test_revisits_follow_the_schedule(
    world: tuple[list[Challenge], list[Attempt]], now: datetime
) -> None:
    challenges, attempts = world
    found = revisits_from(folded(challenges, attempts, DEFAULTS, now), DEFAULTS)
    expected = reference_revisits(challenges, attempts, DEFAULTS, now)
    assert {r.rung: (r.due, r.interval_days, r.last_ask_at) for r in found} == expected
    assert [r.rung for r in found] == sorted(expected)
    due = revisits_due_from(folded(challenges, attempts, DEFAULTS, now), DEFAULTS, now)
    assert list(due) == [r for r in found if r.due <= now.date()]
    # The suggestion lists only rungs that still have a challenge to revisit with.
    practised = {c.rung for c in challenges if not c.archived}
    expected_due = tuple(r for r in due if r.rung in practised)
    assert (
        suggest_from(
            folded(challenges, attempts, DEFAULTS, now), challenges, DEFAULTS, now
        ).revisits_due
        == expected_due
    )


@CHECK
@given(world=worlds(), now=NOWS, goal=st.integers(1, 6))
def test_weeks_and_streak_agree(
    world: tuple[list[Challenge], list[Attempt]], now: datetime, goal: int
) -> None:
    _, attempts = world
    s = Settings(weekly_goal=goal)
    history = weeks_from(
        folded([], attempts, s, now), s, now, 20
    )  # reaches back past every attempt
    asks = [a for a in attempts if is_ask(a)]
    assert sum(w.asks for w in history) == len(asks)
    assert history[-1] == weeks_from(folded([], attempts, s, now), s, now, 1)[0]
    assert all(w.start.weekday() == 0 for w in history)
    for w in history:
        in_week = [
            a for a in asks if 0 <= (a.occurred_at.astimezone(now.tzinfo).date() - w.start).days < 7
        ]
        assert w.asks == len(in_week)
        assert w.goal == goal
    expected = 1 if history[-1].met else 0
    for w in reversed(history[:-1]):
        if not w.met:
            break
        expected += 1
    assert streak_from(folded([], attempts, s, now), s, now) == expected


@st.composite
def weekly_logs(draw: st.DrawFn) -> tuple[datetime, list[int], list[Attempt]]:
    """`now`, asks per week (this week first, then back in time), and a log that has
    exactly those asks at random local times in each week, plus avoided and planned
    attempts that must not count."""
    now = draw(ZONED_NOWS)
    counts = draw(st.lists(st.integers(0, 4), max_size=8))
    monday = datetime.combine(week_start(now.date()), time(0), tzinfo=now.tzinfo)
    so_far = int((now - monday).total_seconds() // 60)  # minutes of this week gone by
    made: list[Attempt] = []
    for back, count in enumerate(counts):
        start = monday - timedelta(weeks=back)
        limit = so_far if back == 0 else 7 * 24 * 60 - 1
        for _ in range(count):
            at = start + timedelta(minutes=draw(st.integers(0, limit)))
            outcome = draw(st.sampled_from([o for o in Outcome if o.is_ask]))
            made.append(attempt(len(made) + 1, 1, at, outcome))
            if draw(st.integers(0, 3)) == 0:  # a try that does not count, nearby
                made.append(attempt(len(made) + 1, 1, at, draw(st.sampled_from(NOT_ASKS))))
    return now, counts, made


@PROPERTY
@given(data=weekly_logs(), goal=st.integers(1, 4))
def test_streak_counts_consecutive_weeks_meeting_the_goal(
    data: tuple[datetime, list[int], list[Attempt]], goal: int
) -> None:
    now, counts, attempts = data
    s = Settings(weekly_goal=goal)
    padded = counts + [0] * (10 - len(counts))
    history = weeks_from(folded([], attempts, s, now), s, now, 10)
    assert [w.asks for w in reversed(history)] == padded
    assert weeks_from(folded([], attempts, s, now), s, now, 1)[0].asks == padded[0]
    expected = 1 if padded[0] >= goal else 0  # the week in progress never breaks it
    for count in padded[1:]:
        if count < goal:
            break
        expected += 1
    assert streak_from(folded([], attempts, s, now), s, now) == expected


@CHECK
@given(world=worlds())
def test_calibration_counts_only_complete_pairs(
    world: tuple[list[Challenge], list[Attempt]],
) -> None:
    challenges, attempts = world
    cal = calibration_from(folded(challenges, attempts), challenges)
    pairs = [
        a
        for a in attempts
        if a.outcome is not None and a.predicted is not None and a.happened is not None
    ]
    assert cal.overall.attempts == len(pairs)
    if pairs:
        mean = sum(a.predicted for a in pairs if a.predicted is not None) / len(pairs)
        rate = 100 * sum(1 for a in pairs if a.happened) / len(pairs)
        assert cal.overall.mean_predicted == pytest.approx(mean, abs=0.051)
        assert cal.overall.happened_rate == pytest.approx(rate, abs=0.051)
    known = {c.id for c in challenges}
    assert sum(r.attempts for r in cal.by_rung.values()) == sum(
        1 for a in pairs if a.challenge_id in known
    )
    assert sum(r.attempts for r in cal.by_context.values()) == sum(
        1 for a in pairs if a.challenge_id in known
    )
    for row in [cal.overall, *cal.by_rung.values(), *cal.by_context.values()]:
        if row.attempts:
            assert row.mean_predicted is not None and 0 <= row.mean_predicted <= 100
            assert row.happened_rate is not None and 0 <= row.happened_rate <= 100
        else:
            assert row.mean_predicted is None and row.happened_rate is None


@CHECK
@given(world=worlds(min_challenges=1), data=st.data())
def test_archiving_never_takes_a_climb_away(
    world: tuple[list[Challenge], list[Attempt]], data: st.DataObject
) -> None:
    # Asks at archived challenges still count, and archiving only lowers the number of
    # different challenges a rung needs.
    challenges, attempts = world
    target = data.draw(st.sampled_from(challenges))
    archived = [replace(c, archived=True) if c.id == target.id else c for c in challenges]
    before = climbed_moments(
        ladder_from(folded(challenges, attempts, DEFAULTS), challenges, DEFAULTS)
    )
    after = climbed_moments(ladder_from(folded(archived, attempts, DEFAULTS), archived, DEFAULTS))
    for rung, when in before.items():
        assert rung in after
        assert after[rung] <= when
