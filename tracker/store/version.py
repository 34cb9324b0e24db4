"""How a tracker database file is recognised, and which schema this code writes.

Kept apart from the tables so that checking a file needs no database library.
"""

from __future__ import annotations

#: Written to the SQLite header (PRAGMA application_id) so a tracker file is known
#: before anything in it is read or changed: "TRKR".
APPLICATION_ID = 0x54524B52

#: The Alembic revision this code writes; a file at any other known revision is upgraded,
#: one at an unknown revision is from a newer tracker and is refused.
HEAD_REVISION = "0006"
KNOWN_REVISIONS = ("0001", "0002", "0006")
