"""Export to JSON or CSV, and import a JSON export back, all or nothing.

The JSON document holds everything needed to rebuild the same history and the same
suggestion: every challenge (built-in, custom, moved, archived) in id order, every
attempt in id order naming its challenge by slug, the settings and a format version.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import ValidationError
from sqlalchemy import delete, insert, select, update

from tracker.domain.models import SETTING_SPECS, Attempt, Challenge, Settings
from tracker.store.errors import InvalidInput
from tracker.store.folding import remember_climbs
from tracker.store.inputs import (
    AttemptIn,
    ChallengeIn,
    field_errors,
    setting_rows,
    validate,
    validate_many,
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

if TYPE_CHECKING:
    from sqlalchemy import Connection

FORMAT_NAME = "tracker-export"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 256 * 1024 * 1024

CHALLENGE_KEYS = ("slug", "title", "description", "rung", "context", "barrier", "tip")
#: An attempt's fields in an export: every column but the ids (the challenge goes by slug).
ATTEMPT_KEYS = tuple(c for c in ATTEMPT_COLUMNS if c not in ("id", "challenge_id"))


class Exportable(Protocol):
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
        if key == "occurred_at":
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
    }


def _setting_names() -> list[str]:
    return [s.name for s in SETTING_SPECS] + ["theme"]


def export_json(store: Exportable, now: datetime) -> str:
    return json.dumps(export_document(store, now), indent=2, ensure_ascii=False) + "\n"


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
        writer.writerow(
            [a.id, c.slug, c.title, c.rung, c.context, *(record[k] for k in ATTEMPT_KEYS)]
        )
    return out.getvalue()


def _fail(message: str) -> InvalidInput:
    return InvalidInput(f"cannot import: {message}; nothing was changed")


Parsed = tuple[
    list[ChallengeIn], list[tuple[str, dict[str, Any]]], dict[str, Any], dict[int, datetime]
]


def parse_document(text: str) -> Parsed:
    """Check an export's shape and values before anything is written."""
    if len(text) > MAX_IMPORT_BYTES:
        raise _fail("the file is larger than any export tracker writes")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        hint = " (it looks like CSV; import takes the JSON export)" if "," in text[:200] else ""
        raise _fail(f"not valid JSON at line {e.lineno}, column {e.colno}{hint}") from None
    except RecursionError:
        raise _fail("the JSON is nested far deeper than any export") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise _fail('this is not a tracker export (no "format": "tracker-export")')
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _fail("the export has no format version")
    if version > FORMAT_VERSION:
        raise _fail(
            f"the export is format {version}, newer than this tracker reads ({FORMAT_VERSION})"
        )
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
        if unknown:
            raise _fail(f"attempt {n} has unknown fields: {', '.join(sorted(unknown))}")
        data = dict(raw)
        del data["challenge"]
        if not isinstance(data.get("occurred_at"), str):
            raise _fail(f"attempt {n} has no occurred_at time")
        attempts.append((slug, data))  # values (times included) are checked by the store

    for key, value in settings.items():
        if key != "theme" and (not isinstance(value, int) or isinstance(value, bool)):
            raise _fail(f"setting {key!r} must be a whole number")
    return challenges, attempts, settings, _climbs(doc.get("climbs", []))


def _climbs(raw: Any) -> dict[int, datetime]:
    """Rungs climbed and when (optional: exports before it was added have none)."""
    if not isinstance(raw, list):
        raise _fail('"climbs" must be a list')
    climbs: dict[int, datetime] = {}
    for n, item in enumerate(raw, start=1):
        rung = item.get("rung") if isinstance(item, dict) else None
        when = item.get("climbed_at") if isinstance(item, dict) else None
        if not isinstance(rung, int) or isinstance(rung, bool) or not 1 <= rung <= 10:
            raise _fail(f"climb {n} needs a rung from 1 to 10")
        try:
            moment = datetime.fromisoformat(when) if isinstance(when, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise _fail(f"climb {n} needs a climbed_at time with its zone")
        climbs[rung] = moment
    return climbs


def import_text(store: Store, text: str) -> ImportReport:
    return import_parsed(store, parse_document(text))


def import_parsed(store: Store, parsed: Parsed) -> ImportReport:
    """Write a checked document (parse_document) in one transaction."""
    challenges, attempts, settings, climbs = parsed
    try:
        return import_all(store, challenges, attempts, settings, climbs)
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
) -> ImportReport:
    """Write an export back in one transaction: all of it, or nothing.

    Challenges are matched by slug (updated in place, or added); attempts name their
    challenge by slug and are skipped when the same one is already logged.
    """
    specs = {s.name for s in SETTING_SPECS} | {"theme"}
    unknown = set(settings) - specs
    if unknown:
        raise InvalidInput(f"unknown settings in the file: {', '.join(sorted(unknown))}")
    new_settings = setting_rows(settings)

    def action(conn: Connection) -> ImportReport:
        ids = {r.slug: r.id for r in conn.execute(select(challenge_t.c.slug, challenge_t.c.id))}
        added = updated = 0
        for c in challenges:
            row = c.model_dump(mode="json")
            if c.slug in ids:
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
        for checked in validate_many(AttemptIn, given, "attempt"):
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
