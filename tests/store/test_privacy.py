"""Privacy: private files and folders, forgetting for good, no user text in errors or logs,
no network code."""

from __future__ import annotations

import ast
import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from tests.conftest import Run
from tests.store.helpers import ROOT, TIME, cli
from tracker.store.backup import backups_dir
from tracker.store.errors import InvalidInput
from tracker.store.repository import Store, attempt_t
from tracker.store.seed import builtin_challenges, retired_slugs
from tracker.store.transfer import import_all

MARKER = "Zq7-private-marker-Xw3"


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask, so only tracker's own modes can make files private."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def log(store: Store, **fields: object) -> int:
    values = {
        "challenge_id": store.challenge(TIME).id,
        "occurred_at": datetime.now(UTC),
        "outcome": "helped",
    }
    return store.add_attempt(values | fields).id


def test_files_are_0600_and_folders_0700_whatever_the_umask(
    tmp_path: Path, open_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tracker makes folders only for its default file (in the user data folder).
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "made" / "by"))
    db = tmp_path / "made" / "by" / "tracker" / "tracker.db"
    monkeypatch.setenv("TRACKER_NOW", "2026-11-01T10:00:00+00:00")
    with Store.open() as store:
        log(store)
        for name in ("tracker.db", "tracker.db-wal", "tracker.db-shm"):
            assert mode(db.parent / name) == 0o600, name  # while it is open
    for folder in (tmp_path / "made", tmp_path / "made" / "by", db.parent):
        assert mode(folder) == 0o700, folder
    with Store.open() as again:
        assert again.location.path == db
    monkeypatch.setenv("TRACKER_NOW", "2026-11-02T10:00:00+00:00")
    with Store.open(str(db)) as store:
        log(store)  # the first write of a new day: a daily copy
    code, _, err = cli("backup", db=db)
    assert code == 0, err
    export = tmp_path / "export.json"
    for args in (
        ("export", "-o", str(export)),
        ("export", "--format", "csv", "-o", f"{export}.csv"),
    ):
        code, _, err = cli(*args, db=db)
        assert code == 0, err
    assert mode(backups_dir(db)) == 0o700
    copies = list(backups_dir(db).iterdir())
    assert {c.name.split("-")[1] for c in copies} == {"daily", "20261122"}
    for made in [*copies, export, Path(f"{export}.csv"), *db.parent.glob("tracker.db*")]:
        assert mode(made) == 0o600, made


def raw_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under the database's folder, by name: the file, -wal, -shm, backups."""
    return {str(p): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def holding(marker: str, folder: Path) -> list[str]:
    return [name for name, data in raw_bytes(folder).items() if marker.encode() in data]


def fill_with_private_text(db: Path) -> None:
    """Attempts and a custom challenge holding MARKER, a moved and an archived built-in
    challenge, and a daily copy holding it too."""
    for when in ("2026-11-21T10:00:00+00:00", "2026-11-22T10:00:00+00:00"):
        code, _, err = cli(
            "log", TIME, "--outcome", "declined", "--when", "1 hour ago",
            "--note", f"{MARKER} note", "--feared", f"{MARKER} feared",
            "--learned", f"{MARKER} learned", "--who", f"{MARKER} who",
            db=db, now=when,
        )  # fmt: skip
        assert code == 0, err
    for args in (
        ("challenge", "add", f"Ask {MARKER} for a lift", "--rung", "3"),
        ("challenge", "edit", TIME, "--rung", "6"),
        ("challenge", "archive", "ask-for-a-raise"),
    ):
        code, _, err = cli(*args, db=db)
        assert code == 0, err


def test_forget_all_leaves_no_trace_in_the_file_its_journal_or_the_backups(
    run: Run, db_path: Path
) -> None:
    fill_with_private_text(db_path)
    assert holding(MARKER, db_path.parent), "the test must see the text before"
    assert any("daily" in name for name in holding(MARKER, db_path.parent))

    result = run("forget", "--all", "--yes")
    assert result.code == 0, result.err
    assert "Forgot 2 attempts and 1 custom challenge" in result.out

    assert holding(MARKER, db_path.parent) == []
    with Store.open(str(db_path)) as store:
        assert store.attempts() == [] and store.count_attempts() == 0
        shipped = {c.slug: (c.title, c.rung, c.context) for c in builtin_challenges()}
        now = {c.slug: (c.title, c.rung, c.context) for c in store.challenges()}
        assert now == shipped, "the ladder is as shipped: moved back, custom ones gone"
        # Only the retired crisis challenge stays archived: forgetting never brings it back.
        assert {c.slug for c in store.challenges() if c.archived} == retired_slugs()


def test_forget_needs_yes(db_path: Path) -> None:
    fill_with_private_text(db_path)
    before = raw_bytes(db_path.parent)
    for args in (("forget", "--all"), ("forget",), ("forget", "--yes")):
        code, out, err = cli(*args, db=db_path)
        assert code == 2 and err.startswith("error: ") and out == ""
    code, _, err = cli("forget", "--all", db=db_path)
    assert "--yes" in err and "for good" in err
    assert raw_bytes(db_path.parent) == before


def test_forget_says_when_another_program_keeps_old_text_in_the_journal(
    db_path: Path,
) -> None:
    fill_with_private_text(db_path)
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM attempt").fetchone()  # an open app's snapshot
    try:
        code, out, err = cli("forget", "--all", "--yes", db=db_path)
        assert code == 1 and "close it" in err and "Forgot 2 attempts" in out
    finally:
        reader.close()
    code, out, err = cli("forget", "--all", "--yes", db=db_path)
    assert code == 0, err
    assert holding(MARKER, db_path.parent) == []


def test_database_errors_carry_no_user_text(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    with Store.open(str(db_path)) as store:
        attempt = store.attempt(log(store, note=MARKER, feared=MARKER))
        with pytest.raises(InvalidInput) as duplicate:  # UNIQUE constraint on the id
            same_id = {"id": attempt.id, "challenge_id": 1, "note": MARKER}
            store.write(
                lambda conn: conn.execute(
                    insert(attempt_t).values(same_id | {"occurred_at": datetime.now(UTC)})
                )
            )
        values = {"challenge_id": 1, "occurred_at": datetime.now(UTC), "note": MARKER}
        # a CHECK constraint, past validation
        with pytest.raises(IntegrityError) as check, store.engine.begin() as conn:
            conn.execute(insert(attempt_t).values(values | {"predicted": 500}))
        with pytest.raises(InvalidInput) as overflow:  # a value the driver refuses
            past_9999 = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-2)))
            import_all(store, [], [(TIME, {"occurred_at": past_9999, "note": MARKER})], {})
    assert "INSERT INTO attempt" in caplog.text, "the engine's log was on"
    for text in (str(duplicate.value), str(check.value), str(overflow.value), caplog.text):
        assert MARKER not in text


NETWORK_MODULES = {
    "socket", "ssl", "http", "urllib", "urllib3", "requests", "httpx", "aiohttp",
    "ftplib", "smtplib", "poplib", "imaplib", "telnetlib", "xmlrpc", "websocket",
    "websockets", "socketserver", "asyncio.streams", "webbrowser",
}  # fmt: skip


def test_there_is_no_network_code() -> None:
    found = []
    for source in sorted((ROOT / "tracker").rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names = [node.value] if node.value in NETWORK_MODULES else []  # import_module
            for name in names:
                if name in NETWORK_MODULES or name.split(".")[0] in NETWORK_MODULES:
                    line = getattr(node, "lineno", 0)
                    found.append(f"{source.relative_to(ROOT)}:{line}: {name}")
    assert found == []
