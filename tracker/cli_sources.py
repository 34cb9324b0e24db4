"""Where a command's data comes from: the database named by `--db` (tracker.cli's
group keeps it in the click context), opened the way the command needs it.

Reading commands get a Reader (the standard library's sqlite3, or psycopg: no
SQLAlchemy), a Store where a Reader cannot serve, or the shipped ladder where nothing
is saved yet; writing commands get a Store.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from tracker.cli_output import note
from tracker.store.files import Location, locate
from tracker.store.reader import Reader, nothing_saved, open_reader

if TYPE_CHECKING:
    from tracker.store.repository import Store
    from tracker.store.unsaved import Unsaved


class SharedOptions:
    """What every command shares: where the database is."""

    def __init__(self, db: str | None) -> None:
        self.db = db


def database(ctx: click.Context) -> str | None:
    """The --db the command was given (None: $TRACKER_DB or the default file)."""
    shared = ctx.find_object(SharedOptions)
    return shared.db if shared else None


def located(ctx: click.Context) -> Location:
    """Where the database is."""
    return locate(database(ctx))


@contextmanager
def opened(ctx: click.Context) -> Iterator[Store]:
    """The Store, for a write (made, or upgraded, if need be)."""
    # Imported here: the Store brings SQLAlchemy, which reading commands never load.
    from tracker.store.repository import Store

    store = Store.open(database(ctx))
    try:
        yield store
    finally:
        store.close()


@contextmanager
def reading(ctx: click.Context) -> Iterator[Reader | Store | Unsaved]:
    """For commands that only read: the database through the standard library when that
    is enough (no SQLAlchemy to import: see tracker.store.reader), else a Store; where
    nothing is saved yet, the shipped ladder, and nothing is created."""
    reader = open_reader(database(ctx))
    if reader is not None:
        with reader:
            yield reader
        return
    with whole(ctx) as source:
        yield source


@contextmanager
def whole(ctx: click.Context) -> Iterator[Store | Unsaved]:
    """A Store, or the shipped ladder (with a note) where nothing is saved yet."""
    where = located(ctx)
    if nothing_saved(where):
        # Imported here: the shipped ladder is validated with pydantic.
        from tracker.store.unsaved import Unsaved

        note(f"nothing is saved at {where.label} yet; this is the shipped ladder")
        with Unsaved() as unsaved:
            yield unsaved
        return
    with opened(ctx) as store:
        yield store
