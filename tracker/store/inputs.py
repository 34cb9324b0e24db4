"""Validation of everything written to the database, with messages a person can act on.

These are non-table SQLModel (pydantic) models: table models skip validation, so the
store validates with these first and the schema's CHECK constraints back them up.
Settings are checked against their ranges here too (`setting_rows`), and a custom
challenge's slug is made from its title (`slugify`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, TypeAdapter, ValidationError, model_validator
from sqlmodel import Field, SQLModel

from tracker.domain.models import (
    LIMITS,
    SETTING_SPECS,
    TEXT_LIMITS,
    Barrier,
    Channel,
    Context,
    Outcome,
    Strategy,
)
from tracker.store.errors import InvalidInput

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


#: Attempts happen in a person's lifetime: anything outside is a typing slip.
EARLIEST, LATEST = datetime(1900, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must include a time zone")
    if not EARLIEST <= value < LATEST:
        raise ValueError("must be between the years 1900 and 2199")
    return value


def _tidy(value: str | None) -> str | None:
    """Strip text; an empty answer is no answer."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def _slug(value: str) -> str:
    if not re.fullmatch(SLUG_PATTERN, value):
        raise ValueError(
            f"must be lowercase words joined by hyphens, like 'ask-a-neighbour' (got {value!r})"
        )
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
Slug = Annotated[str, AfterValidator(_slug)]
Text = Annotated[str | None, AfterValidator(_tidy)]


def _score(name: str) -> Any:
    low, high = LIMITS[name]
    return Field(default=None, ge=low, le=high)


def _text(name: str) -> Any:
    return Field(default=None, max_length=TEXT_LIMITS[name])


class ChallengeIn(SQLModel):
    slug: Slug = Field(min_length=1, max_length=TEXT_LIMITS["slug"])
    title: str = Field(min_length=1, max_length=TEXT_LIMITS["title"])
    description: str = Field(default="", max_length=TEXT_LIMITS["description"])
    #: None only for an any-time challenge, which is on no rung.
    rung: int | None = Field(default=None, ge=LIMITS["rung"][0], le=LIMITS["rung"][1])
    anytime: bool = False
    context: Context
    barrier: Barrier
    tip: str = Field(default="", max_length=TEXT_LIMITS["tip"])
    builtin: bool = False
    archived: bool = False

    @model_validator(mode="after")
    def _on_a_rung_or_any_time(self) -> ChallengeIn:
        if self.anytime and self.rung is not None:
            raise ValueError("an any-time challenge is on no rung: give a rung or --anytime")
        if not self.anytime and self.rung is None:
            raise ValueError("a challenge needs a rung from 1 to 10, or to be any-time")
        return self


class BeforeIn(SQLModel):
    """What is known before the ask: enough for a planned attempt."""

    challenge_id: int = Field(ge=1)
    occurred_at: AwareDatetime
    who: Text = _text("who")
    channel: Channel | None = None
    feared: Text = _text("feared")
    predicted: int | None = _score("predicted")
    expected_distress: int | None = _score("expected_distress")


class AttemptIn(BeforeIn):
    """A whole attempt; `outcome` None keeps it planned."""

    outcome: Outcome | None = None
    happened: bool | None = None
    peak_distress: int | None = _score("peak_distress")
    confidence: int | None = _score("confidence")
    rerated: int | None = _score("rerated")
    strategies: tuple[Strategy, ...] = ()
    learned: Text = _text("learned")
    note: Text = _text("note")
    evidence: Text = _text("evidence")
    kinder: Text = _text("kinder")
    #: When a plan is meant to be carried out (may be ahead); only while it is planned.
    planned_for: AwareDatetime | None = None

    @model_validator(mode="after")
    def _planned_time_only_while_planned(self) -> AttemptIn:
        if self.planned_for is not None and self.outcome is not None:
            raise ValueError("a logged ask has no planned time")
        return self


M = TypeVar("M", bound=SQLModel)

_LABELS = {
    "predicted": "predicted likelihood",
    "expected_distress": "expected distress",
    "peak_distress": "peak distress",
    "rerated": "re-rated likelihood",
    "occurred_at": "time",
    "challenge_id": "challenge",
}


