"""The last deletion, kept in the database so that any process can undo it later.

Deleting an attempt (the app's d, `tracker delete`) writes the attempt as it was, the
climbs its deletion released and its thank-you (which the deletion takes with it) to the
one-row `undo` table in the same transaction; an undo (the app's u, `tracker undo`) puts
them all back and empties the table. `forget`
empties it too, so a forgotten ask cannot come back through it. SQLAlchemy is imported
inside the functions (the reader imports nothing of this module).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tracker.domain.models import Attempt, Channel, Outcome, Strategy
from tracker.domain.people import ThankKind, Thanks
from tracker.store.rows import stored_time, utc

if TYPE_CHECKING:
    from sqlalchemy import Connection

#: The times in an attempt, written as ISO text in UTC.
_TIMES = ("occurred_at", "planned_for")


@dataclass(frozen=True, slots=True)
class Kept:
    """The last deletion: the attempt as it was, the climbs it held, its thank-you."""

    attempt: Attempt
    climbs: dict[int, datetime]
    thanks: Thanks | None = None


def encode(kept: Kept) -> str:
    """The last deletion as the JSON the `undo` row keeps."""
    attempt, climbs, thanks = kept.attempt, kept.climbs, kept.thanks
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
    doc: dict[str, Any] = {"attempt": record, "climbs": held}
    if thanks is not None:
        doc["thanks"] = [thanks.kind.value, utc(thanks.at).isoformat(), thanks.note]
    return json.dumps(doc, separators=(",", ":"))


def decode(text: str) -> Kept:
    """The deletion `encode` wrote (a row written before thank-yous were kept has none)."""
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
    climbs = {int(rung): utc(at) for rung, at in doc.get("climbs", [])}
    thanks = None
    if doc.get("thanks") is not None:
        kind, at, note = doc["thanks"]
        thanks = Thanks(attempt.id, ThankKind(kind), utc(at), note)
    return Kept(attempt, climbs, thanks)


def deleting(conn: Connection, attempt: Attempt) -> Kept:
    """What deleting `attempt` takes away with it: its climbs and its thank-you."""
    from sqlalchemy import text  # SQLAlchemy: the reader imports this module

    row = conn.execute(
        text("SELECT kind, at, note FROM thank WHERE attempt_id = :id"), {"id": attempt.id}
    ).first()
    thanks = None if row is None else Thanks(attempt.id, ThankKind(row[0]), utc(row[1]), row[2])
    return Kept(attempt, released_climbs(conn, attempt), thanks)


def put_back_thanks(conn: Connection, kept: Kept, attempt_id: int) -> None:
    """Put the deletion's thank-you back, on `attempt_id` (the id the attempt came back
    under)."""
    from sqlalchemy import text  # SQLAlchemy: the reader imports this module

    if kept.thanks is None:
        return
    thanks = replace(kept.thanks, attempt_id=attempt_id)
    conn.execute(
        text("INSERT INTO thank (attempt_id, kind, at, note) VALUES (:id, :kind, :at, :note)"),
        {
            "id": thanks.attempt_id,
            "kind": thanks.kind.value,
            "at": stored_time(thanks.at),
            "note": thanks.note,
        },
    )


def released_climbs(conn: Connection, attempt: Attempt) -> dict[int, datetime]:
    """The remembered climbs made at `attempt`'s moment (those deleting it releases)."""
    from sqlalchemy import text  # SQLAlchemy: the reader imports this module

    rows = conn.execute(
        text("SELECT rung, climbed_at FROM rung_climb WHERE climbed_at = :at"),
        {"at": stored_time(attempt.occurred_at)},
    ).all()
    return {int(rung): utc(at) for rung, at in rows}


def keep(conn: Connection, kept: Kept, now: datetime) -> None:
    """Keep a deletion as the last one, in place of any before it."""
    from sqlalchemy import text  # SQLAlchemy: the reader imports this module

    clear(conn)
    conn.execute(
        text("INSERT INTO undo (id, deleted_at, attempt) VALUES (1, :at, :attempt)"),
        {"at": stored_time(now), "attempt": encode(kept)},
    )


def last(conn: Connection) -> Kept | None:
    """The last deletion, or None when there is nothing to undo."""
    from sqlalchemy import text  # SQLAlchemy: the reader imports this module

    row = conn.execute(text("SELECT attempt FROM undo WHERE id = 1")).first()
    return None if row is None else decode(str(row[0]))


def clear(conn: Connection) -> None:
    from sqlalchemy import text  # SQLAlchemy: the reader imports this module

    conn.execute(text("DELETE FROM undo"))
