"""The log form's answers, checked before anything is saved.

Pure: turns what was typed into the fields the Store takes, with a plain message for
each field that needs another look. Keys are the Store's own field names, so the
Store's InvalidInput.fields land beside the same fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracker.domain.errors import WhenError
from tracker.domain.models import LIMITS, Attempt, Channel, Outcome, Strategy
from tracker.domain.plans import plan_times
from tracker.domain.when import parse_when

BEFORE_NUMBERS = ("predicted", "expected_distress")
AFTER_NUMBERS = ("peak_distress", "confidence", "rerated")
AFTER_TEXT = ("learned", "evidence", "kinder")
NUMBERS = (*BEFORE_NUMBERS, *AFTER_NUMBERS)


@dataclass(frozen=True, slots=True)
class Answers:
    """The form as typed: numbers and text still strings, choices already values."""

    challenge_id: int | None
    when: str
    feared: str = ""
    predicted: str = ""
    expected_distress: str = ""
    who: str = ""
    channel: Channel | None = None
    note: str = ""
    outcome: Outcome | None = None
    happened: bool | None = None
    peak_distress: str = ""
    confidence: str = ""
    rerated: str = ""
    strategies: tuple[Strategy, ...] = ()
    learned: str = ""
    evidence: str = ""  # how you know: what you saw or heard
    kinder: str = ""  # a kinder, truer thought


def answers_from(attempt: Attempt, when: str) -> Answers:
    """An attempt's values, as the form shows them."""

    def number(value: int | None) -> str:
        return "" if value is None else str(value)

    return Answers(
        challenge_id=attempt.challenge_id,
        when=when,
        feared=attempt.feared or "",
        predicted=number(attempt.predicted),
        expected_distress=number(attempt.expected_distress),
        who=attempt.who or "",
        channel=attempt.channel,
        note=attempt.note or "",
        outcome=attempt.outcome,
        happened=attempt.happened,
        peak_distress=number(attempt.peak_distress),
        confidence=number(attempt.confidence),
        rerated=number(attempt.rerated),
        strategies=attempt.strategies,
        learned=attempt.learned or "",
        evidence=attempt.evidence or "",
        kinder=attempt.kinder or "",
    )


def preview_when(
    text: str, now: datetime, *, future_ok: bool = False
) -> tuple[datetime | None, str]:
    """(time, "") when understood, else (None, the reason). `future_ok`: a plan's time,
    which may be ahead."""
    try:
        return parse_when(text, now, future_ok=future_ok), ""
    except WhenError as e:
        return None, str(e)


def gives_a_time(text: str) -> bool:
    """Whether the time field names a time for a plan (not just "now", as it starts)."""
    return text.strip().lower() not in ("", "now")


def number_problem(name: str, text: str) -> str:
    """Why `text` is not a whole number in the range of field `name` ("" when it is,
    or is empty): checked as it is typed, and again on saving."""
    text = text.strip()
    if not text:
        return ""
    low, high = LIMITS[name]
    try:
        value = int(text)
    except ValueError:
        return f"a whole number from {low} to {high}, please"
    if not low <= value <= high:
        return f"from {low} to {high}, please (you wrote {value})"
    return ""


def _number(name: str, text: str, errors: dict[str, str]) -> int | None:
    problem = number_problem(name, text)
    if problem:
        errors[name] = problem
        return None
    return int(text) if text.strip() else None


def check(
    answers: Answers, now: datetime, *, planned: bool, keep_time: datetime | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The Store fields for these answers, and a message for each field that needs a look.

    `planned` saves the ask before it happens: no outcome, nothing from after the ask.
    `keep_time` is used as-is when the time field was left as it was shown.
    """
    errors: dict[str, str] = {}
    if answers.challenge_id is None:
        errors["challenge_id"] = "choose a challenge from the list (type to filter it)"
    occurred = keep_time
    planned_for = None
    if occurred is None:
        occurred, problem = preview_when(answers.when, now, future_ok=planned)
        if problem:
            errors["occurred_at"] = problem
        elif planned and occurred is not None and gives_a_time(answers.when):
            occurred, planned_for = plan_times(occurred, now)  # a plan for later
    fields: dict[str, Any] = {
        "challenge_id": answers.challenge_id,
        "occurred_at": occurred,
        "feared": answers.feared.strip() or None,
        "who": answers.who.strip() or None,
        "channel": answers.channel,
        "note": answers.note.strip() or None,
        "planned_for": planned_for,
    }
    for name in BEFORE_NUMBERS:
        fields[name] = _number(name, getattr(answers, name), errors)
    after: dict[str, Any] = {
        "outcome": answers.outcome,
        "happened": answers.happened,
        "strategies": answers.strategies,
        **{name: getattr(answers, name).strip() or None for name in AFTER_TEXT},
    }
    for name in AFTER_NUMBERS:
        after[name] = _number(name, getattr(answers, name), errors)
    if planned:
        if answers.outcome is not None:
            errors["outcome"] = "leave this empty to save as planned, or choose Save"
        for name, value in after.items():
            if name != "outcome" and value not in (None, ()) and name not in errors:
                errors[name] = "this is for after the ask: clear it to save as planned"
        fields |= {"outcome": None, "happened": None, "strategies": ()}
        fields |= dict.fromkeys((*AFTER_NUMBERS, *AFTER_TEXT))
    else:
        if answers.outcome is None:
            errors["outcome"] = (
                'choose what happened ("didn\'t ask" is worth logging too), '
                "or choose Save as planned"
            )
        fields |= after
    return fields, errors
