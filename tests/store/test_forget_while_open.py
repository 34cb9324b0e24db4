"""`tracker forget --all` while another process has the database open is refused with
exit 1 and forgets nothing; and nothing read before a forget can bring forgotten data
back (the data generation that forget bumps)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW
from tests.store.helpers import TIME, cli, rows
from tracker.store import lock as lock_module
from tracker.store.errors import NotFound
from tracker.store.lock import hold, lock_path
from tracker.store.maintenance import forget_all
from tracker.store.reader import open_reader
from tracker.store.repository import Store

MARKER = "forget-me-4471"
AT = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)

HOLDER = """
import sys
from tracker.store.repository import Store
store = Store.open(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()
store.close()
"""


@pytest.fixture
def db(db_path: Path) -> Path:
    for _ in range(2):
        code, _, err = cli("log", TIME, "--outcome", "helped", "--note", MARKER, db=db_path)
        assert code == 0, err
    return db_path


@pytest.fixture
def holder(db: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process with a Store open on the file (as the app has)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TRACKER_NOW": FIXED_NOW, "TZ": "UTC"},
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
    yield proc
    if proc.poll() is None:
        proc.communicate("\n", timeout=30)


def forget(db: Path) -> tuple[int, str, str]:
    return cli("forget", "--all", "--yes", db=db)


def refused_and_kept(result: tuple[int, str, str], db: Path) -> None:
    code, out, err = result
    assert code == 1, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "open" in lines[0], err
    assert "nothing was forgotten" in lines[0] and out == ""
    assert len(rows(db, "attempt")) == 2, "nothing forgotten"


def test_forget_is_refused_while_another_process_has_the_file_open(
    db: Path, holder: subprocess.Popen[str]
) -> None:
    refused_and_kept(forget(db), db)
    holder.communicate("\n", timeout=30)
    code, _, err = forget(db)
    assert code == 0, err
    assert rows(db, "attempt") == []


def test_forget_is_refused_while_a_reader_is_open(db: Path) -> None:
    reader = open_reader(str(db))
    assert reader is not None
    with reader:
        refused_and_kept(forget(db), db)


def test_forget_is_refused_while_another_store_in_this_process_is_open(db: Path) -> None:
    with Store.open(str(db)):
        refused_and_kept(forget(db), db)


def test_an_open_waits_while_a_forget_holds_the_lock(db: Path) -> None:
    forgetting = hold(db)
    assert forgetting is not None and forgetting.exclusive()
    opened = threading.Event()

    def open_store() -> None:
        with Store.open(str(db)):
            opened.set()

    thread = threading.Thread(target=open_store)
    thread.start()
    time.sleep(0.5)
    assert not opened.is_set(), "the open waits for the forget to finish"
    forgetting.close()
    thread.join(timeout=30)
    assert opened.is_set()


def test_the_lock_file_is_private_and_reading_makes_none(db: Path, tmp_path: Path) -> None:
    import stat

    assert stat.S_IMODE(lock_path(db).stat().st_mode) == 0o600
    lock_path(db).unlink()
    code, _, err = cli("next", db=db)
    assert code == 0, err
    assert not lock_path(db).exists(), "a read-only command makes no file"


@pytest.fixture
def no_locks(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a file system without flock: nothing can tell that a file is open."""
    monkeypatch.setattr(lock_module, "hold", lambda *a, **k: None)
    monkeypatch.setattr("tracker.store.repository.hold", lambda *a, **k: None, raising=False)
    monkeypatch.setattr("tracker.store.reader.hold", lambda *a, **k: None, raising=False)


@pytest.mark.usefixtures("no_locks")
def test_an_undo_after_a_forget_brings_nothing_back(db: Path) -> None:
    with Store.open(str(db)) as app_store:  # what the open app holds
        deleted = app_store.delete_attempt(1)  # its undo record
        kept = app_store.attempt(2)  # shown in History, open in the edit form
        with Store.open(str(db)) as other:
            forget_all(other)
        with pytest.raises(NotFound, match="forgotten"):
            app_store.restore_attempt(deleted)
        # a new ask logged after the forget takes the old ids; a stale edit must not
        # write the forgotten text into it
        fresh = app_store.add_attempt(
            {"challenge_id": app_store.challenge(TIME).id, "occurred_at": AT, "note": "new"}
        )
        assert fresh.id in (1, 2)
        with pytest.raises(NotFound, match="forgotten"):
            app_store.update_attempt(fresh.id, {"note": kept.note})
        with pytest.raises(NotFound, match="forgotten"):
            app_store.delete_attempt(fresh.id)
    assert [r[0] for r in rows(db, "attempt", "note")] == ["new"]
    assert MARKER.encode() not in db.read_bytes()


def test_a_store_opened_after_the_forget_works_as_usual(db: Path) -> None:
    code, _, err = forget(db)
    assert code == 0, err
    with Store.open(str(db)) as store:
        attempt = store.add_attempt({"challenge_id": store.challenge(TIME).id, "occurred_at": AT})
        store.update_attempt(attempt.id, {"note": "fine"})
        store.restore_attempt(store.delete_attempt(attempt.id))
        assert store.attempt(attempt.id).note == "fine"
        assert store.settings().weekly_goal == 3, "the generation is not a setting"
