"""Alembic environment: runs on the connection tracker hands it (never from a .ini)."""

from __future__ import annotations

from alembic import context

from tracker.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - tracker always passes one
    raise RuntimeError("tracker runs its migrations itself: use `tracker` to open the database")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters tables by copy-and-move
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
