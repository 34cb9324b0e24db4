"""One read path on both engines: the history filter, written once as SQL
(tracker.store.sql), keeps exactly the attempts its plain-Python meaning keeps, on
SQLite through sqlite3 and on PostgreSQL through psycopg; the Store runs the same
statements; a server database is read without SQLAlchemy once its schema is current."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.postgres import Server
from tracker.domain.models import Attempt, Challenge, Outcome
from tracker.store.errors import InvalidInput, NewerDatabase
from tracker.store.filters import HistoryFilter
from tracker.store.reader import Reader, open_reader
from tracker.store.repository import Store

START = datetime(2026, 6, 1, 9, tzinfo=UTC)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def filled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, list[Attempt], dict[int, Challenge]]]:
    """A varied history on each engine, and every attempt and challenge in it."""
    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("engines") / "tracker.db")
    else:
        server: Server = request.getfixturevalue("pg_server")
        db = server.new_database()
    rng = random.Random(5)
    with Store.open(db, zone=UTC) as store:
        mine = store.add_challenge({"title": "Ask my sister for a lift", "rung": 2})
        ids = [c.id for c in store.challenges() if c.rung is not None and c.rung <= 3] + [mine.id]
        for i in range(60):
            outcome = rng.choice([*Outcome, None])
            store.add_attempt(
                {
                    "challenge_id": rng.choice(ids),
                    "occurred_at": START + timedelta(hours=13 * i, microseconds=i),
                    "outcome": outcome,
                    "confidence": rng.randint(3, 10) if outcome else None,
                    "who": rng.choice([None, "neighbour", "Colleague", "Élodie", "50%_off"]),
                    "note": rng.choice([None, "felt fine", "Awkward at first"]),
                }
            )
        attempts = store.attempts()
        challenges = {c.id: c for c in store.challenges()}
    yield db, attempts, challenges


def keeps(where: HistoryFilter, a: Attempt, c: Challenge) -> bool:
    """What a history filter means, in plain Python."""
    if where.since is not None and a.occurred_at < where.since:
        return False
    if where.outcome is not None and a.outcome is not where.outcome:
        return False
    if where.planned is not None and a.planned is not where.planned:
        return False
    if where.rung is not None and c.rung != where.rung:
        return False
    if where.text and where.text.strip():
        needle = where.text.strip().lower()
        fields = (c.title, c.slug, a.who, a.feared, a.learned, a.note)
        return any(needle in f.lower() for f in fields if f)
    return True


FILTERS = st.builds(
    HistoryFilter,
    # ASCII letters fold on both engines; "É" is matched as written.
    text=st.sampled_from([None, "", " neigh ", "AWK", "ask", "zzz", "É", "50%", "_", "\\"]),
    outcome=st.sampled_from([None, *Outcome]),
    planned=st.sampled_from([None, True, False]),
    rung=st.sampled_from([None, 1, 2, 3, 9]),
    since=st.sampled_from([None, START + timedelta(days=9), START + timedelta(hours=13 * 7)]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(where=FILTERS, limit=st.sampled_from([None, 1, 7]), offset=st.sampled_from([0, 3]))
def test_the_filter_keeps_what_it_means_on_each_engine(
    filled: tuple[str, list[Attempt], dict[int, Challenge]],
    where: HistoryFilter,
    limit: int | None,
    offset: int,
) -> None:
    db, attempts, challenges = filled
    kept = [a for a in attempts if keeps(where, a, challenges[a.challenge_id])]
    page = kept[offset : offset + limit] if limit is not None else kept
    reader = open_reader(db, zone=UTC)
    assert reader is not None
    with reader:
        assert reader.attempts(where, limit=limit, offset=offset if limit else 0) == page
        assert reader.count_attempts(where) == len(kept)


def test_the_store_and_the_reader_agree_on_postgresql(
    filled: tuple[str, list[Attempt], dict[int, Challenge]],
) -> None:
    db, _, _ = filled
    where = HistoryFilter(text="a", planned=False)
    with Store.open(db, zone=UTC) as store:
        expected = (store.state(), store.attempts(where, limit=5), store.count_attempts(where))
    reader = open_reader(db, zone=UTC)
    assert isinstance(reader, Reader)
    with reader:
        summary, challenges, settings_ = reader.state()
        assert summary.to_json() == expected[0][0].to_json()
        assert (challenges, settings_) == expected[0][1:]
        assert reader.attempts(where, limit=5) == expected[1]
        assert reader.count_attempts(where) == expected[2]


def test_a_server_database_is_read_directly_once_current(pg_url: str, tmp_path: Path) -> None:
    assert open_reader(pg_url) is None, "no schema yet: the Store creates it"
    Store.open(pg_url).close()
    reader = open_reader(pg_url)
    assert reader is not None
    with reader, reader._reading():
        # Each read is one read-only snapshot, so its statements agree.
        assert reader._query("SHOW transaction_isolation") == [("repeatable read",)]
        assert reader._query("SHOW transaction_read_only") == [("on",)]
    with psycopg.connect(pg_url) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(NewerDatabase, match="newer version of tracker"):
        open_reader(pg_url)
    with pytest.raises(NewerDatabase):
        Store.open(pg_url)
    with pytest.raises(InvalidInput):  # not a database tracker can use
        open_reader("mysql://localhost/tracker")
