"""Reading and writing the ladder, the log and the settings; plain values out.

`Store` is the one door to the database. Every write is validated (tracker.store.inputs)
and runs in its own BEGIN IMMEDIATE transaction; every read returns frozen domain values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError, StatementError

from tracker.clock import local_zone
from tracker.clock import now as clock_now
from tracker.domain.models import (
    TEXT_LIMITS,
    Attempt,
    Barrier,
    Challenge,
    Context,
    Settings,
)
from tracker.domain.plans import completion_time
from tracker.domain.summary import Summary, changes_climbs
from tracker.store import undo
from tracker.store.database import open_database, verify, writing
from tracker.store.errors import InvalidInput, NotFound, UnusableDatabase, database_error
from tracker.store.files import Location, locate
from tracker.store.filters import HistoryFilter
from tracker.store.folding import read_state, refresh, release_climb, remember_climbs
from tracker.store.inputs import AttemptIn, ChallengeIn, setting_rows, slugify, validate
from tracker.store.lock import OpenLock, hold
from tracker.store.people import PeopleStore, adopt
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
from tracker.store.seed import builtin_challenges, retired_slugs
from tracker.store.sql import CLIMBS_SQL, LAST_RATED_SQL, attempts_sql, count_sql, for_server

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

T = TypeVar("T")

challenge_t = ChallengeRow.__table__  # type: ignore[attr-defined]
attempt_t = AttemptRow.__table__  # type: ignore[attr-defined]
setting_t = SettingRow.__table__  # type: ignore[attr-defined]

#: What an edit may name: every column of the attempt table but its id.
_EDITABLE_ATTEMPT_FIELDS = frozenset(c.name for c in attempt_t.columns) - {"id"}
#: Columns in the order tracker.store.rows reads them.
challenge_cols = [challenge_t.c[name] for name in CHALLENGE_COLUMNS]
attempt_cols = [attempt_t.c[name] for name in ATTEMPT_COLUMNS]


_ATTEMPT_INPUTS = tuple(AttemptIn.model_fields)


def attempt_values(data: AttemptIn) -> dict[str, Any]:
    """Column values of a validated attempt (read directly: model_dump is slow in bulk)."""
    fields = data.__dict__
    values = {name: fields[name] for name in _ATTEMPT_INPUTS}
    values["strategies"] = encode_strategies(data.strategies)
    values["outcome"] = data.outcome.value if data.outcome else None
    values["channel"] = data.channel.value if data.channel else None
    return values


def _attempt_fields(attempt: Attempt) -> dict[str, Any]:
    return {f.name: getattr(attempt, f.name) for f in fields(Attempt) if f.name != "id"}


class Store(PeopleStore):
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
        self.lock: OpenLock | None = None  # held while open: see tracker.store.lock
        #: The data generation when this Store opened: `forget` bumps it, and a change
        #: based on something read before (an edit, an undo) is refused after it.
        self.generation = 0

    @classmethod
    def open(cls, db: str | None = None, zone: tzinfo | None = None) -> Store:
        """Open (creating, upgrading or refusing, see open_database) and seed a new ladder.

        `zone` is the user's time zone for weeks and revisit days (default: local)."""
        location = locate(db)
        engine, created = open_database(location)
        store = cls(engine, location, created, zone)
        try:
            if location.path is not None:
                store.lock = hold(location.path)
            # An empty ladder also means a first open that was stopped before it was seeded.
            if created or not store._read(select(challenge_t.c.id).limit(1)):
                store.seed(builtin_challenges())
            store.generation = _generation(store._read(_GENERATION_QUERY))
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.close()

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
        return database_error(error, self.location.label, self.location.path)

    def check_quick(self) -> None:
        """PRAGMA quick_check, for the app to run when it opens (it reads the whole file:
        about 0.1 s a 100,000 attempts). Raises DamagedDatabase; later writes of this
        Store then skip their own check."""
        verify(self.engine)

    def challenges(self, include_archived: bool = True) -> list[Challenge]:
        # Any-time challenges (no rung) last on both engines: SQLite sorts NULL first.
        query = select(*challenge_cols).order_by(
            challenge_t.c.rung.is_(None), challenge_t.c.rung, challenge_t.c.id
        )
        if not include_archived:
            query = query.where(challenge_t.c.archived.is_(False))
        return [challenge_from(r) for r in self._read(query)]

    def challenge(self, ref: str | int) -> Challenge:
        """A challenge by slug or id."""
        text = str(ref).strip()
        number = text.isdecimal() and len(text) <= 19  # "²" is a digit, but not a number
        column = challenge_t.c.id if number else challenge_t.c.slug
        key: Any = int(text) if number else text.lower()
        query = select(*challenge_cols).where(column == key)
        rows = [] if _too_big(key) or not _storable(text) else self._read(query)
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
        """Attempts, newest first (the reader's statement: tracker.store.sql)."""
        return [attempt_from(r) for r in self._plain(*attempts_sql(where, limit, offset))]

    def count_attempts(self, where: HistoryFilter | None = None) -> int:
        return int(self._plain(*count_sql(where))[0][0])

    def last_rated(self, challenge_id: int) -> Attempt | None:
        """The latest completed attempt on this challenge that holds a rating, if any."""
        if _too_big(challenge_id):
            return None
        rows = self._plain(LAST_RATED_SQL, {"challenge_id": challenge_id})
        return attempt_from(rows[0]) if rows else None

    def _plain(self, sql: str, params: dict[str, Any]) -> list[Sequence[Any]]:
        """One of tracker.store.sql's statements, run on this store's connection."""
        if self.location.path is None:
            sql = for_server(sql, params)
        try:
            with self.engine.connect() as conn:
                return list(conn.exec_driver_sql(sql, params or ()).all())
        except (OperationalError, DatabaseError) as e:
            raise self._damaged(e) from None

    def settings(self) -> Settings:
        return settings_from(self._read(select(setting_t)))

    def climbs(self) -> dict[int, datetime]:
        """When each climbed rung was first climbed (remembered in rung_climb)."""
        try:
            with self.engine.connect() as conn:
                rows = conn.exec_driver_sql(CLIMBS_SQL).all()
        except (OperationalError, DatabaseError) as e:
            raise self._damaged(e) from None
        return {rung: utc(at) for rung, at in rows}

    def state(self) -> tuple[Summary, list[Challenge], Settings]:
        """The log's summary (kept current by every write), the ladder and the settings,
        read in one transaction: what the rules need, whatever the history's size."""
        try:
            with self.engine.connect() as conn:
                if self.location.path is None:  # one snapshot for every statement
                    conn = conn.execution_options(isolation_level="REPEATABLE READ")
                return read_state(conn.exec_driver_sql, self.zone)
        except (OperationalError, DatabaseError) as e:
            raise self._damaged(e) from None

    # -- writing --------------------------------------------------------------------

    def write(self, action: Callable[[Connection], T]) -> T:
        """Run `action(conn)` in one write transaction, mapping errors to plain ones.

        `action` ends with `refresh_summary(conn)` when it changed what the rules read."""
        try:
            with writing(self.engine) as conn:
                return action(conn)
        except IntegrityError as e:
            raise InvalidInput(f"the database refused this change ({e.orig})") from None
        except UnicodeEncodeError:
            raise InvalidInput("some text holds characters that cannot be stored") from None
        except (OperationalError, DatabaseError) as e:
            raise self._damaged(e) from None
        except StatementError as e:  # a value the driver cannot take, e.g. a year past 9999
            raise InvalidInput(f"a value could not be stored ({e.orig})") from None

    def _same_generation(self, conn: Connection) -> None:
        """Refuse a change based on data read before a `forget` (see Store.generation)."""
        if _generation(conn.execute(_GENERATION_QUERY).all()) != self.generation:
            raise NotFound(
                "your history was forgotten (`tracker forget`) since this was read, so it "
                "cannot be changed or brought back; nothing was changed"
            )

    def refresh_summary(
        self, conn: Connection, new: Attempt | None = None, changed: Attempt | None = None
    ) -> None:
        """Keep the log's summary current (tracker.store.folding) in this transaction.

        `new`: an attempt that counts for the first time; `changed`: one whose earlier
        version counted (edited or deleted), so a climb it made is decided afresh."""
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
            self.refresh_summary(conn)
            return len(rows)

        return self.write(action)

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
            new_id = inserted_id(conn.execute(insert(challenge_t).values(row)))
            self.refresh_summary(conn)
            return new_id

        return self.challenge(self.write(action))

    def update_challenge(self, challenge_id: int, changes: Mapping[str, Any]) -> Challenge:
        """Edit, move (rung) or archive a challenge. The slug never changes."""
        current = self.challenge(challenge_id)
        allowed = {"title", "description", "rung", "anytime", "context", "barrier", "tip"}
        allowed.add("archived")
        unknown = set(changes) - allowed
        if unknown:
            raise InvalidInput(f"cannot change {', '.join(sorted(unknown))} of a challenge")
        if changes.get("archived") is False and current.archived and _retired(current):
            raise InvalidInput(
                f"{current.slug!r} is retired for good: a crisis is not something to practise. "
                "For support now: `tracker support`"
            )
        merged = {f.name: getattr(current, f.name) for f in fields(Challenge)} | dict(changes)
        merged.pop("id")
        # A rung puts it on the ladder; any-time takes it off (DESIGN.md, any-time).
        if changes.get("rung") is not None:
            merged["anytime"] = False
        elif changes.get("anytime"):
            merged["rung"] = None
        else:
            merged.setdefault("anytime", current.anytime)
        checked = validate(ChallengeIn, merged)
        row = checked.model_dump(mode="json", include=allowed)

        def action(conn: Connection) -> None:
            self._same_generation(conn)
            conn.execute(update(challenge_t).where(challenge_t.c.id == current.id).values(row))
            self.refresh_summary(conn)

        self.write(action)
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
            values = attempt_values(checked)
            values["who"] = adopt(conn, values["who"])
            new_id = inserted_id(conn.execute(insert(attempt_t).values(values)))
            self.refresh_summary(conn, new=_load_attempt(conn, new_id))
            return new_id

        return self.attempt(self.write(action))

    def update_attempt(self, attempt_id: int, changes: Mapping[str, Any]) -> Attempt:
        """Change any fields of an attempt (complete a planned one by giving an outcome)."""
        return self._change_attempt(attempt_id, changes, completing=False)

    def complete_attempt(self, attempt_id: int, changes: Mapping[str, Any]) -> Attempt:
        """Complete a planned attempt; refused when it is already complete (by anyone).

        Without an `occurred_at` it is logged at its planned time when that has passed,
        else now (tracker.domain.plans.completion_time)."""
        if not changes.get("outcome"):
            raise InvalidInput("completing an attempt needs its outcome")
        return self._change_attempt(attempt_id, changes, completing=True)

    def _change_attempt(
        self, attempt_id: int, changes: Mapping[str, Any], completing: bool
    ) -> Attempt:
        """Merge `changes` into the attempt as it is inside the write transaction, so a
        change made meanwhile by another process is neither lost nor overwritten."""
        unknown = set(changes) - _EDITABLE_ATTEMPT_FIELDS
        if unknown:
            raise InvalidInput(f"cannot change {', '.join(sorted(unknown))}")

        def action(conn: Connection) -> Attempt:
            self._same_generation(conn)
            current = _existing_attempt(conn, attempt_id)
            if completing and not current.planned:
                raise InvalidInput(
                    f"attempt {attempt_id} is already complete (outcome {current.outcome}); "
                    f"change it with `tracker edit {attempt_id}` instead"
                )
            merged = _attempt_fields(current) | dict(changes)
            if completing and "occurred_at" not in changes:  # at its planned time, or now
                merged["occurred_at"] = completion_time(current, clock_now())
            if merged.get("outcome") is not None and "planned_for" not in changes:
                merged["planned_for"] = None  # logged: no longer a plan for later
            checked = validate(AttemptIn, merged)
            self._check_challenge(conn, checked.challenge_id)
            values = attempt_values(checked)
            if values["who"] != current.who:
                values["who"] = adopt(conn, values["who"])
            conn.execute(update(attempt_t).where(attempt_t.c.id == attempt_id).values(values))
            updated = _load_attempt(conn, attempt_id)
            if current.planned:  # completing it: it may simply be the next to fold in
                self.refresh_summary(conn, new=updated)
            elif changes_climbs(current, updated):
                self.refresh_summary(conn, changed=current)
            else:  # a note or a name: nothing the rules read, so no climb is in question
                self.refresh_summary(conn)
            return updated

        changed: Attempt = self.write(action)
        return changed

    def delete_attempt(self, attempt_id: int) -> Attempt:
        """Delete an attempt, returning it whole (as it was when deleted) for an undo.

        It is kept as the last deletion (tracker.store.undo), with the climbs deleting
        it released, so that `undo_last` can bring it back from any process later."""

        def action(conn: Connection) -> Attempt:
            self._same_generation(conn)
            current = _existing_attempt(conn, attempt_id)
            undo.keep(conn, undo.deleting(conn, current), clock_now())
            conn.execute(delete(attempt_t).where(attempt_t.c.id == attempt_id))
            self.refresh_summary(conn, changed=current)
            return current

        deleted: Attempt = self.write(action)
        return deleted

    def restore_attempt(self, attempt: Attempt) -> Attempt:
        """Put a deleted attempt back exactly as it was: under its old id, or under a new
        one when an attempt logged since has taken that id. When it is the last
        deletion, the climbs its deletion released come back with it."""
        return self.attempt(self.write(lambda conn: self._restore(conn, attempt)))

    def undo_last(self) -> Attempt:
        """Bring back the last deletion (`tracker undo`), from whichever process made it.

        NotFound when there is nothing to undo (none yet, already undone, or forgotten)."""

        def action(conn: Connection) -> int:
            self._same_generation(conn)
            kept = undo.last(conn)
            if kept is None:
                raise NotFound("there is no deletion to undo; nothing was changed")
            return self._restore(conn, kept.attempt)

        return self.attempt(self.write(action))

    def last_deleted(self) -> Attempt | None:
        """The deletion `undo_last` would bring back, if any."""
        kept = self.write(undo.last)
        return None if kept is None else kept.attempt

    def _restore(self, conn: Connection, attempt: Attempt) -> int:
        checked = validate(AttemptIn, _attempt_fields(attempt))
        self._same_generation(conn)  # an undo after a forget must not bring it back
        self._check_challenge(conn, checked.challenge_id)
        taken = conn.execute(select(attempt_t.c.id).where(attempt_t.c.id == attempt.id))
        values = attempt_values(checked)
        values["who"] = adopt(conn, values["who"], TEXT_LIMITS["who"])
        if taken.first() is None:
            values["id"] = attempt.id
        new_id = inserted_id(conn.execute(insert(attempt_t).values(values)))
        kept = undo.last(conn)
        if kept is not None and kept.attempt == attempt:
            remember_climbs(conn, kept.climbs)  # as they were before the deletion
            undo.put_back_thanks(conn, kept, new_id)
            undo.clear(conn)
        self.refresh_summary(conn, new=_load_attempt(conn, new_id))
        return new_id

    def update_settings(self, changes: Mapping[str, int | str]) -> Settings:
        rows = setting_rows(changes)

        def action(conn: Connection) -> None:
            for row in rows:
                conn.execute(delete(setting_t).where(setting_t.c.key == row["key"]))
                conn.execute(insert(setting_t).values(row))
            self.refresh_summary(conn)

        self.write(action)
        return self.settings()


