"""Several processes on one PostgreSQL database: first opens and upgrades at once are
serialised by an advisory lock (none fails, nothing is made twice); concurrent writers
keep every write and leave the stored summary current, also when asks made at the same
moment climb a rung in two processes at once."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import psycopg
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from tests.store.helpers import CLERK, ROOT, TIME, env
from tracker.store import database
from tracker.store.repository import Store
from tracker.store.seed import builtin_challenges
from tracker.store.url import sqlalchemy_url
from tracker.store.version import HEAD_REVISION

PROCESSES = 5


def at_once(*commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    procs = [
        subprocess.Popen(
            [sys.executable, *c],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
            cwd=ROOT,
        )
        for c in commands
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {
            table: int((conn.execute(f"SELECT count(*) FROM {table}").fetchone() or (0,))[0])
            for table in ("alembic_version", "challenge", "attempt", "summary")
        }


def test_first_opens_at_once_create_the_database_once(pg_url: str) -> None:
    results = at_once(
        *(["-m", "tracker", "--db", pg_url, "log", TIME, "--outcome", "helped"]
          for _ in range(PROCESSES))
    )  # fmt: skip
    for r in results:
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith("Logged #")
    assert counts(pg_url) == {
        "alembic_version": 1,
        "challenge": len(builtin_challenges()),
        "attempt": PROCESSES,
        "summary": 1,
    }


def test_upgrades_at_once_upgrade_once(pg_url: str) -> None:
    """A database at the first release's schema, opened by several processes at once."""
    engine = create_engine(sqlalchemy_url(pg_url))
    config = Config()
    config.set_main_option("script_location", database.MIGRATIONS)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    engine.dispose()
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    results = at_once(*(["-m", "tracker", "--db", pg_url, "progress", "--json"]
                        for _ in range(PROCESSES)))  # fmt: skip
    for r in results:
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["total_asks"] == 0
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (HEAD_REVISION,)
        ]
    assert counts(pg_url)["challenge"] == len(builtin_challenges())


WRITER = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, timedelta, UTC
    from tracker.store.repository import Store

    url, count, start_at, label = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    base = datetime(2026, 11, 16, 9, tzinfo=UTC)
    with Store.open(url) as store:
        slugs = [store.challenge(s).id for s in sys.argv[5:]]
        time.sleep(max(0.0, start_at - time.time()))
        for i in range(count):
            attempt = store.add_attempt({
                "challenge_id": slugs[i % len(slugs)],
                # Both writers log the same moments: their climbs happen at once.
                "occurred_at": base + timedelta(hours=i),
                "outcome": "helped",
                "confidence": 8,
                "note": label,
            })
            print("ok", attempt.id, flush=True)
    """
)


def test_concurrent_writers_keep_every_write_and_a_current_summary(pg_url: str) -> None:
    Store.open(pg_url).close()
    count = 12
    start_at = time.time() + 2.0
    results = at_once(
        *(["-c", WRITER, pg_url, str(count), str(start_at), label, TIME, CLERK]
          for label in ("laptop", "desktop"))
    )  # fmt: skip
    ids: list[int] = []
    for r in results:
        assert r.returncode == 0, r.stderr
        ids += [int(line.split()[1]) for line in r.stdout.splitlines()]
    assert len(ids) == len(set(ids)) == 2 * count

    with Store.open(pg_url) as store:
        assert store.count_attempts() == 2 * count
        assert {a.note for a in store.attempts()} == {"laptop", "desktop"}
    with psycopg.connect(pg_url) as conn:
        row = conn.execute("SELECT log_version, state_version FROM summary").fetchone()
        assert row is not None and row[0] == row[1], "the stored summary is current"
        climbs = conn.execute("SELECT rung FROM rung_climb ORDER BY rung").fetchall()
        assert (1,) in climbs
    check = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", pg_url, "check", "--json"],
        capture_output=True, text=True, env=env(), cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    assert json.loads(check.stdout)["summary"] == []
