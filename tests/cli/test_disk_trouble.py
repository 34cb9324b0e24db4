"""A full disk, a read-only file system and a file the user may not open are told
apart from damage: each says what happened and that nothing was saved, never to restore a
backup, and reading keeps working where it can (issue 8, item 8).

These run on a real, tiny tmpfs (and as the unprivileged `nobody` for permissions), since
CI runs as root, where permission checks prove nothing. They skip, saying why, where this
machine cannot mount or switch user.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Result, Run

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="tmpfs mounts are Linux's")

#: Words that would send someone to throw away every write since their last backup.
RESTORE_ADVICE = ("damaged", "backup over it", "copy your latest backup")
NOBODY = 65534


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a 1 MiB file system of its own."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    done = _mount("-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(folder))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> None:
    """Use every free byte of `folder`'s file system."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as e:
        assert e.errno == errno.ENOSPC
    finally:
        os.close(fd)


def read_only(folder: Path) -> None:
    done = _mount("-o", "remount,ro", str(folder))
    assert done.returncode == 0, done.stderr


def no_restore_advice(result: Result) -> None:
    lowered = result.err.lower()
    assert not any(words in lowered for words in RESTORE_ADVICE), result.err
    assert "Traceback" not in result.err
    assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err


@pytest.fixture
def filled(disk: Path, run: Run) -> Path:
    """A database with two asks on `disk`, closed cleanly (no -wal or -shm left)."""
    db = disk / "tracker.db"
    for _ in range(2):
        assert run("--db", str(db), "log", "1", "--outcome", "helped").code == 0
    closed_cleanly(db)
    return db


def closed_cleanly(db: Path) -> None:
    """Leave `db` as the last writer leaves it: no -wal or -shm (a read-only reader
    cannot remove the empty ones it made)."""
    wal, shm = Path(f"{db}-wal"), Path(f"{db}-shm")
    assert not wal.exists() or wal.stat().st_size == 0
    wal.unlink(missing_ok=True)
    shm.unlink(missing_ok=True)


READS = [("next",), ("history",), ("progress",), ("ladder",), ("export",), ("next", "--json")]


def test_a_log_on_a_full_disk_says_the_disk_is_full_and_nothing_was_saved(
    filled: Path, run: Run
) -> None:
    fill(filled.parent)
    result = run("--db", str(filled), "log", "1", "--outcome", "partly")
    assert result.code == 1
    no_restore_advice(result)
    assert "disk is full" in result.err and "nothing was saved" in result.err


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_reads_keep_working_on_a_full_disk(filled: Path, run: Run, args: tuple[str, ...]) -> None:
    before = run("--db", str(filled), *args)
    assert before.code == 0, before.err
    closed_cleanly(filled)
    fill(filled.parent)
    after = run("--db", str(filled), *args)
    assert (after.code, after.out, after.err) == (0, before.out, before.err)


def test_check_on_a_full_disk_finds_the_file_healthy(filled: Path, run: Run) -> None:
    fill(filled.parent)
    result = run("--db", str(filled), "check")
    assert result.code == 0, result.err
    assert "healthy" in result.out


