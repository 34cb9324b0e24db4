"""Shared by the storage tests: start driver processes, look inside database files."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Mapping
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from tests.conftest import FIXED_NOW

DRIVER = Path(__file__).with_name("driver.py")
ROOT = Path(__file__).resolve().parents[2]
TIME = "ask-a-stranger-the-time"
CLERK = "ask-a-store-clerk-where-something-is"


def env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "TRACKER_NOW": FIXED_NOW, "TZ": "UTC", **(extra or {})}


def start(mode: str, db: Path, *args: object) -> subprocess.Popen[str]:
    """A driver process (tests/store/driver.py) with its stdout piped."""
    return subprocess.Popen(
        [sys.executable, str(DRIVER), mode, str(db), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
        cwd=ROOT,
    )


def finish(proc: subprocess.Popen[str], timeout: float = 60) -> str:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    return out


def cli(*args: str, db: Path | None = None, now: str = FIXED_NOW) -> tuple[int, str, str]:
    """`tracker ARGS` in this process through cli.main, as the console script runs it."""
    from tracker.cli import main

    argv = (["--db", str(db)] if db else []) + list(args)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    saved = os.environ.get("TRACKER_NOW")
    os.environ["TRACKER_NOW"] = now
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main(argv)
            except SystemExit as e:
                code = int(e.code or 0) if not isinstance(e.code, str) else 1
    finally:
        if saved is None:
            del os.environ["TRACKER_NOW"]
        else:
            os.environ["TRACKER_NOW"] = saved
    return code, out.getvalue(), err.getvalue()


def raw(path: Path) -> sqlite3.Connection:
    """A read-only connection that cannot change the file."""
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)


def rows(path: Path, table: str, columns: str = "*") -> list[tuple[Any, ...]]:
    conn = raw(path)
    try:
        return conn.execute(f"SELECT {columns} FROM {table} ORDER BY 1").fetchall()
    finally:
        conn.close()


def integrity(path: Path) -> list[str]:
    conn = raw(path)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as e:
        return [str(e)]
    finally:
        conn.close()


def settle(path: Path) -> None:
    """Fold the -wal file into the database, so its bytes are all in one file."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def table_leaf_pages(path: Path, marker: bytes) -> list[int]:
    """Numbers (from 0) of the table-leaf pages whose cells hold `marker`."""
    data = path.read_bytes()
    size = int.from_bytes(data[16:18], "big") or 65536
    found = []
    for number in range(1, len(data) // size):  # page 0 also holds the file header
        page = data[number * size : (number + 1) * size]
        if page[0] == 0x0D and marker in page:
            found.append(number)
    return found


def damage_page(path: Path, number: int) -> None:
    """Overwrite a page's b-tree header, cell pointers and some of its cells."""
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big") or 65536
    start = number * size
    data[start : start + 64] = b"\xa5" * 64
    middle = start + size // 2
    data[middle : middle + 200] = b"\x5a" * 200
    path.write_bytes(bytes(data))
