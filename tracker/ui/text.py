"""Words and numbers as the screens show them: one place for the app's voice."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from tracker.domain.models import Attempt, Outcome, Strategy
from tracker.visible import visible
from tracker.words import OUTCOME_WORDS, after_log, outcome_words

#: The command line's words too (tracker.words): one vocabulary.
OUTCOME_LABELS: dict[Outcome, str] = OUTCOME_WORDS

STRATEGY_LABELS: dict[Strategy, str] = {
    Strategy.SPECIFIC: "was specific",
    Strategy.TIMING: "good timing",
    Strategy.GRATITUDE: "said thanks",
    Strategy.RECIPROCITY: "offered help back",
    Strategy.POSITIVE_FRAMING: "positive framing",
}

WELCOME = (
    "Welcome. Your ladder runs from small, everyday asks (rung 1) to bigger ones (rung 10): "
    "you practise on the lowest rung you haven't climbed, and once asking there feels "
    'steady, the next rung opens. Every ask counts whatever the answer, so a "no" is a '
    "finished practice too."
)


def plain(text: str, style: str = "", *, multiline: bool = False) -> Text:
    """Widget content from text a person typed or a file held (a title, a note, an error
    naming a path): never read as markup, so it shows exactly as typed and can hold no
    link or action, and control characters shown escaped (tracker.visible), so none
    reaches the terminal. `multiline` keeps newlines and tabs. Every widget that shows
    such text gets it through here; markup is for the app's own fixed words only."""
    return Text(visible(text, multiline=multiline), style=style)


def outcome_label(attempt: Attempt) -> str:
    return outcome_words(attempt.outcome)


def short_when(moment: datetime, now: datetime) -> str:
    """ "Sun 22 Nov 10:00" in the local zone of `now`; the year only when it differs."""
    local = moment.astimezone(now.tzinfo)
    if local.year == now.year:
        return local.strftime("%a %d %b %H:%M")
    return local.strftime("%a %d %b %Y %H:%M")


def day(moment: datetime, now: datetime) -> str:
    return moment.astimezone(now.tzinfo).strftime("%a %d %b")


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {words or word + 's'}"


def bar(value: float, high: float, width: int) -> str:
    """A bar of `width` cells, filled in proportion to value/high, e.g. "███▌░░░░"."""
    if high <= 0:
        return "░" * width
    eighths = round(max(0.0, min(1.0, value / high)) * width * 8)
    full, part = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[part] if part else ""
    return ("█" * full + partial + "░" * width)[:width]


def dots(done: int, goal: int) -> str:
    """Goal progress as filled and empty dots, e.g. "●●○" for 2 of 3."""
    shown = max(goal, done)
    if shown > 12:
        return ""
    return "●" * done + "○" * (shown - done)


def after_saving(verb: str, attempt: Attempt, title: str) -> tuple[str, str]:
    """(heading, words) for the note shown once the log form has saved: after a "no",
    no answer or a skipped ask, a kind line (the command line's, tracker.words.after_log),
    and after a "no" an invitation to note what was learned."""
    if verb == "updated":
        return "Saved", "Your changes are saved."
    if attempt.outcome is None:
        return (
            f"Planned: {title}",
            "When you have asked, choose it under Planned asks on Home to finish the log.",
        )
    said = after_log(attempt)
    if attempt.outcome is Outcome.DECLINED and not attempt.learned:
        said[-1] += " (History, then e to edit this ask.)"
    return f"Logged: {title}", " ".join(said)
