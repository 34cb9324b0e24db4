"""Every read tracker makes, as plain SQL, written once for both engines.

The statements use `:name` parameters (the standard library's sqlite3 takes them as
they are; `for_server` turns them into psycopg's `%(name)s`). They run through a
`Query` callable: a sqlite3 or psycopg connection in tracker.store.reader (no
SQLAlchemy), or a SQLAlchemy connection's `exec_driver_sql` inside the Store. Rows come
back positionally, in the column order tracker.store.rows reads them. Times are
compared as SQLite stores them (naive UTC text, see rows.stored_time), which
PostgreSQL casts to its timestamp.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from tracker.domain.people import THANKABLE
from tracker.store.filters import HistoryFilter
from tracker.store.rows import ATTEMPT_COLUMNS, CHALLENGE_COLUMNS, stored_time

#: Runs one statement with its parameters and gives back its rows as sequences.
Query = Callable[..., Iterable[Sequence[Any]]]

#: Any-time challenges (no rung) last on both engines (SQLite sorts NULL first).
CHALLENGES_SQL = (
    f"SELECT {', '.join(CHALLENGE_COLUMNS)} FROM challenge ORDER BY rung IS NULL, rung, id"
)
SETTINGS_SQL = "SELECT key, value FROM setting"
CLIMBS_SQL = "SELECT rung, climbed_at FROM rung_climb"
SUMMARY_SQL = "SELECT state, frame_key, log_version, state_version FROM summary WHERE id = 1"
#: What a fold reads, oldest first: the one query that grows with the log, so it reads
#: plain tuples (SQLAlchemy's row and type processing would cost more than the fold).
FOLD_SQL = (
    "SELECT id, challenge_id, occurred_at, outcome, predicted, happened, peak_distress,"
    " confidence, rerated FROM attempt WHERE outcome IS NOT NULL ORDER BY occurred_at, id"
)
REVISION_SQL = "SELECT version_num FROM alembic_version"

ATTEMPTS_SQL = f"SELECT {', '.join('a.' + c for c in ATTEMPT_COLUMNS)} FROM attempt a"
COUNT_SQL = "SELECT count(*) FROM attempt a"
PEOPLE_SQL = "SELECT id, label FROM person ORDER BY id"
#: Asks that may be owed a thank-you: a helpful outcome, a person, none recorded yet.
THANKABLE_SQL = (
    f"{ATTEMPTS_SQL} WHERE a.outcome IN ({', '.join(repr(o.value) for o in sorted(THANKABLE))})"
    " AND a.who IS NOT NULL AND a.occurred_at >= :since"
    " AND NOT EXISTS (SELECT 1 FROM thank t WHERE t.attempt_id = a.id)"
)
ASKS_WITH_PEOPLE_SQL = (
    f"{ATTEMPTS_SQL} WHERE a.who IS NOT NULL AND a.outcome IS NOT NULL"
    " AND a.outcome != 'avoided' AND a.occurred_at >= :since ORDER BY a.occurred_at, a.id"
)
NEWEST_FIRST = " ORDER BY a.occurred_at DESC, a.id DESC"
#: The latest completed attempt on a challenge that holds a rating (a likelihood before
#: or after the ask, or a confidence): what the log form shows as "last time".
LAST_RATED_SQL = (
    f"{ATTEMPTS_SQL} WHERE a.challenge_id = :challenge_id AND a.outcome IS NOT NULL"
    " AND (a.predicted IS NOT NULL OR a.rerated IS NOT NULL OR a.confidence IS NOT NULL)"
    f"{NEWEST_FIRST} LIMIT 1"
)
PAGE = " LIMIT :limit OFFSET :offset"
#: What a history search looks in.
SEARCHED = (
    "c.title",
    "c.slug",
    "a.who",
    "a.feared",
    "a.learned",
    "a.note",
    "a.evidence",
    "a.kinder",
)


def where_sql(where: HistoryFilter | None) -> tuple[str, dict[str, Any]]:
    """The joins and WHERE clause for a history filter, with named parameters: the
    one place a history filter becomes SQL."""
    if where is None:
        return "", {}
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if where.since is not None:
        conditions.append("a.occurred_at >= :since")
        params["since"] = stored_time(where.since)
    if where.outcome is not None:
        conditions.append("a.outcome = :outcome")
        params["outcome"] = where.outcome.value
    if where.planned is True:
        conditions.append("a.outcome IS NULL")
    elif where.planned is False:
        conditions.append("a.outcome IS NOT NULL")
    if where.rung is not None:
        conditions.append("c.rung = :rung")
        params["rung"] = where.rung
    if where.text:
        # What was typed is looked for as written: LIKE's % and _ in it are escaped.
        params["text"] = f"%{escape_like(where.text.strip())}%"
        # Any case: lower() on both sides, the same on SQLite and PostgreSQL.
        conditions.append(
            "(" + " OR ".join(f"lower({c}) LIKE lower(:text) ESCAPE '\\'" for c in SEARCHED) + ")"
        )
    join = " JOIN challenge c ON c.id = a.challenge_id" if where.rung or where.text else ""
    return join + (" WHERE " + " AND ".join(conditions) if conditions else ""), params


def escape_like(text: str) -> str:
    """`text` as a LIKE pattern that matches only itself (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def attempts_sql(
    where: HistoryFilter | None, limit: int | None = None, offset: int = 0
) -> tuple[str, dict[str, Any]]:
    """Attempts matching `where`, newest first, a page of them when `limit` is given."""
    clause, params = where_sql(where)
    sql = ATTEMPTS_SQL + clause + NEWEST_FIRST
    if limit is not None:
        sql += PAGE
        params |= {"limit": limit, "offset": offset}
    return sql, params


def count_sql(where: HistoryFilter | None) -> tuple[str, dict[str, Any]]:
    clause, params = where_sql(where)
    return COUNT_SQL + clause, params


_NAMED = re.compile(r"(?<![:\w]):(\w+)")


def for_server(sql: str, params: Mapping[str, Any] | None = None) -> str:
    """`sql` in psycopg's parameter style (`%(name)s`); `%` doubled when it has any."""
    if not params:
        return sql
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
