"""Revision 0003 (issue 9) on real files: from the first release and from a 0002 file.

The crisis challenge is retired (archived, history kept, never restored), professional
help moves off rung 9 to any time, the new built-in challenges arrive, unedited built-in
texts take the new wording, and attempts gain `evidence` and `kinder`.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from tracker.service import overview
from tracker.store import database
from tracker.store.errors import InvalidInput
from tracker.store.repository import Store
from tracker.store.seed import builtin_challenges, ladder_entries, retired_slugs

FIXTURE = Path(__file__).with_name("fixtures") / "tracker-0001.sqlite"
CRISIS = "ask-a-friend-to-stay-with-you-in-a-crisis"
PROFESSIONAL = "reach-out-to-a-professional-about-how-you-feel"
NOW = datetime(2026, 11, 22, 10, tzinfo=UTC)


def copy_fixture(dest: Path) -> Path:
    dest.parent.mkdir(mode=0o700, exist_ok=True)
    shutil.copyfile(FIXTURE, dest)
    dest.chmod(0o600)
    return dest


def to_0002(path: Path) -> None:
    """Upgrade a copy of the first-release file to revision 0002 only."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", database.MIGRATIONS)
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
    engine.dispose()
    conn2 = sqlite3.connect(path)
    assert conn2.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
    conn2.close()


@pytest.fixture(params=["0001", "0002"])
def upgraded(request: pytest.FixtureRequest, db_path: Path) -> Path:
    path = copy_fixture(db_path)
    if request.param == "0002":
        to_0002(path)
    return path


def test_the_ladder_is_safe_after_the_upgrade(upgraded: Path) -> None:
    with Store.open(str(upgraded), zone=UTC) as store:
        crisis = store.challenge(CRISIS)
        assert crisis.archived and crisis.builtin
        professional = store.challenge(PROFESSIONAL)
        assert professional.anytime and professional.rung is None and not professional.archived
        assert professional.title == "Reach out to a therapist or counsellor"
        assert store.challenge("ask-a-server-to-fix-your-order").rung == 5
        shipped = {c.slug: c for c in builtin_challenges()}
        have = {c.slug: c for c in store.challenges()}
        assert set(shipped) <= set(have), "every new built-in challenge arrived"
        for slug in (
            "talk-to-a-doctor-about-how-you-have-been-feeling",
            "call-or-message-a-helpline",
        ):
            assert have[slug].anytime and have[slug].builtin
        # An unedited built-in text takes the new wording; the moved and the archived
        # ones the fixture holds keep where the user put them.
        assert (
            have["ask-a-stranger-the-time"].description
            == shipped["ask-a-stranger-the-time"].description
        )
        assert have["ask-a-librarian-for-a-recommendation"].rung == 3
        assert have["ask-for-a-raise"].archived
        custom = have["ask-my-neighbour-to-water-the-plants"]
        assert custom.title == "Ask my neighbour to water the plants" and custom.rung == 4

        view = overview(store, NOW)
        assert view.suggestion.challenge is not None
        assert not view.suggestion.challenge.anytime
        assert CRISIS not in {p.challenge.slug for r in view.ladder.rungs for p in r.active}
        assert PROFESSIONAL in {p.challenge.slug for p in view.ladder.anytime}
        assert len(store.attempts()) == 6
        assert all(a.evidence is None and a.kinder is None for a in store.attempts())


def test_the_retired_challenge_is_never_restored(upgraded: Path) -> None:
    with Store.open(str(upgraded), zone=UTC) as store:
        crisis = store.challenge(CRISIS)
        with pytest.raises(InvalidInput, match="retired"):
            store.update_challenge(crisis.id, {"archived": False})
        assert store.challenge(CRISIS).archived


def test_constraints_survive_the_rebuild_and_refuse_a_half_any_time_row(upgraded: Path) -> None:
    Store.open(str(upgraded)).close()
    conn = sqlite3.connect(upgraded)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'challenge'").fetchone()[0]
    for name in ("ck_challenge_rung", "ck_challenge_anytime", "ck_challenge_context",
                 "ck_challenge_barrier", "ck_challenge_named"):  # fmt: skip
        assert name in sql, name
    columns = {r[1]: r for r in conn.execute("PRAGMA table_info(attempt)")}
    assert {"evidence", "kinder"} <= set(columns)
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"attempt_inserted", "attempt_updated", "attempt_deleted"} <= triggers
    insert = (
        "INSERT INTO challenge (slug, title, description, rung, anytime, context, barrier, tip,"
        " builtin, archived) VALUES (?, 'x', '', ?, ?, 'work', 'burden', '', 0, 0)"
    )
    for slug, rung, anytime in (("a", None, 0), ("b", 3, 1), ("c", 11, 0)):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(insert, (slug, rung, anytime))
    conn.execute(insert, ("d", None, 1))
    conn.execute(insert, ("e", 2, 0))
    conn.rollback()
    conn.close()


def test_a_new_file_holds_the_shipped_ladder_in_file_order(db_path: Path) -> None:
    with Store.open(str(db_path)) as store:
        by_id = sorted(store.challenges(), key=lambda c: c.id)
        assert [c.slug for c in by_id] == [e["slug"] for e in ladder_entries()]
        assert {c.slug for c in by_id if c.archived} == retired_slugs() == {CRISIS}
