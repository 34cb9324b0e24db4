"""The summary and the remembered climbs the Store keeps stay what the rules say.

After any sequence of logs, edits (of any field), deletes, moves, archives and settings
changes through the Store, after every step:

- the stored summary is current (its version matches the log's) and equals a fold of
  the whole history from scratch under the same ladder, settings, zone and remembered
  climbs: so the summary's frame key holds every setting the rules read
  (tracker.domain.models.RULE_SETTINGS, derived from Settings);
- the remembered climbs are the summary's climbs, and each one is either what a fold
  of today's history finds, or kept on purpose ("once climbed, stays climbed"): it was
  found at an earlier step, and a fold of that step's ladder, settings and history still
  climbs the rung at that moment with the asks made at that moment as they are now
  (deleted ones left out). So an edit the Store does not treat as one that can change
  a climb (tracker.domain.summary.CLIMB_FIELDS) really cannot.

Each property fails when a field is dropped: leave climb_rerated out of the frame key
(`Frame.key`) and the first fails after a settings change; take "rerated" (or any other
name) out of CLIMB_FIELDS and the second fails after an edit of the climbing ask.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.domain.edits import CONFIDENCE, EDITABLE, PERCENT, field_values
from tracker.domain.models import SETTING_SPECS, Attempt, Challenge, Outcome, Settings
from tracker.domain.summary import Frame, Summary, fold
from tracker.store.repository import Store

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
HOURS = 48  # asks happen on the hour in two days: ties and backdating are common
ZONE = UTC
ASKS = [o for o in Outcome if o.is_ask]
EXAMPLES = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@dataclass
class World:
    """The Store under test, the few challenges it practises, and what each step saw."""

    store: Store
    pool: list[int]  # challenge ids: the two lowest of rungs 1 and 2
    uid_of: dict[int, int] = field(default_factory=dict)  # attempt id -> logged-as number
    logged: int = 0
    # (rung, moment) -> each step's (challenges, settings, attempts) where it was found
    found: dict[tuple[int, datetime], list[History]] = field(default_factory=dict)


History = tuple[list[Challenge], Settings, dict[int, Attempt]]  # attempts by uid


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new database with the built-in ladder, made once and copied for each example."""
    path = tmp_path_factory.mktemp("template") / "tracker.db"
    Store.open(str(path), zone=ZONE).close()
    return path


@contextmanager
def opened(template: Path) -> Iterator[World]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tracker.db"
        shutil.copy(template, path)
        store = Store.open(str(path), zone=ZONE)
        try:
            by_rung = sorted(store.challenges(include_archived=False), key=lambda c: c.id)
            pool = [c.id for r in (1, 2) for c in [c for c in by_rung if c.rung == r][:2]]
            yield World(store, pool)
        finally:
            store.close()


def _at(hour: int) -> datetime:
    return START + timedelta(hours=hour)


