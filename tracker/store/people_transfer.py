"""People, thank-yous and help given in a JSON export, and back again on import.

An export (tracker.store.transfer) gains three lists beside "attempts":

- "people": [{"who"}], in the order they were first named;
- "thanks": [{"attempt", "kind", "at", "note"}], where "attempt" is the ask's position
  (from 1) in the export's "attempts" list, "kind" is "thanked" or "skipped";
- "gave": [{"who", "at", "what", "note"}].

Importing writes them in the import's own transaction (Store.import_all's `people`
hook), so all of it or nothing lands; what is already there is not added twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from tracker.domain.models import TEXT_LIMITS, Attempt
from tracker.domain.people import Gift, Person, ThankKind, Thanks, label_key
from tracker.store.errors import InvalidInput
from tracker.store.rows import attempt_from, utc

if TYPE_CHECKING:
    from sqlalchemy import Connection


KEYS = ("people", "thanks", "gave")


class PeopleExportable(Protocol):
    """What the people part of an export reads: a Store, or tracker.store.unsaved.Unsaved."""

    def people(self) -> list[Person]: ...

    def thanks(self) -> list[Thanks]: ...

    def gifts(self) -> list[Gift]: ...


def people_document(store: PeopleExportable, attempts: Sequence[Attempt]) -> dict[str, Any]:
    """The people part of an export; `attempts` in the export's order (by id)."""
    position = {a.id: n for n, a in enumerate(attempts, start=1)}
    thanks = sorted(
        (t for t in store.thanks() if t.attempt_id in position),
        key=lambda t: position[t.attempt_id],
    )
    return {
        "people": [{"who": p.label} for p in store.people()],
        "thanks": [
            {
                "attempt": position[t.attempt_id],
                "kind": str(t.kind),
                "at": t.at.astimezone(UTC).isoformat(),
                "note": t.note,
            }
            for t in thanks
        ],
        "gave": [
            {"who": g.who, "at": g.at.astimezone(UTC).isoformat(), "what": g.what, "note": g.note}
            for g in sorted(store.gifts(), key=lambda g: g.id)
        ],
    }


@dataclass(frozen=True, slots=True)
class PeopleParsed:
    people: list[str]
    thanks: list[tuple[int, ThankKind, datetime, str | None]]
    gave: list[tuple[str, datetime, str, str | None]]


def _fail(message: str) -> InvalidInput:
    return InvalidInput(f"cannot import: {message}; nothing was changed")


def _time(value: Any, what: str) -> datetime:
    moment = None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
    if moment is None or moment.tzinfo is None:
        raise _fail(f"{what} needs a time with its zone")
    return moment


