"""Export to JSON or CSV, and import a JSON export back, all or nothing.

The JSON document holds everything needed to rebuild the same history and the same
suggestion: every challenge (built-in, custom, moved, archived) in id order, every
attempt in id order naming its challenge by slug, the settings and a format version.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any, Protocol, TypeGuard

from pydantic import ValidationError
from sqlalchemy import delete, insert, select, update

from tracker.clock import now as clock_now
from tracker.domain.models import (
    DISPLAY_SETTINGS,
    SETTING_SPECS,
    TEXT_LIMITS,
    Attempt,
    Challenge,
    Settings,
)
from tracker.domain.when import FUTURE_TOLERANCE, describe_when
from tracker.store.errors import InvalidInput
from tracker.store.folding import remember_climbs
from tracker.store.inputs import (
    EARLIEST,
    LATEST,
    AttemptIn,
    ChallengeIn,
    field_errors,
    setting_rows,
    validate,
    validate_many,
)
from tracker.store.people import adopt
from tracker.store.people_transfer import (
    PeopleExportable,
    PeopleParsed,
    parse_people,
    people_document,
    people_writer,
)
from tracker.store.repository import (
    Store,
    attempt_cols,
    attempt_t,
    attempt_values,
    challenge_t,
    inserted_id,
    setting_t,
)
from tracker.store.rows import ATTEMPT_COLUMNS, attempt_from, encode_strategies
from tracker.store.seed import retired_slugs
from tracker.visible import json_text, visible

if TYPE_CHECKING:
    from sqlalchemy import Connection

FORMAT_NAME = "tracker-export"
FORMAT_VERSION = 2
#: Every format version this tracker has written, and so reads. When the export gains
#: keys, it writes the next version and import reads all of these.
READABLE_VERSIONS = (1, 2)
_V1_KEYS = {"format", "version", "exported_at", "settings", "challenges", "attempts", "climbs"}
#: The top-level keys each version writes (2 added the people, thank-yous and help given).
DOCUMENT_KEYS = {1: _V1_KEYS, 2: _V1_KEYS | {"people", "thanks", "gave"}}
#: What version 2 added inside a challenge (any-time asks) and an attempt (what was
#: seen, a kinder thought, a plan's time): a version 1 file never has them.
_ADDED_IN_2 = {"challenge": {"anytime"}, "attempt": {"evidence", "kinder", "planned_for"}}
MAX_IMPORT_BYTES = 256 * 1024 * 1024
#: No number tracker writes has more characters than this (SQLite's integers have 19
#: digits); longer ones are refused before Python's int() sees them.
MAX_NUMBER_CHARS = 24

CHALLENGE_KEYS = ("slug", "title", "description", "rung", "anytime", "context", "barrier", "tip")
#: An attempt's fields in an export: every column but the ids (the challenge goes by slug).
ATTEMPT_KEYS = tuple(c for c in ATTEMPT_COLUMNS if c not in ("id", "challenge_id"))


class Exportable(PeopleExportable, Protocol):
    """What an export reads: a Store, or tracker.store.unsaved.Unsaved."""

    def challenges(self, include_archived: bool = True) -> list[Challenge]: ...

    def attempts(self) -> list[Attempt]: ...

    def settings(self) -> Settings: ...

    def climbs(self) -> dict[int, datetime]: ...


def challenge_record(c: Challenge) -> dict[str, Any]:
    return {
        k: str(getattr(c, k)) if k in ("context", "barrier") else getattr(c, k)
        for k in CHALLENGE_KEYS
    } | {"builtin": c.builtin, "archived": c.archived}


def attempt_record(a: Attempt, slug: str) -> dict[str, Any]:
    record: dict[str, Any] = {"challenge": slug}
    for key in ATTEMPT_KEYS:
        value = getattr(a, key)
        if key in ("occurred_at", "planned_for") and value is not None:
            value = value.astimezone(UTC).isoformat()
        elif key == "strategies":
            value = [str(s) for s in value]
        elif key in ("outcome", "channel") and value is not None:
            value = str(value)
        record[key] = value
    return record


def export_document(store: Exportable, now: datetime) -> dict[str, Any]:
    # Attempts first: only `forget --all` deletes challenges (with every attempt), so
    # every attempt read finds its challenge even while another process writes.
    attempts = sorted(store.attempts(), key=lambda a: a.id)
    challenges = sorted(store.challenges(), key=lambda c: c.id)
    slugs = {c.id: c.slug for c in challenges}
    settings = store.settings()
    setting_values = {
        name: getattr(settings, name) for name in _setting_names() if hasattr(settings, name)
    }
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": now.astimezone(UTC).isoformat(),
        "settings": setting_values,
        "challenges": [challenge_record(c) for c in challenges],
        "attempts": [attempt_record(a, slugs[a.challenge_id]) for a in attempts],
        "climbs": [
            {"rung": rung, "climbed_at": moment.astimezone(UTC).isoformat()}
            for rung, moment in sorted(store.climbs().items())
        ],
    } | people_document(store, attempts)


def _setting_names() -> list[str]:

    return [s.name for s in SETTING_SPECS] + list(DISPLAY_SETTINGS)


def export_json(store: Exportable, now: datetime) -> str:
    return json_text(export_document(store, now)) + "\n"  # exact text, DEL and C1 as \u escapes


#: A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """One CSV cell for a spreadsheet. Text gets its control characters shown escaped
    (tracker.visible; newlines and tabs stay), then a leading ' if it would start a
    formula, so it opens as the text it is. Numbers are never negative in tracker, so
    only text cells are touched; the JSON export keeps every text exactly."""
    if not isinstance(value, str):
        return value
    value = visible(value, multiline=True)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def export_csv(store: Exportable) -> str:
    """One attempt a row, newest first, with its challenge spelled out for spreadsheets."""
    by_id = {c.id: c for c in store.challenges()}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "challenge", "title", "rung", "context", *ATTEMPT_KEYS])
    for a in store.attempts():
        c = by_id[a.challenge_id]
        record = attempt_record(a, c.slug)
        record["strategies"] = ";".join(record["strategies"])
        if record["happened"] is not None:
            record["happened"] = "yes" if record["happened"] else "no"
        row = [a.id, c.slug, c.title, c.rung, c.context, *(record[k] for k in ATTEMPT_KEYS)]
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()


def _fail(message: str) -> InvalidInput:
    return InvalidInput(f"cannot import: {message}; nothing was changed")


# -- reading the file ----------------------------------------------------------------------


def read_import(name: str) -> str:
    """The text of the file `name` ("-": standard input), as import reads it.

    Only a regular file is opened (a device, FIFO, socket or folder is refused before a
    byte is read, a symlink by what it points at), and never more than MAX_IMPORT_BYTES
    are read, whatever the file says its size is. A UTF-8 byte order mark is dropped.
    Raises InvalidInput (exit 2) with one plain line.
    """
    if name == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            raise InvalidInput("cannot read -: there is no standard input to read")
        data = read_limited(stdin, MAX_IMPORT_BYTES, "standard input")
    else:
        data = _read_regular(name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InvalidInput(
            f"cannot read {name}: it is not UTF-8 text (byte {e.start + 1}); import takes "
            "the JSON that `tracker export` writes"
        ) from None


def _read_regular(name: str) -> bytes:
    def cannot(why: str) -> InvalidInput:
        return InvalidInput(f"cannot read {name}: {why}")

    not_regular = cannot(
        "it is not a regular file (a device, FIFO, socket or folder); import reads a file "
        "that `tracker export` wrote"
    )
    try:
        # Look before opening: opening a FIFO waits for a writer, a device may act.
        if not stat.S_ISREG(os.stat(name).st_mode):
            raise not_regular
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(name, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise cannot(_reason(e)) from None
    try:
        info = os.fstat(fd)  # what was opened, in case the name changed since the look
        if not stat.S_ISREG(info.st_mode):
            raise not_regular
        if info.st_size > MAX_IMPORT_BYTES:
            raise _too_large()
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return read_limited(stream, MAX_IMPORT_BYTES, name)
    except OSError as e:
        raise cannot(_reason(e)) from None
    finally:
        os.close(fd)


def _reason(error: OSError) -> str:
    return (error.strerror or type(error).__name__).lower()


def _too_large() -> InvalidInput:
    return _fail(f"the file is larger than any export tracker writes ({MAX_IMPORT_BYTES} bytes)")


def read_limited(stream: IO[bytes], limit: int, name: str) -> bytes:
    """At most `limit` bytes of `stream`: reads limit + 1 at most, and refuses if it got them."""
    chunks: list[bytes] = []
    left = limit + 1
    while left > 0:
        try:
            chunk = stream.read(min(left, 1 << 20))
        except OSError as e:
            raise InvalidInput(f"cannot read {name}: {_reason(e)}") from None
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    if left <= 0:
        raise _too_large()
    return b"".join(chunks)


# -- checking the document -----------------------------------------------------------------


class _BadNumber(Exception):
    """A JSON number no export holds: too long for int(), or NaN/Infinity."""


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _BadNumber(f"a number with {len(text)} digits")
    return int(text)


def _constant(name: str) -> Any:
    raise _BadNumber(f"{name}, which is not a number JSON allows")


def _moment(value: Any, what: str) -> datetime:
    """An ISO time with its zone, between 1900 and 2199 (as the store keeps them)."""

    if not isinstance(value, str):
        raise _fail(f"{what} must be a time, like 2026-11-20T17:30:00+00:00")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _fail(f"{what} is not a time ({value[:40]!r})") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _fail(f"{what} needs its time zone, like 2026-11-20T17:30:00+00:00")
    try:
        in_utc = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        in_utc = None
    if in_utc is None or not EARLIEST <= in_utc < LATEST:
        raise _fail(f"{what} must be between the years 1900 and 2199 (got {value[:40]!r})")
    return moment


def _not_future(moment: datetime, now: datetime, what: str) -> None:
    """As `--when` refuses it: a completed ask (or a climb) cannot come after now."""

    if moment.astimezone(UTC) > now.astimezone(UTC) + FUTURE_TOLERANCE:
        raise _fail(f"{what} is in the future: {describe_when(moment, now)}")


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


#: The JSON kind of each field an export writes (None allowed where marked).
_CHALLENGE_KINDS: dict[str, tuple[str, bool]] = {
    "slug": ("text", False),
    "title": ("text", False),
    "description": ("text", False),
    "rung": ("number", True),  # none for an any-time challenge
    "anytime": ("flag", False),
    "context": ("text", False),
    "barrier": ("text", False),
    "tip": ("text", False),
    "builtin": ("flag", False),
    "archived": ("flag", False),
}
_ATTEMPT_KINDS: dict[str, tuple[str, bool]] = {
    "occurred_at": ("text", False),
    "outcome": ("text", True),
    "who": ("text", True),
    "channel": ("text", True),
    "feared": ("text", True),
    "predicted": ("number", True),
    "expected_distress": ("number", True),
    "happened": ("flag", True),
    "peak_distress": ("number", True),
    "confidence": ("number", True),
    "rerated": ("number", True),
    "strategies": ("list", False),
    "learned": ("text", True),
    "note": ("text", True),
    "evidence": ("text", True),
    "kinder": ("text", True),
    "planned_for": ("text", True),
}
_KIND_WORDS = {
    "text": "text",
    "number": "a whole number",
    "flag": "true or false",
    "list": "a list of names",
}


def _check_kinds(raw: dict[str, Any], kinds: dict[str, tuple[str, bool]], what: str) -> None:
    """Every field is of the JSON kind tracker writes for it: no "60" for 60, no 1 for true."""
    for key, value in raw.items():
        spec = kinds.get(key)
        if spec is None:
            continue
        kind, nullable = spec
        if value is None and nullable:
            continue
        if kind == "text":
            ok = isinstance(value, str)
        elif kind == "number":
            ok = _whole(value)
        elif kind == "flag":
            ok = isinstance(value, bool)
        else:
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        if not ok:
            raise _fail(f"{what}: {key} must be {_KIND_WORDS[kind]} (got {_shown(value)})")


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 40 else text[:37] + "..."


Parsed = tuple[
    list[ChallengeIn],
    list[tuple[str, dict[str, Any]]],
    dict[str, Any],
    dict[int, datetime],
    PeopleParsed,
]


def parse_document(text: str, now: datetime | None = None) -> Parsed:
    """Check an export's shape and values before anything is written.

    `now` (default: the clock) is when a completed ask must not come after."""
    if now is None:
        now = clock_now()
    if len(text) > MAX_IMPORT_BYTES:
        raise _too_large()
    text = text.removeprefix("\ufeff")  # a byte order mark, as some editors save
    try:
        doc = json.loads(text, parse_int=_int, parse_constant=_constant)
    except json.JSONDecodeError as e:
        hint = " (it looks like CSV; import takes the JSON export)" if "," in text[:200] else ""
        raise _fail(f"not valid JSON at line {e.lineno}, column {e.colno}{hint}") from None
    except _BadNumber as e:
        raise _fail(f"the file holds {e}") from None
    except (RecursionError, MemoryError):
        raise _fail("the JSON is nested far deeper than any export") from None
    except ValueError as e:  # pragma: no cover - anything else json refuses
        raise _fail(f"not valid JSON ({type(e).__name__})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise _fail('this is not a tracker export (no "format": "tracker-export")')
    version = doc.get("version")
    if not _whole(version):
        raise _fail("the export has no format version")
    if version not in READABLE_VERSIONS:
        readable = ", ".join(map(str, READABLE_VERSIONS))
        if version > FORMAT_VERSION:
            raise _fail(
                f"the export is format {version}, newer than this tracker reads ({readable}); "
                "upgrade tracker to import it"
            )
        raise _fail(f"the export says format version {version}; tracker writes {readable}")
    unknown_keys = set(doc) - DOCUMENT_KEYS[version]
    if unknown_keys:
        raise _fail(f"the export has keys format {version} never has: {_names(unknown_keys)}")
    if doc.get("exported_at") is not None:
        _moment(doc["exported_at"], "exported_at")
    challenges_raw = doc.get("challenges", [])
    attempts_raw = doc.get("attempts", [])
    settings = doc.get("settings", {})
    if not isinstance(challenges_raw, list) or not isinstance(attempts_raw, list):
        raise _fail('"challenges" and "attempts" must be lists')
    if not isinstance(settings, dict):
        raise _fail('"settings" must be an object')

    challenges: list[ChallengeIn] = []
    for n, raw in enumerate(challenges_raw, start=1):
        if not isinstance(raw, dict):
            raise _fail(f"challenge {n} is not an object")
        unknown = set(raw) - set(_CHALLENGE_KINDS)
        if version < 2:
            unknown |= set(raw) & _ADDED_IN_2["challenge"]
        if unknown:
            raise _fail(f"challenge {n} has unknown fields: {_names(unknown)}")
        _check_kinds(raw, _CHALLENGE_KINDS, f"challenge {n}")
        try:
            challenges.append(validate(ChallengeIn, raw))
        except InvalidInput as e:
            raise _fail(f"challenge {n}: {e}") from None

    attempts: list[tuple[str, dict[str, Any]]] = []
    for n, raw in enumerate(attempts_raw, start=1):
        if not isinstance(raw, dict):
            raise _fail(f"attempt {n} is not an object")
        slug = raw.get("challenge")
        if not isinstance(slug, str):
            raise _fail(f"attempt {n} has no challenge slug")
        unknown = set(raw) - {"challenge", *ATTEMPT_KEYS}
        if version < 2:
            unknown |= set(raw) & _ADDED_IN_2["attempt"]
        if unknown:
            raise _fail(f"attempt {n} has unknown fields: {_names(unknown)}")
        data = dict(raw)
        del data["challenge"]
        if not isinstance(data.get("occurred_at"), str):
            raise _fail(f"attempt {n} has no occurred_at time")
        _check_kinds(data, _ATTEMPT_KINDS, f"attempt {n}")
        data["occurred_at"] = _moment(data["occurred_at"], f"attempt {n}'s time")
        if data.get("planned_for") is not None:  # a plan's time may be ahead
            data["planned_for"] = _moment(data["planned_for"], f"attempt {n}'s planned time")
        if data.get("outcome") is not None:  # a plan may be for later; a done ask may not
            _not_future(data["occurred_at"], now, f"attempt {n}, completed,")
        attempts.append((slug, data))  # the other values are checked by the store

    for key, value in settings.items():
        if key in DISPLAY_SETTINGS:
            if not isinstance(value, str):
                raise _fail(f"setting {key!r} must be text")
        elif not _whole(value):
            raise _fail(f"setting {key!r} must be a whole number")
    people = parse_people(doc, len(attempts))
    return challenges, attempts, settings, _climbs(doc.get("climbs", []), now), people


def _names(keys: set[str]) -> str:
    return ", ".join(_shown(k) for k in sorted(keys))


def _climbs(raw: Any, now: datetime) -> dict[int, datetime]:
    """Rungs climbed and when (optional: exports before it was added have none)."""
    if not isinstance(raw, list):
        raise _fail('"climbs" must be a list')
    climbs: dict[int, datetime] = {}
    for n, item in enumerate(raw, start=1):
        if isinstance(item, dict) and set(item) - {"rung", "climbed_at"}:
            raise _fail(
                f"climb {n} has unknown fields: {_names(set(item) - {'rung', 'climbed_at'})}"
            )
        rung = item.get("rung") if isinstance(item, dict) else None
        when = item.get("climbed_at") if isinstance(item, dict) else None
        if not _whole(rung) or not 1 <= rung <= 10:
            raise _fail(f"climb {n} needs a rung from 1 to 10")
        if not isinstance(when, str):
            raise _fail(f"climb {n} needs a climbed_at time with its zone")
        moment = _moment(when, f"climb {n}'s climbed_at")
        _not_future(moment, now, f"climb {n}")
        climbs[rung] = moment
    return climbs


def import_text(store: Store, text: str, now: datetime | None = None) -> ImportReport:
    return import_parsed(store, parse_document(text, now))


def import_parsed(store: Store, parsed: Parsed) -> ImportReport:
    """Write a checked document (parse_document) in one transaction."""
    challenges, attempts, settings, climbs, people = parsed
    try:
        return import_all(
            store, challenges, attempts, settings, climbs, people_writer(people, attempts)
        )
    except InvalidInput as e:
        raise _fail(str(e)) from None
    except ValidationError as e:  # pragma: no cover - validate() converts these
        raise _fail(str(field_errors(e))) from None


@dataclass(frozen=True, slots=True)
class ImportReport:
    challenges_added: int
    challenges_updated: int
    attempts_added: int
    attempts_skipped: int  # already present (same challenge, time and outcome)


def import_all(
    store: Store,
    challenges: Sequence[ChallengeIn],
    attempts: Sequence[tuple[str, Mapping[str, Any]]],
    settings: Mapping[str, int | str],
    climbs: Mapping[int, datetime] | None = None,
    people: Callable[[Connection], None] | None = None,
) -> ImportReport:
    """Write an export back in one transaction: all of it, or nothing.

    Challenges are matched by slug (updated in place, or added); attempts name their
    challenge by slug and are skipped when the same one is already logged. Every
    `who` becomes a person; `people` then writes the people part of the export
    (tracker.store.people_transfer) in the same transaction.
    """
    specs = {s.name for s in SETTING_SPECS} | set(DISPLAY_SETTINGS)
    unknown = set(settings) - specs
    if unknown:
        raise InvalidInput(f"unknown settings in the file: {', '.join(sorted(unknown))}")
    new_settings = setting_rows(settings)
    retired = retired_slugs()

    def action(conn: Connection) -> ImportReport:
        held = {r.slug: r._asdict() for r in conn.execute(select(challenge_t))}
        ids = {slug: r["id"] for slug, r in held.items()}
        added = updated = 0
        for c in challenges:
            row = c.model_dump(mode="json")
            if c.builtin and c.slug in retired:
                row["archived"] = True  # retired for good, whatever the file says
            if c.slug in ids:
                if all(held[c.slug][k] == v for k, v in row.items()):
                    continue  # the same challenge: nothing to update, nothing to report
                conn.execute(update(challenge_t).where(challenge_t.c.id == ids[c.slug]).values(row))
                updated += 1
            else:
                ids[c.slug] = inserted_id(conn.execute(insert(challenge_t).values(row)))
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
        labels: dict[str, str | None] = {}  # each `who` as its person is spelled
        for checked in validate_many(AttemptIn, given, "attempt"):
            if checked.who is not None:
                if checked.who not in labels:
                    labels[checked.who] = adopt(conn, checked.who, TEXT_LIMITS["who"])
                checked.who = labels[checked.who]
            values = attempt_values(checked)
            if _record(checked) not in existing:
                rows.append(values)
        if rows:
            conn.execute(insert(attempt_t), rows)
        if new_settings:
            conn.execute(delete(setting_t).where(setting_t.c.key.in_(list(settings))))
            conn.execute(insert(setting_t), new_settings)
        if climbs:
            remember_climbs(conn, climbs)
        if people is not None:
            people(conn)
        store.refresh_summary(conn)
        return ImportReport(added, updated, len(rows), len(attempts) - len(rows))

    return store.write(action)


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