def _setting_values(name: str) -> list[int]:
    spec = next(s for s in SETTING_SPECS if s.name == name)
    default = getattr(Settings(), name)
    return sorted({spec.low, default, (spec.low + spec.high) // 2, spec.high})


#: How often each kind of step comes, in the two properties below.
LADDER_AND_SETTINGS = {"log": 3, "setting": 1, "move": 1, "archive": 1}
EDITS = {"edit": 6, "log": 2, "delete": 1, "setting": 1}


def step(world: World, data: st.DataObject, weights: dict[str, int]) -> None:
    """One random change through the Store."""
    store = world.store
    attempts = store.attempts()
    kinds = [k for k, n in weights.items() for _ in range(n) if attempts or k == "log"]
    kind = data.draw(st.sampled_from(kinds), label="kind")
    if kind == "log":
        log(world, data.draw(st.sampled_from(world.pool)), data)
    elif kind == "edit":
        # Half the time the ask that climbed a rung: the edit that matters most.
        climbed = set(store.climbs().values())
        climbers = [a for a in attempts if a.occurred_at in climbed]
        target = data.draw(st.sampled_from(climbers or attempts) | st.sampled_from(attempts))
        name = data.draw(st.sampled_from(EDITABLE), label="field")
        value = data.draw(field_values(world.pool, START, HOURS)[name], label="value")
        store.update_attempt(target.id, {name: value})
    elif kind == "delete":
        target = data.draw(st.sampled_from(attempts))
        store.delete_attempt(target.id)
        del world.uid_of[target.id]
    elif kind == "setting":
        name = data.draw(st.sampled_from([s.name for s in SETTING_SPECS]), label="setting")
        store.update_settings({name: data.draw(st.sampled_from(_setting_values(name)))})
    elif kind == "move":
        cid = data.draw(st.sampled_from(world.pool))
        store.update_challenge(cid, {"rung": data.draw(st.integers(1, 3))})
    else:
        cid = data.draw(st.sampled_from(world.pool))
        store.update_challenge(cid, {"archived": not store.challenge(cid).archived})


def log(world: World, challenge_id: int, data: st.DataObject) -> None:
    made = world.store.add_attempt(
        {
            "challenge_id": challenge_id,
            "occurred_at": _at(data.draw(st.integers(0, HOURS))),
            "outcome": data.draw(st.sampled_from([*Outcome, *[Outcome.HELPED] * 4, None])),
            "confidence": data.draw(st.sampled_from([*CONFIDENCE, *[9] * 6])),
            "rerated": data.draw(st.sampled_from([*PERCENT, *[None, 10] * 4])),
        }
    )
    world.logged += 1
    world.uid_of[made.id] = world.logged


def climbs_of(summary: Summary) -> dict[int, datetime]:
    return {r: t.climbed_at for r, t in summary.rungs.items() if t.climbed_at is not None}


def stored_summary(store: Store) -> tuple[dict[str, Any], int, int]:
    assert store.location.path is not None
    conn = sqlite3.connect(f"{store.location.path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        state, log_version, state_version = conn.execute(
            "SELECT state, log_version, state_version FROM summary WHERE id = 1"
        ).fetchone()
    finally:
        conn.close()
    return json.loads(state), log_version, state_version


def climbs_at(history: History, moment: datetime, now: dict[int, Attempt]) -> dict[int, datetime]:
    """The climbs of a fold of `history` from scratch, its asks made at `moment` taken as
    they are `now` (left out if deleted since)."""
    challenges, rules, then = history
    attempts = [
        a if a.planned or a.occurred_at != moment else now[uid]
        for uid, a in then.items()
        if a.planned or a.occurred_at != moment or uid in now
    ]
    return climbs_of(fold(Frame.of(challenges, rules, ZONE), attempts))


def check(world: World) -> None:
    store = world.store
    challenges, rules, climbs = store.challenges(), store.settings(), store.climbs()
    attempts = store.attempts()
    by_uid = {world.uid_of[a.id]: a for a in attempts}

    # The stored summary is current, and is what folding everything afresh gives.
    state, log_version, state_version = stored_summary(store)
    assert state_version == log_version
    fresh = fold(Frame.of(challenges, rules, ZONE, climbs), attempts)
    assert state == json.loads(json.dumps(fresh.to_json()))

    # Every remembered climb is found by today's history, or kept on purpose.
    assert climbs_of(Summary.from_json(state)) == climbs
    today = climbs_of(fold(Frame.of(challenges, rules, ZONE), attempts))
    history: History = (challenges, rules, by_uid)
    for rung, moment in climbs.items():
        key = (rung, moment)
        if today.get(rung) == moment:
            world.found.setdefault(key, []).append(history)
            continue
        kept = any(
            climbs_at(then, moment, by_uid).get(rung) == moment for then in world.found.get(key, [])
        )
        assert kept, f"rung {rung} stays climbed at {moment} with nothing that climbed it"


def climbing_start(world: World, data: st.DataObject) -> None:
    """Three or four asks at rung 1's two challenges in turn, each confident enough under
    the default settings: rung 1 is climbed at the third."""
    hours = sorted(data.draw(st.lists(st.integers(0, HOURS), min_size=3, max_size=4)))
    for i, hour in enumerate(hours):
        made = world.store.add_attempt(
            {
                "challenge_id": world.pool[i % 2],
                "occurred_at": _at(hour),
                "outcome": data.draw(st.sampled_from(ASKS)),
                "confidence": data.draw(st.sampled_from([7, 8, 9, 10])),
                "rerated": data.draw(st.sampled_from([None, 0, 10, 30])),
            }
        )
        world.logged += 1
        world.uid_of[made.id] = world.logged
    check(world)
    assert 1 in world.store.climbs()


def probe(world: World, data: st.DataObject) -> None:
    """Edit each field of an ask that climbed a rung in turn, each time putting it back."""
    store = world.store
    for name in data.draw(st.permutations(EDITABLE), label="fields"):
        climbed = set(store.climbs().values())
        climbers = [a for a in store.attempts() if a.occurred_at in climbed]
        if not climbers:
            return
        target = data.draw(st.sampled_from(climbers))
        value = data.draw(field_values(world.pool, START, HOURS)[name], label=name)
        store.update_attempt(target.id, {name: value})
        check(world)
        store.update_attempt(target.id, {name: getattr(target, name)})
        check(world)


def every_setting(world: World, data: st.DataObject) -> None:
    """Change each setting a user can change once, in any order, to another value."""
    for name in data.draw(st.permutations([s.name for s in SETTING_SPECS]), label="settings"):
        now = getattr(world.store.settings(), name)
        value = data.draw(st.sampled_from([v for v in _setting_values(name) if v != now]))
        world.store.update_settings({name: value})
        check(world)


@settings(EXAMPLES, max_examples=8)
@given(data=st.data())
def test_the_summary_follows_settings_and_the_ladder(template: Path, data: st.DataObject) -> None:
    with opened(template) as world:
        climbing_start(world, data)
        for _ in range(data.draw(st.integers(0, 4), label="steps")):
            step(world, data, LADDER_AND_SETTINGS)
            check(world)
        every_setting(world, data)


@settings(EXAMPLES, max_examples=4)
@given(data=st.data())
def test_the_climbs_follow_edits_of_any_field(template: Path, data: st.DataObject) -> None:
    with opened(template) as world:
        climbing_start(world, data)
        for _ in range(data.draw(st.integers(0, 4), label="steps")):
            step(world, data, EDITS)
            check(world)
        probe(world, data)
