"""People in the store: labels, thank-yous, help given back; rename and merge.

`PeopleStore` is mixed into `Store` (tracker.store.repository): the same one door to
the database, its methods kept here. Attempts name their person by label in
`attempt.who`; every write of an attempt goes through `adopt`, which makes the label a
person (or takes the spelling of the person it already names), so the two never part.
Forgetting a person for good is in tracker.store.forgetting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from pydantic import AfterValidator
from sqlalchemy import Row, delete, exists, func, insert, select, update
from sqlmodel import Field, SQLModel

from tracker.domain.models import TEXT_LIMITS, Attempt, Outcome
from tracker.domain.people import (
    LABEL_LIMIT,
    THANKABLE,
    Gift,
    Person,
    PersonFigures,
    ThankDue,
    ThankKind,
    Thanks,
    due_since,
    label_key,
    label_problem,
    people_figures,
    thanks_due,
)
from tracker.store.errors import InvalidInput, NotFound
from tracker.store.inputs import AwareDatetime, validate
from tracker.store.rows import ATTEMPT_COLUMNS, attempt_from, utc
from tracker.store.schema import AttemptRow, HelpGivenRow, PersonRow, ThankRow

if TYPE_CHECKING:
    from sqlalchemy import Connection

person_t = PersonRow.__table__  # type: ignore[attr-defined]
thank_t = ThankRow.__table__  # type: ignore[attr-defined]
given_t = HelpGivenRow.__table__  # type: ignore[attr-defined]
_attempt_t = AttemptRow.__table__  # type: ignore[attr-defined]
_attempt_cols = [_attempt_t.c[name] for name in ATTEMPT_COLUMNS]

#: The longest "what you did" of help given.
WHAT_LIMIT = 500


def _tidy(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


Note = Annotated[str | None, AfterValidator(_tidy)]


class ThanksIn(SQLModel):
    at: AwareDatetime
    note: Note = Field(default=None, max_length=TEXT_LIMITS["note"])


class GiftIn(SQLModel):
    at: AwareDatetime
    what: str = Field(min_length=1, max_length=WHAT_LIMIT)
    note: Note = Field(default=None, max_length=TEXT_LIMITS["note"])


def checked_label(label: str, limit: int = LABEL_LIMIT) -> str:
    """`label` as stored (stripped), or InvalidInput saying what is wrong with it."""
    problem = label_problem(label, limit)
    if problem is not None:
        raise InvalidInput(problem, fields={"who": problem})
    return label.strip()


def _find(conn: Connection, label: str) -> Person | None:
    row = conn.execute(
        select(person_t.c.id, person_t.c.label).where(person_t.c.key == label_key(label))
    ).first()
    return Person(row[0], row[1]) if row else None


def _named(conn: Connection, label: str) -> Person:
    found = _find(conn, label) if label.strip() else None
    if found is None:
        if not label.strip():
            raise InvalidInput("say whom: a person's label, like 'my sister'")
        raise NotFound(f"no person {label.strip()!r}; `tracker people` lists everyone")
    return found


def adopt(conn: Connection, who: str | None, limit: int = LABEL_LIMIT) -> str | None:
    """The label an attempt's `who` is stored as: the spelling of the person it names,
    or a new person's label (checked) when it names nobody yet."""
    if who is None or not who.strip():
        return None
    found = _find(conn, who)
    if found is not None:
        return found.label
    label = checked_label(who, limit)
    conn.execute(insert(person_t).values(label=label, key=label_key(label)))
    return label


def _thanks_from(row: Sequence[Any]) -> Thanks:
    attempt_id, kind, at, note = row
    return Thanks(attempt_id, ThankKind(kind), utc(at), note)


def _gift_from(row: Sequence[Any]) -> Gift:
    id_, who, at, what, note = row
    return Gift(id_, who, utc(at), what, note)


_GIFT_COLS = [given_t.c.id, person_t.c.label, given_t.c.given_at, given_t.c.what, given_t.c.note]
_THANK_COLS = [thank_t.c.attempt_id, thank_t.c.kind, thank_t.c.at, thank_t.c.note]


