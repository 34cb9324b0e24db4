"""Shared fixtures: every test gets its own database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.engines import any_db  # noqa: F401  (fixture)
from tests.postgres import pg_server, pg_url  # noqa: F401  (fixtures)

#: A fixed clock for the CLI: Sunday 22 November 2026, 10:00 UTC.
FIXED_NOW = "2026-11-22T10:00:00+00:00"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Run = Callable[..., Result]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """tracker.db in a private folder of its own (tracker makes no folder for a path
    it is given, only for its default file)."""
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    return folder / "tracker.db"


def _env(db_path: Path, tmp_path: Path, extra: dict[str, str] | None) -> dict[str, str]:
    """What every command of a test sees: its own database, home and data folder, and
    the fixed clock in UTC."""
    return {
        "TRACKER_DB": str(db_path),
        "TRACKER_NOW": FIXED_NOW,
        "TZ": "UTC",
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
        **(extra or {}),
    }


@pytest.fixture
def run(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run `tracker ARGS...` in this process on this test's database, at FIXED_NOW.

    It calls tracker.cli.run, as the console script does, inside click's CliRunner
    isolation: its own stdin, stdout, stderr and environment (the clock and the zone
    are read from the environment on every call, so pinning them works in-process)."""
    from click.testing import CliRunner

    from tracker.cli import run as tracker

    monkeypatch.chdir(tmp_path)

    def _run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        with runner.isolation(input=input, env=_env(db_path, tmp_path, env)) as (out, err, _):
            code = tracker(list(args))
        return Result(code, out.getvalue().decode(), err.getvalue().decode())

    return _run


@pytest.fixture
def run_process(db_path: Path, tmp_path: Path) -> Run:
    """Run `tracker ARGS...` as its own process (`python -m tracker`), for what only a
    real process shows: start-up, the exit code it really ends with, signals."""

    def _run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        proc = subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            capture_output=True,
            text=True,
            input=input,
            env={**os.environ, **_env(db_path, tmp_path, env)},
            cwd=tmp_path,
            timeout=60,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return _run