def field_errors(error: ValidationError) -> dict[str, str]:
    """One plain message per field, e.g. {"predicted": "must be from 0 to 100 (got 150)"}."""
    messages: dict[str, str] = {}
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else "value"
        given = problem.get("input")
        kind = problem["type"]
        ctx = problem.get("ctx", {})
        if name in LIMITS and kind in {"greater_than_equal", "less_than_equal"}:
            low, high = LIMITS[name]
            text = f"must be from {low} to {high} (got {given})"
        elif kind == "string_too_long":
            text = f"is too long ({len(str(given))} characters; at most {ctx.get('max_length')})"
        elif kind == "enum":
            text = f"must be one of {ctx.get('expected', '')} (got {given!r})"
        elif kind == "string_pattern_mismatch" and name == "slug":
            text = (
                f"must be lowercase words joined by hyphens, like 'ask-a-neighbour' (got {given!r})"
            )
        else:
            message = problem["msg"].removeprefix("Value error, ")
            text = message[0].lower() + message[1:]
        messages.setdefault(name, text)
    return messages


def validate(model: type[M], data: dict[str, Any]) -> M:
    """Build `model` from `data`, or raise InvalidInput naming every bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        fields = field_errors(error)
        summary = "; ".join(f"{_LABELS.get(k, k)} {v}" for k, v in fields.items())
        raise InvalidInput(summary, fields=fields) from None


def validate_many(model: type[M], items: list[dict[str, Any]], what: str) -> list[M]:
    """Validate a whole batch at once (one pass in pydantic-core, several times faster
    than item by item); on failure, name the first bad item and its fields."""
    try:
        return TypeAdapter(list[model]).validate_python(items)  # type: ignore[valid-type]
    except ValidationError as error:
        position = next(
            (p["loc"][0] for p in error.errors() if p["loc"] and isinstance(p["loc"][0], int)),
            0,
        )
        try:
            validate(model, items[position])
        except InvalidInput as bad:
            raise InvalidInput(f"{what} {position + 1}: {bad}", fields=bad.fields) from None
        raise InvalidInput(f"{what} {position + 1} is not valid") from None


def slugify(title: str) -> str:
    """A challenge's name on the command line, made from its title."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words)[:50].strip("-") or "challenge"


def setting_rows(changes: Mapping[str, Any]) -> list[dict[str, str]]:
    """Setting rows to store, each checked against its range (theme: any name)."""
    specs = {s.name: s for s in SETTING_SPECS}
    rows: list[dict[str, str]] = []
    for name, value in changes.items():
        if name == "theme":
            if not isinstance(value, str) or not 0 < len(value) <= 100:
                raise InvalidInput("theme must be the name of a theme")
            rows.append({"key": name, "value": value})
            continue
        if name == "support_contact":
            rows.append({"key": name, "value": _support_contact(value)})
            continue
        spec = specs.get(name)
        if spec is None:
            raise InvalidInput(
                f"no setting {name!r}; choose from {', '.join(specs)} (see `tracker settings`)"
            )
        if isinstance(value, bool):
            raise InvalidInput(f"{name} must be a whole number (got {value!r})")
        number = value if isinstance(value, int) else _whole_number(str(value), name)
        if not spec.low <= number <= spec.high:
            raise InvalidInput(f"{name} must be from {spec.low} to {spec.high} (got {number})")
        rows.append({"key": name, "value": str(number)})
    return rows


def _support_contact(value: object) -> str:
    """Free text, one line, shown as plain text; "" clears it."""
    if not isinstance(value, str):
        raise InvalidInput("support_contact must be text, e.g. a name and a phone number")
    text = value.strip()
    limit = TEXT_LIMITS["support_contact"]
    if len(text) > limit:
        raise InvalidInput(f"support_contact is too long ({len(text)} characters; at most {limit})")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text):
        raise InvalidInput("support_contact must be one line of plain text (no control characters)")
    return text


def _whole_number(text: str, name: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(f"{name} must be a whole number (got {text!r})") from None
