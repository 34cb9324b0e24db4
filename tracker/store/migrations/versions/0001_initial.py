"""The first released schema: challenges, attempts, settings.

Frozen: later changes go in new revisions, never here.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 09:07:46.880320
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _strategies_check() -> str:
    """Strategies are lowercase words and commas. SQLite says it with GLOB (the text every
    existing file holds, kept as it was); PostgreSQL with a regular expression."""
    if op.get_bind().dialect.name == "sqlite":
        return "strategies NOT GLOB '*[^a-z,-]*'"
    return "strategies !~ '[^a-z,-]'"


def upgrade() -> None:
    op.create_table(
        "challenge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("rung", sa.Integer(), nullable=False),
        sa.Column("context", sa.String(), nullable=False),
        sa.Column("barrier", sa.String(), nullable=False),
        sa.Column("tip", sa.String(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "barrier IN ('rejection', 'burden', 'competence', 'vulnerability', 'self-reliance')",
            name=op.f("ck_challenge_barrier"),
        ),
        sa.CheckConstraint(
            "context IN ('strangers', 'work', 'friends', 'family', 'services', 'community', 'online')",
            name=op.f("ck_challenge_context"),
        ),
        sa.CheckConstraint(
            "length(slug) > 0 AND length(title) > 0", name=op.f("ck_challenge_named")
        ),
        sa.CheckConstraint("rung BETWEEN 1 AND 10", name=op.f("ck_challenge_rung")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenge")),
    )
    with op.batch_alter_table("challenge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_challenge_slug"), ["slug"], unique=True)

    op.create_table(
        "setting",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("who", sa.String(), nullable=True),
        sa.Column("channel", sa.String(), nullable=True),
        sa.Column("feared", sa.String(), nullable=True),
        sa.Column("predicted", sa.Integer(), nullable=True),
        sa.Column("expected_distress", sa.Integer(), nullable=True),
        sa.Column("happened", sa.Boolean(), nullable=True),
        sa.Column("peak_distress", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Integer(), nullable=True),
        sa.Column("rerated", sa.Integer(), nullable=True),
        sa.Column("strategies", sa.String(), nullable=False),
        sa.Column("learned", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.CheckConstraint(
            "channel IS NULL OR channel IN ('in-person', 'phone', 'message', 'email', 'video')",
            name=op.f("ck_attempt_channel"),
        ),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN ('helped', 'partly', 'declined', 'no-answer', 'avoided')",
            name=op.f("ck_attempt_outcome"),
        ),
        sa.CheckConstraint(_strategies_check(), name=op.f("ck_attempt_strategies")),
        sa.CheckConstraint(
            "confidence IS NULL OR confidence BETWEEN 0 AND 10", name=op.f("ck_attempt_confidence")
        ),
        sa.CheckConstraint(
            "expected_distress IS NULL OR expected_distress BETWEEN 0 AND 100",
            name=op.f("ck_attempt_expected_distress"),
        ),
        sa.CheckConstraint(
            "peak_distress IS NULL OR peak_distress BETWEEN 0 AND 100",
            name=op.f("ck_attempt_peak_distress"),
        ),
        sa.CheckConstraint(
            "predicted IS NULL OR predicted BETWEEN 0 AND 100", name=op.f("ck_attempt_predicted")
        ),
        sa.CheckConstraint(
            "rerated IS NULL OR rerated BETWEEN 0 AND 100", name=op.f("ck_attempt_rerated")
        ),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenge.id"],
            name=op.f("fk_attempt_challenge_id_challenge"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt")),
    )
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attempt_challenge_occurred", ["challenge_id", "occurred_at"], unique=False
        )
        batch_op.create_index("ix_attempt_occurred", ["occurred_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_attempt_occurred")
        batch_op.drop_index("ix_attempt_challenge_occurred")

    op.drop_table("attempt")
    op.drop_table("setting")
    with op.batch_alter_table("challenge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_challenge_slug"))

    op.drop_table("challenge")
