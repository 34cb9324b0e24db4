"""Where the database is: only regular files are opened, names are literal, URLs are
checked as paths, and reading commands never create anything (issue 8, item 4)."""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.store.helpers import ROOT, cli, env, rows

READERS = [
    ("next",),
    ("ladder",),
    ("progress",),
    ("history",),
    ("export",),
    ("check",),
    ("next", "--json"),
    ("history", "--json"),
]


def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes | None]]:
    """Every entry under `folder`: its mode, size and (for files) bytes."""
    found: dict[str, tuple[int, int, bytes | None]] = {}
    for path in sorted(folder.rglob("*")):
        st = path.lstat()
        data = path.read_bytes() if stat.S_ISREG(st.st_mode) else None
        found[str(path.relative_to(folder))] = (st.st_mode, st.st_size, data)
    return found


def one_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def tracker_process(*args: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        capture_output=True,
        text=True,
        env=env(),
        cwd=ROOT,
        timeout=timeout,
    )


# -- reading commands create nothing -----------------------------------------------------


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_reading_a_database_not_made_yet_creates_nothing(tmp_path: Path, args: tuple[str]) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "tracker.db"
    code, out, err = cli(*args, db=missing)
    assert code == 0, err
    assert not (tmp_path / "no").exists()
    notes = err.strip().splitlines()
    assert len(notes) == 1 and notes[0].startswith("note: "), err
    assert str(missing) in notes[0] and "nothing is saved" in notes[0]
    assert "Traceback" not in out


def test_next_on_a_database_not_made_yet_answers_from_the_shipped_ladder(tmp_path: Path) -> None:
    made = tmp_path / "made.db"
    assert cli("settings", db=made)[0] == 0
    missing = tmp_path / "typo.db"
    code, out, _err = cli("next", "--json", db=missing)
    assert code == 0
    assert out == cli("next", "--json", db=made)[1]
    code, out, _err = cli("history", db=missing)
    assert code == 0 and "No attempts yet" in out
    assert not missing.exists()


