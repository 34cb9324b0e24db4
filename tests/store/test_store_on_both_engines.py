"""Store behaviour that must hold on both engines: climbs remembered and released,
undo, the summary kept current by every kind of write, and a refused write that
changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tracker.domain import rules
from tracker.domain.summary import Frame, fold
from tracker.service import overview
from tracker.store.errors import InvalidInput, NotFound
from tracker.store.repository import Store

NOW = datetime(2026, 11, 22, 10, tzinfo=UTC)


def climb_rung_one(store: Store) -> list[int]:
    rung_one = [c.id for c in store.challenges() if c.rung == 1][:2]
    ids = []
    for hours, challenge in ((3, rung_one[0]), (2, rung_one[1]), (1, rung_one[0])):
        a = store.add_attempt(
            {"challenge_id": challenge, "occurred_at": NOW - timedelta(hours=hours),
             "outcome": "helped", "confidence": 8}
        )  # fmt: skip
        ids.append(a.id)
    assert overview(store, NOW).ladder.current_rung == 2
    return ids


def folded_afresh(store: Store) -> dict[str, Any]:
    """The whole log folded now: what the stored summary must equal."""
    frame = Frame.of(store.challenges(), store.settings(), UTC, store.climbs())
    done = [a for a in store.attempts() if a.outcome is not None]
    return fold(frame, sorted(done, key=lambda a: (a.occurred_at, a.id))).to_json()


def test_climbs_are_remembered_released_and_brought_back(any_db: str) -> None:
    with Store.open(any_db, zone=UTC) as store:
        ids = climb_rung_one(store)
        assert set(store.climbs()) == {1}
        store.update_settings({"climb_min_asks": 5})
        store.update_attempt(ids[-1], {"note": "fixed a typo"})
        assert overview(store, NOW).ladder.current_rung == 2, "a climb stays climbed"
        store.update_settings({"climb_min_asks": 3})
        gone = store.delete_attempt(ids[-1])
        assert overview(store, NOW).ladder.current_rung == 1 and store.climbs() == {}
        back = store.restore_attempt(gone)
        assert back.id == gone.id, "its id was free, so it comes back under it"
        assert overview(store, NOW).ladder.current_rung == 2
        assert store.state()[0].to_json() == folded_afresh(store)


def test_every_kind_of_write_keeps_the_summary_equal_to_a_fresh_fold(any_db: str) -> None:
    with Store.open(any_db, zone=UTC) as store:
        ids = climb_rung_one(store)
        first = store.challenges()[0]
        store.add_attempt({"challenge_id": first.id, "occurred_at": NOW - timedelta(days=9),
                           "outcome": "declined", "confidence": 2})  # fmt: skip
        store.update_attempt(ids[0], {"occurred_at": NOW - timedelta(minutes=5)})
        store.update_challenge(first.id, {"rung": 2})
        store.update_settings({"weekly_goal": 5, "climb_confidence": 6})
        planned = store.add_attempt({"challenge_id": first.id, "occurred_at": NOW})
        store.complete_attempt(planned.id, {"outcome": "partly", "confidence": 9})
        summary, challenges, settings = store.state()
        assert summary.total_asks == 5
        assert summary.to_json() == folded_afresh(store)
        assert rules.ladder_from(summary, challenges, settings).current_rung is not None


def test_a_refused_write_changes_nothing(any_db: str) -> None:
    with Store.open(any_db, zone=UTC) as store:
        climb_rung_one(store)
        before = (store.attempts(), store.challenges(), store.settings(), store.climbs())
        with pytest.raises(NotFound):
            store.add_attempt({"challenge_id": 10**9, "occurred_at": NOW, "outcome": "helped"})
        with pytest.raises(InvalidInput):
            store.update_settings({"weekly_goal": 4, "climb_min_asks": 0})
        with pytest.raises(InvalidInput):
            store.add_challenge({"title": "Ask", "rung": 11})
        with pytest.raises(NotFound):
            store.attempt(2**70)
        assert (store.attempts(), store.challenges(), store.settings(), store.climbs()) == before


def test_a_change_made_behind_trackers_back_is_never_hidden_by_the_summary(
    any_db: str,
) -> None:
    """The triggers mark the summary stale for any change to the log, however many rows
    one transaction changes (on PostgreSQL they bump it once per transaction)."""
    from tests.engines import placeholder, raw_connection
    from tracker.store.reader import open_reader

    with Store.open(any_db, zone=UTC) as store:
        climb_rung_one(store)
        challenge = store.challenges()[0].id
    p = placeholder(any_db)
    with raw_connection(any_db) as conn:
        for minutes in (10, 20):
            conn.execute(
                "INSERT INTO attempt (challenge_id, occurred_at, outcome, strategies)"
                f" VALUES ({p}, {p}, 'helped', '')",
                (challenge, f"2026-11-22 09:{minutes}:00.000000"),
            )
        conn.execute("DELETE FROM attempt WHERE occurred_at < '2026-11-22 07:30:00'")
    reader = open_reader(any_db, zone=UTC)
    assert reader is not None
    with reader:
        assert reader.state()[0].total_asks == 4
    with Store.open(any_db, zone=UTC) as store:
        assert store.state()[0].total_asks == 4
        assert store.state()[0].to_json() == folded_afresh(store)


def test_last_rated_is_the_latest_completed_rated_attempt_on_that_challenge(any_db: str) -> None:
    with Store.open(any_db, zone=UTC) as store:
        one, two = store.challenges()[:2]
        assert store.last_rated(one.id) is None
        rated = store.add_attempt(
            {"challenge_id": one.id, "occurred_at": NOW - timedelta(days=3),
             "outcome": "helped", "predicted": 60, "rerated": 40}
        )  # fmt: skip
        store.add_attempt(  # later, but nothing rated
            {"challenge_id": one.id, "occurred_at": NOW - timedelta(days=1), "outcome": "declined"}
        )
        store.add_attempt(  # planned: not yet a rating of how it went
            {"challenge_id": one.id, "occurred_at": NOW, "predicted": 90}
        )
        store.add_attempt(  # another challenge
            {"challenge_id": two.id, "occurred_at": NOW, "outcome": "helped", "confidence": 9}
        )
        last = store.last_rated(one.id)
        assert last is not None and last.id == rated.id
        assert store.last_rated(2**70) is None
