"""People in the store: the upgrade that makes `who` values people, rename and merge,
the reader agreeing with the Store, forgetting a person (file, backups, an open app),
and migration 0004 on PostgreSQL."""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest

from tests.store.helpers import TIME, integrity, rows, settle
from tracker.domain.models import Outcome
from tracker.domain.people import ThankKind, Thanks
from tracker.store.backup import backup_file, backups_dir
from tracker.store.errors import InvalidInput, NotFound, UnusableDatabase
from tracker.store.files import locate, needs_creating
from tracker.store.forgetting import forget_in_copy, forget_person, open_elsewhere, refuse_if_open
from tracker.store.reader import Reader
from tracker.store.repository import Store

FIXTURE = Path(__file__).with_name("fixtures") / "tracker-0001.sqlite"
MIGRATION = (
    Path(__file__).parents[2] / "tracker" / "store" / "migrations" / "versions" / "0004_people.py"
)
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def first_release_copy(dest: Path, whos: dict[int, str | None]) -> Path:
    """The first-release fixture with some attempts' `who` changed (plain SQL, 0001 shape)."""
    dest.parent.mkdir(mode=0o700, exist_ok=True)
    shutil.copyfile(FIXTURE, dest)
    dest.chmod(0o600)
    conn = sqlite3.connect(dest)
    for attempt_id, who in whos.items():
        conn.execute("UPDATE attempt SET who = ? WHERE id = ?", (who, attempt_id))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return dest


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(str(db_path), zone=UTC) as s:
        yield s


def add(
    store: Store, who: str | None, days_ago: float, outcome: Outcome | None = Outcome.HELPED
) -> int:
    challenge = store.challenge(TIME)
    at = NOW - timedelta(days=days_ago)
    data = {"challenge_id": challenge.id, "occurred_at": at, "outcome": outcome, "who": who}
    return store.add_attempt(data).id


def test_the_upgrade_makes_every_who_a_person_with_one_spelling(db_path: Path) -> None:
    path = first_release_copy(db_path, {1: "My sister", 3: "my sister", 4: "my sister", 5: None})
    before = rows(path, "attempt", "id, challenge_id, occurred_at, outcome, note")
    with Store.open(str(path)) as store:
        assert [p.label for p in store.people()] == ["my sister", "stranger"]
        whos = {a.id: a.who for a in store.attempts()}
    assert whos == {1: "my sister", 2: "stranger", 3: "my sister", 4: "my sister", 5: None, 6: None}
    settle(path)
    assert rows(path, "attempt", "id, challenge_id, occurred_at, outcome, note") == before
    assert integrity(path) == ["ok"]


def test_an_ask_names_a_known_person_in_their_spelling_or_adds_one(store: Store) -> None:
    add(store, "My Sister", 1)
    second = add(store, "  my sister", 0.5)
    assert store.attempt(second).who == "My Sister"
    assert [p.label for p in store.people()] == ["My Sister"]
    with pytest.raises(InvalidInput, match="at most 80"):
        add(store, "x" * 81, 0.2)
    edited = store.update_attempt(second, {"who": "Sam"})
    assert edited.who == "Sam" and [p.label for p in store.people()] == ["My Sister", "Sam"]


def test_rename_and_merge(store: Store) -> None:
    a = add(store, "sam", 2)
    b = add(store, "Samuel", 1)
    store.thank(a, NOW)
    store.give("Samuel", "lent a ladder", NOW)
    assert store.rename_person("SAM", "Sam").label == "Sam"  # a change of case is a rename
    assert store.attempt(a).who == "Sam"
    with pytest.raises(InvalidInput, match="merge"):
        store.rename_person("Sam", "samuel ")
    with pytest.raises(NotFound):
        store.rename_person("Alex", "Al")
    store.merge_people("Samuel", "sam")
    assert [p.label for p in store.people()] == ["Sam"]
    assert store.attempt(b).who == "Sam"
    assert [g.who for g in store.gifts()] == ["Sam"]
    figures = store.people_figures(NOW)
    assert figures[0].asks == 2 and figures[0].thanks == 1 and figures[0].gave == 1
    with pytest.raises(InvalidInput, match="already one person"):
        store.merge_people("Sam", "sam")


def test_one_thank_you_an_ask(store: Store) -> None:
    a = add(store, "Sam", 2)
    skipped = store.thank(a, NOW, skip=True)
    assert skipped.kind is ThankKind.SKIPPED
    with pytest.raises(InvalidInput, match="already marked"):
        store.thank(a, NOW, skip=True)
    assert store.thank(a, NOW, "a card").kind is ThankKind.THANKED
    with pytest.raises(InvalidInput, match="already thanked"):
        store.thank(a, NOW)
    store.delete_attempt(a)
    assert store.thanks() == [], "a deleted ask takes its thank-you with it"


def test_undoing_a_deletion_brings_its_thank_you_back(store: Store) -> None:
    thanked = store.thank(add(store, "Sam", 2), NOW, "a card")
    store.delete_attempt(thanked.attempt_id)
    back = store.undo_last()
    assert store.thanks_of(back.id) == Thanks(back.id, ThankKind.THANKED, NOW, "a card")
    # and from the app, which restores the attempt it holds, under a new id if need be
    deleted = store.delete_attempt(back.id)
    newer = add(store, "Ann", 1)
    restored = store.restore_attempt(deleted)
    assert restored.id != newer
    assert store.thanks_of(restored.id) == Thanks(restored.id, ThankKind.THANKED, NOW, "a card")
    assert store.thanks_of(newer) is None