def test_an_empty_file_is_read_as_nothing_saved_and_left_as_it_is(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    code, _out, err = cli("next", db=empty)
    assert code == 0 and err.startswith("note: ")
    assert empty.read_bytes() == b""


def test_writing_to_a_path_in_a_missing_folder_makes_no_folder(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "tracker.db"
    code, _out, err = cli("log", "ask-a-stranger-the-time", "--outcome", "helped", db=missing)
    assert code == 2
    assert str(missing.parent) in one_error(err)
    assert not (tmp_path / "no").exists()


def test_the_default_folder_is_made_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    code, _out, err = cli("log", "ask-a-stranger-the-time", "--outcome", "helped")
    assert code == 0, err
    folder = tmp_path / "xdg" / "tracker"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert (folder / "tracker.db").is_file()


# -- what is given as the database ---------------------------------------------------------


def test_an_empty_db_option_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    for args in (("--db", "", "next"), ("--db", "", "log", "x", "--outcome", "helped")):
        code, _out, err = cli(*args)
        assert code == 2
        assert "--db" in one_error(err)
    assert not (tmp_path / "xdg").exists()


@pytest.mark.parametrize(
    "url",
    [
        "sqlite+pysqlite:///{db}",
        "sqlite:///{db}?mode=rwc",
        "sqlite:///{db}?uri=true",
        "sqlite://",
        "sqlite:///:memory:",
        "file:{db}",
        "file://{db}",
        "mysql://user:secret@host/db",
        "postgres://user:secret@host/db",
        "http://example.com/x.db",
    ],
)
def test_only_paths_sqlite_urls_and_postgresql_are_accepted(tmp_path: Path, url: str) -> None:
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE mine (x)")
    conn.commit()
    conn.close()
    before = snapshot(tmp_path)
    given = url.format(db=foreign)
    for args in (("next",), ("log", "ask-a-stranger-the-time", "--outcome", "helped")):
        code, _out, err = cli("--db", given, *args)
        assert code == 2, (given, err)
        line = one_error(err)
        assert "secret" not in line
    assert snapshot(tmp_path) == before


def test_a_sqlite_url_names_the_same_file_as_its_path(tmp_path: Path) -> None:
    db = tmp_path / "a b.db"
    log = ("log", "ask-a-stranger-the-time", "--outcome", "helped")
    assert cli("--db", f"sqlite:///{db}", *log)[0] == 0
    # Percent-escapes mean what they mean in any SQLAlchemy URL.
    quoted = str(db).replace(" ", "%20")
    assert cli("--db", f"sqlite:///{quoted}", *log)[0] == 0
    assert len(rows(db, "attempt")) == 2
    assert not any("%" in p.name for p in tmp_path.rglob("*"))


@pytest.mark.parametrize(
    "name", ["a?b.db", "a#b.db", "100%.db", "a%3Fb.db", "é 日本 🙂.db", " .db"]
)
def test_file_names_are_taken_literally(tmp_path: Path, name: str) -> None:
    db = tmp_path / name
    code, _out, err = cli("log", "ask-a-stranger-the-time", "--outcome", "helped", db=db)
    assert code == 0, err
    code, _out, err = cli("backup", db=db)
    assert code == 0, err
    code, _out, err = cli("check", db=db)
    assert code == 0, err
    names = {p.name for p in tmp_path.iterdir()}
    assert names <= {name, name + "-wal", name + "-shm", name + "-lock", "backups"}, names
    assert len(rows(db, "attempt")) == 1
    copies = list((tmp_path / "backups").iterdir())
    assert len(copies) == 1
    assert all(len(rows(c, "attempt")) <= 1 for c in copies)


def test_a_path_that_looks_like_a_scheme_is_a_path(tmp_path: Path) -> None:
    db = tmp_path / "notes:2026.db"
    code, _out, err = cli("log", "ask-a-stranger-the-time", "--outcome", "helped", db=db)
    assert code == 0, err
    assert len(rows(db, "attempt")) == 1


# -- anything but a regular file is refused, untouched ----------------------------------


def special_files(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.db"
    folder.mkdir()
    sock_path = tmp_path / "sock.db"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    sock.close()
    dangling = tmp_path / "dangling.db"
    dangling.symlink_to(tmp_path / "nowhere.db")
    return {"fifo": fifo, "folder": folder, "socket": sock_path, "dangling link": dangling}


@pytest.mark.parametrize(
    "args",
    [("next",), ("log", "ask-a-stranger-the-time", "--outcome", "helped"), ("check",), ("backup",)],
    ids=" ".join,
)
def test_fifos_sockets_folders_and_dangling_links_are_refused_untouched(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    specials = special_files(tmp_path)
    before = snapshot(tmp_path)
    for kind, path in specials.items():
        proc = tracker_process("--db", str(path), *args)  # a FIFO must not hang
        assert proc.returncode == 1, (kind, proc.stderr)
        assert str(path) in one_error(proc.stderr), kind
    assert snapshot(tmp_path) == before


def test_a_character_device_is_refused_and_not_replaced(tmp_path: Path) -> None:
    link = tmp_path / "null.db"
    link.symlink_to("/dev/null")
    for args in (("log", "ask-a-stranger-the-time", "--outcome", "helped"), ("next",)):
        proc = tracker_process("--db", str(link), *args)
        assert proc.returncode == 1, proc.stderr
        one_error(proc.stderr)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert link.is_symlink()
    if os.access("/dev", os.W_OK):  # as root: the device itself, named directly
        proc = tracker_process(
            "--db", "/dev/null", "log", "ask-a-stranger-the-time", "--outcome", "helped"
        )
        assert proc.returncode == 1, proc.stderr
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_symlink_to_a_tracker_file_is_used(tmp_path: Path) -> None:
    real = tmp_path / "real.db"
    assert cli("log", "ask-a-stranger-the-time", "--outcome", "helped", db=real)[0] == 0
    link = tmp_path / "link.db"
    link.symlink_to(real)
    code, out, _err = cli("history", "--json", db=link)
    assert code == 0 and out.count('"outcome"') == 1
