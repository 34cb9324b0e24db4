"""Completing, editing and deleting an attempt check its state inside the write
transaction that changes it: of two completes of one plan exactly one wins, and the
other is told it was already completed; nothing is lost and nothing raises past the
plain errors.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXED_NOW
from tests.store.helpers import TIME
from tracker.domain.models import Attempt
from tracker.store.errors import InvalidInput, NotFound, StoreError
from tracker.store.repository import Store

AT = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def stores(db_path: Path) -> Iterator[tuple[Store, Store]]:
    """Two Stores on one file, as two processes would have (each its own engine)."""
    with Store.open(str(db_path)) as a, Store.open(str(db_path)) as b:
        yield a, b


def plan(store: Store) -> int:
    return store.add_attempt({"challenge_id": store.challenge(TIME).id, "occurred_at": AT}).id


def completion(label: str) -> dict[str, Any]:
    outcome = {"a": "helped", "b": "declined"}[label]
    return {"outcome": outcome, "occurred_at": AT, "note": f"by {label}"}


def at_once(*actions: Callable[[], object]) -> list[object]:
    """Run the actions in threads released together; each result or the error raised."""
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def work(n: int) -> None:
        barrier.wait()
        try:
            results[n] = actions[n]()
        except Exception as e:
            results[n] = e

    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(actions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_a_complete_that_lost_the_race_is_refused_deterministically(
    stores: tuple[Store, Store],
) -> None:
    """Store `a` has read the plan when `b` completes it, just before `a` writes."""
    a, b = stores
    attempt_id = plan(a)
    original = a.write
    interleaved: list[Attempt] = []

    def write_after_the_other(action: Any) -> Any:
        if not interleaved:
            interleaved.append(b.complete_attempt(attempt_id, completion("b")))
        return original(action)

    a.write = write_after_the_other  # type: ignore[method-assign]
    with pytest.raises(InvalidInput, match="already complete"):
        a.complete_attempt(attempt_id, completion("a"))
    assert interleaved, "the other complete ran in between"
    kept = a.attempt(attempt_id)
    assert kept.note == "by b" and str(kept.outcome) == "declined", "b's answer is kept"


ROUNDS = 15


def test_two_completes_at_once_exactly_one_wins(stores: tuple[Store, Store]) -> None:
    a, b = stores
    for _ in range(ROUNDS):
        attempt_id = plan(a)
        results = at_once(
            partial(a.complete_attempt, attempt_id, completion("a")),
            partial(b.complete_attempt, attempt_id, completion("b")),
        )
        errors = [r for r in results if isinstance(r, Exception)]
        assert len(errors) == 1, results
        assert isinstance(errors[0], InvalidInput) and "already complete" in str(errors[0])
        winner = "ab"[[not isinstance(r, Exception) for r in results].index(True)]
        assert a.attempt(attempt_id).note == f"by {winner}", "the winner's answer is stored"


def test_a_delete_racing_a_complete_or_an_edit_ends_cleanly(stores: tuple[Store, Store]) -> None:
    a, b = stores
    for n in range(ROUNDS):
        attempt_id = plan(a)
        change = (
            partial(a.complete_attempt, attempt_id, completion("a"))
            if n % 2
            else partial(a.update_attempt, attempt_id, {"note": "edited"})
        )
        results = at_once(change, partial(b.delete_attempt, attempt_id))
        for r in results:
            assert not isinstance(r, Exception) or isinstance(r, NotFound), repr(r)
        assert not isinstance(results[1], Exception), "the delete always finds it"
        with pytest.raises(NotFound):
            a.attempt(attempt_id)


def test_two_deletes_at_once_one_deletes_the_other_finds_nothing(
    stores: tuple[Store, Store],
) -> None:
    a, b = stores
    for _ in range(5):
        attempt_id = plan(a)
        results = at_once(
            partial(a.delete_attempt, attempt_id), partial(b.delete_attempt, attempt_id)
        )
        assert sorted(type(r).__name__ for r in results) == ["Attempt", "NotFound"], results


def test_an_edit_keeps_what_another_process_changed_meanwhile(stores: tuple[Store, Store]) -> None:
    """An edit merges its changes into the row as it is inside the transaction."""
    a, b = stores
    attempt_id = plan(a)
    original = a.write

    def write_after_the_other(action: Any) -> Any:
        b.update_attempt(attempt_id, {"who": "neighbour"})
        a.write = original  # type: ignore[method-assign]
        return original(action)

    a.write = write_after_the_other  # type: ignore[method-assign]
    a.update_attempt(attempt_id, {"note": "a note"})
    kept = b.attempt(attempt_id)
    assert kept.note == "a note" and kept.who == "neighbour"


def test_two_tracker_complete_processes_one_succeeds_one_says_already(db_path: Path) -> None:
    env = {**os.environ, "TRACKER_DB": str(db_path), "TRACKER_NOW": FIXED_NOW, "TZ": "UTC"}
    with Store.open(str(db_path)) as store:
        ids = [plan(store) for _ in range(3)]
    for attempt_id in ids:
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "tracker", "complete", str(attempt_id), "--outcome", o],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for o in ("helped", "declined")
        ]
        done = [(p.wait(timeout=60), p.communicate()[1]) for p in procs]
        codes = sorted(code for code, _ in done)
        assert codes == [0, 2], done
        (refusal,) = [err for code, err in done if code == 2]
        assert refusal.startswith("error: ") and "already complete" in refusal


def test_errors_stay_plain(stores: tuple[Store, Store]) -> None:
    a, _ = stores
    actions: tuple[Callable[[], object], ...] = (
        lambda: a.complete_attempt(10**30, {"outcome": "helped"}),
        lambda: a.update_attempt(10**30, {"note": "x"}),
        lambda: a.delete_attempt(10**30),
        lambda: a.delete_attempt(999),
    )
    for action in actions:
        with pytest.raises(StoreError):
            action()
