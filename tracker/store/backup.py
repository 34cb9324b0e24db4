"""Consistent copies of a database file, made with SQLite's online backup API.

Copies are 0600 in a 0700 folder, made under a temporary name and renamed into place,
so a copy that exists is whole. Besides `tracker backup` and the copy before a schema
upgrade, the first write of each day keeps a daily copy in `backups/` beside the
database; the last DAILY_KEPT of them are kept.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
import time
from contextlib import suppress
from datetime import UTC, date, datetime
from pathlib import Path

from tracker.store.files import connect_read_only, fsync_file, make_private_dir
from tracker.store.version import backups_dir as backups_dir  # where copies go, for callers

DAILY_KEPT = 7
#: A copy left half-made by a stopped process is removed once it is this old (seconds).
STALE_PARTIAL_AGE = 3600
PARTIAL_SUFFIX = ".partial"


def backup_file(source: Path, dest: Path) -> Path:
    """Copy `source` to `dest` (0600) while others may be reading or writing it.

    The copy is one consistent snapshot, in rollback-journal mode so it is a single file.
    """
    make_private_dir(dest.parent)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{dest.name}.", suffix=PARTIAL_SUFFIX, dir=dest.parent
    )  # 0600
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        src = connect_read_only(source)
        try:
            out = sqlite3.connect(tmp)
            try:
                src.backup(out)
                out.execute("PRAGMA journal_mode = DELETE")
            finally:
                out.close()
        finally:
            src.close()
        fsync_file(tmp)
        os.chmod(tmp, 0o600)
        os.replace(tmp, dest)
    finally:
        with suppress(FileNotFoundError):
            tmp.unlink()
    return dest


def daily_name(db_path: Path, day: date) -> str:
    return f"{db_path.stem}-daily-{day.isoformat()}.db"


def _daily_pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(re.escape(db_path.stem) + r"-daily-(\d{4}-\d{2}-\d{2})\.db")


def daily_backups(db_path: Path) -> list[Path]:
    """The daily copies of `db_path`, oldest first."""
    folder = backups_dir(db_path)
    pattern = _daily_pattern(db_path)
    try:
        names = [p.name for p in folder.iterdir()]
    except FileNotFoundError:
        return []
    return [folder / n for n in sorted(n for n in names if pattern.fullmatch(n))]


def daily_backup(db_path: Path, day: date, keep: int = DAILY_KEPT) -> Path | None:
    """Make today's copy unless it exists; keep the `keep` newest. Returns the new copy."""
    folder = backups_dir(db_path)
    dest = folder / daily_name(db_path, day)
    if dest.exists():
        return None
    backup_file(db_path, dest)
    for old in daily_backups(db_path)[:-keep]:
        with suppress(FileNotFoundError):
            old.unlink()
    _remove_stale_partials(folder)
    return dest


def _remove_stale_partials(folder: Path) -> None:
    """Half-made copies left by a process that was stopped while copying."""
    cutoff = time.time() - STALE_PARTIAL_AGE
    for leftover in folder.glob(f".*{PARTIAL_SUFFIX}"):
        with suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()


def own_backups(db_path: Path) -> list[Path]:
    """Every copy tracker made of `db_path` in its backups folder (daily, before an
    upgrade, and `tracker backup` without a destination)."""
    folder = backups_dir(db_path)
    stem = re.escape(db_path.stem)
    pattern = re.compile(
        stem + r"-(daily-\d{4}-\d{2}-\d{2}|before-upgrade-.+-\d{8}T\d{6}Z|\d{8}-\d{6})\.db"
        r"|\." + stem + r".*\.db\..*" + re.escape(PARTIAL_SUFFIX)
    )
    try:
        return sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name))
    except FileNotFoundError:
        return []


def backup_before_upgrade(db_path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = backups_dir(db_path) / f"{db_path.stem}-before-upgrade-{revision}-{stamp}.db"
    return backup_file(db_path, dest)