def test_the_reader_sees_what_the_store_sees(store: Store, db_path: Path) -> None:
    for n, (who, outcome) in enumerate(
        [
            ("Sam", Outcome.HELPED),
            ("my sister", Outcome.PARTLY),
            ("Sam", Outcome.DECLINED),
            (None, Outcome.HELPED),
            ("a colleague", Outcome.AVOIDED),
            ("Sam", None),
            ("a colleague", Outcome.HELPED),
        ]
    ):
        add(store, who, 6 - n * 0.7, outcome)
    store.thank(1, NOW)
    since = NOW - timedelta(days=30)
    with Reader(locate(str(db_path)), zone=UTC) as reader:
        assert reader.people() == store.people()
        assert reader.thanks_due(NOW) == store.thanks_due(NOW)
        assert reader.asks_with_people_since(since) == store.asks_with_people_since(since)
    assert len(store.thanks_due(NOW)) == 2


def test_forgetting_wipes_a_backup_made_before_the_upgrade(db_path: Path, tmp_path: Path) -> None:
    path = first_release_copy(db_path, {1: "Quetzal aunt", 3: "QUETZAL AUNT"})
    old = backup_file(path, tmp_path / "copy-0001.db")
    assert forget_in_copy(old, "quetzal aunt")
    assert b"quetzal" not in old.read_bytes().lower()
    assert needs_creating(old) is False  # still a tracker file, still readable
    assert len(rows(old, "attempt")) == 6 and integrity(old) == ["ok"]
    assert not forget_in_copy(old, "quetzal aunt"), "nothing left to change"


def test_forget_person_in_the_file_and_every_backup(db_path: Path) -> None:
    path = first_release_copy(db_path, {1: "Quetzal aunt"})
    with Store.open(str(path)) as store:  # upgrading leaves a copy in backups/
        store.give("quetzal AUNT", "drove Quetzal to the station", NOW)
        report = forget_person(store, "QUETZAL aunt")
        assert report.label == "Quetzal aunt" and report.attempts == 1 and report.gifts == 1
        assert report.backups_cleaned and report.log_cleared
        with pytest.raises(NotFound):
            store.person("Quetzal aunt")
        assert len(store.attempts()) == 6
    for file in [path, *backups_dir(path).iterdir()]:
        assert b"quetzal" not in file.read_bytes().lower(), file


def test_forgetting_is_refused_while_another_program_has_the_file_open(db_path: Path) -> None:
    with Store.open(str(db_path)) as store:
        add(store, "Sam", 1)
    assert not open_elsewhere(db_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1])\n"
            "c.execute('SELECT count(*) FROM person').fetchall()\n"
            "print('open', flush=True); time.sleep(60)",
            str(db_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        assert open_elsewhere(db_path)
        with pytest.raises(UnusableDatabase, match="open"):
            refuse_if_open(locate(str(db_path)), "tracker forget --who Sam --yes")
        from tests.store.helpers import cli

        code, _out, err = cli("forget", "--who", "Sam", "--yes", db=db_path)
        assert code == 1 and err.startswith("error: ") and "open" in err
    finally:
        holder.kill()
        holder.wait()
    with Store.open(str(db_path)) as store:
        assert [p.label for p in store.people()] == ["Sam"], "nothing was forgotten"


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("migration_0004", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_0004_runs_on_postgresql(pg_url: str) -> None:
    """The new tables, their CHECK constraints and the who-to-people step, on PostgreSQL
    (beside an `attempt` table of the columns the step reads)."""
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine, text

    engine = create_engine(pg_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE attempt (id SERIAL PRIMARY KEY, who VARCHAR)"))
            conn.execute(
                text(
                    "INSERT INTO attempt (who) VALUES ('My sister'), ('my sister'), "
                    "('my sister'), (NULL), ('Sam')"
                )
            )
            migration = _migration()
            context = MigrationContext.configure(conn)
            with Operations.context(context):
                migration.upgrade()
            people = conn.execute(text("SELECT label, key FROM person ORDER BY id")).all()
            assert [tuple(p) for p in people] == [("my sister", "my sister"), ("Sam", "sam")]
            whos = conn.execute(text("SELECT who FROM attempt ORDER BY id")).scalars().all()
            assert whos == ["my sister", "my sister", "my sister", None, "Sam"]
            conn.execute(
                text("INSERT INTO thank (attempt_id, kind, at) VALUES (1, 'thanked', now())")
            )
        with pytest.raises(Exception, match="ck_thank_kind"), engine.begin() as conn:
            conn.execute(text("INSERT INTO thank (attempt_id, kind, at) VALUES (2, 'x', now())"))
        with pytest.raises(Exception, match="ck_person_label"), engine.begin() as conn:
            conn.execute(text("INSERT INTO person (label, key) VALUES (' padded', 'padded')"))
        with engine.begin() as conn:
            context = MigrationContext.configure(conn)
            with Operations.context(context):
                migration.downgrade()
    finally:
        engine.dispose()
