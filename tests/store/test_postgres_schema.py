"""The schema and every migration run on PostgreSQL as well as on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from tracker.domain.models import Outcome, Strategy
from tracker.store.errors import InvalidInput, NotFound
from tracker.store.filters import HistoryFilter
from tracker.store.repository import Store
from tracker.store.schema import HEAD_REVISION, metadata

AT = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)


def test_an_empty_database_is_brought_to_head_and_matches_the_models(pg_url: str) -> None:
    with Store.open(pg_url, zone=UTC) as store, store.engine.connect() as conn:
        assert store.created or store.challenges()
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
    with psycopg.connect(pg_url) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (HEAD_REVISION,)
        ]
        checks: dict[str, str] = dict(
            raw.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'c'"
            ).fetchall()
        )
    assert "ck_attempt_strategies" in checks


def test_the_strategies_check_refuses_what_sqlite_refuses(pg_url: str) -> None:
    Store.open(pg_url, zone=UTC).close()
    with psycopg.connect(pg_url) as raw:
        (challenge,) = raw.execute("SELECT min(id) FROM challenge").fetchone() or (0,)
        insert = (
            "INSERT INTO attempt (challenge_id, occurred_at, strategies) VALUES (%s, now(), %s)"
        )
        raw.execute(insert, (challenge, "specific,timing"))
        for bad in ("Specific", "spec ific", "timing;", "é"):
            with pytest.raises(psycopg.errors.CheckViolation):
                raw.execute(insert, (challenge, bad))
            raw.rollback()


def test_every_store_operation_works_on_postgresql(pg_url: str) -> None:
    with Store.open(pg_url, zone=UTC) as store:
        ladder = store.challenges()
        assert len(ladder) > 10 and ladder == sorted(
            ladder, key=lambda c: (c.rung is None, c.rung or 0, c.id)
        )
        first = ladder[0]
        assert store.challenge(first.slug) == store.challenge(first.id) == first
        with pytest.raises(NotFound):
            store.challenge("no-such-challenge")

        done = store.add_attempt(
            {
                "challenge_id": first.id,
                "occurred_at": AT,
                "outcome": "helped",
                "confidence": 8,
                "strategies": [Strategy.TIMING, Strategy.SPECIFIC],
                "who": "a [bold]lamppost[/]",
            }
        )
        assert done.occurred_at == AT and done.strategies == (Strategy.SPECIFIC, Strategy.TIMING)
        planned = store.add_attempt(
            {"challenge_id": first.id, "occurred_at": AT + timedelta(hours=1), "feared": "a sigh"}
        )
        assert planned.planned
        assert store.count_attempts() == 2
        assert [a.id for a in store.attempts()] == [planned.id, done.id]
        assert [a.id for a in store.attempts(HistoryFilter(planned=True))] == [planned.id]
        assert [a.id for a in store.attempts(HistoryFilter(text="LAMPPOST"))] == [done.id]
        assert [a.id for a in store.attempts(HistoryFilter(rung=first.rung), limit=1)] == [
            planned.id
        ]
        assert store.count_attempts(HistoryFilter(since=AT + timedelta(minutes=1))) == 1

        completed = store.complete_attempt(
            planned.id, {"outcome": "declined", "occurred_at": AT + timedelta(hours=2)}
        )
        assert completed.outcome is Outcome.DECLINED
        edited = store.update_attempt(done.id, {"note": "kind"})
        assert edited.note == "kind"
        summary, challenges, _ = store.state()
        assert summary.total_asks == 2 and challenges == store.challenges()

        gone = store.delete_attempt(done.id)
        assert store.count_attempts() == 1
        assert store.restore_attempt(gone).id == done.id
        assert store.state()[0].total_asks == 2

        custom = store.add_challenge({"title": "Ask a [red]friend[/]", "rung": 3})
        assert custom.slug == "ask-a-red-friend" and not custom.builtin
        moved = store.update_challenge(custom.id, {"rung": 4, "archived": True})
        assert moved.rung == 4 and moved.archived
        with pytest.raises(InvalidInput):
            store.add_challenge({"title": "x", "rung": 3, "slug": custom.slug})
        with pytest.raises(InvalidInput):
            store.add_attempt({"challenge_id": first.id, "occurred_at": AT, "outcome": "maybe"})

        assert store.update_settings({"weekly_goal": 5}).weekly_goal == 5
        assert store.settings().weekly_goal == 5
        moments = sorted((a.occurred_at, a.id) for a in store.attempts() if a.outcome)
        assert moments[0][1] == done.id
        assert isinstance(store.climbs(), dict)
    with Store.open(pg_url, zone=UTC) as again:
        assert not again.created and again.count_attempts() == 2
