"""The command line end to end, in this process (see conftest.run), on a fixed clock
(conftest.FIXED_NOW); tests/cli/test_process.py runs it as a real process."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.conftest import Result, Run

# Rung 1 and 2 of the built-in ladder (tracker/data/challenges.toml).
TIME = "ask-a-stranger-the-time"
CLERK = "ask-a-store-clerk-where-something-is"
LIBRARIAN = "ask-a-librarian-for-a-recommendation"


def ok(result: Result) -> Result:
    assert result.code == 0, result.err
    return result


def history(run: Run) -> list[dict[str, object]]:
    attempts: list[dict[str, object]] = ok(run("history", "--json", "--limit", "1000")).json()[
        "attempts"
    ]
    return attempts


def climb_rung_1(run: Run, days_ago: int = 1) -> None:
    for slug, hours in ((TIME, 3), (CLERK, 2), (TIME, 1)):
        when = f"{days_ago * 24 + hours} hours ago"
        ok(run("log", slug, "--outcome", "helped", "--confidence", "8", "--when", when))


def test_fresh_database_suggests_the_first_rung(run: Run) -> None:
    data = ok(run("next", "--json")).json()
    assert set(data) == {
        "rung",
        "current_rung",
        "challenge",
        "reason",
        "step_back",
        "revisits_due",
        "all_climbed",
    }
    assert data["rung"] == data["current_rung"] == 1
    assert data["challenge"]["slug"] == TIME
    assert {"id", "slug", "title", "rung", "context", "barrier", "tip"} <= set(data["challenge"])
    assert "Rung 1" in data["reason"]
    assert data["step_back"] is False and data["all_climbed"] is False
    assert data["revisits_due"] == []


def test_log_prints_the_attempt_and_history_lists_it(run: Run) -> None:
    logged = ok(
        run(
            "log", TIME, "--outcome", "declined", "--when", "yesterday 17:30",
            "--predicted", "70", "--feared", "they'll ignore me", "--happened", "no",
            "--expected-distress", "40", "--peak-distress", "35", "--confidence", "7",
            "--rerated", "20", "--who", "stranger", "--channel", "in-person",
            "--strategy", "specific", "--strategy", "gratitude",
            "--learned", "people answer", "--note", "bus stop", "--json",
        )
    ).json()  # fmt: skip
    assert logged["occurred_at"] == "2026-11-21T17:30:00+00:00"
    assert logged["challenge"]["slug"] == TIME
    assert logged["outcome"] == "declined"
    assert logged["happened"] is False
    assert logged["strategies"] == ["specific", "gratitude"]
    assert logged["rerated"] == 20 and logged["who"] == "stranger"
    climbed = logged.pop("climbed")  # what this log climbed: `log --json` only
    assert climbed == [] and history(run) == [logged]


def test_times_keep_their_zone_at_the_edges(run: Run) -> None:
    env = {"TZ": "America/New_York", "TRACKER_NOW": "2026-11-22T10:00:00-05:00"}
    logged = ok(run("log", TIME, "--outcome", "helped", "--when", "today 9am", "--json", env=env))
    assert logged.json()["occurred_at"] == "2026-11-22T09:00:00-05:00"
    seen_in_utc = history(run)[0]["occurred_at"]
    assert seen_in_utc == "2026-11-22T14:00:00+00:00"


def test_avoided_asks_do_not_count(run: Run) -> None:
    for _ in range(4):
        ok(run("log", TIME, "--outcome", "avoided", "--when", "2 hours ago"))
    progress = ok(run("progress", "--json")).json()
    assert progress["current_rung"] == 1
    assert progress["rungs"][0]["asks"] == 0
    assert progress["total_asks"] == 0


def test_low_confidence_keeps_the_rung_open_and_says_so(run: Run) -> None:
    for slug in (TIME, CLERK, TIME):
        ok(run("log", slug, "--outcome", "helped", "--confidence", "5", "--when", "1 hour ago"))
    data = ok(run("next", "--json")).json()
    assert data["current_rung"] == 1
    assert "confidence was 5" in data["reason"]
    assert "7 or more" in data["reason"]


def test_a_no_still_climbs_the_rung(run: Run) -> None:
    for slug in (TIME, CLERK, TIME):
        args = ("--confidence", "8", "--rerated", "10", "--when", "1 hour ago")
        ok(run("log", slug, "--outcome", "declined", *args))
    data = ok(run("next", "--json")).json()
    assert data["current_rung"] == 2
    assert ok(run("ladder", "--json")).json()["rungs"][0]["state"] == "climbed"


def test_step_back_after_avoidance(run: Run) -> None:
    climb_rung_1(run)
    rung2 = ok(run("next", "--json")).json()["challenge"]["slug"]
    ok(run("log", rung2, "--outcome", "avoided", "--when", "2 hours ago"))
    ok(run("log", rung2, "--outcome", "avoided", "--when", "1 hour ago"))
    data = ok(run("next", "--json")).json()
    assert data["step_back"] is True
    assert data["current_rung"] == 2 and data["rung"] == 1
    assert "2 not asked" in data["reason"] and "rung 1" in data["reason"]


def test_step_back_after_overwhelm(run: Run) -> None:
    climb_rung_1(run)
    rung2 = ok(run("next", "--json")).json()["challenge"]["slug"]
    for hours in (2, 1):
        when = f"{hours} hours ago"
        ok(run("log", rung2, "--outcome", "helped", "--peak-distress", "90", "--when", when))
    data = ok(run("next", "--json")).json()
    assert data["step_back"] is True and data["rung"] == 1
    assert "90" in data["reason"]


def test_plan_then_complete(run: Run) -> None:
    planned = ok(
        run("plan", LIBRARIAN, "--feared", "they sigh", "--predicted", "60", "--json")
    ).json()
    assert planned["planned"] is True and planned["outcome"] is None
    progress = ok(run("progress", "--json")).json()
    assert progress["total_asks"] == 0, "planned asks count in no rule"
    done = ok(
        run("complete", str(planned["id"]), "--outcome", "helped", "--happened", "no", "--json")
    ).json()
    assert done["id"] == planned["id"]
    assert done["outcome"] == "helped" and done["feared"] == "they sigh"
    assert done["predicted"] == 60 and done["happened"] is False
    assert ok(run("progress", "--json")).json()["total_asks"] == 1
    again = run("complete", str(planned["id"]), "--outcome", "partly")
    assert again.code == 2 and "already complete" in again.err


def test_revisit_due_after_eight_days(run: Run) -> None:
    climb_rung_1(run, days_ago=8)
    data = ok(run("next", "--json")).json()
    assert data["revisits_due"] == [{"rung": 1, "due": "2026-11-21"}]


def test_progress_keys_and_calibration(run: Run) -> None:
    ok(run("log", TIME, "--outcome", "helped", "--predicted", "80", "--happened", "no"))
    ok(run("log", CLERK, "--outcome", "declined", "--predicted", "40", "--happened", "yes"))
    data = ok(run("progress", "--json")).json()
    assert {"current_rung", "rungs", "week", "streak_weeks", "calibration", "total_asks"} <= set(
        data
    )
    assert set(data["rungs"][0]) >= {"rung", "state", "asks", "distinct_challenges", "needed"}
    assert data["week"] == {"start": "2026-11-16", "asks": 2, "goal": 3}
    cal = data["calibration"]
    assert (cal["attempts"], cal["mean_predicted"], cal["happened_rate"]) == (2, 60.0, 50.0)


def test_ladder_lists_every_rung(run: Run) -> None:
    data = ok(run("ladder", "--json")).json()
    assert [r["rung"] for r in data["rungs"]] == list(range(1, 11))
    assert data["rungs"][0]["state"] == "current"
    assert {r["state"] for r in data["rungs"][1:]} == {"locked"}
    first = data["rungs"][0]["challenges"][0]
    assert set(first) >= {"id", "slug", "title", "context", "barrier", "tip", "asks", "archived"}


def test_custom_challenges_edit_move_and_archive(run: Run) -> None:
    added = ok(
        run("challenge", "add", "Ask my sister to call me back", "--rung", "3",
            "--context", "family", "--barrier", "burden", "--json")
    ).json()  # fmt: skip
    assert added["slug"] == "ask-my-sister-to-call-me-back" and added["builtin"] is False
    moved = ok(run("challenge", "edit", added["slug"], "--rung", "1", "--json")).json()
    assert moved["rung"] == 1
    ok(run("challenge", "archive", TIME))
    ok(run("challenge", "archive", CLERK))
    ok(run("challenge", "archive", LIBRARIAN))
    suggested = ok(run("next", "--json")).json()["challenge"]["slug"]
    rung1 = ok(run("ladder", "--json")).json()["rungs"][0]["challenges"]
    active = {c["slug"] for c in rung1 if not c["archived"]}
    assert suggested in active and TIME not in active
    duplicate = run("challenge", "add", "x", "--rung", "2", "--slug", added["slug"])
    assert duplicate.code == 2 and "already exists" in duplicate.err


def test_settings_show_and_change(run: Run) -> None:
    assert ok(run("settings", "--json")).json()["weekly_goal"] == 3
    assert ok(run("settings", "weekly_goal", "5", "--json")).json()["weekly_goal"] == 5
    assert ok(run("progress", "--json")).json()["week"]["goal"] == 5
    for bad in (("weekly_goal", "0"), ("weekly_goal", "many"), ("nope", "1"), ("weekly_goal",)):
        result = run("settings", *bad)
        assert result.code == 2 and result.err.startswith("error: "), bad


BAD_INPUT = [
    ("log", "no-such-challenge", "--outcome", "helped"),
    ("log", TIME),
    ("log", TIME, "--outcome", "maybe"),
    ("log", TIME, "--outcome", "helped", "--predicted", "101"),
    ("log", TIME, "--outcome", "helped", "--predicted", "-1"),
    ("log", TIME, "--outcome", "helped", "--confidence", "11"),
    ("log", TIME, "--outcome", "helped", "--peak-distress", "abc"),
    ("log", TIME, "--outcome", "helped", "--rerated", "200"),
    ("log", TIME, "--outcome", "helped", "--channel", "pigeon"),
    ("log", TIME, "--outcome", "helped", "--strategy", "bribery"),
    ("log", TIME, "--outcome", "helped", "--happened", "maybe"),
    ("log", TIME, "--outcome", "helped", "--when", "tomorrow"),
    ("log", TIME, "--outcome", "helped", "--when", "in 3 hours"),
    ("log", TIME, "--outcome", "helped", "--when", "2027-01-01"),
    ("log", TIME, "--outcome", "helped", "--when", "blah"),
    ("log", TIME, "--outcome", "helped", "--who", "x" * 500),
    ("log", TIME, "--outcome", "helped", "--bogus"),
    ("plan", TIME, "--outcome", "helped"),
    ("complete", "999", "--outcome", "helped"),
    ("complete", "abc", "--outcome", "helped"),
    ("history", "--limit", "0"),
    ("history", "--since", "someday"),
    ("challenge", "add", "Too high", "--rung", "11"),
    ("challenge", "add", "", "--rung", "2"),
    ("challenge", "edit", TIME),
    ("challenge", "edit", "nope", "--rung", "2"),
    ("export", "--format", "xml"),
    ("frobnicate",),
    ("log", "99999999999999999999999", "--outcome", "helped"),
    ("complete", "99999999999999999999", "--outcome", "helped"),
    ("challenge", "add", "Ask again", "--rung", "2", "--slug", "Bad Slug"),
    ("--db", "sqlite:///other.db?mode=ro", "next"),
    ("--db", "sqlite://", "next"),
]


@pytest.fixture(scope="module")
def logged_once(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A database holding one attempt, made once and copied into each bad-input test."""
    from click.testing import CliRunner

    from tests.conftest import FIXED_NOW
    from tracker.cli import run

    path = tmp_path_factory.mktemp("template") / "tracker.db"
    env = {"TRACKER_DB": str(path), "TRACKER_NOW": FIXED_NOW, "TZ": "UTC"}
    with CliRunner().isolation(env=env):
        assert run(["log", TIME, "--outcome", "helped", "--when", "1h ago"]) == 0
    return path.read_bytes()


