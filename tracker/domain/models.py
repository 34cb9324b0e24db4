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


@dataclass(frozen=True, slots=True)
class About:
    """What a setting is, for the person who changes it: kept beside its field (the
    field's metadata["about"]), so a new setting cannot go without one. `low` and
    `high` make a whole-number setting that `tracker settings` and the app can change."""

    label: str  # its name in the app's Settings
    sentence: str  # one plain sentence on what it does
    help: str = ""  # `tracker settings`' short line for it
    low: int | None = None
    high: int | None = None


def about(
    label: str,
    sentence: str,
    help: str = "",
    low: int | None = None,
    high: int | None = None,
    *,
    display: bool = False,
) -> dict[str, object]:
    """A setting field's metadata. `display` marks a setting that changes how things look
    and never what the rules decide; every other setting is a rule setting
    (RULE_SETTINGS)."""
    metadata: dict[str, object] = {"about": About(label, sentence, help, low, high)}
    if display:
        metadata["display"] = True
    return metadata


@dataclass(frozen=True, slots=True)
class Settings:
    """The weekly goal and every threshold of the rules (DESIGN.md, "The rules"), and
    the display settings, each marked `display=True`."""

    weekly_goal: int = field(
        default=3,
        metadata=about(
            "Weekly goal",
            "How many asks a week you aim for; Home shows the week against it.",
            "asks a week you aim for",
            1,
            50,
        ),
    )
    climb_min_asks: int = field(
        default=3,
        metadata=about(
            "Asks to climb a rung",
            "A rung can be climbed once it has at least this many asks.",
            "asks a rung needs before it can be climbed",
            1,
            20,
        ),
    )
    climb_min_challenges: int = field(
        default=2,
        metadata=about(
            "Different challenges",
            "Those asks come from at least this many different challenges, when the "
            "rung has that many.",
            "different challenges a rung needs, if it has them",
            1,
            5,
        ),
    )
    climb_recent: int = field(
        default=2,
        metadata=about(
            "Latest asks that count",
            "This many of the rung's latest asks must show steady confidence.",
            "how many of the latest asks must show confidence",
            1,
            5,
        ),
    )
    climb_confidence: int = field(
        default=7,
        metadata=about(
            "Confidence needed",
            "The confidence (0-10) each of those latest asks needs.",
            "confidence (0-10) those latest asks need",
            0,
            10,
        ),
    )
    climb_rerated: int = field(
        default=30,
        metadata=about(
            "Highest re-rated likelihood",
            "Where you re-rated how likely the fear is, it must be at most this (%).",
            "highest re-rated likelihood (%) those asks may have",
            0,
            100,
        ),
    )
    step_back_recent: int = field(
        default=2,
        metadata=about(
            "Hard tries before a step back",
            "After this many hard tries in a row, tracker suggests a gentler step from "
            "the rung below.",
            "hard tries in a row that suggest a step back",
            1,
            5,
        ),
    )
    step_back_distress: int = field(
        default=85,
        metadata=about(
            "Distress of a hard try",
            "A try counts as hard when its peak distress reaches this (%), or when the "
            "ask did not happen.",
            "peak distress that counts as a hard try",
            0,
            100,
        ),
    )
    revisit_days: tuple[int, ...] = field(
        default=(7, 14, 28, 56),
        metadata=about(
            "Revisits, in days",
            "A climbed rung comes back for a short revisit after these many days, each "
            "after the last.",
        ),
    )
    theme: str = field(
        default="textual-dark",
        metadata=about("Theme", "How the app looks: light or dark.", display=True),
    )
    # Shown in the Support view; no rule reads it.
    support_contact: str = field(
        default="",
        metadata=about(
            "Support contact",
            "Someone to turn to, shown in Support (press ! anywhere).",
            display=True,
        ),
    )


#: What each setting is, by name, in the order of Settings (from each field's metadata).
ABOUT: dict[str, About] = {f.name: f.metadata["about"] for f in fields(Settings)}

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


#: The numeric settings a user may change with `tracker settings NAME VALUE`: those
#: whose About gives a range, in the order of Settings.
SETTING_SPECS: tuple[SettingSpec, ...] = tuple(
    SettingSpec(name, a.low, a.high, a.help)
    for name, a in ABOUT.items()
    if a.low is not None and a.high is not None
)
