"""Schema upgrades: a first-release file opens at head with every row, after a backup;
a file from a newer tracker is refused untouched; schema and migrations agree.

tests/store/fixtures/tracker-0001.sqlite was made by tests/store/make_fixture.py.
"""

from __future__ import annotations

import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from tests.store.helpers import ROOT, TIME, env, integrity, rows, settle
from tracker.store import database
from tracker.store.backup import backup_before_upgrade, backups_dir
from tracker.store.database import open_database
from tracker.store.errors import NewerDatabase, UnusableDatabase
from tracker.store.files import locate
from tracker.store.repository import Store
from tracker.store.schema import HEAD_REVISION, KNOWN_REVISIONS, metadata

FIXTURE = Path(__file__).with_name("fixtures") / "tracker-0001.sqlite"
#: The columns of the first release, which every later schema must keep.
COLUMNS_0001 = {
    "challenge": "id, slug, title, description, rung, context, barrier, tip, builtin, archived",
    "attempt": "id, challenge_id, occurred_at, outcome, who, channel, feared, predicted, "
    "expected_distress, happened, peak_distress, confidence, rerated, strategies, learned, note",
    "setting": "key, value",
}


def copy_fixture(dest: Path) -> Path:
    dest.parent.mkdir(mode=0o700, exist_ok=True)
    shutil.copyfile(FIXTURE, dest)
    dest.chmod(0o600)
    return dest


def revision(path: Path) -> str:
    return str(rows(path, "alembic_version")[0][0])


def snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    return {table: rows(path, table, columns) for table, columns in COLUMNS_0001.items()}


#: What revision 0003 changes on purpose in a first-release ladder (issue 9): the crisis
#: challenge is retired (archived), professional help goes to any time (no rung), the
#: server-mistake ask moves from rung 3 to 5, and built-in texts the user never edited
#: take the new wording.
TEXTS = (2, 3, 7)  # title, description, tip in COLUMNS_0001["challenge"]


def after_0003(before: dict[str, list[tuple[object, ...]]]) -> dict[str, list[tuple[object, ...]]]:
    """The 0001 snapshot as 0003 leaves it, built-in texts left out."""
    changed = []
    for row in before["challenge"]:
        r = list(row)
        slug, builtin = r[1], r[8]
        if builtin and slug == "ask-a-friend-to-stay-with-you-in-a-crisis":
            r[9] = 1
        if builtin and slug == "reach-out-to-a-professional-about-how-you-feel":
            r[4] = None
        if builtin and slug == "ask-a-server-to-fix-your-order" and r[4] == 3:
            r[4] = 5
        changed.append(tuple(r))
    return before | {"challenge": changed}


def without_builtin_texts(
    snap: dict[str, list[tuple[object, ...]]], keep: int | None = None
) -> dict[str, list[tuple[object, ...]]]:
    """The snapshot with built-in titles, descriptions and tips blanked; `keep`: only
    the first `keep` challenge rows (the first release's, not the ones 0003 adds)."""
    rows_ = snap["challenge"][:keep]
    blank = [tuple(None if i in TEXTS and r[8] else v for i, v in enumerate(r)) for r in rows_]
    return snap | {"challenge": blank}


def kept(before: dict[str, list[tuple[object, ...]]], path: Path) -> bool:
    """Every first-release row is still there, as 0003 means to leave it."""
    now = snapshot(path)
    count = len(before["challenge"])
    return without_builtin_texts(now, count) == without_builtin_texts(after_0003(before))


def scripts(location: str = database.MIGRATIONS) -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", location)
    return ScriptDirectory.from_config(config)


def test_the_fixture_is_a_first_release_database(db_path: Path) -> None:
    path = copy_fixture(db_path)
    assert revision(path) == "0001"
    assert len(rows(path, "attempt")) == 6 and len(rows(path, "setting")) == 2


def test_a_first_release_file_opens_at_head_with_every_row(db_path: Path) -> None:
    path = copy_fixture(db_path)
    before = snapshot(path)
    with Store.open(str(path)) as store:
        assert not store.created
        attempts = store.attempts()
        assert len(attempts) == 6
        assert next(a for a in attempts if a.planned).feared == "they sigh"
        note = {a.note for a in attempts}
        assert "bus stop, café « Le Coin »" in note
        assert store.settings().weekly_goal == 4
        custom = store.challenge("ask-my-neighbour-to-water-the-plants")
        assert custom.rung == 4 and not custom.builtin
        assert store.challenge("ask-for-a-raise").archived
        assert store.challenge("ask-a-librarian-for-a-recommendation").rung == 3
    settle(path)
    assert revision(path) == HEAD_REVISION
    assert kept(before, path), "every row and value kept"
    assert integrity(path) == ["ok"]


