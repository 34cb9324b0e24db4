"""Reading and writing the ladder, the log and the settings; plain values out.

`Store` is the one door to the database. Every write is validated (tracker.store.inputs)
and runs in its own BEGIN IMMEDIATE transaction; every read returns frozen domain values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, Select, and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError, StatementError

from tracker.clock import local_zone
from tracker.domain.models import (
    SETTING_SPECS,
    Attempt,
    Barrier,
    Challenge,
    Context,
    Settings,
)
from tracker.domain.summary import Summary, changes_climbs
from tracker.store.database import Location, explain, locate, open_database, verify, writing
from tracker.store.errors import InvalidInput, NotFound, UnusableDatabase
from tracker.store.filters import HistoryFilter
from tracker.store.inputs import AttemptIn, ChallengeIn, validate, validate_many
from tracker.store.rows import (
    ATTEMPT_COLUMNS,
    CHALLENGE_COLUMNS,
    attempt_from,
    challenge_from,
    encode_strategies,
    settings_from,
    utc,
)
from tracker.store.schema import AttemptRow, ChallengeRow, SettingRow

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

challenge_t = ChallengeRow.__table__  # type: ignore[attr-defined]
attempt_t = AttemptRow.__table__  # type: ignore[attr-defined]
setting_t = SettingRow.__table__  # type: ignore[attr-defined]

#: What an edit may name: every column of the attempt table but its id.
_EDITABLE_ATTEMPT_FIELDS = frozenset(c.name for c in attempt_t.columns) - {"id"}
#: Columns in the order tracker.store.rows reads them.
challenge_cols = [challenge_t.c[name] for name in CHALLENGE_COLUMNS]
attempt_cols = [attempt_t.c[name] for name in ATTEMPT_COLUMNS]


def slugify(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words)[:50].strip("-") or "challenge"


_ATTEMPT_INPUTS = tuple(AttemptIn.model_fields)


def _attempt_values(data: AttemptIn) -> dict[str, Any]:
    """Column values of a validated attempt (read directly: model_dump is slow in bulk)."""
    fields = data.__dict__
    values = {name: fields[name] for name in _ATTEMPT_INPUTS}
    values["strategies"] = encode_strategies(data.strategies)
    values["outcome"] = data.outcome.value if data.outcome else None
    values["channel"] = data.channel.value if data.channel else None
    return values


def _attempt_fields(attempt: Attempt) -> dict[str, Any]:
    return {f.name: getattr(attempt, f.name) for f in fields(Attempt) if f.name != "id"}


@dataclass(frozen=True, slots=True)
class ImportReport:
    challenges_added: int
    challenges_updated: int
    attempts_added: int
    attempts_skipped: int  # already present (same challenge, time and outcome)


def _filtered(query: Select[Any], where: HistoryFilter | None) -> Select[Any]:
    """`query` narrowed to what `where` asks for."""
    if where is None:
        return query
    conditions = []
    if where.since is not None:
        conditions.append(attempt_t.c.occurred_at >= where.since)
    if where.outcome is not None:
        conditions.append(attempt_t.c.outcome == where.outcome.value)
    if where.planned is True:
        conditions.append(attempt_t.c.outcome.is_(None))
    elif where.planned is False:
        conditions.append(attempt_t.c.outcome.is_not(None))
    if where.rung is not None:
        conditions.append(challenge_t.c.rung == where.rung)
    if where.text:
        like = f"%{where.text.strip()}%"
        conditions.append(
            or_(
                challenge_t.c.title.ilike(like),
                challenge_t.c.slug.ilike(like),
                attempt_t.c.who.ilike(like),
                attempt_t.c.feared.ilike(like),
                attempt_t.c.learned.ilike(like),
                attempt_t.c.note.ilike(like),
            )
        )
    return query.where(and_(*conditions)) if conditions else query


class Store:
    """The tracker database, opened and ready. Use as a context manager or call close()."""

    def __init__(
        self,
        engine: Engine,
        location: Location,
        created: bool = False,
        zone: tzinfo | None = None,
    ) -> None:
        self.engine = engine
        self.location = location
        self.created = created
        self.zone = zone if zone is not None else local_zone()

    @classmethod
    def open(cls, db: str | None = None, zone: tzinfo | None = None) -> Store:
        """Open (creating, upgrading or refusing, see open_database) and seed a new ladder.

        `zone` is the user's time zone for weeks and revisit days (default: local)."""
        location = locate(db)
        engine, created = open_database(location)
        store = cls(engine, location, created, zone)
        # An empty ladder also means a first open that was stopped before it was seeded.
        if created or not store._read(select(challenge_t.c.id).limit(1)):
            from tracker.store.seed import builtin_challenges

            store.seed(builtin_challenges())
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading --------------------------------------------------------------------

    def _read(self, query: Any) -> Sequence[Row[Any]]:
        try:
            with self.engine.connect() as conn:
                return conn.execute(query).all()
        except (OperationalError, DatabaseError) as e:
            raise self._damaged(e) from None

    def _damaged(self, error: Exception) -> UnusableDatabase:
        """DamagedDatabase, or a plainer kind (busy, disk full, read-only) when it is that."""
        return explain(error, self.location.label, self.location.path)

    def check_quick(self) -> None:
        """PRAGMA quick_check, for the app to run when it opens (it reads the whole file:
        about 0.1 s a 100,000 attempts). Raises DamagedDatabase; later writes of this
        Store then skip their own check."""
        verify(self.engine)

    def challenges(self, include_archived: bool = True) -> list[Challenge]:
        query = select(*challenge_cols).order_by(challenge_t.c.rung, challenge_t.c.id)
        if not include_archived:
            query = query.where(challenge_t.c.archived.is_(False))
        return [challenge_from(r) for r in self._read(query)]

    def challenge(self, ref: str | int) -> Challenge:
        """A challenge by slug or id."""
        text = str(ref).strip()
        column = challenge_t.c.id if text.isdigit() else challenge_t.c.slug
        key: Any = int(text) if text.isdigit() else text.lower()
        query = select(*challenge_cols).where(column == key)
        rows = [] if _too_big(key) else self._read(query)
        if not rows:
            raise NotFound(
                f"no challenge {text!r}; `tracker ladder` lists every challenge with its slug"
            )
        return challenge_from(rows[0])

    def attempt(self, attempt_id: int) -> Attempt:
        query = select(*attempt_cols).where(attempt_t.c.id == attempt_id)
        rows = [] if _too_big(attempt_id) else self._read(query)
        if not rows:
            raise NotFound(f"no attempt with id {attempt_id}; `tracker history` lists them")
        return attempt_from(rows[0])

    def attempts(
        self,
        where: HistoryFilter | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Attempt]:
        """Attempts, newest first."""
        query = select(*attempt_cols).join(challenge_t)
        query = _filtered(query, where)
        query = query.order_by(attempt_t.c.occurred_at.desc(), attempt_t.c.id.desc())
        if limit is not None:
            query = query.limit(limit).offset(offset)
        return [attempt_from(r) for r in self._read(query)]

    def count_attempts(self, where: HistoryFilter | None = None) -> int:
        query = _filtered(select(func.count()).select_from(attempt_t.join(challenge_t)), where)
        return int(self._read(query)[0][0])

    def settings(self) -> Settings:
        return settings_from(self._read(select(setting_t)))

    def climbs(self) -> dict[int, datetime]:
        """When each climbed rung was first climbed (remembered in rung_climb)."""
        from tracker.store.folding import CLIMBS_SQL

        try:
            with self.engine.connect() as conn:
                rows = conn.exec_driver_sql(CLIMBS_SQL).all()
        except (OperationalError, DatabaseError) as e:
            raise self._damaged(e) from None
        return {rung: utc(at) for rung, at in rows}

    def state(self) -> tuple[Summary, list[Challenge], Settings]:
        """The log's summary (kept current by every write), the ladder and the settings,
        read in one transaction: what the rules need, whatever the history's size."""
        from tracker.store.folding import read_state

        try:
            with self.engine.connect() as conn:
                return read_state(conn.exec_driver_sql, self.zone)
        except (OperationalError, DatabaseError) as e:
            raise self._damaged(e) from None

    # -- writing --------------------------------------------------------------------

    def _write(self) -> Any:
        return writing(self.engine)

    def _run_write(self, action: Any) -> Any:
        """Run `action(conn)` in one write transaction, mapping errors to plain ones."""
        try:
            with self._write() as conn:
                return action(conn)
        except IntegrityError as e:
            raise InvalidInput(f"the database refused this change ({e.orig})") from None
        except UnicodeEncodeError:
            raise InvalidInput("some text holds characters that cannot be stored") from None
        except (OperationalError, DatabaseError) as e:
            raise self._damaged(e) from None
        except StatementError as e:  # a value the driver cannot take, e.g. a year past 9999
            raise InvalidInput(f"a value could not be stored ({e.orig})") from None

    def _refresh(
        self, conn: Connection, new: Attempt | None = None, changed: Attempt | None = None
    ) -> None:
        """Keep the log's summary current (tracker.store.folding) in this transaction.

        `new`: an attempt that counts for the first time; `changed`: one whose earlier
        version counted (edited or deleted), so a climb it made is decided afresh."""
        from tracker.store.folding import refresh, release_climb

        if changed is not None and not changed.planned:
            release_climb(conn, changed)
        refresh(conn, self.zone, new)

    def seed(self, challenges: Iterable[ChallengeIn]) -> int:
        """Add built-in challenges whose slugs are not there yet; returns how many."""

        def action(conn: Connection) -> int:
            have = set(conn.execute(select(challenge_t.c.slug)).scalars())
            rows = [c.model_dump(mode="json") for c in challenges if c.slug not in have]
            if rows:
                conn.execute(insert(challenge_t), rows)
            self._refresh(conn)
            return len(rows)

        return int(self._run_write(action))

    def _unique_slug(self, conn: Connection, wanted: str) -> str:
        have = set(conn.execute(select(challenge_t.c.slug)).scalars())
        slug, n = wanted, 2
        while slug in have:
            slug, n = f"{wanted}-{n}", n + 1
        return slug

    def add_challenge(self, data: Mapping[str, Any]) -> Challenge:
        """A custom challenge; its slug comes from the title unless one is given."""
        values = dict(data)
        explicit = values.get("slug")
        values.setdefault("slug", slugify(str(values.get("title", ""))))
        values.setdefault("context", Context.COMMUNITY)
        values.setdefault("barrier", Barrier.REJECTION)
        checked = validate(ChallengeIn, {**values, "builtin": False, "archived": False})

        def action(conn: Connection) -> int:
            slug = checked.slug
            if explicit:
                taken = conn.execute(select(challenge_t.c.id).where(challenge_t.c.slug == slug))
                if taken.first():
                    raise InvalidInput(f"a challenge with slug {slug!r} already exists")
            else:
                slug = self._unique_slug(conn, slug)
            row = checked.model_dump(mode="json") | {"slug": slug}
            new_id = _new_id(conn.execute(insert(challenge_t).values(row)))
            self._refresh(conn)
            return new_id

        return self.challenge(self._run_write(action))

    def update_challenge(self, challenge_id: int, changes: Mapping[str, Any]) -> Challenge:
        """Edit, move (rung) or archive a challenge. The slug never changes."""
        current = self.challenge(challenge_id)
        allowed = {"title", "description", "rung", "context", "barrier", "tip", "archived"}
        unknown = set(changes) - allowed
        if unknown:
            raise InvalidInput(f"cannot change {', '.join(sorted(unknown))} of a challenge")
        merged = {f.name: getattr(current, f.name) for f in fields(Challenge)} | dict(changes)
        merged.pop("id")
        checked = validate(ChallengeIn, merged)
        row = checked.model_dump(mode="json", include=allowed)

        def action(conn: Connection) -> None:
            conn.execute(update(challenge_t).where(challenge_t.c.id == current.id).values(row))
            self._refresh(conn)

        self._run_write(action)
        return self.challenge(current.id)

    def _check_challenge(self, conn: Connection, challenge_id: int) -> None:
        found = conn.execute(
            select(challenge_t.c.archived).where(challenge_t.c.id == challenge_id)
        ).first()
        if found is None:
            raise NotFound(f"no challenge with id {challenge_id}")

    def add_attempt(self, data: Mapping[str, Any]) -> Attempt:
        """Log an attempt; without an outcome it is saved as planned."""
        checked = validate(AttemptIn, dict(data))

        def action(conn: Connection) -> int:
            self._check_challenge(conn, checked.challenge_id)
            new_id = _new_id(conn.execute(insert(attempt_t).values(_attempt_values(checked))))
            self._refresh(conn, new=_load_attempt(conn, new_id))
            return new_id

        return self.attempt(self._run_write(action))

    def update_attempt(self, attempt_id: int, changes: Mapping[str, Any]) -> Attempt:
        """Change any fields of an attempt (complete a planned one by giving an outcome)."""
        current = self.attempt(attempt_id)
        unknown = set(changes) - _EDITABLE_ATTEMPT_FIELDS
        if unknown:
            raise InvalidInput(f"cannot change {', '.join(sorted(unknown))}")
        checked = validate(AttemptIn, _attempt_fields(current) | dict(changes))

        def action(conn: Connection) -> None:
            self._check_challenge(conn, checked.challenge_id)
            conn.execute(
                update(attempt_t)
                .where(attempt_t.c.id == attempt_id)
                .values(_attempt_values(checked))
            )
            updated = _load_attempt(conn, attempt_id)
            if current.planned:  # completing it: it may simply be the next to fold in
                self._refresh(conn, new=updated)
            elif changes_climbs(current, updated):
                self._refresh(conn, changed=current)
            else:  # a note or a name: nothing the rules read, so no climb is in question
                self._refresh(conn)

        self._run_write(action)
        return self.attempt(attempt_id)

    def complete_attempt(self, attempt_id: int, changes: Mapping[str, Any]) -> Attempt:
        current = self.attempt(attempt_id)
        if not current.planned:
            raise InvalidInput(
                f"attempt {attempt_id} is already complete (outcome {current.outcome}); "
                "edit it instead"
            )
        if not changes.get("outcome"):
            raise InvalidInput("completing an attempt needs its outcome")
        return self.update_attempt(attempt_id, changes)

    def delete_attempt(self, attempt_id: int) -> Attempt:
        """Delete an attempt, returning it whole so it can be restored (undo)."""
        current = self.attempt(attempt_id)

        def action(conn: Connection) -> None:
            conn.execute(delete(attempt_t).where(attempt_t.c.id == attempt_id))
            self._refresh(conn, changed=current)

        self._run_write(action)
        return current

    def restore_attempt(self, attempt: Attempt) -> Attempt:
        """Put a deleted attempt back exactly as it was: under its old id, or under a new
        one when an attempt logged since has taken that id."""
        checked = validate(AttemptIn, _attempt_fields(attempt))

        def action(conn: Connection) -> int:
            self._check_challenge(conn, checked.challenge_id)
            taken = conn.execute(select(attempt_t.c.id).where(attempt_t.c.id == attempt.id))
            values = _attempt_values(checked)
            if taken.first() is None:
                values["id"] = attempt.id
            new_id = _new_id(conn.execute(insert(attempt_t).values(values)))
            self._refresh(conn, new=_load_attempt(conn, new_id))
            return new_id

        return self.attempt(self._run_write(action))

    def update_settings(self, changes: Mapping[str, int | str]) -> Settings:
        rows = _setting_rows(changes)

        def action(conn: Connection) -> None:
            for row in rows:
                conn.execute(delete(setting_t).where(setting_t.c.key == row["key"]))
                conn.execute(insert(setting_t).values(row))
            self._refresh(conn)

        self._run_write(action)
        return self.settings()

    def import_all(
        self,
        challenges: Sequence[ChallengeIn],
        attempts: Sequence[tuple[str, Mapping[str, Any]]],
        settings: Mapping[str, int | str],
        climbs: Mapping[int, datetime] | None = None,
    ) -> ImportReport:
        """Write an export back in one transaction: all of it, or nothing.

        Challenges are matched by slug (updated in place, or added); attempts name their
        challenge by slug and are skipped when the same one is already logged.
        """
        specs = {s.name for s in SETTING_SPECS} | {"theme"}
        unknown = set(settings) - specs
        if unknown:
            raise InvalidInput(f"unknown settings in the file: {', '.join(sorted(unknown))}")
        setting_rows = _setting_rows(settings)

        def action(conn: Connection) -> ImportReport:
            ids = {r.slug: r.id for r in conn.execute(select(challenge_t.c.slug, challenge_t.c.id))}
            added = updated = 0
            for c in challenges:
                row = c.model_dump(mode="json")
                if c.slug in ids:
                    conn.execute(
                        update(challenge_t).where(challenge_t.c.id == ids[c.slug]).values(row)
                    )
                    updated += 1
                else:
                    ids[c.slug] = _new_id(conn.execute(insert(challenge_t).values(row)))
                    added += 1
            # What the database held before: an attempt is skipped only when the very
            # same record is already there (importing a file twice changes nothing),
            # never because another in the file looks like it.
            existing = {_record(attempt_from(r)) for r in conn.execute(select(*attempt_cols))}
            given: list[dict[str, Any]] = []
            for position, (slug, data) in enumerate(attempts, start=1):
                if slug not in ids:
                    raise InvalidInput(f"attempt {position} names an unknown challenge {slug!r}")
                given.append({**data, "challenge_id": ids[slug]})
            rows: list[dict[str, Any]] = []
            for checked in validate_many(AttemptIn, given, "attempt"):
                values = _attempt_values(checked)
                if _record(checked) not in existing:
                    rows.append(values)
            if rows:
                conn.execute(insert(attempt_t), rows)
            if setting_rows:
                conn.execute(delete(setting_t).where(setting_t.c.key.in_(list(settings))))
                conn.execute(insert(setting_t), setting_rows)
            if climbs:
                from tracker.store.folding import remember_climbs

                remember_climbs(conn, climbs)
            self._refresh(conn)
            return ImportReport(added, updated, len(rows), len(attempts) - len(rows))

        report: ImportReport = self._run_write(action)
        return report


