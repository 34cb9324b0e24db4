"""Connecting to PostgreSQL: plain errors that never show a password; libpq's own
PGPASSWORD and ~/.pgpass work."""

from __future__ import annotations

import socket
from pathlib import Path

import psycopg
import pytest

from tests.conftest import Run
from tests.postgres import Server
from tracker.store.url import hide_password, is_server_url, libpq_url, sqlalchemy_url

SECRET = "s3cret-Pa55word"
ROLE = "tracker_pw"


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when this returns: nothing listens


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://me:pw@host/db", "postgresql://me:***@host/db"),
        ("postgresql+psycopg://me:p%40w@host:5/db", "postgresql+psycopg://me:***@host:5/db"),
        ("postgresql://me@host/db?password=pw&sslmode=require", "password=***&sslmode"),
        ("postgresql://host/db", "postgresql://host/db"),
    ],
)
def test_a_password_is_never_shown(url: str, shown: str) -> None:
    assert shown in hide_password(url) and "pw" not in hide_password(url).replace("pwd", "")


def test_server_urls_are_told_from_files_and_always_use_psycopg_3() -> None:
    assert is_server_url("postgresql://h/d") and is_server_url("postgresql+psycopg://h/d")
    assert not is_server_url("/tmp/postgresql://x") and not is_server_url("sqlite:///x.db")
    assert sqlalchemy_url("postgresql://h/d") == "postgresql+psycopg://h/d"
    assert libpq_url("postgresql+psycopg://h/d") == "postgresql://h/d"


def test_a_refused_connection_says_so_and_hides_the_password(run: Run) -> None:
    port = closed_port()
    for command in (["next"], ["log", "ask-a-stranger-the-time", "--outcome", "helped"]):
        result = run("--db", f"postgresql://me:{SECRET}@127.0.0.1:{port}/tracker", *command)
        assert result.code == 1, result
        assert result.err.startswith(f"error: could not connect to 127.0.0.1:{port}: ")
        assert "connection refused" in result.err
        assert len(result.err.strip().splitlines()) == 1
        assert SECRET not in result.err + result.out and "upgrade" not in result.err


@pytest.fixture
def password_db(pg_server: Server) -> str:
    """A database owned by a role that must give a password (the URL has none)."""
    if pg_server.base_url:
        pytest.skip("needs the suite's own server, to require a password for one role")
    hba = pg_server.root / "data" / "pg_hba.conf"
    rule = f"host all {ROLE} 127.0.0.1/32 scram-sha-256\n"
    text = hba.read_text()
    admin = pg_server.url("postgres")
    if rule not in text:
        hba.write_text(rule + text)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("SELECT pg_reload_conf()")
    url = pg_server.new_database()
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,)).fetchone()
        if not exists:
            conn.execute(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{SECRET}'")
        conn.execute(f'ALTER DATABASE "{name}" OWNER TO {ROLE}')
    return f"postgresql://{ROLE}@127.0.0.1:{pg_server.port}/{name}"


def test_a_wrong_password_says_so_without_showing_it(run: Run, password_db: str) -> None:
    wrong = password_db.replace(f"{ROLE}@", f"{ROLE}:not-{SECRET}@")
    result = run("--db", wrong, "next")
    assert result.code == 1
    assert "could not connect to 127.0.0.1:" in result.err
    assert "password authentication failed" in result.err
    assert SECRET not in result.err and len(result.err.strip().splitlines()) == 1


def test_pgpassword_is_used(run: Run, password_db: str) -> None:
    assert run("--db", password_db, "next", env={"PGPASSWORD": ""}).code == 1
    result = run("--db", password_db, "next", "--json", env={"PGPASSWORD": SECRET})
    assert result.code == 0, result.err
    assert result.json()["challenge"]["rung"] == 1


def test_pgpass_is_used(run: Run, password_db: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    pgpass = home / ".pgpass"
    pgpass.write_text(f"127.0.0.1:*:*:{ROLE}:{SECRET}\n")
    pgpass.chmod(0o600)
    result = run("--db", password_db, "log", "ask-a-stranger-the-time", "--outcome", "helped")
    assert result.code == 0, result.err
    assert run("--db", password_db, "progress", "--json").json()["total_asks"] == 1


def test_without_psycopg_the_error_says_how_to_get_it(tmp_path: Path) -> None:
    """A machine without the postgres extra: one line naming the extra, exit 1."""
    import subprocess
    import sys

    from tests.store.helpers import ROOT, env

    code = (
        "import sys; sys.modules['psycopg'] = None; from tracker.cli import main; "
        "main(sys.argv[1:])"
    )
    for command in (["next"], ["log", "ask-a-stranger-the-time", "--outcome", "helped"]):
        proc = subprocess.run(
            [sys.executable, "-c", code, "--db", "postgresql://me@127.0.0.1/x", *command],
            capture_output=True, text=True, env=env(), cwd=ROOT, timeout=60,
        )  # fmt: skip
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr.startswith("error: a PostgreSQL database needs the psycopg driver")
        assert "tracker[postgres]" in proc.stderr and len(proc.stderr.splitlines()) == 1
