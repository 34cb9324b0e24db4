"""Plans for later, and an undo that outlives the process (issue 12).

- attempt: `planned_for`, when a plan is meant to be carried out (naive UTC, as
  `occurred_at`); NULL when no time was given, and always NULL once the ask is logged
  (a CHECK says so, valid on SQLite and PostgreSQL alike).
- undo: the last deleted attempt, as JSON, so `tracker undo` can bring it back from
  any process later; one row at most. `forget` empties it.

Revision ID: 0005
Revises: 0004

Frozen: later changes go in new revisions, never here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PLANNED_FOR_CHECK = "planned_for IS NULL OR outcome IS NULL"


def upgrade() -> None:
    # Plain ADD COLUMN, its CHECK inline: rebuilding `attempt` would drop its triggers (0002).
    kind = "DATETIME" if op.get_bind().dialect.name == "sqlite" else "TIMESTAMP WITHOUT TIME ZONE"
    op.execute(
        f"ALTER TABLE attempt ADD COLUMN planned_for {kind} "
        f"CONSTRAINT ck_attempt_planned_for CHECK ({PLANNED_FOR_CHECK})"
    )
    op.create_table(
        "undo",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.Column("attempt", sa.String(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_undo_single")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_undo")),
    )


def downgrade() -> None:
    op.drop_table("undo")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE attempt DROP COLUMN planned_for")
    else:
        op.drop_column("attempt", "planned_for")
