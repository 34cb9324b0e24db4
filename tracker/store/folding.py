"""Keeping the log's summary (tracker.domain.summary) current beside it.

Every write transaction that touches attempts, challenges or settings ends with
`refresh`: a new attempt that comes after everything folded so far is folded in on its
own; anything else (an edit, a delete, a backdated ask, a moved challenge, a changed
threshold) folds the whole log again. Triggers on `attempt` bump `summary.log_version`
on every change, so a summary can never be taken for current after a change it missed:
`read_state` then folds the log itself, without writing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

from tracker.domain.models import Attempt, Challenge, Outcome, Settings
from tracker.domain.summary import Frame, Summary, fold
from tracker.store.repository import (
    _challenge,
    challenge_t,
    setting_t,
    settings_from,
)
from tracker.store.schema import RungClimbRow, SummaryRow

if TYPE_CHECKING:
    from sqlalchemy import Connection

summary_t = SummaryRow.__table__  # type: ignore[attr-defined]
climb_t = RungClimbRow.__table__  # type: ignore[attr-defined]

#: What a fold reads, oldest first. It is the one query that grows with the log, so it
#: is read raw: plain tuples, times parsed by datetime.fromisoformat (SQLAlchemy's
#: generic row and type processing costs more than the fold itself at 100,000 rows).
_FOLD_QUERY = (
    "SELECT id, challenge_id, occurred_at, outcome, predicted, happened, peak_distress,"
    " confidence, rerated FROM attempt WHERE outcome IS NOT NULL ORDER BY occurred_at, id"
)
_OUTCOMES = {o.value: o for o in Outcome}


def _utc(value: datetime | str) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC)


def _folded(rows: Iterable[Any]) -> Iterator[Attempt]:
    for id_, challenge_id, at, outcome, predicted, happened, peak, confidence, rerated in rows:
        yield Attempt(
            id=id_,
            challenge_id=challenge_id,
            occurred_at=_utc(at),
            outcome=_OUTCOMES[outcome],
            predicted=predicted,
            happened=None if happened is None else bool(happened),
            peak_distress=peak,
            confidence=confidence,
            rerated=rerated,
        )


def frame_of(conn: Connection, zone: tzinfo) -> tuple[Frame, list[Challenge], Settings]:
    challenges = [
        _challenge(r)
        for r in conn.execute(select(challenge_t).order_by(challenge_t.c.rung, challenge_t.c.id))
    ]
    settings = settings_from(conn.execute(select(setting_t)))
    climbs = {r.rung: r.climbed_at for r in conn.execute(select(climb_t))}
    return Frame.of(challenges, settings, zone, climbs), challenges, settings


def _stored(conn: Connection, frame: Frame) -> tuple[Summary | None, int, int | None]:
    """The stored summary when it was folded under `frame`, and the two versions."""
    row = conn.execute(select(summary_t).where(summary_t.c.id == 1)).one()
    summary = None
    if row.state is not None and row.frame_key == frame.key():
        summary = Summary.from_json(json.loads(row.state))
    return summary, row.log_version, row.state_version


def fold_log(conn: Connection, frame: Frame) -> Summary:
    return fold(frame, _folded(conn.exec_driver_sql(_FOLD_QUERY)))


def read_state(conn: Connection, zone: tzinfo) -> tuple[Summary, list[Challenge], Settings]:
    frame, challenges, settings = frame_of(conn, zone)
    summary, log_version, state_version = _stored(conn, frame)
    if summary is None or state_version != log_version:
        summary = fold_log(conn, frame)
    return summary, challenges, settings


def refresh(conn: Connection, zone: tzinfo, new: Attempt | None = None) -> None:
    """Bring the stored summary up to date at the end of a write transaction.

    `new` is an attempt this transaction made count for the first time (a new
    completed attempt, or a planned one just completed): if the summary was current
    just before it, it is folded in alone.
    """
    frame, _, _ = frame_of(conn, zone)
    summary, log_version, state_version = _stored(conn, frame)
    if summary is None or state_version is None:
        summary = fold_log(conn, frame)
    elif state_version != log_version:
        if new is not None and state_version == log_version - 1 and summary.follows(new):
            summary.add(frame, new)
        else:
            summary = fold_log(conn, frame)

    # Remember climbs the fold found, so that they stay climbed whatever comes later.
    found = {
        rung: t.climbed_at
        for rung, t in summary.rungs.items()
        if t.climbed_at is not None and frame.climbs.get(rung) != t.climbed_at
    }
    if found:
        conn.execute(delete(climb_t).where(climb_t.c.rung.in_(list(found))))
        conn.execute(insert(climb_t), [{"rung": r, "climbed_at": t} for r, t in found.items()])
        frame, _, _ = frame_of(conn, zone)
        summary.frame_key = frame.key()

    conn.execute(
        update(summary_t)
        .where(summary_t.c.id == 1)
        .values(
            state=json.dumps(summary.to_json(), separators=(",", ":")),
            frame_key=summary.frame_key,
            state_version=log_version,
        )
    )


def release_climb(conn: Connection, attempt: Attempt) -> None:
    """An attempt that climbed its rung is being deleted or changed: forget that climb,
    so that the next refresh decides again from the history that is left."""
    rung = conn.execute(
        select(challenge_t.c.rung).where(challenge_t.c.id == attempt.challenge_id)
    ).scalar()
    if rung is not None:
        conn.execute(
            delete(climb_t).where(
                climb_t.c.rung == rung, climb_t.c.climbed_at == attempt.occurred_at
            )
        )
