"""People: the labels behind `attempt.who`, thank-yous for asks, help given back.

Every `who` already logged becomes a person. Labels that differ only in case or
surrounding spaces are one person: their attempts all take the spelling used most
often (the earliest, on a tie), so each attempt still names its person.

Revision ID: 0004
Revises: 0003

Frozen: later changes go in new revisions, never here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: As tracker.domain.models.TEXT_LIMITS["who"] when this revision was written.
WHO_LIMIT = 120


def _key(label: str) -> str:
    # As tracker.domain.people.label_key when this revision was written.
    return label.strip().casefold()


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.CheckConstraint(
            f"length(label) BETWEEN 1 AND {WHO_LIMIT} AND label = trim(label)",
            name=op.f("ck_person_label"),
        ),
        sa.CheckConstraint("length(key) > 0", name=op.f("ck_person_key")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("key", name=op.f("uq_person_key")),
        sa.UniqueConstraint("label", name=op.f("uq_person_label")),
    )
    op.create_table(
        "thank",
        sa.Column("attempt_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.CheckConstraint("kind IN ('thanked', 'skipped')", name=op.f("ck_thank_kind")),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempt.id"],
            name=op.f("fk_thank_attempt_id_attempt"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attempt_id", name=op.f("pk_thank")),
    )
    op.create_table(
        "help_given",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("given_at", sa.DateTime(), nullable=False),
        sa.Column("what", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.CheckConstraint("length(what) > 0", name=op.f("ck_help_given_what")),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_help_given_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_given")),
    )
    op.create_index("ix_help_given_person", "help_given", ["person_id", "given_at"], unique=False)
    _people_from_who(op.get_bind())


def _people_from_who(conn: sa.Connection) -> None:
    """A person for every `who` logged so far; one spelling per person."""
    rows = conn.execute(
        sa.text("SELECT who, count(*), min(id) FROM attempt WHERE who IS NOT NULL GROUP BY who")
    ).all()
    spellings: dict[str, list[tuple[int, int, str]]] = {}
    for who, uses, first in rows:
        label = str(who).strip()[:WHO_LIMIT]
        if label:
            spellings.setdefault(_key(label), []).append((-int(uses), int(first), str(who)))
    for forms in sorted(spellings.values(), key=lambda forms: min(f[1] for f in forms)):
        forms.sort()
        label = forms[0][2].strip()[:WHO_LIMIT]
        conn.execute(
            sa.text("INSERT INTO person (label, key) VALUES (:label, :key)"),
            {"label": label, "key": _key(label)},
        )
        for _uses, _first, who in forms:
            if who != label:
                conn.execute(
                    sa.text("UPDATE attempt SET who = :label WHERE who = :who"),
                    {"label": label, "who": who},
                )
    blank = conn.execute(
        sa.text("SELECT DISTINCT who FROM attempt WHERE who IS NOT NULL")
    ).scalars()
    for who in [w for w in blank if not str(w).strip()]:
        conn.execute(sa.text("UPDATE attempt SET who = NULL WHERE who = :who"), {"who": who})


def downgrade() -> None:
    op.drop_index("ix_help_given_person", table_name="help_given")
    op.drop_table("help_given")
    op.drop_table("thank")
    op.drop_table("person")
