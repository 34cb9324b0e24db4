"""Rows to plain values, shared by every way the store reads.

The converters take rows positionally, in the column order named here, so that
SQLAlchemy rows and the standard library's sqlite3 tuples (tracker.store.reader) go
through the same code. No database library is imported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from tracker.domain.models import (
    DISPLAY_SETTINGS,
    SETTING_SPECS,
    Attempt,
    Barrier,
    Challenge,
    Channel,
    Context,
    Outcome,
    Settings,
    Strategy,
)

CHALLENGE_COLUMNS = (
    "id",
    "slug",
    "title",
    "rung",
    "context",
    "barrier",
    "tip",
    "description",
    "builtin",
    "archived",
)
ATTEMPT_COLUMNS = (
    "id",
    "challenge_id",
    "occurred_at",
    "outcome",
    "who",
    "channel",
    "feared",
    "predicted",
    "expected_distress",
    "happened",
    "peak_distress",
    "confidence",
    "rerated",
    "strategies",
    "learned",
    "note",
    "evidence",
    "kinder",
    "planned_for",
)

#: Settings held as free text, which no rule reads.

_OUTCOMES = {o.value: o for o in Outcome}
_CHANNELS = {c.value: c for c in Channel}
_STRATEGY_ORDER = list(Strategy)


def utc(value: datetime | str) -> datetime:
    """A stored time (naive UTC, as a datetime or SQLite's text) as an aware UTC time."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def stored_time(moment: datetime) -> str:
    """An aware time as SQLite holds it: naive UTC text, comparable as a string."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def encode_strategies(strategies: Iterable[Strategy]) -> str:
    """Strategies as stored: comma-separated, in a fixed order, each once."""
    return _encoded(frozenset(strategies))


@cache
def _encoded(chosen: frozenset[Strategy]) -> str:  # 32 possible sets: worth remembering
    return ",".join(s.value for s in _STRATEGY_ORDER if s in chosen)


def decode_strategies(text: str) -> tuple[Strategy, ...]:
    return tuple(Strategy(s) for s in text.split(",") if s)


def challenge_from(row: Sequence[Any]) -> Challenge:
    id_, slug, title, rung, context, barrier, tip, description, builtin, archived = row
    return Challenge(
        id=id_,
        slug=slug,
        title=title,
        rung=rung,
        context=Context(context),
        barrier=Barrier(barrier),
        tip=tip,
        description=description,
        builtin=bool(builtin),
        archived=bool(archived),
    )


def attempt_from(row: Sequence[Any]) -> Attempt:
    (id_, challenge_id, occurred_at, outcome, who, channel, feared, predicted, expected,
     happened, peak, confidence, rerated, strategies, learned, note, evidence,
     kinder, planned_for) = row  # fmt: skip
    return Attempt(
        id=id_,
        challenge_id=challenge_id,
        occurred_at=utc(occurred_at),
        outcome=_OUTCOMES[outcome] if outcome else None,
        who=who,
        channel=_CHANNELS[channel] if channel else None,
        feared=feared,
        predicted=predicted,
        expected_distress=expected,
        happened=None if happened is None else bool(happened),
        peak_distress=peak,
        confidence=confidence,
        rerated=rerated,
        strategies=decode_strategies(strategies),
        learned=learned,
        note=note,
        evidence=evidence,
        kinder=kinder,
        planned_for=None if planned_for is None else utc(planned_for),
    )


def settings_from(rows: Iterable[Sequence[Any]]) -> Settings:
    """Settings from stored (key, value) rows; anything unreadable keeps its default."""
    stored = {key: value for key, value in rows}
    values: dict[str, Any] = {}
    for spec in SETTING_SPECS:
        if spec.name in stored and stored[spec.name].lstrip("-").isdigit():
            values[spec.name] = int(stored[spec.name])
    for name in DISPLAY_SETTINGS:
        if name in stored:
            values[name] = stored[name]
    return Settings(**values)
