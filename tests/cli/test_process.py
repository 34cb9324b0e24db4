"""The command line as a real process (`python -m tracker`): what only a process shows.

The rest of tests/cli runs commands in this process (conftest.run); these check the
console script's own start-up and the exit codes and output a shell really sees.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run

TIME = "ask-a-stranger-the-time"


def test_version_starts_and_exits_0(run_process: Run) -> None:
    result = run_process("--version")
    assert (result.code, result.out.strip(), result.err) == (0, "tracker, version 0.1.0", "")


def test_a_logged_ask_is_read_back_by_the_next_process(run_process: Run) -> None:
    logged = run_process("log", TIME, "--outcome", "helped", "--when", "1h ago", "--json")
    assert logged.code == 0, logged.err
    assert logged.json()["occurred_at"] == "2026-11-22T09:00:00+00:00"
    shown = run_process("history", "--json")
    assert shown.code == 0 and [a["id"] for a in shown.json()["attempts"]] == [logged.json()["id"]]


def test_bad_input_exits_2_and_a_foreign_file_exits_1(run_process: Run, tmp_path: Path) -> None:
    bad = run_process("log", TIME, "--outcome", "helped", "--confidence", "11")
    assert bad.code == 2 and bad.err.startswith("error: ") and bad.out == ""
    assert len(bad.err.strip().splitlines()) == 1
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database\n" * 20)
    refused = run_process("--db", str(foreign), "next")
    assert refused.code == 1 and refused.err.startswith("error: ")
    assert foreign.read_text() == "not a database\n" * 20
