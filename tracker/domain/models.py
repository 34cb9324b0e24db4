"""Plain values the rules and the screens work with.

Nothing here touches a database, a terminal or the clock: the store turns rows into
these frozen dataclasses, and every layer above reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum


class Context(StrEnum):
    STRANGERS = "strangers"
    WORK = "work"
    FRIENDS = "friends"
    FAMILY = "family"
    SERVICES = "services"
    COMMUNITY = "community"
    ONLINE = "online"


class Barrier(StrEnum):
    REJECTION = "rejection"
    BURDEN = "burden"
    COMPETENCE = "competence"
    VULNERABILITY = "vulnerability"
    SELF_RELIANCE = "self-reliance"


class Outcome(StrEnum):
    HELPED = "helped"
    PARTLY = "partly"
    DECLINED = "declined"
    NO_ANSWER = "no-answer"
    AVOIDED = "avoided"

    @property
    def is_ask(self) -> bool:
        """Asking is the practice: every outcome but `avoided` is a finished exposure."""
        return self is not Outcome.AVOIDED


class Channel(StrEnum):
    IN_PERSON = "in-person"
    PHONE = "phone"
    MESSAGE = "message"
    EMAIL = "email"
    VIDEO = "video"


class Strategy(StrEnum):
    SPECIFIC = "specific"
    TIMING = "timing"
    GRATITUDE = "gratitude"
    RECIPROCITY = "reciprocity"
    POSITIVE_FRAMING = "positive-framing"


MIN_RUNG = 1
MAX_RUNG = 10

#: Inclusive ranges of every numeric field, shared by the CLI, the form and the schema.
LIMITS: dict[str, tuple[int, int]] = {
    "rung": (MIN_RUNG, MAX_RUNG),
    "predicted": (0, 100),
    "expected_distress": (0, 100),
    "peak_distress": (0, 100),
    "confidence": (0, 10),
    "rerated": (0, 100),
}

#: Longest text a field may hold; generous for notes, tight for names.
TEXT_LIMITS: dict[str, int] = {
    "slug": 60,
    "title": 120,
    "description": 1000,
    "tip": 500,
    "who": 120,
    "feared": 1000,
    "learned": 4000,
    "note": 4000,
    "evidence": 4000,
    "kinder": 4000,
    "support_contact": 500,
}


@dataclass(frozen=True, slots=True)
class Challenge:
    """A practice ask on the ladder; `rung` None makes it an any-time challenge: asks for
    professional or emotional support, on no rung, never locked and never suggested."""

    id: int
    slug: str
    title: str
    rung: int | None
    context: Context
    barrier: Barrier
    tip: str = ""
    description: str = ""
    builtin: bool = False
    archived: bool = False

    @property
    def anytime(self) -> bool:
        return self.rung is None


@dataclass(frozen=True, slots=True)
class Attempt:
    """One practice ask, as the user logged it. `outcome` is None while it is planned."""

    id: int
    challenge_id: int
    occurred_at: datetime  # aware, UTC
    outcome: Outcome | None = None
    who: str | None = None
    channel: Channel | None = None
    feared: str | None = None
    predicted: int | None = None
    expected_distress: int | None = None
    happened: bool | None = None
    peak_distress: int | None = None
    confidence: int | None = None
    rerated: int | None = None
    strategies: tuple[Strategy, ...] = ()
    learned: str | None = None
    note: str | None = None
    evidence: str | None = None  # how you know what happened: what you saw or heard
    kinder: str | None = None  # a kinder, truer thought: what you would tell a friend
    #: When a plan is meant to be carried out (aware, UTC; may be ahead); None when no
    #: time was given, and always None once the ask is logged.
    planned_for: datetime | None = None

    @property
    def planned(self) -> bool:
        return self.outcome is None

    @property
    def is_ask(self) -> bool:
        return self.outcome is not None and self.outcome.is_ask


#: Field metadata that marks a setting as display only: it changes how things look and
#: never what the rules decide. Every other setting is a rule setting (RULE_SETTINGS).
DISPLAY = {"display": True}


@dataclass(frozen=True, slots=True)
class Settings:
    """The weekly goal and every threshold of the rules (DESIGN.md, "The rules"), and
    the display settings, each marked `metadata=DISPLAY`."""

    weekly_goal: int = 3
    climb_min_asks: int = 3
    climb_min_challenges: int = 2
    climb_recent: int = 2
    climb_confidence: int = 7
    climb_rerated: int = 30
    step_back_recent: int = 2
    step_back_distress: int = 85
    revisit_days: tuple[int, ...] = (7, 14, 28, 56)
    theme: str = field(default="textual-dark", metadata=DISPLAY)
    # Shown in the Support view; no rule reads it.
    support_contact: str = field(default="", metadata=DISPLAY)


#: Every setting the rules may read: all of Settings but the display ones. A summary is
#: folded under these (tracker.domain.summary.Frame.key), so a change to any refolds it.
RULE_SETTINGS: tuple[str, ...] = tuple(
    f.name for f in fields(Settings) if not f.metadata.get("display", False)
)
#: The display settings: text, shown but read by no rule.
DISPLAY_SETTINGS: tuple[str, ...] = tuple(
    f.name for f in fields(Settings) if f.metadata.get("display", False)
)


@dataclass(frozen=True, slots=True)
class SettingSpec:
    name: str
    low: int
    high: int
    help: str


#: The numeric settings a user may change with `tracker settings NAME VALUE`.
SETTING_SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("weekly_goal", 1, 50, "asks a week you aim for"),
    SettingSpec("climb_min_asks", 1, 20, "asks a rung needs before it can be climbed"),
    SettingSpec("climb_min_challenges", 1, 5, "different challenges a rung needs, if it has them"),
    SettingSpec("climb_recent", 1, 5, "how many of the latest asks must show confidence"),
    SettingSpec("climb_confidence", 0, 10, "confidence (0-10) those latest asks need"),
    SettingSpec("climb_rerated", 0, 100, "highest re-rated likelihood (%) those asks may have"),
    SettingSpec("step_back_recent", 1, 5, "hard tries in a row that suggest a step back"),
    SettingSpec("step_back_distress", 0, 100, "peak distress that counts as a hard try"),
)