@pytest.mark.parametrize("args", BAD_INPUT, ids=lambda a: " ".join(a)[:60])
def test_bad_input_is_one_error_line_exit_2_and_nothing_written(
    run: Run, db_path: Path, logged_once: bytes, args: tuple[str, ...]
) -> None:
    db_path.parent.mkdir(mode=0o700, exist_ok=True)
    db_path.write_bytes(logged_once)
    result = run(*args)
    assert result.code == 2, (args, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    assert "Traceback" not in result.err
    assert result.out == ""
    assert db_path.read_bytes() == logged_once, "nothing may be written"


def test_a_file_that_is_not_a_tracker_database_is_refused_untouched(
    run: Run, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my private notes\n" * 100)
    before = notes.read_bytes()
    for command in (("next",), ("log", TIME, "--outcome", "helped")):
        result = run("--db", str(notes), *command)
        assert result.code == 1
        assert result.err.startswith("error: ") and "not a tracker database" in result.err
        assert len(result.err.strip().splitlines()) == 1
    assert notes.read_bytes() == before


def test_another_sqlite_database_is_refused_untouched(run: Run, tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    before = other.read_bytes()
    result = run("--db", str(other), "next")
    assert result.code == 1 and "did not create" in result.err
    assert other.read_bytes() == before


def test_new_database_is_private(run: Run, db_path: Path) -> None:
    ok(run("log", TIME, "--outcome", "helped"))
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700
    for path in db_path.parent.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_default_location_is_the_user_data_folder(run: Run, tmp_path: Path) -> None:
    env = {"TRACKER_DB": ""}
    ok(run("log", TIME, "--outcome", "helped", env=env))
    assert (tmp_path / "xdg" / "tracker" / "tracker.db").exists()


def test_export_then_import_gives_the_same_history_and_suggestion(run: Run, tmp_path: Path) -> None:
    climb_rung_1(run, days_ago=9)
    ok(run("challenge", "add", "Ask a colleague to pair", "--rung", "2", "--context", "work"))
    ok(run("challenge", "edit", LIBRARIAN, "--rung", "3"))
    ok(run("challenge", "archive", CLERK))
    ok(run("plan", TIME, "--feared", "awkward silence"))
    ok(run("settings", "weekly_goal", "4"))
    exported = tmp_path / "export.json"
    ok(run("export", "-o", str(exported)))
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600

    other = tmp_path / "other.db"
    imported = ok(run("--db", str(other), "import", str(exported), "--json")).json()
    assert imported["attempts_added"] == 4
    for command in (("history", "--json"), ("next", "--json"), ("ladder", "--json")):
        assert ok(run("--db", str(other), *command)).json() == ok(run(*command)).json()
    assert ok(run("--db", str(other), "settings", "--json")).json()["weekly_goal"] == 4
    again = ok(run("--db", str(other), "import", str(exported), "--json")).json()
    assert again["attempts_added"] == 0 and again["attempts_skipped"] == 4
    re_exported = json.loads(ok(run("--db", str(other), "export")).out)
    original = json.loads(exported.read_text())
    for doc in (re_exported, original):
        doc.pop("exported_at")
    assert re_exported == original


def test_export_csv_is_one_attempt_a_row(run: Run) -> None:
    ok(run("log", TIME, "--outcome", "helped", "--strategy", "timing", "--happened", "yes"))
    lines = ok(run("export", "--format", "csv")).out.splitlines()
    assert lines[0].startswith("id,challenge,title,rung,context,occurred_at,outcome")
    assert len(lines) == 2 and ",timing," in lines[1] and ",yes," in lines[1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("id,challenge\n1,x\n", "not valid JSON"),
        ('{"format": "other"}', "not a tracker export"),
        ('{"format": "tracker-export", "version": 99}', "newer"),
        (
            '{"format": "tracker-export", "version": 1, "attempts": '
            '[{"challenge": "nope", "occurred_at": "2026-11-01T10:00:00+00:00", '
            '"outcome": "helped"}]}',
            "unknown challenge",
        ),
        (
            '{"format": "tracker-export", "version": 1, "attempts": '
            f'[{{"challenge": "{TIME}", "occurred_at": "2026-11-01T10:00:00+00:00", '
            '"outcome": "helped", "confidence": "high"}]}',
            "confidence",
        ),
    ],
)
def test_import_refuses_bad_files_and_changes_nothing(
    run: Run, tmp_path: Path, db_path: Path, content: str, message: str
) -> None:
    ok(run("log", TIME, "--outcome", "helped"))
    before = db_path.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = run("import", str(bad))
    assert result.code == 2 and result.err.startswith("error: ") and message in result.err
    assert db_path.read_bytes() == before


def test_backup_makes_a_private_copy(run: Run, tmp_path: Path) -> None:
    ok(run("log", TIME, "--outcome", "helped"))
    dest = tmp_path / "copy.db"
    ok(run("backup", str(dest)))
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert len(ok(run("--db", str(dest), "history", "--json")).json()["attempts"]) == 1


def test_help_and_version(run: Run) -> None:
    assert "practise asking for help" in ok(run("--help")).out
    assert ok(run("--version")).out.strip() == "tracker, version 0.1.0"
    assert "--outcome" in ok(run("log", "--help")).out


def test_two_asks_in_the_same_minute_both_survive_export_and_import(
    run: Run, tmp_path: Path
) -> None:
    for who in ("man at the bus stop", "woman in the park"):
        ok(run("log", TIME, "--outcome", "helped", "--when", "today 9am", "--who", who))
    exported = tmp_path / "export.json"
    ok(run("export", "-o", str(exported)))
    other = tmp_path / "other.db"
    report = ok(run("--db", str(other), "import", str(exported), "--json")).json()
    assert (report["attempts_added"], report["attempts_skipped"]) == (2, 0)
    assert len(ok(run("--db", str(other), "history", "--json")).json()["attempts"]) == 2


def test_a_remembered_climb_travels_with_an_export(run: Run, tmp_path: Path) -> None:
    climb_rung_1(run)
    ok(run("settings", "climb_min_asks", "5"))  # stricter now; rung 1 stays climbed
    assert ok(run("progress", "--json")).json()["current_rung"] == 2
    exported = tmp_path / "export.json"
    ok(run("export", "-o", str(exported)))
    other = tmp_path / "other.db"
    ok(run("--db", str(other), "import", str(exported)))
    assert ok(run("--db", str(other), "progress", "--json")).json()["current_rung"] == 2


def test_a_server_url_without_its_driver_is_one_error_line(run: Run) -> None:
    result = run("--db", "postgresql://me:secret@127.0.0.1:1/tracker", "next")
    assert result.code == 1 and result.err.startswith("error: ")
    assert len(result.err.strip().splitlines()) == 1 and "secret" not in result.err


def test_completing_a_plan_logs_the_ask_now_unless_told(run: Run) -> None:
    # Issue 12: a plan whose planned time has passed is logged at that time; one with
    # no planned time, now.
    planned = ok(run("plan", TIME, "--when", "2 hours ago", "--json")).json()
    assert planned["occurred_at"] == planned["planned_for"] == "2026-11-22T08:00:00+00:00"
    done = ok(run("complete", str(planned["id"]), "--outcome", "helped", "--json")).json()
    assert done["occurred_at"] == "2026-11-22T08:00:00+00:00"
    untimed = ok(run("plan", TIME, "--json")).json()
    done = ok(run("complete", str(untimed["id"]), "--outcome", "helped", "--json")).json()
    assert done["occurred_at"] == "2026-11-22T10:00:00+00:00"
    other = ok(run("plan", TIME, "--json")).json()
    told = run(
        "complete", str(other["id"]), "--outcome", "partly", "--when", "1 hour ago", "--json"
    )
    assert ok(told).json()["occurred_at"] == "2026-11-22T09:00:00+00:00"