def _text(value: Any, what: str, limit: int, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(f"{what} must be text")
    if len(value) > limit:
        raise _fail(f"{what} is longer than {limit} characters")
    return value.strip() or None


def _list(doc: Mapping[str, Any], key: str) -> list[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise _fail(f'"{key}" must be a list')
    return value


def parse_people(doc: Mapping[str, Any], attempts: int) -> PeopleParsed:
    """Check the people part of an export (`attempts`: how many the file holds)."""
    people: list[str] = []
    for n, item in enumerate(_list(doc, "people"), start=1):
        who = _text(item.get("who") if isinstance(item, dict) else None, f"person {n}", 120, True)
        assert who is not None
        people.append(who)
    thanks: list[tuple[int, ThankKind, datetime, str | None]] = []
    seen: set[int] = set()
    for n, item in enumerate(_list(doc, "thanks"), start=1):
        if not isinstance(item, dict):
            raise _fail(f"thank-you {n} is not an object")
        position = item.get("attempt")
        if (
            not isinstance(position, int)
            or isinstance(position, bool)
            or not 1 <= position <= attempts
        ):
            raise _fail(f"thank-you {n} must name an attempt of the file by its position")
        if position in seen:
            raise _fail(f"thank-you {n}: attempt {position} has one already")
        seen.add(position)
        try:
            kind = ThankKind(str(item.get("kind")))
        except ValueError:
            raise _fail(f'thank-you {n} needs a kind, "thanked" or "skipped"') from None
        note = _text(item.get("note"), f"thank-you {n}'s note", TEXT_LIMITS["note"])
        thanks.append((position, kind, _time(item.get("at"), f"thank-you {n}"), note))
    gave: list[tuple[str, datetime, str, str | None]] = []
    for n, item in enumerate(_list(doc, "gave"), start=1):
        if not isinstance(item, dict):
            raise _fail(f"help given {n} is not an object")
        who = _text(item.get("who"), f"help given {n}'s who", 120, True)
        what = _text(item.get("what"), f"help given {n}'s what", 500, True)
        note = _text(item.get("note"), f"help given {n}'s note", TEXT_LIMITS["note"])
        assert who is not None and what is not None
        gave.append((who, _time(item.get("at"), f"help given {n}"), what, note))
    return PeopleParsed(people, thanks, gave)


def people_writer(
    parsed: PeopleParsed, attempts: Sequence[tuple[str, Mapping[str, Any]]]
) -> Callable[[Connection], None]:
    """What Store.import_all runs, in its transaction, once the attempts are in."""

    def write(conn: Connection) -> None:
        from sqlalchemy import insert, select  # brings SQLAlchemy: reading an export needs none

        from tracker.store.inputs import AttemptIn, validate  # brings pydantic
        from tracker.store.people import _named, adopt, given_t, thank_t  # brings SQLAlchemy
        from tracker.store.repository import attempt_cols, challenge_t  # brings SQLAlchemy
        from tracker.store.transfer import _record  # transfer imports this module

        for who in parsed.people:
            adopt(conn, who, TEXT_LIMITS["who"])
        if parsed.thanks:
            ids = {r.slug: r.id for r in conn.execute(select(challenge_t.c.slug, challenge_t.c.id))}
            stored: dict[tuple[Any, ...], list[int]] = {}
            for row in conn.execute(select(*attempt_cols).order_by(attempt_cols[0])):
                a = attempt_from(row)
                stored.setdefault(_record(a), []).append(a.id)
            have = set(conn.execute(select(thank_t.c.attempt_id)).scalars())
            # Identical records in the file map, in order, to identical stored ones.
            given_records: dict[tuple[Any, ...], int] = {}
            for position, kind, at, note in parsed.thanks:
                slug, data = attempts[position - 1]
                checked = validate(AttemptIn, {**data, "challenge_id": ids[slug]})
                if checked.who is not None:
                    checked.who = adopt(conn, checked.who, TEXT_LIMITS["who"])
                record = _record(checked)
                nth = given_records.get(record, 0)
                given_records[record] = nth + 1
                matches = stored.get(record, [])
                if nth >= len(matches):
                    raise InvalidInput(f"thank-you for attempt {position} finds no attempt")
                attempt_id = matches[nth]
                if attempt_id in have:
                    continue
                conn.execute(
                    insert(thank_t).values(attempt_id=attempt_id, kind=kind.value, at=at, note=note)
                )
                have.add(attempt_id)
        if parsed.gave:
            existing = {
                (label_key(who), at.astimezone(UTC), what, note)
                for who, at, what, note in _gifts(conn)
            }
            for who, at, what, note in parsed.gave:
                label = adopt(conn, who, TEXT_LIMITS["who"])
                assert label is not None
                if (label_key(label), at.astimezone(UTC), what, note) in existing:
                    continue
                person = _named(conn, label)
                conn.execute(
                    insert(given_t).values(person_id=person.id, given_at=at, what=what, note=note)
                )
                existing.add((label_key(label), at.astimezone(UTC), what, note))

    return write


def _gifts(conn: Connection) -> list[tuple[str, datetime, str, str | None]]:
    from sqlalchemy import select  # brings SQLAlchemy

    from tracker.store.people import given_t, person_t  # brings SQLAlchemy

    query = select(person_t.c.label, given_t.c.given_at, given_t.c.what, given_t.c.note).join(
        person_t, person_t.c.id == given_t.c.person_id
    )
    return [(r[0], utc(r[1]), r[2], r[3]) for r in conn.execute(query)]
