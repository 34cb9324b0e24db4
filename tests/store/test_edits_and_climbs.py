"""Undo, edits and remembered climbs: the history a person corrects stays right."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tracker.service import overview
from tracker.store.repository import Store

NOW = datetime(2026, 11, 22, 10, tzinfo=UTC)


def _climb_rung_one(store: Store) -> list[int]:
    """Three confident asks on rung 1's first two challenges: rung 1 is climbed."""
    ids = []
    for hours, challenge in ((3, 1), (2, 2), (1, 1)):
        a = store.add_attempt(
            {"challenge_id": challenge, "occurred_at": NOW - timedelta(hours=hours),
             "outcome": "helped", "confidence": 8}
        )  # fmt: skip
        ids.append(a.id)
    assert overview(store, NOW).ladder.current_rung == 2
    return ids


def test_undo_works_after_something_new_took_the_id(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "t.db"), zone=UTC) as store:
        store.add_attempt({"challenge_id": 1, "occurred_at": NOW, "outcome": "helped"})
        deleted = store.delete_attempt(
            store.add_attempt(
                {"challenge_id": 1, "occurred_at": NOW, "outcome": "declined", "note": "x"}
            ).id
        )
        newer = store.add_attempt({"challenge_id": 2, "occurred_at": NOW, "outcome": "helped"})
        assert newer.id == deleted.id  # SQLite hands the freed id out again
        restored = store.restore_attempt(deleted)
        assert restored.id != newer.id
        assert (restored.outcome, restored.note) == (deleted.outcome, deleted.note)
        assert len(store.attempts()) == 3


def test_editing_a_note_keeps_a_remembered_climb(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "t.db"), zone=UTC) as store:
        ids = _climb_rung_one(store)
        store.update_settings({"climb_min_asks": 5})
        store.update_attempt(ids[-1], {"note": "fixed a typo"})
        assert overview(store, NOW).ladder.current_rung == 2


def test_deleting_the_climbing_ask_releases_the_climb_even_after_a_move(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "t.db"), zone=UTC) as store:
        ids = _climb_rung_one(store)
        store.update_challenge(1, {"rung": 3})  # its history moves with it
        store.delete_attempt(ids[-1])
        view = overview(store, NOW)
        assert view.ladder.current_rung == 1
        assert store.climbs() == {}
