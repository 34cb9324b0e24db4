"""Several processes opening a file at once that must first be made or upgraded: one
does it (one pre-upgrade backup), the others wait for it and go on (issue 8, item 9)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.store.helpers import ROOT, TIME, env, integrity, rows
from tracker.store.backup import backups_dir

FIXTURE = Path(__file__).with_name("fixtures") / "tracker-0001.sqlite"
PROCESSES = 6

#: Each process waits for the same moment, then opens the file through the CLI.
STARTER = """
import sys, time
from tracker.cli import run
start = float(sys.argv[1])
time.sleep(max(0.0, start - time.time()))
sys.exit(run(sys.argv[2:]))
"""


def at_once(db: Path, commands: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    start = time.time() + 2.0  # after every interpreter has started
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, str(start), "--db", str(db), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
            cwd=ROOT,
        )
        for command in commands
    ]
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


def commands(n: int) -> list[list[str]]:
    """Half write (log an ask each), half only read."""
    return [
        ["log", TIME, "--outcome", "helped", "--note", f"p{i}"] if i % 2 == 0 else ["next"]
        for i in range(n)
    ]


@pytest.mark.parametrize("run", range(2))
def test_processes_upgrading_one_file_at_once_all_succeed_with_one_backup(
    tmp_path: Path, run: int
) -> None:
    db = tmp_path / "tracker.db"
    shutil.copy(FIXTURE, db)
    before = len(rows(db, "attempt"))
    results = at_once(db, commands(PROCESSES))
    for r in results:
        assert r.returncode == 0, r.stderr
        assert "error" not in r.stderr
    copies = [p for p in backups_dir(db).iterdir() if "before-upgrade" in p.name]
    assert len(copies) == 1, copies
    assert len(rows(copies[0], "attempt")) == before
    assert len(rows(db, "attempt")) == before + (PROCESSES + 1) // 2
    assert integrity(db) == ["ok"]


@pytest.mark.parametrize("run", range(2))
def test_processes_making_one_new_file_at_once_all_succeed(tmp_path: Path, run: int) -> None:
    db = tmp_path / "tracker.db"
    results = at_once(db, commands(PROCESSES))
    for r in results:
        assert r.returncode == 0, r.stderr
        assert "error" not in r.stderr
    assert len(rows(db, "attempt")) == (PROCESSES + 1) // 2
    slugs = [r[0] for r in rows(db, "challenge", "slug")]
    assert len(slugs) == len(set(slugs)) > 0
    assert integrity(db) == ["ok"]
