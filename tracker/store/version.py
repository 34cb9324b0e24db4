"""What marks a tracker database file, which schema this code writes, where its copies go.

A leaf module (it imports nothing of tracker's), so that checking a file, naming its
backups folder in a message or making a backup needs no database library.
"""

from __future__ import annotations

from pathlib import Path

#: Written to the SQLite header (PRAGMA application_id) so a tracker file is known
#: before anything in it is read or changed: "TRKR".
APPLICATION_ID = 0x54524B52

#: The Alembic revision this code writes; a file at any other known revision is upgraded,
#: one at an unknown revision is from a newer tracker and is refused.
HEAD_REVISION = "0005"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005")


def backups_dir(db_path: Path) -> Path:
    """The folder beside a database file where tracker keeps its copies of it."""
    return db_path.parent / "backups"
