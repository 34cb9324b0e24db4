"""Backups: a daily copy on the first write of each day, the last 7 kept; `tracker backup`
while another process writes; `tracker check`."""

from __future__ import annotations

import json
import sqlite3
import stat
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.store.helpers import TIME, cli, finish, integrity, rows, start
from tracker.store.backup import DAILY_KEPT, backups_dir, daily_backup, daily_backups
from tracker.store.repository import Store

DAY_ONE = date(2026, 11, 1)


def at(day: date) -> str:
    return f"{day.isoformat()}T12:00:00+00:00"


def log(store: Store, note: str) -> None:
    store.add_attempt(
        {
            "challenge_id": store.challenge(TIME).id,
            "occurred_at": datetime.now(UTC),
            "outcome": "helped",
            "note": note,
        }
    )


def test_a_daily_copy_on_the_first_write_of_each_day_the_last_seven_kept(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_NOW", at(DAY_ONE))
    with Store.open(str(db_path)) as store:
        log(store, "day 0")
        log(store, "day 0 again")
    assert not backups_dir(db_path).exists(), "nothing to keep in a file just made"
    for n in range(1, 11):
        day = DAY_ONE + timedelta(days=n)
        monkeypatch.setenv("TRACKER_NOW", at(day))
        with Store.open(str(db_path)) as store:  # a new process, each day
            log(store, f"day {n}")
            log(store, f"day {n} again")
        copies = daily_backups(db_path)
        assert copies[-1].name == f"tracker-daily-{day.isoformat()}.db"
        notes = [note for _, note in rows(copies[-1], "attempt", "id, note")]
        assert notes[-1] == f"day {n - 1} again", "the copy is taken before the day's first write"
    copies = daily_backups(db_path)
    assert [c.name for c in copies] == [
        f"tracker-daily-{(DAY_ONE + timedelta(days=n)).isoformat()}.db" for n in range(4, 11)
    ]
    assert len(copies) == DAILY_KEPT
    assert stat.S_IMODE(backups_dir(db_path).stat().st_mode) == 0o700
    for copy in copies:
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert integrity(copy) == ["ok"]


def test_the_open_app_makes_its_copy_when_the_day_changes(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_NOW", at(DAY_ONE))
    Store.open(str(db_path)).close()
    with Store.open(str(db_path)) as store:
        log(store, "first")
        assert [c.name for c in daily_backups(db_path)] == ["tracker-daily-2026-11-01.db"]
        monkeypatch.setenv("TRACKER_NOW", at(DAY_ONE + timedelta(days=1)))
        log(store, "after midnight")
        assert len(daily_backups(db_path)) == 2


def test_a_failed_daily_copy_does_not_stop_a_write(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open(str(db_path)).close()
    backups_dir(db_path).write_text("a file where the folder would go")
    with Store.open(str(db_path)) as store:
        log(store, "still logged")
        assert store.attempts()[0].note == "still logged"


def test_unrelated_files_in_the_backups_folder_are_kept(db_path: Path) -> None:
    Store.open(str(db_path)).close()
    folder = backups_dir(db_path)
    folder.mkdir(mode=0o700)
    mine = folder / "my-notes.txt"
    mine.write_text("keep me")
    for n in range(DAILY_KEPT + 2):
        daily_backup(db_path, DAY_ONE + timedelta(days=n))
    assert mine.read_text() == "keep me"
    assert len(daily_backups(db_path)) == DAILY_KEPT


def test_backup_while_another_process_writes(db_path: Path, tmp_path: Path) -> None:
    """Each copy is one consistent moment: the first k writes, whole, in order."""
    Store.open(str(db_path)).close()
    total = 120
    writer = start("writer", db_path, total, "w")
    assert writer.stdout is not None
    assert writer.stdout.readline().startswith("ok ")  # it is writing now
    copies = []
    for n in range(3):
        if n == 1:
            code, _, err = cli("backup", str(tmp_path / "by-cli.db"), db=db_path)
            assert code == 0, err
            copies.append(tmp_path / "by-cli.db")
        else:
            from tracker.store.backup import backup_file

            copies.append(backup_file(db_path, tmp_path / f"copy-{n}.db"))
        time.sleep(0.2)
    finish(writer)

    counts = []
    for copy in copies:
        assert integrity(copy) == ["ok"]
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        stored = rows(copy, "attempt", "id, note")
        assert [note for _, note in stored] == [f"w-{n}" for n in range(len(stored))]
        assert [i for i, _ in stored] == list(range(1, len(stored) + 1))
        with Store.open(str(copy)) as store:
            assert store.count_attempts() == len(stored)
        counts.append(len(stored))
    assert 0 < counts[0] < total, "the first copy was taken while writes went on"
    assert counts == sorted(counts)


def test_tracker_check_on_a_healthy_file(db_path: Path) -> None:
    Store.open(str(db_path)).close()
    code, out, _ = cli("check", db=db_path)
    assert code == 0 and "healthy" in out and str(db_path) in out
    code, out, _ = cli("check", "--json", db=db_path)
    assert code == 0
    assert json.loads(out) == {
        "ok": True,
        "integrity": [],
        "foreign_keys": [],
        "summary": [],
        "path": str(db_path),
    }


def test_tracker_check_finds_an_attempt_pointing_at_no_challenge(db_path: Path) -> None:
    Store.open(str(db_path)).close()
    conn = sqlite3.connect(db_path)  # foreign keys are off on a plain connection
    conn.execute(
        "INSERT INTO attempt (challenge_id, occurred_at, outcome, strategies) "
        "VALUES (9999, '2026-11-01 10:00:00.000000', 'helped', '')"
    )
    conn.commit()
    conn.close()
    code, out, _ = cli("check", "--json", db=db_path)
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["integrity"] == []
    assert report["foreign_keys"] == [{"table": "attempt", "rowid": 1, "parent": "challenge"}]
    code, out, _ = cli("check", db=db_path)
    assert code == 1 and "attempt row 1 points at a missing challenge" in out
    assert str(backups_dir(db_path)) in out


def test_tracker_check_refuses_what_it_cannot_check(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database")
    code, _, err = cli("check", db=notes)
    assert code == 1 and "not a tracker database" in err
    code, _, err = cli("check", db=tmp_path / "missing.db")
    assert code == 0 and err.startswith("note: ") and "nothing is saved" in err
    assert not (tmp_path / "missing.db").exists()