def _storable(text: str) -> bool:
    """Whether `text` is valid Unicode (an argument's undecodable bytes arrive as lone
    surrogates, which no database row can hold)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _retired(c: Challenge) -> bool:

    return c.builtin and c.slug in retired_slugs()


def _too_big(key: object) -> bool:
    """An id past what SQLite can hold names nothing (and must not reach the driver)."""
    return isinstance(key, int) and not -(2**63) <= key < 2**63


#: The setting row that holds the data generation (not a setting anyone sets).
GENERATION_KEY = "generation"
_GENERATION_QUERY = select(setting_t.c.value).where(setting_t.c.key == GENERATION_KEY)


def _generation(rows: Sequence[Row[Any]] | Sequence[Sequence[Any]]) -> int:
    value = str(rows[0][0]) if rows else ""
    return int(value) if value.isdecimal() and len(value) < 19 else 0


def bump_generation(conn: Connection) -> int:
    """Start a new data generation (forget does, in its transaction); returns it."""
    new = _generation(conn.execute(_GENERATION_QUERY).all()) + 1
    conn.execute(delete(setting_t).where(setting_t.c.key == GENERATION_KEY))
    conn.execute(insert(setting_t).values(key=GENERATION_KEY, value=str(new)))
    return new


def _existing_attempt(conn: Connection, attempt_id: int) -> Attempt:
    """The attempt as it is in this transaction; NotFound when there is none (any more)."""
    query = select(*attempt_cols).where(attempt_t.c.id == attempt_id)
    row = None if _too_big(attempt_id) else conn.execute(query).first()
    if row is None:
        raise NotFound(f"no attempt with id {attempt_id}; `tracker history` lists them")
    return attempt_from(row)


def _load_attempt(conn: Connection, attempt_id: int) -> Attempt:
    query = select(*attempt_cols).where(attempt_t.c.id == attempt_id)
    return attempt_from(conn.execute(query).one())


def inserted_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
