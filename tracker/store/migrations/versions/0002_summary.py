"""Keep the log's folded summary beside it; remember climbed rungs; index planned asks.

Revision ID: 0002
Revises: 0001

Frozen: later changes go in new revisions, never here. (Its PostgreSQL branch was
changed once, before any PostgreSQL database could exist: migration 0001 did not run
there until the same release.)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TRIGGERS = {
    "attempt_inserted": "AFTER INSERT ON attempt",
    "attempt_updated": "AFTER UPDATE ON attempt",
    "attempt_deleted": "AFTER DELETE ON attempt",
}


def upgrade() -> None:
    op.create_table(
        "rung_climb",
        sa.Column("rung", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("climbed_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("rung BETWEEN 1 AND 10", name=op.f("ck_rung_climb_rung")),
        sa.PrimaryKeyConstraint("rung", name=op.f("pk_rung_climb")),
    )
    op.create_table(
        "summary",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("log_version", sa.Integer(), nullable=False),
        sa.Column("state_version", sa.Integer(), nullable=True),
        sa.Column("frame_key", sa.String(), nullable=True),
        sa.Column("state", sa.String(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_summary_single")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_summary")),
    )
    op.execute("INSERT INTO summary (id, log_version) VALUES (1, 0)")
    op.create_index(
        "ix_attempt_planned",
        "attempt",
        ["occurred_at"],
        unique=False,
        sqlite_where=sa.text("outcome IS NULL"),
        postgresql_where=sa.text("outcome IS NULL"),
    )
    bump = "UPDATE summary SET log_version = log_version + 1 WHERE id = 1"
    if op.get_bind().dialect.name == "sqlite":
        for name, when in TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} BEGIN {bump}; END")
    else:
        # Once per transaction on PostgreSQL: rewriting the one summary row for every
        # row of a big import would leave it a chain of 100,000 versions to walk. A
        # version this transaction wrote already (its xmin is ours) has been bumped.
        op.execute(
            "CREATE FUNCTION bump_log_version() RETURNS trigger AS $$ "
            f"BEGIN {bump} AND xmin::text::bigint <> txid_current() % 4294967296; "
            "RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER attempt_changed AFTER INSERT OR UPDATE OR DELETE ON attempt "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_log_version()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS attempt_changed ON attempt")
        op.execute("DROP FUNCTION IF EXISTS bump_log_version()")
    op.drop_index("ix_attempt_planned", table_name="attempt")
    op.drop_table("summary")
    op.drop_table("rung_climb")
