"""`tracker backup` on a PostgreSQL database: a complete JSON export (the format
`tracker import` reads), written privately and atomically.

Without a destination it goes to the `backups/` folder in tracker's user data folder,
named after the database; a folder as destination gets the same name inside it. An
existing file is never overwritten. The export is read in one transaction, so it is
consistent even while others write.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.store.errors import InvalidInput, UnusableDatabase
from tracker.store.files import default_path, fsync_file, make_private_dir

if TYPE_CHECKING:
    from tracker.store.repository import Store


def default_folder() -> Path:

    return default_path().parent / "backups"


def _name(store: Store, now: datetime) -> str:
    database = store.location.url.rsplit("/", 1)[-1].split("?", 1)[0] or "tracker"
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in database)
    return f"{safe.strip('.') or 'tracker'}-{now:%Y%m%d-%H%M%S}.json"


def backup_server(store: Store, dest: str | None, now: datetime) -> Path:
    """Write the export to `dest` (a file or a folder; default: default_folder())."""
    from tracker.store.transfer import export_json  # brings SQLAlchemy

    if dest is None:
        target = default_folder() / _name(store, now)
    else:
        target = Path(dest).expanduser()
        if target.is_dir():
            target = target / _name(store, now)
    if target.exists():
        raise InvalidInput(f"{target} already exists; choose a new name")
    text = export_json(store, now)
    try:
        make_private_dir(target.parent)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial",
                                        dir=target.parent)  # fmt: skip
    except OSError as e:
        raise UnusableDatabase(f"cannot write {target}: {e.strerror}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        fsync_file(tmp)
        os.link(tmp, target)  # never over a file that appeared meanwhile
    except FileExistsError:
        raise InvalidInput(f"{target} already exists; choose a new name") from None
    except OSError as e:
        raise UnusableDatabase(f"cannot write {target}: {e.strerror}") from None
    finally:
        with suppress(FileNotFoundError):
            tmp.unlink()
    return target
