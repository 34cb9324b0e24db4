"""Issue 12 on the command line: plans for later, edit/delete/undo from the shell,
"Rung N climbed", and the small corrections (progress words, import counts, the
ladder keeping rungs whose challenges are all archived). In-process (tracker.cli.main)
on SQLite and PostgreSQL where the behaviour is the store's."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXED_NOW
from tests.engines import is_server, raw_connection
from tests.store.helpers import CLERK, TIME, cli

#: FIXED_NOW is Sunday 22 November 2026, 10:00 UTC (TZ=UTC in these tests).
TOMORROW_9 = "2026-11-23T09:00:00+00:00"
MONDAY_NOON = "2026-11-23T12:00:00+00:00"
LIBRARIAN = "ask-a-librarian-for-a-recommendation"


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()


def run(db: str, *args: str, now: str = FIXED_NOW) -> tuple[int, str, str]:
    return cli("--db", db, *args, now=now)


def ok(db: str, *args: str, now: str = FIXED_NOW) -> str:
    code, out, err = run(db, *args, now=now)
    assert code == 0, err
    return out


def data(db: str, *args: str, now: str = FIXED_NOW) -> Any:
    return json.loads(ok(db, *args, "--json", now=now))


def undo_rows(db: str) -> int:
    with raw_connection(db) as conn:
        (count,) = conn.execute("SELECT count(*) FROM undo").fetchone()
    return int(count)


# -- item 1: plans for later -----------------------------------------------------------


def test_a_plan_can_be_for_later_and_has_a_planned_time(any_db: str) -> None:
    plan = data(any_db, "plan", TIME, "--when", "tomorrow 9am")
    assert plan["planned"] is True
    assert plan["planned_for"] == TOMORROW_9
    assert plan["occurred_at"] == FIXED_NOW  # saved now, never ahead
    assert data(any_db, "history", "--planned")["attempts"][0]["planned_for"] == TOMORROW_9
    text = ok(any_db, "history", "--planned")
    assert "for Mon 23 Nov 2026 09:00" in text
    assert "planned for tomorrow, 09:00" in ok(any_db, "plan", TIME, "--when", "tomorrow 9am")


def test_a_plan_without_a_time_and_an_ask_have_no_planned_time(any_db: str) -> None:
    assert data(any_db, "plan", TIME)["planned_for"] is None
    assert data(any_db, "log", TIME, "--outcome", "helped")["planned_for"] is None


def test_an_ask_still_cannot_be_logged_in_the_future(any_db: str) -> None:
    code, out, err = run(any_db, "log", TIME, "--outcome", "helped", "--when", "tomorrow 9am")
    assert code == 2 and out == ""
    assert err.startswith("error: ") and "in the future" in err
    code, _, err = run(any_db, "complete", "1", "--outcome", "helped", "--when", "in 2 hours")
    assert code == 2 and "in the future" in err


def test_due_holds_plans_with_no_time_or_one_today_or_earlier(any_db: str) -> None:
    later = data(any_db, "plan", TIME, "--when", "tomorrow 9am")["id"]
    untimed = data(any_db, "plan", CLERK)["id"]
    past = data(any_db, "plan", TIME, "--when", "yesterday 9am")["id"]
    today = data(any_db, "plan", CLERK, "--when", "in 2 hours")["id"]
    due = data(any_db, "due")["planned"]
    assert [p["id"] for p in due] == [past, untimed, today]  # soonest first; not tomorrow
    assert later in [p["id"] for p in data(any_db, "due", now=MONDAY_NOON)["planned"]]
    text = ok(any_db, "due")
    assert "(for Sun 22 Nov 12:00)" in text and "(saved Sun 22 Nov 10:00)" in text


def test_completing_logs_at_the_planned_time_once_passed_else_now(any_db: str) -> None:
    past = data(any_db, "plan", TIME, "--when", "yesterday 9am")["id"]
    ahead = data(any_db, "plan", TIME, "--when", "tomorrow 9am")["id"]
    other = data(any_db, "plan", TIME, "--when", "yesterday 9am")["id"]
    done = data(any_db, "complete", str(past), "--outcome", "helped")
    assert done["occurred_at"] == "2026-11-21T09:00:00+00:00"
    assert done["planned_for"] is None and done["planned"] is False
    early = data(any_db, "complete", str(ahead), "--outcome", "declined")
    assert early["occurred_at"] == FIXED_NOW  # its time had not come: now
    told = data(any_db, "complete", str(other), "--outcome", "helped", "--when", "1 hour ago")
    assert told["occurred_at"] == "2026-11-22T09:00:00+00:00"  # --when overrides


def test_an_export_carries_the_planned_time_and_older_formats_still_import(
    any_db: str, tmp_path: Path
) -> None:
    data(any_db, "plan", TIME, "--when", "tomorrow 9am")
    out = tmp_path / "export.json"
    ok(any_db, "export", "-o", str(out))
    document = json.loads(out.read_text())
    assert document["version"] == 2
    assert document["attempts"][0]["planned_for"] == TOMORROW_9
    fresh = str(tmp_path / "fresh.db")
    ok(fresh, "import", str(out))
    assert data(fresh, "history", "--planned")["attempts"][0]["planned_for"] == TOMORROW_9
    # A version-1 file (no planned_for) reads; version 1 never had the key.
    for attempt in document["attempts"]:
        del attempt["planned_for"]
        del attempt["evidence"], attempt["kinder"]
    # Version 1 had no any-time challenges.
    document["challenges"] = [c for c in document["challenges"] if not c.pop("anytime")]
    for key in ("people", "thanks", "gave"):  # version 2 added these too
        del document[key]
    old = tmp_path / "v1.json"
    old.write_text(json.dumps(document | {"version": 1}))
    older = str(tmp_path / "older.db")
    assert data(older, "import", str(old))["attempts_added"] == 1
    assert data(older, "history")["attempts"][0]["planned_for"] is None
    document["attempts"][0]["planned_for"] = TOMORROW_9
    old.write_text(json.dumps(document | {"version": 1}))
    code, _, err = run(older, "import", str(old))
    assert code == 2 and "planned_for" in err


def test_the_database_refuses_a_planned_time_on_a_logged_ask(any_db: str) -> None:
    data(any_db, "log", TIME, "--outcome", "helped")
    mark = "%s" if is_server(any_db) else "?"
    with pytest.raises(Exception, match=r"(?i)check|constraint"), raw_connection(any_db) as conn:
        conn.execute(f"UPDATE attempt SET planned_for = {mark}", ("2026-11-23 09:00:00",))


# -- item 3: edit, delete, undo -----------------------------------------------------------


def test_edit_changes_only_what_is_given(any_db: str) -> None:
    first = data(any_db, "log", TIME, "--outcome", "helped", "--confidence", "6", "--note", "hi")
    edited = data(any_db, "edit", str(first["id"]), "--confidence", "8", "--who", "a [b]x[/b]")
    assert edited["confidence"] == 8 and edited["who"] == "a [b]x[/b]"
    assert {k: v for k, v in edited.items() if k not in ("confidence", "who", "climbed")} == {
        k: v for k, v in first.items() if k not in ("confidence", "who", "climbed")
    }
    moved = data(any_db, "edit", str(first["id"]), "--when", "yesterday 17:30", "--note", "")
    assert moved["occurred_at"] == "2026-11-21T17:30:00+00:00" and moved["note"] is None
    text = ok(any_db, "edit", str(first["id"]), "--outcome", "partly")
    assert text.startswith(f"Changed #{first['id']}: ") and "a [b]x[/b]" not in text


def test_editing_a_plan_moves_its_planned_time_and_an_outcome_completes_it(any_db: str) -> None:
    plan = data(any_db, "plan", TIME)["id"]
    later = data(any_db, "edit", str(plan), "--when", "tomorrow 9am")
    assert later["planned_for"] == TOMORROW_9 and later["planned"] is True
    code, _, err = run(any_db, "edit", str(plan), "--when", "in 2 days", "--outcome", "helped")
    assert code == 2 and "in the future" in err
    done = data(any_db, "edit", str(plan), "--outcome", "helped")
    assert done["planned"] is False and done["planned_for"] is None
    assert done["occurred_at"] == FIXED_NOW  # its time had not come


def test_edit_refuses_nothing_to_change_and_unknown_ids(any_db: str) -> None:
    data(any_db, "log", TIME, "--outcome", "helped")
    for args, words in (
        (("edit", "1"), "nothing to change"),
        (("edit", "99", "--note", "x"), "no attempt with id 99"),
        (("edit", "1", "--confidence", "11"), "0 to 10"),
        (("delete", "99"), "no attempt with id 99"),
    ):
        code, out, err = run(any_db, *args)
        assert (code, out) == (2, ""), args
        assert err.startswith("error: ") and words in err and len(err.splitlines()) == 1


def test_completing_a_completed_ask_points_at_tracker_edit(any_db: str) -> None:
    data(any_db, "log", TIME, "--outcome", "helped")
    code, _, err = run(any_db, "complete", "1", "--outcome", "declined")
    assert code == 2 and "`tracker edit 1`" in err


def test_delete_says_how_to_undo_and_undo_restores_it_later(any_db: str) -> None:
    kept = data(any_db, "log", CLERK, "--outcome", "declined", "--who", "my sister", "--note", "n")
    data(any_db, "log", TIME, "--outcome", "helped")
    text = ok(any_db, "delete", str(kept["id"]))
    assert "tracker undo" in text and f"#{kept['id']}" in text
    assert [a["id"] for a in data(any_db, "history")["attempts"]] == [2]
    assert undo_rows(any_db) == 1
    back = data(any_db, "undo")  # another process, later: the deletion was kept
    assert {k: v for k, v in back.items() if k != "climbed"} == {
        k: v for k, v in kept.items() if k != "climbed"
    }
    assert undo_rows(any_db) == 0
    code, out, err = run(any_db, "undo")
    assert (code, out) == (2, "") and "no deletion to undo" in err


def test_delete_json_is_the_deleted_attempt(any_db: str) -> None:
    logged = data(any_db, "log", TIME, "--outcome", "helped")
    gone = data(any_db, "delete", "1")
    assert {k: v for k, v in gone.items()} == {k: v for k, v in logged.items() if k != "climbed"}


def test_only_the_last_deletion_is_undone(any_db: str) -> None:
    data(any_db, "log", TIME, "--outcome", "helped")
    data(any_db, "log", CLERK, "--outcome", "helped")
    ok(any_db, "delete", "1")
    ok(any_db, "delete", "2")
    assert data(any_db, "undo")["id"] == 2
    assert run(any_db, "undo")[0] == 2
    assert [a["id"] for a in data(any_db, "history")["attempts"]] == [2]


@pytest.mark.parametrize("forget", [("--all",), ("--who", "my sister")])
def test_forget_purges_the_kept_deletion(any_db: str, forget: tuple[str, ...]) -> None:
    data(any_db, "log", TIME, "--outcome", "helped", "--who", "my sister")
    data(any_db, "log", CLERK, "--outcome", "helped")
    ok(any_db, "delete", "1")
    assert undo_rows(any_db) == 1
    ok(any_db, "forget", *forget, "--yes")
    assert undo_rows(any_db) == 0
    code, _, err = run(any_db, "undo")
    assert code == 2 and "no deletion to undo" in err


def test_the_apps_deletion_is_undone_from_the_shell(any_db: str) -> None:
    from tracker.store.repository import Store

    data(any_db, "log", TIME, "--outcome", "helped", "--feared", "a sigh")
    with Store.open(any_db) as store:
        store.delete_attempt(1)
    assert data(any_db, "undo")["feared"] == "a sigh"


# -- item 4: rung N climbed -----------------------------------------------------------


def climb_rung_one(db: str) -> list[Any]:
    good = ("--outcome", "helped", "--confidence", "8", "--rerated", "20")
    return [
        data(db, "log", TIME, *good, "--when", "3 hours ago"),
        data(db, "log", CLERK, *good, "--when", "2 hours ago"),
        data(db, "log", LIBRARIAN, *good, "--when", "1 hour ago"),
    ]


def test_log_says_when_a_rung_is_climbed(any_db: str) -> None:
    logs = climb_rung_one(any_db)
    assert [a["climbed"] for a in logs] == [[], [], [1]]
    assert data(any_db, "ladder")["rungs"][0]["state"] == "climbed"
    text = ok(any_db, "log", TIME, "--outcome", "helped")
    assert "climbed" not in text  # already climbed: nothing newly climbed


def test_complete_and_undo_say_when_a_rung_is_climbed(any_db: str) -> None:
    good = ("--outcome", "helped", "--confidence", "8", "--rerated", "20")
    data(any_db, "log", TIME, *good, "--when", "3 hours ago")
    data(any_db, "log", CLERK, *good, "--when", "2 hours ago")
    plan = data(any_db, "plan", LIBRARIAN, "--when", "1 hour ago")["id"]
    text = ok(any_db, "complete", str(plan), *good)
    assert "Rung 1 climbed." in text
    ok(any_db, "delete", str(plan))
    assert data(any_db, "ladder")["rungs"][0]["state"] == "current"
    back = data(any_db, "undo")
    assert back["climbed"] == [1]
    assert data(any_db, "progress")["rungs"][0]["climbed_at"] == "2026-11-22T09:00:00+00:00"


def test_edit_says_when_an_edit_climbs_a_rung(any_db: str) -> None:
    good = ("--outcome", "helped", "--confidence", "8", "--rerated", "20")
    data(any_db, "log", TIME, *good, "--when", "3 hours ago")
    data(any_db, "log", CLERK, *good, "--when", "2 hours ago")
    low = data(any_db, "log", LIBRARIAN, "--outcome", "helped", "--confidence", "3")
    assert low["climbed"] == []
    edited = data(any_db, "edit", str(low["id"]), "--confidence", "8", "--rerated", "20")
    assert edited["climbed"] == [1]


# -- item 5: small corrections ----------------------------------------------------------


def test_progress_says_climbed_once(any_db: str) -> None:
    climb_rung_one(any_db)
    line = next(x for x in ok(any_db, "progress").splitlines() if "rung  1" in x)
    assert line.count("climbed") == 1, line


def test_importing_the_same_file_again_reports_no_changes(any_db: str, tmp_path: Path) -> None:
    data(any_db, "log", TIME, "--outcome", "helped")
    data(any_db, "challenge", "add", "Ask my neighbour", "--rung", "2")
    out = tmp_path / "export.json"
    ok(any_db, "export", "-o", str(out))
    report = data(any_db, "import", str(out))
    assert report == {
        "challenges_added": 0,
        "challenges_updated": 0,
        "attempts_added": 0,
        "attempts_skipped": 1,
    }
    assert "0 new challenges, 0 updated" in ok(any_db, "import", str(out))
    document = json.loads(out.read_text())
    document["challenges"][0]["tip"] = "a new tip"
    out.write_text(json.dumps(document))
    assert data(any_db, "import", str(out))["challenges_updated"] == 1


def test_a_rung_whose_challenges_are_all_archived_stays_in_ladder_json_and_all(
    any_db: str,
) -> None:
    on_ten = [c["slug"] for c in data(any_db, "ladder")["rungs"][-1]["challenges"]]
    assert data(any_db, "ladder")["rungs"][-1]["rung"] == 10
    for slug in on_ten:
        ok(any_db, "challenge", "archive", slug)
    rungs = data(any_db, "ladder")["rungs"]
    assert rungs[-1]["rung"] == 10
    assert [c["slug"] for c in rungs[-1]["challenges"]] == on_ten
    assert all(c["archived"] for c in rungs[-1]["challenges"])
    assert [r["rung"] for r in data(any_db, "progress")["rungs"]] == list(range(1, 11))
    everything = ok(any_db, "ladder", "--all")
    assert "Rung 10" in everything and all(slug in everything for slug in on_ten)
    assert "Rung 10" not in ok(any_db, "ladder")  # hidden with its archived challenges
    ok(any_db, "challenge", "archive", on_ten[0], "--undo")
    assert "Rung 10" in ok(any_db, "ladder")


def test_progress_rung_asks_add_up_to_total_asks_after_archiving(any_db: str) -> None:
    climb_rung_one(any_db)
    for c in data(any_db, "ladder")["rungs"][0]["challenges"]:
        ok(any_db, "challenge", "archive", c["slug"])
    p = data(any_db, "progress")
    assert sum(r["asks"] for r in p["rungs"]) + p["anytime_asks"] == p["total_asks"] == 3


# -- the migration ---------------------------------------------------------------------

FIXTURE = Path(__file__).parents[1] / "store" / "fixtures" / "tracker-0001.sqlite"


def test_a_first_release_file_gains_planned_for_and_undo(tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "data" / "tracker.db"
    path.parent.mkdir(mode=0o700)
    shutil.copyfile(FIXTURE, path)
    path.chmod(0o600)
    before = sqlite3.connect(path).execute("SELECT count(*) FROM attempt").fetchone()
    history = data(str(path), "history", "--limit", "100")["attempts"]
    assert len(history) == before[0] and all(a["planned_for"] is None for a in history)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0005",)
        assert conn.execute("SELECT count(*) FROM undo").fetchone() == (0,)
        triggers = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
        assert triggers.fetchone()[0] > 0  # the attempt table was not rebuilt
    finally:
        conn.close()
    plan = data(str(path), "plan", TIME, "--when", "tomorrow 9am")
    assert plan["planned_for"] == TOMORROW_9
    ok(str(path), "delete", str(plan["id"]))
    assert data(str(path), "undo")["planned_for"] == TOMORROW_9


def test_the_upgrade_to_0005_on_postgresql(pg_url: str) -> None:
    import psycopg
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from tracker.store import database

    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", database.MIGRATIONS)
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
        conn.exec_driver_sql(
            "INSERT INTO challenge (slug, title, rung, anytime, context, barrier, tip,"
            " description, builtin, archived) VALUES ('mine', 'Mine', 1, false, 'community',"
            " 'rejection', '', '', false, false)"
        )
        conn.exec_driver_sql(
            "INSERT INTO attempt (challenge_id, occurred_at, outcome, strategies)"
            " SELECT id, '2026-11-20 10:00:00', NULL, '' FROM challenge"
        )
    engine.dispose()
    history = data(pg_url, "history", "--planned")["attempts"]
    assert [a["planned_for"] for a in history] == [None]
    with raw_connection(pg_url) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0005",)]
    assert data(pg_url, "plan", "mine", "--when", "tomorrow 9am")["planned_for"] == TOMORROW_9
    data(pg_url, "complete", "1", "--outcome", "helped")
    with pytest.raises(psycopg.errors.CheckViolation), raw_connection(pg_url) as conn:
        conn.execute("UPDATE attempt SET planned_for = %s", ("2026-11-23 09:00:00",))
