"""A damaged file is found before anything is written, refused in one line, left as it is.

The damage is real: bytes overwritten in the middle of the attempt table's pages (or in
the schema page), the way a failing disk or a stray write would leave them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.store.helpers import (
    ROOT,
    TIME,
    damage_page,
    env,
    integrity,
    settle,
    table_leaf_pages,
)
from tracker.store import files
from tracker.store.backup import backups_dir
from tracker.store.errors import DamagedDatabase
from tracker.store.maintenance import check_database
from tracker.store.repository import Store
from tracker.store.transfer import import_all

MARKER = "corruption-test-note"


def build(path: Path, attempts: int = 300) -> None:
    """A database whose attempt table spans many pages."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with Store.open(str(path)) as store:
        data = [
            (
                TIME,
                {
                    "occurred_at": start + timedelta(hours=n),
                    "outcome": "helped",
                    "note": f"{MARKER} {n} " + "x" * 150,
                },
            )
            for n in range(attempts)
        ]
        import_all(store, [], data, {})
    settle(path)


@pytest.fixture(scope="module")
def damaged_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A database with a page in the middle of the attempt table overwritten."""
    path = tmp_path_factory.mktemp("damaged") / "tracker.db"
    build(path)
    pages = table_leaf_pages(path, MARKER.encode())
    assert len(pages) > 5
    damage_page(path, pages[len(pages) // 2])
    return path.read_bytes()


@pytest.fixture
def damaged(db_path: Path, damaged_bytes: bytes) -> Path:
    db_path.parent.mkdir(mode=0o700, exist_ok=True)
    db_path.write_bytes(damaged_bytes)
    return db_path


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env(),
        cwd=ROOT,
        timeout=60,
    )


def test_the_damage_is_real(damaged: Path) -> None:
    assert integrity(damaged) != ["ok"]
    assert files.quick_check(damaged) != []


def test_tracker_log_refuses_a_damaged_file_in_one_line_and_leaves_it_as_it_was(
    damaged: Path,
) -> None:
    before = damaged.read_bytes()
    result = cli(damaged, "log", TIME, "--outcome", "helped")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and "Traceback" not in result.stderr
    assert str(damaged) in lines[0] and "damaged" in lines[0]
    assert str(backups_dir(damaged)) in lines[0], "it says where the backups are"
    assert result.stdout == ""
    assert damaged.read_bytes() == before
    assert not backups_dir(damaged).exists(), "no daily copy of a damaged file"


def test_tracker_check_reports_the_damage(damaged: Path) -> None:
    before = damaged.read_bytes()
    result = cli(damaged, "check", "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"ok", "integrity", "foreign_keys", "summary", "path"}
    assert report["ok"] is False and report["integrity"] and report["path"] == str(damaged)
    assert damaged.read_bytes() == before


def test_every_write_of_a_fresh_process_is_refused(damaged: Path) -> None:
    before = damaged.read_bytes()
    with Store.open(str(damaged)) as store:
        challenge = store.challenge(TIME)  # the challenge pages are fine
        with pytest.raises(DamagedDatabase, match="damaged"):
            store.add_attempt(
                {
                    "challenge_id": challenge.id,
                    "occurred_at": datetime.now(UTC),
                    "outcome": "helped",
                }
            )
        with pytest.raises(DamagedDatabase):
            store.update_settings({"weekly_goal": 4})
    assert damaged.read_bytes() == before


def test_check_quick_is_what_the_app_calls_when_it_opens(damaged: Path) -> None:
    with Store.open(str(damaged)) as store, pytest.raises(DamagedDatabase) as caught:
        store.check_quick()
    message = str(caught.value)
    assert str(damaged) in message and str(backups_dir(damaged)) in message


def test_check_quick_passes_a_healthy_file(db_path: Path) -> None:
    with Store.open(str(db_path)) as store:
        store.check_quick()


def test_reading_the_damaged_pages_is_a_damaged_database_error(damaged: Path) -> None:
    before = damaged.read_bytes()
    with Store.open(str(damaged)) as store, pytest.raises(DamagedDatabase, match="damaged"):
        store.attempts()
    assert damaged.read_bytes() == before


def test_damage_to_the_schema_page_is_refused_on_open(db_path: Path) -> None:
    build(db_path, attempts=5)
    data = bytearray(db_path.read_bytes())
    data[100:164] = b"\xa5" * 64  # the schema's b-tree page, after the file header
    db_path.write_bytes(bytes(data))
    before = db_path.read_bytes()
    with pytest.raises(DamagedDatabase) as caught:
        Store.open(str(db_path))
    assert str(db_path) in str(caught.value)
    assert not check_database(db_path).ok
    assert db_path.read_bytes() == before


def test_a_damaged_copy_in_another_journal_mode_is_not_switched_to_wal(
    db_path: Path, damaged_bytes: bytes
) -> None:
    """Opening turns a rollback-journal copy (a restored backup) into WAL, which writes to
    its header: a damaged one is refused before that."""
    import sqlite3

    db_path.parent.mkdir(mode=0o700, exist_ok=True)
    db_path.write_bytes(damaged_bytes)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(DamagedDatabase):
        Store.open(str(db_path))
    assert db_path.read_bytes() == before


def test_a_healthy_copy_in_another_journal_mode_is_put_in_wal(db_path: Path) -> None:
    import sqlite3

    build(db_path, attempts=3)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    with Store.open(str(db_path)) as store:
        assert len(store.attempts()) == 3
    assert db_path.read_bytes()[18:20] == b"\x02\x02"


def test_quick_check_runs_once_per_store_before_its_first_write(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    real = files.quick_check

    def counted(path: Path) -> list[str]:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(files, "quick_check", counted)
    Store.open(str(db_path)).close()  # new: nothing to check
    assert calls == []
    with Store.open(str(db_path)) as store:
        store.challenges()
        assert calls == [], "reads do not pay for it"
        for goal in (4, 5, 6):
            store.update_settings({"weekly_goal": goal})
        assert calls == [db_path]
