"""Keeping the log's summary (tracker.domain.summary) current beside it.

Every write transaction that touches attempts, challenges or settings ends with
`refresh`: a new attempt that comes after everything folded so far is folded in on its
own; anything else (an edit, a delete, a backdated ask, a moved challenge, a changed
threshold) folds the whole log again. Triggers on `attempt` bump `summary.log_version`
on every change, so a summary can never be taken for current after a change it missed:
`read_state` then folds the log itself, without writing.

The reads here are plain SQL with no parameters (tracker.store.sql), run through a
`Query` callable: a SQLAlchemy connection's `exec_driver_sql` inside the store, or a
sqlite3 or psycopg connection in tracker.store.reader, which reads without importing
SQLAlchemy at all. Only `refresh`, which writes, uses SQLAlchemy.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from tracker.domain.models import Attempt, Challenge, Outcome, Settings
from tracker.domain.summary import Frame, Summary, fold
from tracker.store.rows import challenge_from, settings_from, stored_time, utc
from tracker.store.sql import (
    CHALLENGES_SQL,
    CLIMBS_SQL,
    FOLD_SQL,
    SETTINGS_SQL,
    SUMMARY_SQL,
    Query,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection

_OUTCOMES = {o.value: o for o in Outcome}


def _folded(rows: Iterable[Sequence[Any]]) -> Iterator[Attempt]:
    for id_, challenge_id, at, outcome, predicted, happened, peak, confidence, rerated in rows:
        yield Attempt(
            id=id_,
            challenge_id=challenge_id,
            occurred_at=utc(at),
            outcome=_OUTCOMES[outcome],
            predicted=predicted,
            happened=None if happened is None else bool(happened),
            peak_distress=peak,
            confidence=confidence,
            rerated=rerated,
        )


def read_challenges(query: Query) -> list[Challenge]:
    return [challenge_from(r) for r in query(CHALLENGES_SQL)]


def frame_of(query: Query, zone: tzinfo) -> tuple[Frame, list[Challenge], Settings]:
    challenges = read_challenges(query)
    settings = settings_from(query(SETTINGS_SQL))
    climbs = {rung: utc(at) for rung, at in query(CLIMBS_SQL)}
    return Frame.of(challenges, settings, zone, climbs), challenges, settings


def stored_summary(query: Query, frame: Frame) -> tuple[Summary | None, int, int | None]:
    """The stored summary when it was folded under `frame`, and the two versions."""
    state, frame_key, log_version, state_version = next(iter(query(SUMMARY_SQL)))
    summary = None
    if state is not None and frame_key == frame.key():
        summary = Summary.from_json(json.loads(state))
    return summary, log_version, state_version


def fold_log(query: Query, frame: Frame) -> Summary:
    return fold(frame, _folded(query(FOLD_SQL)))


def read_state(query: Query, zone: tzinfo) -> tuple[Summary, list[Challenge], Settings]:
    """The summary (stored, or folded now when the stored one is stale), the ladder and
    the settings. Run it inside one read transaction so the three agree."""
    frame, challenges, settings = frame_of(query, zone)
    summary, log_version, state_version = stored_summary(query, frame)
    if summary is None or state_version != log_version:
        summary = fold_log(query, frame)
    return summary, challenges, settings


def refresh(conn: Connection, zone: tzinfo, new: Attempt | None = None) -> None:
    """Bring the stored summary up to date at the end of a write transaction.

    `new` is an attempt this transaction made count for the first time (a new
    completed attempt, or a planned one just completed): if the summary was current
    just before it, it is folded in alone.
    """
    from sqlalchemy import text  # here: the reader imports this module without SQLAlchemy

    query = conn.exec_driver_sql
    frame, _, _ = frame_of(query, zone)
    summary, log_version, state_version = stored_summary(query, frame)
    if summary is None or state_version is None:
        summary = fold_log(query, frame)
    elif state_version != log_version:
        if new is not None and state_version == log_version - 1 and summary.follows(new):
            summary.add(frame, new)
        else:
            summary = fold_log(query, frame)

    # Remember climbs the fold found, so that they stay climbed whatever comes later.
    found = {
        rung: t.climbed_at
        for rung, t in summary.rungs.items()
        if t.climbed_at is not None and frame.climbs.get(rung) != t.climbed_at
    }
    for rung, moment in found.items():
        conn.execute(text("DELETE FROM rung_climb WHERE rung = :rung"), {"rung": rung})
        conn.execute(
            text("INSERT INTO rung_climb (rung, climbed_at) VALUES (:rung, :at)"),
            {"rung": rung, "at": stored_time(moment)},
        )
    if found:
        frame, _, _ = frame_of(query, zone)
        summary.frame_key = frame.key()

    conn.execute(
        text(
            "UPDATE summary SET state = :state, frame_key = :key, state_version = :version"
            " WHERE id = 1"
        ),
        {
            "state": json.dumps(summary.to_json(), separators=(",", ":")),
            "key": summary.frame_key,
            "version": log_version,
        },
    )


def remember_climbs(conn: Connection, climbs: Mapping[int, datetime]) -> None:
    """Add climbs (from an import), keeping the earlier moment where one is known."""
    from sqlalchemy import text  # here: the reader imports this module without SQLAlchemy

    known = {rung: utc(at) for rung, at in conn.exec_driver_sql(CLIMBS_SQL)}
    for rung, moment in climbs.items():
        if rung in known and known[rung] <= moment:
            continue
        conn.execute(text("DELETE FROM rung_climb WHERE rung = :rung"), {"rung": rung})
        conn.execute(
            text("INSERT INTO rung_climb (rung, climbed_at) VALUES (:rung, :at)"),
            {"rung": rung, "at": stored_time(moment)},
        )


def release_climb(conn: Connection, attempt: Attempt) -> None:
    """An attempt that may have climbed a rung is being deleted or changed in a way the
    rules read: forget any climb made at its moment (whatever rung its challenge is on
    now), so that the refresh that follows decides again from the history that is left.
    A climb that history still supports is found again there."""
    from sqlalchemy import text  # here: the reader imports this module without SQLAlchemy

    conn.execute(
        text("DELETE FROM rung_climb WHERE climbed_at = :at"),
        {"at": stored_time(attempt.occurred_at)},
    )
