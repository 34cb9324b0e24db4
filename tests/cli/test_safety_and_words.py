"""Issue 9 on the command line: support, any-time asks, the retired challenge, the new
fields and one vocabulary. In-process through tracker.cli.run (the same path as the
console script), one subprocess for support on a file that is held locked.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXED_NOW
from tracker.cli import run
from tracker.domain.models import Outcome
from tracker.words import KIND_LINES, LEARNED_INVITE, SUPPORT_TEXT, revisit_lines

TIME = "ask-a-stranger-the-time"
CLERK = "ask-a-store-clerk-where-something-is"
HELPLINE = "call-or-message-a-helpline"
CRISIS = "ask-a-friend-to-stay-with-you-in-a-crisis"
#: Words nothing user-facing may say (issue 9, item 9).
BANNED = ("avoided", "ahead", "most people", "putting off", "quietly struggling")


class CLI:
    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db, self.capsys = db, capsys

    def __call__(self, *args: str, code: int = 0) -> tuple[str, str]:
        self.capsys.readouterr()
        got = run(["--db", str(self.db), *args])
        out, err = self.capsys.readouterr()
        assert got == code, (args, out, err)
        return out, err

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json")[0])


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CLI:
    monkeypatch.setenv("TRACKER_NOW", FIXED_NOW)
    monkeypatch.setenv("TZ", "UTC")
    db_path.parent.mkdir(mode=0o700, exist_ok=True)
    return CLI(db_path, capsys)


def support_paragraphs_in(out: str) -> bool:
    flat = " ".join(out.split())
    return all(" ".join(p.split()) in flat for p in SUPPORT_TEXT)


# -- support ---------------------------------------------------------------------------


def test_support_works_without_a_database_and_makes_none(cli: CLI) -> None:
    out, err = cli("support")
    assert support_paragraphs_in(out) and err == ""
    assert "emergency number now" in out
    assert not cli.db.exists(), "support creates nothing"


def test_support_works_on_a_damaged_or_foreign_file(cli: CLI) -> None:
    cli.db.write_bytes(b"SQLite format 3\x00" + b"\x13" * 4000)
    before = cli.db.read_bytes()
    out, _ = cli("support")
    assert support_paragraphs_in(out)
    assert cli.db.read_bytes() == before


def test_the_saved_contact_is_shown_as_plain_text(cli: CLI) -> None:
    cli("settings", "support_contact", "My sister Sam [b]07[/b]")
    out, _ = cli("support")
    assert "Your support contact: My sister Sam [b]07[/b]" in out
    assert cli.json("support")["support_contact"] == "My sister Sam [b]07[/b]"
    assert cli.json("settings")["support_contact"] == "My sister Sam [b]07[/b]"
    _, err = cli("settings", "support_contact", "Sam\x1b[31m", code=2)
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    cli("settings", "support_contact", "")
    assert "save your own support contact" in cli("support")[0]


def test_help_ends_with_one_line_pointing_to_support(cli: CLI) -> None:
    out, _ = cli("--help")
    assert out.strip().splitlines()[-1].strip() == (
        "Need support now? Run `tracker support` (in the app, press !)."
    )


def test_support_answers_at_once_while_another_program_holds_the_file(
    db_path: Path, tmp_path: Path
) -> None:
    """A subprocess, as a person would run it, while the file is locked exclusively."""
    env = {"TRACKER_DB": str(db_path), "TRACKER_NOW": FIXED_NOW, "TZ": "UTC", "PATH": "/usr/bin"}
    made = subprocess.run(
        [sys.executable, "-m", "tracker", "settings", "support_contact", "Ana"],
        env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert made.returncode == 0
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE setting SET value = value WHERE key = 'support_contact'")
    try:
        began = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "tracker", "support"],
            env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path,
        )  # fmt: skip
        took = time.monotonic() - began
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 0, result.stderr
    assert support_paragraphs_in(result.stdout)
    assert took < 8, took


# -- any-time asks and the retired challenge ---------------------------------------------


def test_ladder_json_lists_anytime_challenges_beside_the_rungs(cli: CLI) -> None:
    data = cli.json("ladder")
    assert {"rungs", "anytime"} <= set(data)
    anytime = {c["slug"]: c for c in data["anytime"]}
    assert HELPLINE in anytime
    assert all(c["anytime"] is True and c["rung"] is None for c in data["anytime"])
    on_rungs = [c for r in data["rungs"] for c in r["challenges"]]
    assert all(
        c["anytime"] is False and c["rung"] == r["rung"]
        for r in data["rungs"]
        for c in r["challenges"]
    )
    retired = next(c for c in on_rungs if c["slug"] == CRISIS)
    assert retired["archived"] is True
    assert len([c for c in on_rungs if not c["archived"]]) >= 60


def test_anytime_asks_count_for_the_week_and_the_total_on_no_rung(cli: CLI) -> None:
    cli("log", HELPLINE, "--outcome", "helped")
    cli("log", TIME, "--outcome", "declined")
    cli("log", HELPLINE, "--outcome", "avoided")
    progress = cli.json("progress")
    assert progress["anytime_asks"] == 1
    assert (
        sum(r["asks"] for r in progress["rungs"]) + progress["anytime_asks"]
        == progress["total_asks"]
        == 2
    )
    assert progress["week"]["asks"] == 2
    nxt = cli.json("next")
    assert nxt["challenge"]["anytime"] is False and nxt["rung"] == 1
    out, _ = cli("progress")
    assert "any time:" in out and "1 ask" in out


def test_challenge_add_edit_moves_between_the_ladder_and_any_time(cli: CLI) -> None:
    mine = cli.json("challenge", "add", "Call my aunt when I feel low", "--anytime")
    assert mine["anytime"] is True and mine["rung"] is None
    moved = cli.json("challenge", "edit", mine["slug"], "--rung", "4")
    assert moved["anytime"] is False and moved["rung"] == 4
    back = cli.json("challenge", "edit", mine["slug"], "--anytime")
    assert back["anytime"] is True and back["rung"] is None
    _, err = cli("challenge", "add", "No place", code=2)
    assert "--rung" in err and "--anytime" in err
    cli("challenge", "add", "Both", "--rung", "3", "--anytime", code=2)
    cli("challenge", "edit", mine["slug"], "--rung", "3", "--anytime", code=2)


def test_the_retired_challenge_stays_archived_and_shows_only_with_all(cli: CLI) -> None:
    _, err = cli("challenge", "archive", CRISIS, "--undo", code=2)
    assert "retired" in err and "tracker support" in err
    assert CRISIS not in cli("ladder")[0]
    assert f"{CRISIS}" in cli("ladder", "--all")[0]
    assert "(archived)" in cli("ladder", "--all")[0]
    cli("forget", "--all", "--yes")
    crisis = next(
        c for r in cli.json("ladder")["rungs"] for c in r["challenges"] if c["slug"] == CRISIS
    )
    assert crisis["archived"] is True


def test_an_import_never_brings_the_retired_challenge_back(cli: CLI, tmp_path: Path) -> None:
    cli("log", TIME, "--outcome", "helped")
    doc = json.loads(cli("export")[0])
    for c in doc["challenges"]:
        if c["slug"] == CRISIS:
            c["archived"] = False
    doc["attempts"].append(dict(doc["attempts"][0], challenge=CRISIS, note="old"))
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc))
    cli("import", str(path))
    crisis = next(
        c for r in cli.json("ladder")["rungs"] for c in r["challenges"] if c["slug"] == CRISIS
    )
    assert crisis["archived"] is True
    assert any(a["challenge"]["slug"] == CRISIS for a in cli.json("history")["attempts"])
    assert cli.json("next")["challenge"]["slug"] != CRISIS


# -- evidence and a kinder thought -------------------------------------------------------


def test_evidence_and_kinder_are_fields_everywhere(cli: CLI, tmp_path: Path) -> None:
    logged = cli.json(
        "log", TIME, "--outcome", "declined", "--evidence", "she smiled and said sorry",
        "--kinder", "a no is about her day, not me",
    )  # fmt: skip
    assert logged["evidence"] == "she smiled and said sorry"
    assert logged["kinder"] == "a no is about her day, not me"
    planned = cli.json("plan", CLERK, "--feared", "they'll sigh")
    done = cli.json("complete", str(planned["id"]), "--outcome", "helped", "--evidence", "no sigh")
    assert done["evidence"] == "no sigh" and done["kinder"] is None
    doc = json.loads(cli("export")[0])
    assert {a["evidence"] for a in doc["attempts"]} == {"she smiled and said sorry", "no sigh"}
    csv_text = cli("export", "--format", "csv")[0]
    header = csv_text.splitlines()[0].split(",")
    assert "evidence" in header and "kinder" in header and "a no is about her day" in csv_text

    from tracker.store.filters import HistoryFilter
    from tracker.store.reader import open_reader
    from tracker.store.repository import Store

    with Store.open(str(cli.db)) as store:
        assert [a.id for a in store.attempts(HistoryFilter(text="SMILED"))] == [logged["id"]]
        assert [a.id for a in store.attempts(HistoryFilter(text="her day"))] == [logged["id"]]
    reader = open_reader(str(cli.db))
    assert reader is not None
    with reader:
        assert [a.id for a in reader.attempts(HistoryFilter(text="smiled"))] == [logged["id"]]

    other = tmp_path / "other.db"
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc))
    assert run(["--db", str(other), "import", str(path)]) == 0
    with Store.open(str(other)) as store:
        assert {(a.evidence, a.kinder) for a in store.attempts()} == {
            ("she smiled and said sorry", "a no is about her day, not me"),
            ("no sigh", None),
        }


# -- kind words, one vocabulary ----------------------------------------------------------


def test_after_a_no_a_kind_line_and_an_invitation_to_note_what_was_learned(cli: CLI) -> None:
    seen = set()
    for _ in range(4):
        out, _ = cli("log", TIME, "--outcome", "declined")
        line = next(x for x in KIND_LINES[Outcome.DECLINED] if x in out)
        seen.add(line)
        assert LEARNED_INVITE in out
    assert len(seen) >= 2, "several lines, not always the same"
    out, _ = cli("log", TIME, "--outcome", "declined", "--learned", "she was busy")
    assert LEARNED_INVITE not in out
    for outcome, key in (("no-answer", Outcome.NO_ANSWER), ("avoided", Outcome.AVOIDED)):
        out, _ = cli("log", CLERK, "--outcome", outcome)
        assert any(x in out for x in KIND_LINES[key])
        assert LEARNED_INVITE not in out


def test_the_same_attempt_always_gets_the_same_line(cli: CLI) -> None:
    from tracker.store.repository import Store
    from tracker.words import kind_line

    cli("log", TIME, "--outcome", "no-answer")
    with Store.open(str(cli.db)) as store:
        (a,) = store.attempts()
    assert kind_line(a) == kind_line(a) == KIND_LINES[Outcome.NO_ANSWER][a.id % 3]


def test_people_read_the_same_words_everywhere(cli: CLI) -> None:
    cli("log", TIME, "--outcome", "declined")
    cli("log", CLERK, "--outcome", "avoided")
    cli("log", TIME, "--outcome", "partly")
    hist = cli("history")[0]
    for words in ("said no", "didn't ask", "partly helped"):
        assert words in hist
    for command in (("history",), ("ladder",), ("progress",), ("next",), ("--help",)):
        out = cli(*command)[0].lower()
        for banned in BANNED:
            assert banned not in out, (command, banned)
    ladder = cli("ladder")[0]
    assert "Rung  1  current (you are here)" in ladder and "Rung 10  locked" in ladder


def test_a_zero_streak_says_how_a_streak_starts(cli: CLI) -> None:
    out, _ = cli("progress")
    assert "A streak starts with any week of 3 asks or more" in out


def test_at_most_three_revisits_are_listed_then_how_many_more() -> None:
    from datetime import date

    due = [(r, date(2026, 11, r)) for r in range(1, 6)]
    lines = revisit_lines(due)
    assert len(lines) == 4 and lines[-1] == "and 2 more"
    assert all("whenever you like" in line for line in lines[:3])
    assert len(revisit_lines(due[:3])) == 3


def test_a_week_past_its_goal_says_the_goal_was_met_not_ten_of_three(cli: CLI) -> None:
    cli("settings", "weekly_goal", "1")
    for _ in range(2):
        cli("log", "1", "--outcome", "helped")
    for command in ("progress", "due"):
        week = next(line for line in cli(command)[0].splitlines() if line.startswith("This week"))
        assert "2 of 1" not in week, (command, week)
        assert "2 asks: goal of 1 met" in week, (command, week)
    for goal, words in (("2", "2 of 2 asks: goal met."), ("3", "2 of 3 asks.")):
        cli("settings", "weekly_goal", goal)
        out = cli("progress")[0]
        assert next(line for line in out.splitlines() if line.startswith("This week")).endswith(
            words
        )
