"""The standard-library reader sees exactly what the Store sees, and never writes."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.domain.models import Outcome
from tracker.store.errors import NewerDatabase, NotATrackerDatabase
from tracker.store.filters import HistoryFilter
from tracker.store.reader import open_reader
from tracker.store.repository import Store

UTC_ZONE = UTC


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with a varied history: asks, avoided, planned, a custom challenge."""
    path = tmp_path_factory.mktemp("reader") / "tracker.db"
    rng = random.Random(3)
    start = datetime(2026, 6, 1, 9, tzinfo=UTC)
    with Store.open(str(path), zone=UTC_ZONE) as store:
        mine = store.add_challenge({"title": "Ask my sister for a lift", "rung": 2})
        ids = [c.id for c in store.challenges() if c.rung is not None and c.rung <= 3] + [mine.id]
        for i in range(150):
            outcome = rng.choice([*Outcome, None])
            store.add_attempt(
                {
                    "challenge_id": rng.choice(ids),
                    "occurred_at": start + timedelta(hours=13 * i),
                    "outcome": outcome,
                    "confidence": rng.randint(3, 10) if outcome else None,
                    "rerated": rng.choice([None, 10, 50]),
                    "peak_distress": rng.choice([None, 20, 90]),
                    "predicted": rng.randint(0, 100),
                    "happened": rng.choice([None, True, False]),
                    "who": rng.choice([None, "neighbour", "Colleague", "Élodie"]),
                    "note": rng.choice([None, "felt fine", "Awkward at first"]),
                }
            )
    return path


def test_the_reader_sees_the_same_state(filled: Path) -> None:
    with Store.open(str(filled), zone=UTC_ZONE) as store:
        expected = store.state()
    reader = open_reader(str(filled), zone=UTC_ZONE)
    assert reader is not None
    with reader:
        summary, challenges, settings_ = reader.state()
    assert summary.to_json() == expected[0].to_json()
    assert (challenges, settings_) == (expected[1], expected[2])


FILTERS = st.builds(
    HistoryFilter,
    text=st.sampled_from([None, "", "neigh", "AWK", "ask", "zzz", "É", "é"]),
    outcome=st.sampled_from([None, *Outcome]),
    planned=st.sampled_from([None, True, False]),
    rung=st.sampled_from([None, 1, 2, 3, 9]),
    since=st.sampled_from(
        [None, datetime(2026, 7, 1, tzinfo=UTC), datetime(2026, 6, 10, 21, tzinfo=UTC)]
    ),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(where=FILTERS, limit=st.sampled_from([None, 1, 7, 500]), offset=st.sampled_from([0, 3]))
def test_the_reader_filters_history_as_the_store_does(
    filled: Path, where: HistoryFilter, limit: int | None, offset: int
) -> None:
    with Store.open(str(filled), zone=UTC_ZONE) as store:
        expected = store.attempts(where, limit=limit, offset=offset)
        expected_count = store.count_attempts(where)
    reader = open_reader(str(filled), zone=UTC_ZONE)
    assert reader is not None
    with reader:
        assert reader.attempts(where, limit=limit, offset=offset) == expected
        assert reader.count_attempts(where) == expected_count


def test_reading_changes_no_byte(filled: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(filled.read_bytes())
    before = copy.read_bytes()
    reader = open_reader(str(copy))
    assert reader is not None
    with reader:
        reader.state()
        reader.attempts(HistoryFilter(text="a"), limit=10)
    assert copy.read_bytes() == before


def test_what_the_reader_leaves_to_the_store(tmp_path: Path) -> None:
    assert open_reader(str(tmp_path / "new.db")) is None  # not made yet
    assert not (tmp_path / "new.db").exists()
    old = tmp_path / "old.db"
    fixture = Path(__file__).parent / "fixtures" / "tracker-0001.sqlite"
    old.write_bytes(fixture.read_bytes())
    assert open_reader(str(old)) is None  # needs an upgrade first
    assert old.read_bytes() == fixture.read_bytes()


def test_the_reader_refuses_what_the_store_refuses(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("private\n" * 50)
    with pytest.raises(NotATrackerDatabase):
        open_reader(str(notes))
    newer = tmp_path / "newer.db"
    Store.open(str(newer)).close()
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    before = newer.read_bytes()
    with pytest.raises(NewerDatabase):
        open_reader(str(newer))
    assert newer.read_bytes() == before
