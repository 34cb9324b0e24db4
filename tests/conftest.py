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


@pytest.fixture
def run(db_path: Path, tmp_path: Path) -> Run:
    """Run `tracker ARGS...` in a subprocess on this test's database, at FIXED_NOW."""

    def _run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        full_env = {
            **os.environ,
            "TRACKER_DB": str(db_path),
            "TRACKER_NOW": FIXED_NOW,
            "TZ": "UTC",
            "HOME": str(tmp_path / "home"),
            "XDG_DATA_HOME": str(tmp_path / "xdg"),
        }
        full_env.update(env or {})
        proc = subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            capture_output=True,
            text=True,
            input=input,
            env=full_env,
            cwd=tmp_path,
            timeout=60,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return _run
