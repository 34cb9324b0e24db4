"""The demo history: believable, the same every time, and it fills every screen."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracker.demo import fill_demo
from tracker.domain.models import Outcome
from tracker.domain.rules import RungState
from tracker.present import attempt_json
from tracker.service import overview
from tracker.store.filters import HistoryFilter
from tracker.store.repository import Store

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def demo_store(path: Path, now: datetime = NOW, seed: int = 7) -> Store:
    store = Store.open(str(path))
    fill_demo(store, now, seed=seed)
    return store


def test_the_demo_tells_a_whole_story(tmp_path: Path) -> None:
    with demo_store(tmp_path / "demo.db") as store:
        view = overview(store, NOW)
        attempts = store.attempts()
        planned = store.attempts(HistoryFilter(planned=True))
    states = {r.rung: r.state for r in view.ladder.rungs}
    assert states[1] is states[2] is RungState.CLIMBED
    assert states[3] is RungState.CURRENT and view.ladder.current_rung == 3
    assert view.ladder.rung(3) is not None and view.ladder.rung(3).asks > 0  # type: ignore[union-attr]
    assert len(planned) == 2
    outcomes = [a.outcome for a in attempts]
    assert Outcome.AVOIDED in outcomes
    assert Outcome.DECLINED in outcomes  # a "no" that still counted
    assert view.calibration.overall.attempts >= 10
    assert view.suggestion.revisits_due
    assert view.streak >= 2
    assert all(a.occurred_at <= NOW for a in attempts)
    first = min(a.occurred_at for a in attempts)
    assert 50 <= (NOW - first).days <= 60  # about eight weeks


def test_the_same_seed_gives_the_same_history(tmp_path: Path) -> None:
    with demo_store(tmp_path / "a.db") as a, demo_store(tmp_path / "b.db") as b:
        by_id_a = {c.id: c for c in a.challenges()}
        by_id_b = {c.id: c for c in b.challenges()}
        one = [attempt_json(x, by_id_a[x.challenge_id], UTC) for x in a.attempts()]
        two = [attempt_json(x, by_id_b[x.challenge_id], UTC) for x in b.attempts()]
    assert one == two


def test_another_seed_varies_the_details(tmp_path: Path) -> None:
    with demo_store(tmp_path / "a.db") as a, demo_store(tmp_path / "b.db", seed=8) as b:
        assert [x.learned for x in a.attempts()] != [x.learned for x in b.attempts()]
        assert overview(b, NOW).ladder.current_rung == 3


def test_needs_an_aware_time(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "demo.db")) as store, pytest.raises(ValueError):
        fill_demo(store, datetime(2026, 11, 22, 10, 0))