def tracker_files(folder: Path) -> list[str]:
    """What is in `folder`, but for SQLite's own -wal and -shm (which any reader makes)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm")))


def test_a_backup_to_a_full_disk_says_so_and_leaves_nothing(filled: Path, run: Run) -> None:
    fill(filled.parent)
    before = tracker_files(filled.parent)
    result = run("--db", str(filled), "backup", str(filled.parent / "copy.db"))
    assert result.code == 1
    no_restore_advice(result)
    assert "disk is full" in result.err
    assert tracker_files(filled.parent) == before


def test_an_export_to_a_full_disk_keeps_the_old_export(filled: Path, run: Run) -> None:
    target = filled.parent / "export.json"
    assert run("--db", str(filled), "export", "-o", str(target)).code == 0
    old = target.read_bytes()
    assert run("--db", str(filled), "log", "2", "--outcome", "helped").code == 0
    closed_cleanly(filled)
    fill(filled.parent)
    before = tracker_files(filled.parent)
    result = run("--db", str(filled), "export", "-o", str(target))
    assert result.code == 1
    no_restore_advice(result)
    assert "disk is full" in result.err
    assert target.read_bytes() == old
    assert tracker_files(filled.parent) == before


def test_a_log_on_a_read_only_file_system_says_so(filled: Path, run: Run) -> None:
    read_only(filled.parent)
    result = run("--db", str(filled), "log", "1", "--outcome", "partly")
    assert result.code == 1
    no_restore_advice(result)
    assert "read-only" in result.err and "nothing was saved" in result.err


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_reads_keep_working_on_a_read_only_file_system(
    filled: Path, run: Run, args: tuple[str, ...]
) -> None:
    before = run("--db", str(filled), *args)
    assert before.code == 0, before.err
    closed_cleanly(filled)
    read_only(filled.parent)
    after = run("--db", str(filled), *args)
    assert (after.code, after.out, after.err) == (0, before.out, before.err)


# Permissions, as a user who is not root.


def as_nobody(run: Run, db: Path, *args: str) -> Result:
    """`tracker --db DB ARGS...` run in a child of this process that has become the
    unprivileged user `nobody` (a fork, so the child needs no access to this Python's
    own files: the command runs once as root first, on a copy, to load every module it
    uses)."""
    if os.geteuid() != 0:
        pytest.skip("becoming the user nobody needs root")
    with tempfile.TemporaryDirectory() as spare:  # loads the modules: the same command
        shutil.copy(db, Path(spare) / db.name)  # as root, on a copy
        run("--db", str(Path(spare) / db.name), *args)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: become nobody, run, send the result back, never return
        code = 70
        try:
            os.close(reader)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            result = run("--db", str(db), *args)
            payload = json.dumps([result.code, result.out, result.err]).encode()
            os.write(writer, payload)
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    with os.fdopen(reader, "rb") as f:
        payload = f.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the child running as nobody failed"
    code, out, err = json.loads(payload)
    return Result(code, out, err)


@pytest.fixture
def shared(run: Run) -> Iterator[Path]:
    """A database with one ask, in a folder anyone may enter and list but only root
    may write (outside pytest's own 0700 folder, so nobody can reach it)."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-shared-"))
    try:
        os.chmod(folder, 0o755)
        db = folder / "tracker.db"
        assert run("--db", str(db), "log", "1", "--outcome", "helped").code == 0
        yield db
    finally:
        shutil.rmtree(folder)


def test_a_file_nobody_may_read_is_permission_denied_not_damage(shared: Path, run: Run) -> None:
    os.chmod(shared, 0o600)
    result = as_nobody(run, shared, "next")
    assert result.code == 1
    no_restore_advice(result)
    assert "permission denied" in result.err.lower()


def test_a_file_nobody_may_not_write_says_so_and_nothing_was_saved(shared: Path, run: Run) -> None:
    os.chmod(shared, 0o644)
    before = shared.read_bytes()
    result = as_nobody(run, shared, "log", "1", "--outcome", "partly")
    assert result.code == 1
    no_restore_advice(result)
    assert "nothing was saved" in result.err
    assert "permission denied" in result.err.lower()
    assert shared.read_bytes() == before


def test_the_app_s_store_reads_on_a_full_disk_and_writes_again_once_there_is_room(
    filled: Path,
) -> None:
    from tracker.store.errors import UnusableDatabase
    from tracker.store.repository import Store

    fill(filled.parent)
    with Store.open(str(filled)) as store:  # as the app keeps it open
        assert len(store.attempts()) == 2
        ask = {
            "challenge_id": store.challenges()[0].id,
            "occurred_at": store.attempts()[0].occurred_at,
        }
        with pytest.raises(UnusableDatabase, match="disk is full; nothing was saved"):
            store.add_attempt(ask)
        assert len(store.attempts()) == 2
        (filled.parent / "filler").unlink()
        store.add_attempt(ask)
        assert len(store.attempts()) == 3
    with Store.open(str(filled)) as again:
        assert len(again.attempts()) == 3


def test_only_wrong_bytes_or_tables_are_called_damage(tmp_path: Path) -> None:
    import sqlite3

    from tracker.store.errors import DamagedDatabase, database_error

    path = tmp_path / "tracker.db"
    path.touch()
    for words in ("database disk image is malformed", "file is not a database",
                  "no such table: attempt"):  # fmt: skip
        assert isinstance(database_error(sqlite3.DatabaseError(words), "x", path), DamagedDatabase)
    for words in ("disk I/O error", "interrupted", "out of memory"):
        error = database_error(sqlite3.OperationalError(words), "x", path)
        assert not isinstance(error, DamagedDatabase), words
        assert "nothing was saved" in str(error) and "backup" not in str(error)
