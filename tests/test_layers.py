"""The layers stay apart: the domain is pure, and quick commands load no heavy libraries."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tracker"


def loaded_modules(*args: str) -> set[str]:
    """Every module a `python -X importtime ARGS` run imported."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def top_level(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


def test_domain_loads_neither_textual_nor_sqlalchemy() -> None:
    code = "import tracker.domain.models, tracker.domain.rules, tracker.domain.when"
    loaded = top_level(loaded_modules("-c", code))
    assert "tracker" in loaded
    assert not loaded & {"textual", "sqlalchemy", "sqlmodel", "pydantic", "alembic"}


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_load_no_textual_and_no_database_layer(flag: str) -> None:
    loaded = top_level(loaded_modules("-m", "tracker", flag))
    assert "tracker" in loaded
    assert not loaded & {"textual", "sqlalchemy", "sqlmodel", "pydantic", "alembic"}


def test_reading_commands_load_no_textual(tmp_path: Path) -> None:
    import os

    env_db = str(tmp_path / "t.db")
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tracker", "--db", env_db, "next"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TZ": "UTC"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    loaded = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in proc.stderr.splitlines()
        if "|" in line
    }
    assert "textual" not in loaded


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("domain", ("textual", "sqlalchemy", "sqlmodel", "pydantic", "alembic", "tracker.store",
                    "tracker.ui", "tracker.cli", "sqlite3", "os", "pathlib", "socket")),
        ("store", ("textual", "tracker.ui", "tracker.cli")),
    ],
)  # fmt: skip
def test_layers_import_only_downward(layer: str, forbidden: tuple[str, ...]) -> None:
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in imports_of(path):
            assert not any(name == f or name.startswith(f + ".") for f in forbidden), (
                f"{path.relative_to(PACKAGE)} imports {name}"
            )


def test_no_network_code() -> None:
    network = ("socket", "urllib", "http", "requests", "httpx", "ftplib", "smtplib", "ssl")
    for path in sorted(PACKAGE.rglob("*.py")):
        for name in imports_of(path):
            assert name.split(".")[0] not in network, f"{path.relative_to(PACKAGE)} imports {name}"


def test_reads_need_no_sqlalchemy() -> None:
    """The reader stands on tracker.store.files (the standard library's sqlite3) alone."""
    code = (
        "import sys, tracker.store.reader, tracker.store.backup; "
        "print(' '.join(sorted(m for m in sys.modules)))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = set(proc.stdout.split())
    assert "tracker.store.files" in loaded
    assert not top_level(loaded) & {"sqlalchemy", "sqlmodel", "pydantic", "alembic", "textual"}
    heavy = {"database", "repository", "schema", "inputs", "transfer", "maintenance"}
    assert not loaded & {f"tracker.store.{name}" for name in heavy}


def test_reading_an_existing_file_loads_no_sqlalchemy(tmp_path: Path) -> None:
    import os

    db = str(tmp_path / "t.db")
    env = {**os.environ, "TZ": "UTC"}
    made = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", db, "settings", "weekly_goal", "3"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert made.returncode == 0, made.stderr[-2000:]
    for command in ("next", "progress", "history", "ladder"):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "tracker", "--db", db, command],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        loaded = {
            line.rsplit("|", 1)[1].strip().split(".")[0]
            for line in proc.stderr.splitlines()
            if "|" in line
        }
        assert not loaded & {"sqlalchemy", "sqlmodel", "alembic", "textual"}, command
