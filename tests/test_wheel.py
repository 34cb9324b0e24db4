"""The package works as installed from its wheel, not only from this checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_its_data_and_runs_from_an_install(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--quiet", "-w", str(dist), str(ROOT)],
        check=True,
        timeout=300,
    )  # fmt: skip
    (wheel,) = dist.glob("tracker-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "tracker/data/challenges.toml",
        "tracker/store/migrations/env.py",
        "tracker/store/migrations/versions/0001_initial.py",
        "tracker/py.typed",
    ):
        assert needed in names, needed
    assert not any(n.startswith("tests/") for n in names)

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
         str(target), str(wheel)],
        check=True,
        timeout=300,
    )  # fmt: skip
    # Run from elsewhere, with the installed copy first on the path and not the checkout.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "TZ": "UTC", "PYTHONSAFEPATH": "1"}
    probe = subprocess.run(
        [sys.executable, "-c", "import tracker; print(tracker.__file__)"],
        capture_output=True, text=True, cwd=elsewhere, env=env, check=True,
    )  # fmt: skip
    assert probe.stdout.strip().startswith(str(target))
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(tmp_path / "t.db"), "ladder", "--json"],
        capture_output=True, text=True, cwd=elsewhere, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert '"rung": 10' in result.stdout
    import json

    shipped = json.loads(result.stdout)
    assert sum(len(r["challenges"]) for r in shipped["rungs"]) >= 60
    assert any(c["slug"] == "call-or-message-a-helpline" for c in shipped["anytime"])
