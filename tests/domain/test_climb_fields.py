"""Which fields of an attempt can change a climb: tracker.domain.summary.CLIMB_FIELDS.

The store releases a remembered climb when an edit changes one of these fields of the
ask that made it (tracker.store.repository, update_attempt), so the set must hold
every field the fold's climbing reads. The property below edits all the other fields
of an attempt of a random world at once, and finds the climbs unchanged; dropping any
name from the set (try "rerated") makes it fail within its examples. The examples after
it show that each field in the set earns its place: changing it can change a climb.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.builders import DEFAULTS, NOW, Log, challenge
from tests.domain.edits import EDITABLE, field_values
from tests.domain.strategies import EARLIEST, SPAN_MINUTES, worlds
from tracker.domain.models import Attempt, Challenge, Context, Outcome
from tracker.domain.summary import CLIMB_FIELDS, Frame, Summary, changes_climbs, fold


def climbs(summary: Summary) -> dict[int, datetime]:
    return {r: t.climbed_at for r, t in summary.rungs.items() if t.climbed_at is not None}


def test_every_editable_field_has_values_to_try() -> None:
    assert set(field_values([1], EARLIEST, 1)) == set(EDITABLE)
    assert set(EDITABLE) >= CLIMB_FIELDS


@settings(max_examples=100, deadline=None)
@given(world=worlds(min_challenges=1), data=st.data())
def test_no_field_outside_climb_fields_changes_a_climb(
    world: tuple[list[Challenge], list[Attempt]], data: st.DataObject
) -> None:
    challenges, attempts = world
    if not attempts:
        return
    frame = Frame.of(challenges, DEFAULTS, UTC)
    before = climbs(fold(frame, attempts))
    # Mostly an ask that climbed a rung, where an edit matters most; else any attempt.
    climbers = [a for a in attempts if a.occurred_at in before.values()]
    target = data.draw(st.sampled_from(climbers or attempts) | st.sampled_from(attempts))
    # Every other field at once, each to any valid value.
    values = field_values([c.id for c in challenges], EARLIEST, SPAN_MINUTES // 60)
    others = {name: data.draw(values[name]) for name in EDITABLE if name not in CLIMB_FIELDS}
    edited = replace(target, **others)
    assert not changes_climbs(target, edited)
    after = [edited if a.id == target.id else a for a in attempts]
    assert climbs(fold(frame, after)) == before


A = challenge(1, rung=1, context=Context.STRANGERS)
B = challenge(2, rung=1, context=Context.SERVICES)

#: For each climb field, an edit of one ask of CLIMBING that changes the climb.
EDITS: dict[str, tuple[int, Any]] = {
    "challenge_id": (1, A.id),  # both asks at A: one challenge where two are needed
    "occurred_at": (2, NOW - timedelta(days=1)),  # the climb moves with its ask
    "outcome": (2, Outcome.AVOIDED),  # not an ask
    "confidence": (2, 3),  # too shaky
    "rerated": (2, 90),  # still feels likely to go wrong
}


def climbing() -> list[Attempt]:
    """Three confident asks at two challenges: rung 1 is climbed at the third."""
    log = Log()
    for target in (A, B, A):
        log.ask(target, confidence=9, rerated=10)
    return list(log)


def test_every_climb_field_has_an_example() -> None:
    assert set(EDITS) == CLIMB_FIELDS


@pytest.mark.parametrize("name", sorted(EDITS))
def test_each_climb_field_can_change_a_climb(name: str) -> None:
    frame = Frame.of([A, B], DEFAULTS, UTC)
    attempts = climbing()
    assert climbs(fold(frame, attempts)) == {1: attempts[2].occurred_at}
    index, value = EDITS[name]
    edited = replace(attempts[index], **{name: value})
    assert changes_climbs(attempts[index], edited)
    after = [*attempts[:index], edited, *attempts[index + 1 :]]
    assert climbs(fold(frame, after)) != climbs(fold(frame, attempts))
