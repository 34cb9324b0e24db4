"""Crash safety: writers killed with SIGKILL at random moments lose nothing they reported.

A write is reported only after its commit returned, so every reported attempt must be
in the file afterwards, and the file must pass PRAGMA integrity_check.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.store import driver
from tests.store.helpers import ROOT, TIME, env, finish, integrity, rows, start
from tracker.store.files import LEFTOVER_AGE, remove_leftovers
from tracker.store.maintenance import check_database
from tracker.store.repository import Store
from tracker.store.seed import builtin_challenges

CYCLES = 16  # per writer; two writers run side by side


def test_writers_killed_at_random_moments_lose_nothing_they_reported(db_path: Path) -> None:
    Store.open(str(db_path)).close()
    writers = [start("crash", db_path, seed, CYCLES, f"w{seed}") for seed in (11, 12)]
    outputs = [driver.parse(finish(w)) for w in writers]

    assert all(not o["error"] for o in outputs), [o["error"] for o in outputs]
    kills = sum(o["killed"] for o in outputs)
    reported: dict[int, str] = {}
    for o in outputs:
        reported.update(o["ok"])
    assert kills >= 30
    assert len(reported) >= 20, "too few writes got through to prove anything"

    assert integrity(db_path) == ["ok"]
    stored = dict(rows(db_path, "attempt", "id, note"))
    missing = {i: m for i, m in reported.items() if stored.get(i) != m}
    assert not missing, f"reported but not stored: {missing}"
    assert check_database(db_path).ok
    with Store.open(str(db_path)) as store:  # and it still takes writes
        after = store.add_attempt(
            {
                "challenge_id": store.challenge(TIME).id,
                "occurred_at": store.attempt(max(reported)).occurred_at,
                "outcome": "helped",
            }
        )
        assert after.id > max(stored)


def test_tracker_log_killed_at_random_moments_even_while_creating_the_file(
    db_path: Path,
) -> None:
    """`tracker log` processes on a new file, killed between 0.3 and 1.2 s in: before,
    during and after making the file, migrating it, seeding the ladder, logging."""
    rng = random.Random(7)
    finished: dict[int, str] = {}
    killed = 0
    for pair in range(4):
        procs = []
        for n in range(2):
            marker = f"cli-{pair}-{n}"
            command = [sys.executable, "-m", "tracker", "log", TIME, "--outcome", "helped"]
            proc = subprocess.Popen(
                [*command, "--note", marker, "--json"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env({"TRACKER_DB": str(db_path)}),
                cwd=ROOT,
            )
            procs.append((proc, marker, time.monotonic() + rng.uniform(0.3, 1.2)))
        for proc, marker, kill_at in procs:
            time.sleep(max(0.0, kill_at - time.monotonic()))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            out, err = proc.communicate(timeout=60)
            if proc.returncode == 0:
                finished[json.loads(out)["id"]] = marker
            else:
                assert proc.returncode == -signal.SIGKILL, err
                killed += 1
    assert killed >= 2 and killed + len(finished) == 8, "kills should land as commands run"

    final = subprocess.run(
        [sys.executable, "-m", "tracker", "log", TIME, "--outcome", "partly", "--json"],
        capture_output=True,
        text=True,
        env=env({"TRACKER_DB": str(db_path)}),
        cwd=ROOT,
        timeout=60,
    )
    assert final.returncode == 0, final.stderr
    assert integrity(db_path) == ["ok"]
    stored = dict(rows(db_path, "attempt", "id, note"))
    assert all(stored.get(i) == m for i, m in finished.items()), (finished, stored)
    assert len(rows(db_path, "challenge")) == len(builtin_challenges()), "ladder seeded once"


def test_a_file_stopped_before_its_tables_were_made_is_set_up(db_path: Path) -> None:
    db_path.parent.mkdir(mode=0o700, exist_ok=True)
    conn = sqlite3.connect(db_path)  # what a first open leaves when killed right away
    conn.execute("PRAGMA application_id = 1414679378")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    with Store.open(str(db_path)) as store:
        assert len(store.challenges()) == len(builtin_challenges())


def test_a_file_stopped_before_its_ladder_was_seeded_is_seeded(db_path: Path) -> None:
    Store.open(str(db_path)).close()
    conn = sqlite3.connect(db_path)  # as if killed between the migration and the seed
    conn.execute("DELETE FROM challenge")
    conn.commit()
    conn.close()
    with Store.open(str(db_path)) as store:
        assert len(store.challenges()) == len(builtin_challenges())


def test_leftovers_of_a_stopped_first_open_are_cleared_when_old(db_path: Path) -> None:
    Store.open(str(db_path)).close()
    old = db_path.with_name(f".{db_path.name}.abc123.new")
    recent = db_path.with_name(f".{db_path.name}.def456.new")
    for leftover in (old, recent, old.with_name(old.name + "-journal")):
        leftover.write_bytes(b"x")
    stale = time.time() - LEFTOVER_AGE - 10
    os.utime(old, (stale, stale))
    os.utime(old.with_name(old.name + "-journal"), (stale, stale))
    remove_leftovers(db_path)
    assert not old.exists() and not old.with_name(old.name + "-journal").exists()
    assert recent.exists(), "a first open may still be under way"
    assert db_path.exists()
