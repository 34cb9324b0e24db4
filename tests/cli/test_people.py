"""`tracker people`, `thank`, `gave`, `due` and `forget --who`, end to end on a fixed clock.

In-process through tracker.cli.main (tests.store.helpers.cli), each test on its own file;
a few runs as the console script does, in a subprocess.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run
from tests.store.helpers import TIME, cli

# Sunday 22 November 2026, 10:00 UTC is the suite's FIXED_NOW.
MONDAY = "2026-11-16 18:00"


def ok(db: Path, *args: str, now: str | None = None) -> str:
    code, out, err = cli(*args, db=db) if now is None else cli(*args, db=db, now=now)
    assert code == 0, err
    return out


def as_json(db: Path, *args: str, now: str | None = None) -> Any:
    return json.loads(ok(db, *args, "--json", now=now))


def refused(db: Path, *args: str) -> str:
    before = db.read_bytes() if db.exists() else b""
    code, out, err = cli(*args, db=db)
    assert code == 2, (out, err)
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
    if before:
        assert db.read_bytes() == before, "nothing written"
    return err


def log(db: Path, outcome: str, who: str | None, when: str) -> int:
    extra = ["--who", who] if who is not None else []
    data = as_json(db, "log", TIME, "--outcome", outcome, "--when", when, *extra)
    return int(data["id"])


def test_labels_match_without_case_or_surrounding_spaces(db_path: Path) -> None:
    log(db_path, "helped", "My sister", MONDAY)
    log(db_path, "declined", "my sister ", "2026-11-17 12:00")
    people = as_json(db_path, "people")["people"]
    assert [p["who"] for p in people] == ["My sister"]
    assert people[0]["asks"] == 2
    history = as_json(db_path, "history")["attempts"]
    assert {a["who"] for a in history} == {"My sister"}


def test_people_json_counts_and_order(db_path: Path) -> None:
    first = log(db_path, "helped", "Sam", "2026-11-02 12:00")
    log(db_path, "avoided", "Sam", "2026-11-03 12:00")
    log(db_path, "partly", "Sam", "2026-11-20 12:00")
    log(db_path, "no-answer", "a colleague", "2026-11-21 12:00")
    ok(db_path, "thank", str(first), "--when", "2026-11-03 09:00")
    ok(db_path, "gave", "--who", "a neighbour", "watered their plants", "--when", "yesterday")
    people = as_json(db_path, "people")["people"]
    assert [p["who"] for p in people] == ["a colleague", "a neighbour", "Sam"]
    sam = people[2]
    assert sam == {
        "who": "Sam",
        "asks": 2,
        "outcomes": {"helped": 1, "partly": 1, "declined": 0, "no-answer": 0, "avoided": 1},
        "last_asked": "2026-11-20T12:00:00+00:00",
        "thanks": 1,
        "thanks_due": 1,
        "gave": 0,
        "last_gave": None,
    }
    assert people[1]["gave"] == 1 and people[1]["last_gave"].startswith("2026-11-21")
    text = ok(db_path, "people")
    assert "Sam" in text and "tracker thank" in text
    assert " of " not in text and "declined" not in text, "warm sentences, not a ledger"


def test_a_thank_you_falls_due_and_lapses_on_local_days(db_path: Path) -> None:
    ask = log(db_path, "helped", "Sam", MONDAY)

    def due_on(now: str) -> list[Any]:
        return list(as_json(db_path, "due", now=now)["thanks"])

    assert due_on("2026-11-16T23:59:00+00:00") == []
    first = due_on("2026-11-17T00:00:00+00:00")
    assert first == [
        {
            "attempt": ask,
            "who": "Sam",
            "challenge": TIME,
            "occurred_at": "2026-11-16T18:00:00+00:00",
            "until": "2026-11-23",
        }
    ]
    assert due_on("2026-11-23T23:59:00+00:00") == first
    assert due_on("2026-11-24T00:00:00+00:00") == []


def test_thank_and_skip_settle_what_is_due(db_path: Path) -> None:
    a = log(db_path, "helped", "Sam", "2026-11-20 12:00")
    b = log(db_path, "partly", "my sister", "2026-11-21 12:00")
    assert ok(db_path, "due", "--short") == "2 thank-yous\n"
    thanked = as_json(db_path, "thank", str(a), "--note", "sent a card")
    assert thanked["attempt"] == a and thanked["kind"] == "thanked" and thanked["who"] == "Sam"
    assert thanked["note"] == "sent a card" and thanked["at"] == "2026-11-22T10:00:00+00:00"
    assert ok(db_path, "due", "--short") == "1 thank-you\n"
    assert as_json(db_path, "thank", str(b), "--skip")["kind"] == "skipped"
    assert ok(db_path, "due", "--short") == ""
    # A thank-you may follow "not needed", once.
    ok(db_path, "thank", str(b))
    assert "already thanked" in refused(db_path, "thank", str(b))


def test_thank_refuses_what_has_no_thank_you(db_path: Path) -> None:
    no = log(db_path, "declined", "Sam", MONDAY)
    silent = log(db_path, "no-answer", "Sam", MONDAY)
    avoided = log(db_path, "avoided", "Sam", MONDAY)
    nobody = log(db_path, "helped", None, MONDAY)
    planned = as_json(db_path, "plan", TIME, "--who", "Sam")["id"]
    assert "said no" in refused(db_path, "thank", str(no))
    refused(db_path, "thank", str(silent))
    refused(db_path, "thank", str(avoided), "--skip")
    assert "nobody" in refused(db_path, "thank", str(nobody))
    assert "planned" in refused(db_path, "thank", str(planned))
    assert "no attempt" in refused(db_path, "thank", "999")
    helped = log(db_path, "helped", "Sam", MONDAY)
    assert "before" in refused(db_path, "thank", str(helped), "--when", "2026-11-15 09:00")
    assert "future" in refused(db_path, "thank", str(helped), "--when", "2026-12-01")


@pytest.mark.parametrize("label", ["", "   ", "x" * 81, "two\nlines", "par\u2028agraph"])
def test_bad_labels_are_refused_with_nothing_written(db_path: Path, label: str) -> None:
    log(db_path, "helped", "Sam", MONDAY)
    refused(db_path, "log", TIME, "--outcome", "helped", "--who", label)
    refused(db_path, "gave", "--who", label, "something")
    assert [p["who"] for p in as_json(db_path, "people")["people"]] == ["Sam"]


def test_gave_records_and_lists_help_given(db_path: Path) -> None:
    log(db_path, "helped", "My sister", MONDAY)
    gift = as_json(db_path, "gave", "--who", "my sister", "helped her move", "--note", "boxes")
    assert gift["who"] == "My sister" and gift["what"] == "helped her move"
    ok(db_path, "gave", "--who", "Sam", "lent a ladder", "--when", "2026-11-20 09:00")
    listed = as_json(db_path, "gave", "--list")["gave"]
    assert [(g["who"], g["what"]) for g in listed] == [
        ("My sister", "helped her move"),
        ("Sam", "lent a ladder"),
    ]
    assert "lent a ladder" in ok(db_path, "gave", "--list")
    refused(db_path, "gave", "--who", "Sam")  # what, then?
    refused(db_path, "gave", "something")  # for whom?
    # It counts in no rule: the week and the ladder are unchanged.
    assert as_json(db_path, "progress")["week"]["asks"] == 1


def test_due_lists_plans_revisits_thanks_and_the_week(db_path: Path) -> None:
    assert ok(db_path, "due", "--short") == ""
    assert "Nothing is waiting" in ok(db_path, "due")
    ok(db_path, "plan", TIME, "--when", "yesterday")
    log(db_path, "helped", "Sam", "2026-11-21 12:00")
    data = as_json(db_path, "due")
    assert len(data["planned"]) == 1 and data["planned"][0]["planned"] is True
    assert data["revisits"] == []
    assert data["week"] == {"start": "2026-11-16", "asks": 1, "goal": 3}
    assert ok(db_path, "due", "--short") == "1 thank-you, 1 planned ask\n"
    text = ok(db_path, "due")
    assert "tracker thank" in text and "tracker complete" in text and "1 of 3" in text


def test_export_and_import_carry_people_losslessly(db_path: Path, tmp_path: Path) -> None:
    a = log(db_path, "helped", "My sister", MONDAY)
    log(db_path, "partly", "Sam", "2026-11-20 12:00")
    b = log(db_path, "helped", "Sam", "2026-11-21 12:00")
    ok(db_path, "thank", str(a), "--note", "a card")
    ok(db_path, "thank", str(b), "--skip")
    ok(db_path, "gave", "--who", "a neighbour", "fed the cat")
    export = tmp_path / "out.json"
    ok(db_path, "export", "-o", str(export))
    doc = json.loads(export.read_text())
    assert [p["who"] for p in doc["people"]] == ["My sister", "Sam", "a neighbour"]
    assert [(t["attempt"], t["kind"]) for t in doc["thanks"]] == [(1, "thanked"), (3, "skipped")]
    other = tmp_path / "other" / "tracker.db"
    other.parent.mkdir(mode=0o700)
    ok(other, "import", str(export))
    again = as_json(other, "import", str(export))
    assert again["attempts_added"] == 0
    second = tmp_path / "second.json"
    ok(other, "export", "-o", str(second))
    moved = json.loads(second.read_text())
    for key in ("people", "thanks", "gave", "attempts"):
        assert moved[key] == doc[key], key
    assert as_json(other, "people") == as_json(db_path, "people")
    csv = ok(db_path, "export", "--format", "csv")
    assert "My sister" in csv.splitlines()[-1]


def test_forget_who_needs_yes_and_a_known_person(db_path: Path) -> None:
    log(db_path, "helped", "Sam", MONDAY)
    assert "--yes" in refused(db_path, "forget", "--who", "Sam")
    assert "no person" in refused(db_path, "forget", "--who", "Alex", "--yes")
    refused(db_path, "forget", "--who", "Sam", "--all", "--yes")


def test_forget_who_wipes_the_label_and_keeps_the_asks(db_path: Path) -> None:
    marker = "Zanzibar-cousin"
    a = log(db_path, "helped", marker, MONDAY)
    log(db_path, "helped", "Sam", MONDAY)
    ok(db_path, "thank", str(a), "--note", "thanks from Zanzibar")
    ok(db_path, "gave", "--who", marker.upper(), "carried Zanzibar boxes")
    out = ok(db_path, "forget", "--who", marker.lower(), "--yes")
    assert "1 ask" in out and "1 thank-you" in out and "1 help-given entry" in out
    assert [p["who"] for p in as_json(db_path, "people")["people"]] == ["Sam"]
    assert len(as_json(db_path, "history")["attempts"]) == 2
    assert as_json(db_path, "progress")["total_asks"] == 2
    for path in [db_path, *db_path.parent.rglob("*")]:
        if path.is_file():
            assert b"zanzibar" not in path.read_bytes().lower(), path


def test_the_console_script_runs_the_new_commands(run: Run) -> None:
    assert run("log", TIME, "--outcome", "helped", "--who", "Sam", "--when", MONDAY).code == 0
    short = run("due", "--short")
    assert (short.code, short.out) == (0, "1 thank-you\n")
    assert run("thank", "1").code == 0
    assert run("due", "--short").out == ""
    bad = run("thank", "1")
    assert bad.code == 2 and bad.err.startswith("error: ")
