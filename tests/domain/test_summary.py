"""The folded summary the rules read (tracker.domain.summary): properties and examples.

The store keeps a summary beside the log, folds each new attempt into it, stores it as
JSON, and remembers climbs apart from the log. These properties check that each of
those shortcuts gives exactly what folding the whole log afresh gives.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, tzinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.builders import DEFAULTS, LONDON, NEW_YORK, NOW, Log, challenge
from tests.domain.folded import folded
from tests.domain.strategies import ZONED_NOWS, worlds
from tracker.domain.models import Attempt, Challenge, Context, Settings
from tracker.domain.rules import (
    calibration_from,
    ladder_from,
    streak_from,
    suggest_from,
    weeks_from,
)
from tracker.domain.summary import Frame, Summary, fold

CHECK = settings(max_examples=100, deadline=None)
World = tuple[list[Challenge], list[Attempt]]


def in_order(attempts: list[Attempt]) -> list[Attempt]:
    return sorted((a for a in attempts if not a.planned), key=lambda a: (a.occurred_at, a.id))


def zone_of(now: datetime) -> tzinfo:
    assert now.tzinfo is not None
    return now.tzinfo


def climbs_of(summary: Summary) -> dict[int, datetime]:
    return {r: t.climbed_at for r, t in summary.rungs.items() if t.climbed_at is not None}


@CHECK
@given(world=worlds(), now=ZONED_NOWS, data=st.data())
def test_folding_in_steps_through_json_equals_folding_at_once(
    world: World, now: datetime, data: st.DataObject
) -> None:
    # The store folds a prefix, saves it as JSON, loads it and folds the rest in one by one.
    challenges, attempts = world
    frame = Frame.of(challenges, DEFAULTS, zone_of(now))
    done = in_order(attempts)
    split = data.draw(st.integers(0, len(done)))
    saved = json.dumps(fold(frame, done[:split]).to_json())
    summary = Summary.from_json(json.loads(saved))
    for a in done[split:]:
        assert summary.follows(a)
        summary.add(frame, a)
    whole = fold(frame, attempts)
    assert summary == whole
    assert Summary.from_json(json.loads(json.dumps(whole.to_json()))) == whole


@CHECK
@given(world=worlds(), now=ZONED_NOWS)
def test_the_rules_over_a_summary_equal_the_rules_over_the_log(world: World, now: datetime) -> None:
    challenges, attempts = world
    summary = fold(Frame.of(challenges, DEFAULTS, zone_of(now)), attempts)
    assert suggest_from(summary, challenges, DEFAULTS, now) == suggest_from(
        folded(challenges, attempts, DEFAULTS, now), challenges, DEFAULTS, now
    )
    assert weeks_from(summary, DEFAULTS, now, 12) == weeks_from(
        folded([], attempts, DEFAULTS, now), DEFAULTS, now, 12
    )
    assert streak_from(summary, DEFAULTS, now) == streak_from(
        folded([], attempts, DEFAULTS, now), DEFAULTS, now
    )
    assert calibration_from(summary, challenges) == calibration_from(
        folded(challenges, attempts), challenges
    )
    assert ladder_from(summary, challenges, DEFAULTS) == ladder_from(
        folded(challenges, attempts, DEFAULTS), challenges, DEFAULTS
    )


@CHECK
@given(world=worlds(), now=ZONED_NOWS)
def test_remembering_the_climbs_a_fold_found_changes_nothing(world: World, now: datetime) -> None:
    # After a fold the store remembers the climbs it found and relabels the summary as
    # folded under the frame that includes them: it must be what that frame would fold.
    challenges, attempts = world
    zone = zone_of(now)
    plain = fold(Frame.of(challenges, DEFAULTS, zone), attempts)
    remembered = Frame.of(challenges, DEFAULTS, zone, climbs_of(plain))
    again = fold(remembered, attempts)
    assert replace(again, frame_key=plain.frame_key) == plain


@CHECK
@given(world=worlds(min_challenges=1), data=st.data())
def test_a_remembered_climb_survives_any_rearranging(world: World, data: st.DataObject) -> None:
    # DESIGN.md: once climbed, a rung stays climbed; the ladder is personal, so the user
    # may add, move and archive challenges afterwards.
    challenges, attempts = world
    before = climbs_of(fold(Frame.of(challenges, DEFAULTS, LONDON), attempts))
    changed = list(challenges)
    for _ in range(data.draw(st.integers(1, 3))):
        kind = data.draw(st.sampled_from(["add", "move", "archive"]))
        if kind == "add":
            new_id = max(c.id for c in changed) + 1
            rung = data.draw(st.integers(1, 10))
            changed.append(challenge(new_id, rung=rung, context=Context.ONLINE, builtin=False))
        else:
            i = data.draw(st.integers(0, len(changed) - 1))
            if kind == "move":
                changed[i] = replace(changed[i], rung=data.draw(st.integers(1, 10)))
            else:
                changed[i] = replace(changed[i], archived=True)
    frame = Frame.of(changed, DEFAULTS, LONDON, before)
    after_summary = fold(frame, attempts)
    after = climbs_of(after_summary)
    for rung, when in before.items():
        assert rung in after
        assert after[rung] <= when
    shown = {r.rung: r for r in ladder_from(after_summary, changed, DEFAULTS).rungs}
    for rung in before:
        if rung in shown:
            assert shown[rung].climbed_at is not None


# --------------------------------------------------------------------------- examples


def test_a_summary_takes_only_completed_attempts_in_order() -> None:
    a = challenge(1)
    log = Log()
    first, second = log.good(a), log.good(a)
    planned = log.plan(a)
    frame = Frame.of([a], DEFAULTS, LONDON)
    summary = fold(frame, [second])
    assert summary.follows(planned) is False
    assert summary.follows(first) is False  # older than what is folded: refold instead
    assert summary.follows(second) is False  # already in
    with pytest.raises(ValueError):
        summary.add(frame, first)
    later = log.good(a)
    assert summary.follows(later)
    summary.add(frame, later)
    assert summary.total_asks == 2


def test_the_frame_key_changes_with_everything_a_fold_depends_on() -> None:
    a, b = challenge(1, rung=1), challenge(2, rung=1)
    base = Frame.of([a, b], DEFAULTS, LONDON)
    assert Frame.of([b, a], DEFAULTS, LONDON).key() == base.key()
    different = [
        Frame.of([a, replace(b, rung=2)], DEFAULTS, LONDON),  # a moved challenge
        Frame.of([a, replace(b, archived=True)], DEFAULTS, LONDON),  # fewer needed
        Frame.of([a, b], Settings(climb_confidence=6), LONDON),
        Frame.of([a, b], Settings(revisit_days=(3, 6)), LONDON),
        Frame.of([a, b], Settings(step_back_recent=3), LONDON),
        Frame.of([a, b], DEFAULTS, NEW_YORK),
        Frame.of([a, b], DEFAULTS, LONDON, {1: NOW}),  # a remembered climb
    ]
    keys = {f.key() for f in different}
    assert base.key() not in keys
    assert len(keys) == len(different)
