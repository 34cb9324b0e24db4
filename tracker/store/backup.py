"""Consistent copies of a database file, made with SQLite's online backup API.

Copies are 0600, made under a temporary name and renamed into place
(files.write_private_file), so a copy that exists is whole; tracker's own backups
folder beside the database is made 0700 when missing. Besides `tracker backup` and
the copy before a schema upgrade, the first write of each day keeps a daily copy in
`backups/` beside the database; the last DAILY_KEPT of them are kept.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import suppress
from datetime import UTC, date, datetime
from pathlib import Path

from tracker.store.errors import AlreadyExists, cannot_write
from tracker.store.files import (
    PARTIAL_SUFFIX,
    connect_read_only,
    make_private_dir,
    remove_stale_partials,
    write_private_file,
)
from tracker.store.version import backups_dir as backups_dir  # where copies go, for callers

DAILY_KEPT = 7


def backup_file(source: Path, dest: Path) -> Path:
    """Copy `source` to `dest` (0600) while others may be reading or writing it.

    The copy is one consistent snapshot, in rollback-journal mode so it is a single
    file, written through files.write_private_file: `dest` must not exist, its folder
    must, and a failed copy leaves nothing behind. Raises CannotWrite or AlreadyExists.
    """

    def fill(tmp: Path) -> None:
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

    return write_private_file(dest, fill)


def own_backups_dir(db_path: Path) -> Path:
    """The backups folder beside `db_path`, made (0700) if missing: tracker's own folder."""
    folder = backups_dir(db_path)
    try:
        make_private_dir(folder)
    except OSError as e:
        raise cannot_write(folder, e) from None
    return folder


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
    own_backups_dir(db_path)
    remove_stale_partials(folder)
    try:
        backup_file(db_path, dest)
    except AlreadyExists:  # another process made it just now
        return None
    for old in daily_backups(db_path)[:-keep]:
        with suppress(FileNotFoundError):
            old.unlink()
    return dest


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
    dest = own_backups_dir(db_path) / f"{db_path.stem}-before-upgrade-{revision}-{stamp}.db"
    remove_stale_partials(dest.parent)
    return backup_file(db_path, dest)
