"""The command line's options and value types, shared by the command modules
(tracker.cli, tracker.cli_people): what each option accepts, and how it says no."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from tracker.domain.models import LIMITS, Channel, Outcome, Strategy
from tracker.domain.people import label_problem

F = TypeVar("F", bound=Callable[..., Any])


def choices(enum: Any) -> click.Choice[str]:
    """The values of an enum, as a case-blind choice."""
    return click.Choice([e.value for e in enum], case_sensitive=False)


class Score(click.ParamType[int]):
    """A whole number in a field's range, with a message that says so plainly."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high
        self.name = f"{low}-{high}"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            number = int(str(value).strip())
        except ValueError:
            self.fail(f"give a whole number from {self.low} to {self.high} (got {value!r})")
        if not self.low <= number <= self.high:
            self.fail(f"give a whole number from {self.low} to {self.high} (got {number})")
        return number


def score(name: str) -> Score:
    """The range of the attempt or challenge field `name` (tracker.domain.models.LIMITS)."""
    low, high = LIMITS[name]
    return Score(low, high)


def check_label(ctx: click.Context | None, param: click.Parameter | None, value: Any) -> Any:
    """A --who value: one line, not empty, at most 80 characters (see label_problem)."""
    if value is None:
        return None
    problem = label_problem(str(value))
    if problem is not None:
        raise click.BadParameter(problem)
    return str(value).strip()


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")(f)


def when_option(default: str | None, help: str | None = None) -> Callable[[F], F]:
    return click.option(
        "--when",
        default=default,
        metavar="TEXT",
        help=(
            help
            or 'When it happened: "now", "yesterday 17:30", "3 hours ago", "last monday 9am", '
            '"2026-11-20 17:30". Future times are refused.'
        )
        + (f" [default: {default}]" if default else ""),
    )


PLAN_WHEN_HELP = (
    'When you mean to ask: "tomorrow 9am", "in 2 hours", "next monday 17:30" (up to a '
    "year from now), or a time already past. Default: no planned time."
)


def before_options(f: F) -> F:
    """What you fear, how likely it seems, and who, how: known before the ask."""
    options = [
        click.option("--feared", metavar="TEXT", help="What you fear will happen."),
        click.option("--predicted", type=score("predicted"), help="How likely it seems, 0-100 %."),
        click.option(
            "--expected-distress",
            type=score("expected_distress"),
            help="Expected distress, 0-100.",
        ),
        click.option(
            "--who",
            metavar="LABEL",
            callback=check_label,
            help="Who you asked: a relationship, not a name (matches a known person, or adds one).",
        ),
        click.option("--channel", type=choices(Channel), help="How you asked."),
        click.option("--note", metavar="TEXT", help="Anything else worth keeping."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def after_options(f: F) -> F:
    """What happened: known once the ask is done."""
    options = [
        click.option(
            "--happened",
            type=click.Choice(["yes", "no"], case_sensitive=False),
            help="Did the feared outcome happen?",
        ),
        click.option("--peak-distress", type=score("peak_distress"), help="Peak distress, 0-100."),
        click.option("--confidence", type=score("confidence"), help="Confidence now, 0-10."),
        click.option(
            "--rerated", type=score("rerated"), help="How likely it seems next time, 0-100 %."
        ),
        click.option(
            "--strategy",
            "strategies",
            type=choices(Strategy),
            multiple=True,
            help="A way of asking you used (repeatable).",
        ),
        click.option(
            "--evidence",
            metavar="TEXT",
            help="How you know what happened: what you saw or heard.",
        ),
        click.option(
            "--kinder",
            metavar="TEXT",
            help="A kinder, truer thought: what you would tell a friend.",
        ),
        click.option("--learned", metavar="TEXT", help="What you learned."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def outcome_option(required: bool) -> Callable[[F], F]:
    return click.option(
        "--outcome",
        type=choices(Outcome),
        required=required,
        help="helped, partly (partly helped), declined (said no), no-answer, or avoided "
        "(didn't ask).",
    )


def attempt_fields(options: dict[str, Any]) -> dict[str, Any]:
    """Command options as attempt fields, leaving out those not given."""
    fields: dict[str, Any] = {}
    for key, value in options.items():
        if value is None or value == ():
            continue
        if key == "happened":
            value = value.lower() == "yes"
        fields[key] = value
    return fields