def _thankable(attempt: Attempt) -> None:
    """Refuse (InvalidInput) an attempt a thank-you cannot belong to, saying why."""
    if attempt.planned:
        raise InvalidInput(
            f"ask #{attempt.id} is still planned; complete it first "
            f"(tracker complete {attempt.id} --outcome ...)"
        )
    if attempt.outcome is not None and attempt.outcome not in THANKABLE:
        words = {
            Outcome.DECLINED: "they said no",
            Outcome.NO_ANSWER: "there was no answer",
            Outcome.AVOIDED: "you didn't ask that time",
        }[attempt.outcome]
        raise InvalidInput(
            f"ask #{attempt.id}: {words}, and that ask still counts; a thank-you goes with "
            "an ask that helped or partly helped"
        )
    if not attempt.who:
        raise InvalidInput(
            f"ask #{attempt.id} names nobody to thank; say who you asked first "
            "(edit the ask in the app's History)"
        )


T = TypeVar("T")


class PeopleStore:
    """The people part of `Store` (mixed in there)."""

    if TYPE_CHECKING:
        zone: tzinfo

        def _read(self, query: Any) -> Sequence[Row[Any]]: ...

        def write(self, action: Callable[[Connection], T]) -> T: ...

        def refresh_summary(
            self, conn: Connection, new: Attempt | None = None, changed: Attempt | None = None
        ) -> None: ...

    # -- reading --------------------------------------------------------------------

    def people(self) -> list[Person]:
        """Everyone, in the order they were first named."""
        rows = self._read(select(person_t.c.id, person_t.c.label).order_by(person_t.c.id))
        return [Person(int(row.id), str(row.label)) for row in rows]

    def person(self, label: str) -> Person:
        """The person `label` names (any case, surrounding spaces ignored)."""
        people = {label_key(p.label): p for p in self.people()}
        found = people.get(label_key(label)) if label.strip() else None
        if found is None:
            if not label.strip():
                raise InvalidInput("say whom: a person's label, like 'my sister'")
            raise NotFound(f"no person {label.strip()!r}; `tracker people` lists everyone")
        return found

    def thanks(self) -> list[Thanks]:
        return [_thanks_from(r) for r in self._read(select(*_THANK_COLS))]

    def thanks_of(self, attempt_id: int) -> Thanks | None:
        rows = self._read(select(*_THANK_COLS).where(thank_t.c.attempt_id == attempt_id))
        return _thanks_from(rows[0]) if rows else None

    def gifts(self) -> list[Gift]:
        """Help given back, newest first."""
        query = (
            select(*_GIFT_COLS)
            .join(person_t, person_t.c.id == given_t.c.person_id)
            .order_by(given_t.c.given_at.desc(), given_t.c.id.desc())
        )
        return [_gift_from(r) for r in self._read(query)]

    def attempts_with_people(self) -> list[Attempt]:
        query = (
            select(*_attempt_cols)
            .where(_attempt_t.c.who.is_not(None))
            .order_by(_attempt_t.c.occurred_at, _attempt_t.c.id)
        )
        return [attempt_from(r) for r in self._read(query)]

    def people_figures(self, now: datetime) -> list[PersonFigures]:
        """Each person's asks, thank-yous and help given, most recently in touch first."""
        return people_figures(
            self.people(), self.attempts_with_people(), self.thanks(), self.gifts(), now
        )

    def thanks_due(self, now: datetime) -> list[ThankDue]:
        """Thank-yous due on `now`'s local day, the soonest to lapse first."""
        query = (
            select(*_attempt_cols)
            .where(_attempt_t.c.outcome.in_([o.value for o in THANKABLE]))
            .where(_attempt_t.c.who.is_not(None))
            .where(_attempt_t.c.occurred_at >= due_since(now))
            .where(~exists().where(thank_t.c.attempt_id == _attempt_t.c.id))
        )
        return thanks_due([attempt_from(r) for r in self._read(query)], (), now)

    def asks_with_people_since(self, since: datetime) -> list[Attempt]:
        """Completed asks that name someone, from `since` (for people asked per month)."""
        query = (
            select(*_attempt_cols)
            .where(_attempt_t.c.who.is_not(None))
            .where(_attempt_t.c.outcome.is_not(None))
            .where(_attempt_t.c.outcome != Outcome.AVOIDED.value)
            .where(_attempt_t.c.occurred_at >= since)
            .order_by(_attempt_t.c.occurred_at, _attempt_t.c.id)
        )
        return [attempt_from(r) for r in self._read(query)]

    # -- writing --------------------------------------------------------------------

    def add_person(self, label: str) -> Person:
        """The person `label` names, added when there is none yet."""
        checked_label(label)

        def action(conn: Connection) -> Person:
            adopt(conn, label)
            return _named(conn, label)

        person: Person = self.write(action)
        return person

    def thank(
        self, attempt_id: int, at: datetime, note: str | None = None, *, skip: bool = False
    ) -> Thanks:
        """Record a thank-you for an ask (or, with `skip`, that none is needed).

        One an ask: a thank-you may replace "not needed", never another thank-you."""
        checked = validate(ThanksIn, {"at": at, "note": note})

        def action(conn: Connection) -> Thanks:
            row = conn.execute(select(*_attempt_cols).where(_attempt_t.c.id == attempt_id)).first()
            if row is None:
                raise NotFound(f"no attempt with id {attempt_id}; `tracker history` lists them")
            attempt = attempt_from(row)
            _thankable(attempt)
            if not skip and checked.at < attempt.occurred_at:
                raise InvalidInput(
                    f"that time is before ask #{attempt_id} itself; a thank-you comes after it"
                )
            had = conn.execute(select(*_THANK_COLS).where(thank_t.c.attempt_id == attempt_id))
            old = had.first()
            if old is not None:
                before = _thanks_from(old)
                if before.kind is ThankKind.THANKED:
                    raise InvalidInput(
                        f"you already thanked them for ask #{attempt_id} "
                        f"(on {before.at.astimezone(self.zone):%a %d %b %Y}); one an ask"
                    )
                if skip:
                    raise InvalidInput(f"ask #{attempt_id} is already marked as not needing one")
                conn.execute(delete(thank_t).where(thank_t.c.attempt_id == attempt_id))
            kind = ThankKind.SKIPPED if skip else ThankKind.THANKED
            conn.execute(
                insert(thank_t).values(
                    attempt_id=attempt_id, kind=kind.value, at=checked.at, note=checked.note
                )
            )
            return Thanks(attempt_id, kind, checked.at, checked.note)

        thanks: Thanks = self.write(action)
        return thanks

    def give(self, who: str, what: str, at: datetime, note: str | None = None) -> Gift:
        """Record help given back to `who` (made a person if new)."""
        label = checked_label(who)
        checked = validate(GiftIn, {"at": at, "what": what.strip(), "note": note})

        def action(conn: Connection) -> Gift:
            stored = adopt(conn, label)
            assert stored is not None
            person = _named(conn, stored)
            result = conn.execute(
                insert(given_t).values(
                    person_id=person.id, given_at=checked.at, what=checked.what, note=checked.note
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return Gift(int(key[0]), person.label, checked.at, checked.what, checked.note)

        gift: Gift = self.write(action)
        return gift

    def rename_person(self, label: str, new_label: str) -> Person:
        """Give a person another label; every ask that named them follows."""
        new = checked_label(new_label)

        def action(conn: Connection) -> Person:
            person = _named(conn, label)
            other = _find(conn, new)
            if other is not None and other.id != person.id:
                raise InvalidInput(
                    f"{other.label!r} is someone already; to make them one person, merge them"
                )
            conn.execute(
                update(person_t)
                .where(person_t.c.id == person.id)
                .values(label=new, key=label_key(new))
            )
            conn.execute(update(_attempt_t).where(_attempt_t.c.who == person.label).values(who=new))
            self.refresh_summary(conn)
            return Person(person.id, new)

        renamed: Person = self.write(action)
        return renamed

    def merge_people(self, label: str, into: str) -> Person:
        """Make two labels one person: `label`'s asks, thank-yous and help given become
        `into`'s, and `label` is no more."""

        def action(conn: Connection) -> Person:
            source, target = _named(conn, label), _named(conn, into)
            if source.id == target.id:
                raise InvalidInput(f"{source.label!r} and {into.strip()!r} are already one person")
            conn.execute(
                update(_attempt_t).where(_attempt_t.c.who == source.label).values(who=target.label)
            )
            conn.execute(
                update(given_t).where(given_t.c.person_id == source.id).values(person_id=target.id)
            )
            conn.execute(delete(person_t).where(person_t.c.id == source.id))
            self.refresh_summary(conn)
            return target

        merged: Person = self.write(action)
        return merged

    def count_people(self) -> int:
        return int(self._read(select(func.count()).select_from(person_t))[0][0])
