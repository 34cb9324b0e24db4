"""The database tables, with the CHECK constraints that back up input validation.

Table models skip validation (a SQLModel pitfall), so input is validated by the
non-table models in `tracker.store.inputs`; the constraints here are the last line.
Times are stored as naive UTC (SQLite keeps no zone) and come back aware.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, DateTime, Index, MetaData, TypeDecorator, text
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

from tracker.domain.models import LIMITS, TEXT_LIMITS, Barrier, Channel, Context, Outcome
from tracker.domain.people import ThankKind
from tracker.store.version import APPLICATION_ID, HEAD_REVISION, KNOWN_REVISIONS

__all__ = ["APPLICATION_ID", "HEAD_REVISION", "KNOWN_REVISIONS", "metadata"]


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: MetaData = SQLModel.metadata


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, naive UTC stored, aware UTC out."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; times must be aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def _in(column: str, values: Any) -> str:
    listed = ", ".join(f"'{v.value}'" for v in values)
    return f"{column} IN ({listed})"


def _between(column: str) -> str:
    low, high = LIMITS[column]
    return f"{column} IS NULL OR {column} BETWEEN {low} AND {high}"


PLANNED_FOR_CHECK = "planned_for IS NULL OR outcome IS NULL"
ANYTIME_CHECK = "(anytime = true AND rung IS NULL) OR (anytime = false AND rung IS NOT NULL)"


class ChallengeRow(SQLModel, table=True):
    __tablename__ = "challenge"
    __table_args__ = (
        CheckConstraint("rung BETWEEN 1 AND 10", name="rung"),
        # On a rung, or any-time and on none (valid on SQLite and PostgreSQL alike).
        CheckConstraint(ANYTIME_CHECK, name="anytime"),
        CheckConstraint(_in("context", Context), name="context"),
        CheckConstraint(_in("barrier", Barrier), name="barrier"),
        CheckConstraint("length(slug) > 0 AND length(title) > 0", name="named"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    title: str
    description: str = ""
    rung: int | None = None  # NULL for an any-time challenge
    anytime: bool = False
    context: str
    barrier: str
    tip: str = ""
    builtin: bool = False
    archived: bool = False


class AttemptRow(SQLModel, table=True):
    __tablename__ = "attempt"
    __table_args__ = (
        CheckConstraint(f"outcome IS NULL OR {_in('outcome', Outcome)}", name="outcome"),
        CheckConstraint(f"channel IS NULL OR {_in('channel', Channel)}", name="channel"),
        CheckConstraint(_between("predicted"), name="predicted"),
        CheckConstraint(_between("expected_distress"), name="expected_distress"),
        CheckConstraint(_between("peak_distress"), name="peak_distress"),
        CheckConstraint(_between("confidence"), name="confidence"),
        CheckConstraint(_between("rerated"), name="rerated"),
        # The same rule in each engine's words (as migration 0001 writes it).
        CheckConstraint("strategies NOT GLOB '*[^a-z,-]*'", name="strategies").ddl_if(
            dialect="sqlite"
        ),
        CheckConstraint("strategies !~ '[^a-z,-]'", name="strategies").ddl_if(dialect="postgresql"),
        # A plan's time is dropped once the ask is logged (migration 0005 writes it inline).
        CheckConstraint(PLANNED_FOR_CHECK, name="planned_for"),
        Index("ix_attempt_occurred", "occurred_at", "id"),
        Index("ix_attempt_challenge_occurred", "challenge_id", "occurred_at"),
        Index(
            "ix_attempt_planned",
            "occurred_at",
            sqlite_where=text("outcome IS NULL"),
            postgresql_where=text("outcome IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(foreign_key="challenge.id", ondelete="RESTRICT")
    occurred_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    outcome: str | None = None  # NULL while the attempt is planned
    who: str | None = None
    channel: str | None = None
    feared: str | None = None
    predicted: int | None = None
    expected_distress: int | None = None
    happened: bool | None = None
    peak_distress: int | None = None
    confidence: int | None = None
    rerated: int | None = None
    strategies: str = ""  # comma-separated Strategy values, in a fixed order
    learned: str | None = None
    note: str | None = None
    evidence: str | None = None  # how you know what happened
    kinder: str | None = None  # a kinder, truer thought
    #: When a plan is meant to be carried out; NULL without a time and once logged.
    planned_for: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )


class SettingRow(SQLModel, table=True):
    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str


class RungClimbRow(SQLModel, table=True):
    """When each rung was first climbed: once climbed, a rung stays climbed, even when
    the ladder is rearranged or the thresholds change later."""

    __tablename__ = "rung_climb"
    __table_args__ = (CheckConstraint("rung BETWEEN 1 AND 10", name="rung"),)

    rung: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    climbed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class SummaryRow(SQLModel, table=True):
    """The log folded into running totals (tracker.domain.summary), kept beside it.

    Triggers bump `log_version` on every change to `attempt`; the folded `state` is
    current only while `state_version` equals it and its frame key matches.
    """

    __tablename__ = "summary"
    __table_args__ = (CheckConstraint("id = 1", name="single"),)

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    log_version: int = 0
    state_version: int | None = None
    frame_key: str | None = None
    state: str | None = None


class PersonRow(SQLModel, table=True):
    """Someone the user asked or helped, by the label they chose ("my sister").

    `key` is the label as matched (tracker.domain.people.label_key: no case, no
    surrounding spaces), so two spellings of one person cannot both be stored.
    Attempts name their person by label in `attempt.who`."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint(
            f"length(label) BETWEEN 1 AND {TEXT_LIMITS['who']} AND label = trim(label)",
            name="label",
        ),
        CheckConstraint("length(key) > 0", name="key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    label: str = Field(unique=True)
    key: str = Field(unique=True)


class ThankRow(SQLModel, table=True):
    """A thank-you for one ask (at most one an ask), or the user's word that none is needed."""

    __tablename__ = "thank"
    __table_args__ = (CheckConstraint(_in("kind", ThankKind), name="kind"),)

    attempt_id: int = Field(
        foreign_key="attempt.id",
        ondelete="CASCADE",
        primary_key=True,
        sa_column_kwargs={"autoincrement": False},
    )
    kind: str
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    note: str | None = None


class HelpGivenRow(SQLModel, table=True):
    """Help the user offered or gave someone: not an exposure, read by no rule."""

    __tablename__ = "help_given"
    __table_args__ = (
        CheckConstraint("length(what) > 0", name="what"),
        Index("ix_help_given_person", "person_id", "given_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE")
    given_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    what: str
    note: str | None = None


class UndoRow(SQLModel, table=True):
    """The last deleted attempt (tracker.store.undo), kept so that `tracker undo` can
    bring it back from any process later. One row at most; `forget` empties it."""

    __tablename__ = "undo"
    __table_args__ = (CheckConstraint("id = 1", name="single"),)

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    deleted_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    attempt: str  # the attempt as JSON (tracker.store.undo)
