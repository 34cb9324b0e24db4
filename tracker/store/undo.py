"""The last deletion, kept in the database so that any process can undo it later.

Deleting an attempt (the app's d, `tracker delete`) writes the attempt as it was, and
the climbs its deletion released, to the one-row `undo` table in the same transaction;
an undo (the app's u, `tracker undo`) puts both back and empties the table. `forget`
empties it too, so a forgotten ask cannot come back through it. SQLAlchemy is imported
inside the functions (the reader imports nothing of this module).
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tracker.domain.models import Attempt, Channel, Outcome, Strategy
from tracker.store.rows import stored_time, utc

if TYPE_CHECKING:
    from sqlalchemy import Connection

#: The times in an attempt, written as ISO text in UTC.
_TIMES = ("occurred_at", "planned_for")


def encode(attempt: Attempt, climbs: dict[int, datetime]) -> str:
    """An attempt and the climbs it held, as the JSON the `undo` row keeps."""
    record: dict[str, Any] = {}
    for f in fields(Attempt):
        value = getattr(attempt, f.name)
        if f.name in _TIMES and value is not None:
            value = utc(value).isoformat()
        elif f.name == "strategies":
            value = [s.value for s in value]
        elif f.name in ("outcome", "channel") and value is not None:
            value = value.value
        record[f.name] = value
    held = [[rung, utc(at).isoformat()] for rung, at in sorted(climbs.items())]
    return json.dumps({"attempt": record, "climbs": held}, separators=(",", ":"))


def decode(text: str) -> tuple[Attempt, dict[int, datetime]]:
    """The attempt and climbs `encode` wrote."""
    doc = json.loads(text)
    record = dict(doc["attempt"])
    for name in _TIMES:
        if record.get(name) is not None:
            record[name] = utc(record[name])
    record["strategies"] = tuple(Strategy(s) for s in record.get("strategies", ()))
    if record.get("outcome") is not None:
        record["outcome"] = Outcome(record["outcome"])
    if record.get("channel") is not None:
        record["channel"] = Channel(record["channel"])
    known = {f.name for f in fields(Attempt)}
    attempt = Attempt(**{k: v for k, v in record.items() if k in known})
    return attempt, {int(rung): utc(at) for rung, at in doc.get("climbs", [])}


def released_climbs(conn: Connection, attempt: Attempt) -> dict[int, datetime]:
    """The remembered climbs made at `attempt`'s moment (those deleting it releases)."""
    from sqlalchemy import text  # SQLAlchemy: the reader imports this module

    rows = conn.execute(
        text("SELECT rung, climbed_at FROM rung_climb WHERE climbed_at = :at"),
        {"at": stored_time(attempt.occurred_at)},
    ).all()
    return {int(rung): utc(at) for rung, at in rows}


def keep(conn: Connection, attempt: Attempt, climbs: dict[int, datetime], now: datetime) -> None:
    """Keep `attempt` as the last deletion, in place of any before it."""
    from sqlalchemy import text  # SQLAlchemy: the reader imports this module

    clear(conn)
    conn.execute(
        text("INSERT INTO undo (id, deleted_at, attempt) VALUES (1, :at, :attempt)"),
        {"at": stored_time(now), "attempt": encode(attempt, climbs)},
    )


def last(conn: Connection) -> tuple[Attempt, dict[int, datetime]] | None:
    """The last deletion, or None when there is nothing to undo."""
    from sqlalchemy import text  # SQLAlchemy: the reader imports this module

    row = conn.execute(text("SELECT attempt FROM undo WHERE id = 1")).first()
    return None if row is None else decode(str(row[0]))


def clear(conn: Connection) -> None:
    from sqlalchemy import text  # SQLAlchemy: the reader imports this module

    conn.execute(text("DELETE FROM undo"))