def _setting_rows(changes: Mapping[str, Any]) -> list[dict[str, str]]:
    """Setting rows to store, each checked against its range (theme: any name)."""
    specs = {s.name: s for s in SETTING_SPECS}
    rows: list[dict[str, str]] = []
    for name, value in changes.items():
        if name == "theme":
            if not isinstance(value, str) or not 0 < len(value) <= 100:
                raise InvalidInput("theme must be the name of a theme")
            rows.append({"key": name, "value": value})
            continue
        spec = specs.get(name)
        if spec is None:
            raise InvalidInput(
                f"no setting {name!r}; choose from {', '.join(specs)} (see `tracker settings`)"
            )
        if isinstance(value, bool):
            raise InvalidInput(f"{name} must be a whole number (got {value!r})")
        number = value if isinstance(value, int) else _int(str(value), name)
        if not spec.low <= number <= spec.high:
            raise InvalidInput(f"{name} must be from {spec.low} to {spec.high} (got {number})")
        rows.append({"key": name, "value": str(number)})
    return rows


def _too_big(key: object) -> bool:
    """An id past what SQLite can hold names nothing (and must not reach the driver)."""
    return isinstance(key, int) and not -(2**63) <= key < 2**63


def _record(attempt: Attempt | AttemptIn) -> tuple[Any, ...]:
    """An attempt's content, without its id: what makes two attempts the same record."""
    return (
        attempt.challenge_id,
        attempt.occurred_at.astimezone(UTC),
        attempt.outcome.value if attempt.outcome else None,
        encode_strategies(attempt.strategies),
        *(getattr(attempt, name) for name in _RECORD_FIELDS),
    )


_RECORD_FIELDS = tuple(
    c for c in ATTEMPT_COLUMNS
    if c not in ("id", "challenge_id", "occurred_at", "outcome", "strategies")
)  # fmt: skip


def _load_attempt(conn: Connection, attempt_id: int) -> Attempt:
    query = select(*attempt_cols).where(attempt_t.c.id == attempt_id)
    return attempt_from(conn.execute(query).one())


def _new_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _int(text: str, name: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(f"{name} must be a whole number (got {text!r})") from None
