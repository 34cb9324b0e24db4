"""The words a person reads, shared by the command line and the app: one vocabulary.

Stored and JSON values stay as they are (`declined`, `avoided`, `locked`, ...); only
what is shown to a person comes from here. Nothing here sets a norm a user can fail
or reads as blame: a "no" is a finished practice, and a skipped ask is information.
Plain Python only (no Textual, no database): `tracker --help` may import it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tracker.domain.models import LIMITS, Attempt, Outcome
from tracker.visible import visible

#: Outcomes as a person reads them.
OUTCOME_WORDS: dict[Outcome, str] = {
    Outcome.HELPED: "helped",
    Outcome.PARTLY: "partly helped",
    Outcome.DECLINED: "said no",
    Outcome.NO_ANSWER: "no answer",
    Outcome.AVOIDED: "didn't ask",
}

#: Rung states as a person reads them (the values are RungState's).
RUNG_STATE_WORDS: dict[str, str] = {
    "climbed": "climbed",
    "current": "current",
    "locked": "locked",
}

#: Said when a rung is climbed, in the app's toast and by `tracker log`.
CLIMBED_WORDS = "Asking there has become steady. The next rung is open when you are ready."


def climbed_title(rung: int) -> str:
    return f"Rung {rung} climbed"


ANYTIME_HEADING = "Any time"
ANYTIME_NOTE = "Support asks: on no rung, never locked. They count for your week, not a rung."

#: One self-compassionate line after each of these, chosen by the attempt's id (the
#: same attempt always gets the same line; a run of them varies).
KIND_LINES: dict[Outcome, tuple[str, ...]] = {
    Outcome.DECLINED: (
        'A "no" is a finished practice: you asked, and asking was the exercise.',
        "You asked and they said no. That took courage, and it counts in full.",
        "A no is about their time and their situation, not about your worth.",
        "Hearing no and getting through it is exactly what this practice builds.",
    ),
    Outcome.NO_ANSWER: (
        "No answer says nothing about you. You asked, and that counts.",
        "Waiting without a reply is hard. You did the asking; that is the practice.",
        "Messages get missed for all sorts of reasons. Your ask counts all the same.",
    ),
    Outcome.AVOIDED: (
        "Some days the ask doesn't happen. Writing it down honestly is a kind thing to do.",
        "Not asking this time is information, not a verdict. A gentler step can help.",
        "Talk to yourself as you would to a friend here: there will be another chance.",
    ),
}

LEARNED_INVITE = "When you are ready, note what you learned: what happened, and what didn't."
ASK_COUNTS = "That ask counts, whatever the answer."

#: Revisits listed at most, then "and N more".
REVISITS_SHOWN = 3


def outcome_words(outcome: Outcome | None) -> str:
    return "planned" if outcome is None else OUTCOME_WORDS[outcome]


def kind_line(attempt: Attempt) -> str | None:
    """The line for a "no", no answer or a skipped ask; None after any other outcome."""
    if attempt.outcome is None:
        return None
    lines = KIND_LINES.get(attempt.outcome)
    return lines[attempt.id % len(lines)] if lines else None


def after_log(attempt: Attempt) -> list[str]:
    """What to say once an ask is logged: a kind line where one fits, and after a "no"
    an invitation to note what was learned (unless it already is)."""
    line = kind_line(attempt)
    said = [line] if line else [ASK_COUNTS] if attempt.is_ask else []
    if attempt.outcome is Outcome.DECLINED and not attempt.learned:
        said.append(LEARNED_INVITE)
    return said


def week_words(asks: int, goal: int) -> str:
    """The week's asks against the goal: "2 of 3 asks", "3 of 3 asks: goal met", and past
    it "5 asks: goal of 3 met" (never "5 of 3")."""
    if asks > goal:
        return f"{asks} asks: goal of {goal} met"
    return f"{asks} of {goal} asks" + (": goal met" if asks == goal else "")


def streak_words(weeks: int, goal: int) -> str:
    if weeks == 0:
        return (
            f"A streak starts with any week of {goal} asks or more; "
            "the week in progress never breaks one."
        )
    return f"{weeks} week{'s' if weeks != 1 else ''} in a row meeting your goal."


def revisit_line(rung: int, due: date) -> str:
    """A revisit, as an invitation."""
    return f"Rung {rung} is ready for a revisit, whenever you like (since {due:%a %d %b})."


def revisit_lines(revisits: Sequence[tuple[int, date]]) -> list[str]:
    """At most REVISITS_SHOWN invitations, then how many more."""
    lines = [revisit_line(rung, due) for rung, due in revisits[:REVISITS_SHOWN]]
    if len(revisits) > REVISITS_SHOWN:
        lines.append(f"and {len(revisits) - REVISITS_SHOWN} more")
    return lines


def expectancy_change(predicted: int | None, rerated: int | None) -> str | None:
    """'predicted 70% before, 30% after (down 40)': how an expectation moved (Pittig et
    al. 2023: the change, not the surprise alone, goes with getting better)."""
    if predicted is None or rerated is None:
        return None
    delta = rerated - predicted
    moved = "no change" if delta == 0 else f"{'down' if delta < 0 else 'up'} {abs(delta)}"
    return f"predicted {predicted}% before, {rerated}% after ({moved})"


def numbers_only(refused: str) -> str:
    """Why a number field left out what was typed: it takes digits only."""
    shown = refused if len(refused) <= 12 else refused[:11] + "…"
    return f"numbers only here: \u201c{shown}\u201d was left out"


def last_likelihood(predicted: int | None, rerated: int | None, day: str) -> str:
    """What the user last said about how likely the fear felt on this challenge: the
    re-rating after that ask when there is one, else the rating before it ("" if none)."""
    if rerated is not None:
        return f"last time: {rerated}% (after the ask, {day})"
    if predicted is not None:
        return f"last time: {predicted}% (before the ask, {day})"
    return ""


def last_confidence(confidence: int | None, day: str) -> str:
    """The confidence given after the latest rated ask on this challenge ("" if none)."""
    top = LIMITS["confidence"][1]
    return "" if confidence is None else f"last time: {confidence} of {top} ({day})"


# -- Support: the same words in `tracker support` and the app's Support view ------------

SUPPORT_TITLE = "Support"
SUPPORT_TEXT = (
    "tracker is a practice tool. It is not therapy, and it is not a crisis service.",
    "If you might be in danger, or might hurt yourself or someone else, call your local "
    "emergency number now.",
    "To find a crisis line where you live: your phone's emergency screen, your doctor "
    "or a pharmacist, or your local health service can tell you the number. Many "
    "places have free lines you can call or message at any hour, and you do not have "
    "to be in danger to use them.",
    "You do not have to manage alone. Asking for support is never locked: the any-time "
    "asks on your ladder are there whenever you need them.",
)
NO_CONTACT = (
    "You can save your own support contact to see here: "
    'tracker settings support_contact "my sister Sam, and her number"'
)


def support_contact_line(contact: str) -> str:
    return f"Your support contact: {visible(contact)}" if contact.strip() else NO_CONTACT


#: Above every view of `tracker demo` (tracker.demo fills a throwaway file).
DEMO_NOTE = "Sample data: deleted when you quit; your own file is not touched."
