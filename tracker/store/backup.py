"""Consistent copies of a database file, made with SQLite's online backup API."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path


def backup_file(source: Path, dest: Path) -> Path:
    """Copy `source` to `dest` (0600) while others may be reading or writing it."""
    dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(dest, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(dest, 0o600)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
    try:
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode = DELETE")
        finally:
            out.close()
    finally:
        src.close()
    return dest


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup_before_upgrade(db_path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = backups_dir(db_path) / f"{db_path.stem}-before-upgrade-{revision}-{stamp}.db"
    return backup_file(db_path, dest)