@pytest.mark.skipif(HEAD_REVISION == "0001", reason="no upgrade from 0001 until a 0002 exists")
def test_the_upgrade_is_preceded_by_a_private_backup(db_path: Path) -> None:
    path = copy_fixture(db_path)
    before = snapshot(path)
    Store.open(str(path)).close()
    copies = sorted(backups_dir(path).iterdir())
    assert [c.name.startswith("tracker-before-upgrade-0001-") for c in copies] == [True]
    assert stat.S_IMODE(copies[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(backups_dir(path).stat().st_mode) == 0o700
    assert revision(copies[0]) == "0001" and snapshot(copies[0]) == before
    Store.open(str(path)).close()
    assert len(list(backups_dir(path).iterdir())) == 1, "no backup when nothing to upgrade"


def test_backup_before_upgrade_makes_a_consistent_private_copy(db_path: Path) -> None:
    path = copy_fixture(db_path)
    copy = backup_before_upgrade(path, "0001")
    assert copy.parent == backups_dir(path) and "0001" in copy.name
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert integrity(copy) == ["ok"] and snapshot(copy) == snapshot(path)


def test_a_file_from_a_newer_tracker_is_refused_untouched(db_path: Path) -> None:
    path = copy_fixture(db_path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    settle(path)
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    before = path.read_bytes()

    with pytest.raises(NewerDatabase, match="newer version of tracker"):
        Store.open(str(path))
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(path), "log", TIME, "--outcome", "helped"],
        capture_output=True,
        text=True,
        env=env(),
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "newer version of tracker" in result.stderr and "9999" in result.stderr
    assert path.read_bytes() == before
    assert not backups_dir(path).exists()


def test_head_revision_is_alembics_head_and_every_revision_is_known() -> None:
    script = scripts()
    assert script.get_heads() == [HEAD_REVISION]
    assert {s.revision for s in script.walk_revisions()} == set(KNOWN_REVISIONS)


@pytest.mark.parametrize("start", ["new", "0001"])
def test_migrations_and_schema_agree(db_path: Path, start: str) -> None:
    """Alembic's autogenerate finds nothing to add: the migrations build the tables the
    models describe, from a new file and from a first-release file alike."""
    if start == "0001":
        copy_fixture(db_path)
    with Store.open(str(db_path)) as store, store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        assert compare_metadata(context, metadata) == []


# -- the upgrade path, with a migration made for the test ------------------------------


def with_extra_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    """Tracker's migrations plus one more (revision 9001), used by open_database."""
    folder = tmp_path / "migrations"
    shutil.copytree(ROOT / "tracker" / "store" / "migrations", folder)
    (folder / "versions" / "9001_test.py").write_text(
        f'revision = "9001"\ndown_revision = "{HEAD_REVISION}"\n'
        "branch_labels = None\ndepends_on = None\n"
        "import sqlalchemy as sa\nfrom alembic import op\n\n\n"
        f"def upgrade():\n{body}\n"
    )
    monkeypatch.setattr(database, "MIGRATIONS", str(folder))
    monkeypatch.setattr(database, "HEAD_REVISION", "9001")
    monkeypatch.setattr(database, "KNOWN_REVISIONS", (*KNOWN_REVISIONS, "9001"))


def test_a_migration_that_rebuilds_a_referenced_table_keeps_every_row(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch migration copies and renames the challenge table, which attempts point at
    with ON DELETE RESTRICT: foreign keys are off while it runs, checked before commit."""
    with_extra_migration(
        tmp_path,
        monkeypatch,
        '    with op.batch_alter_table("challenge", recreate="always") as batch:\n'
        '        batch.add_column(sa.Column("colour", sa.String(), nullable=True))',
    )
    path = copy_fixture(db_path)
    before = snapshot(path)
    engine, created = open_database(locate(str(path)))
    engine.dispose()
    assert not created
    assert revision(path) == "9001"
    assert kept(before, path)
    conn = sqlite3.connect(path)
    assert "colour" in {r[1] for r in conn.execute("PRAGMA table_info(challenge)")}
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0  # a fresh connection
    conn.close()
    assert integrity(path) == ["ok"]
    assert len(list(backups_dir(path).glob("tracker-before-upgrade-0001-*"))) == 1


def test_a_failed_migration_leaves_the_file_as_it_was_and_says_where_the_copy_is(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = copy_fixture(db_path)
    Store.open(str(path)).close()  # at today's head, as a user's file would be
    settle(path)
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    before = path.read_bytes()
    with_extra_migration(
        tmp_path,
        monkeypatch,
        '    op.create_table("half", sa.Column("id", sa.Integer(), primary_key=True))\n'
        '    op.execute("DELETE FROM attempt")\n'
        '    raise RuntimeError("the test migration stops here")',
    )
    with pytest.raises(UnusableDatabase) as caught:
        open_database(locate(str(path)))
    message = str(caught.value)
    assert "the test migration stops here" in message and "left as it was" in message
    copies = list(backups_dir(path).glob(f"tracker-before-upgrade-{HEAD_REVISION}-*"))
    assert len(copies) == 1 and str(copies[0]) in message
    assert path.read_bytes() == before
    assert revision(path) == HEAD_REVISION and len(rows(path, "attempt")) == 6
