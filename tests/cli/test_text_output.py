"""The command line's output, read byte by byte: text from a person or a file never
carries a control character to the terminal; --json and exports keep it exact (issue 8)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import FIXED_NOW
from tracker.cli import run
from tracker.domain.models import Outcome
from tracker.store.repository import Store
from tracker.visible import visible

NOW = datetime.fromisoformat(FIXED_NOW)
FIRST = "ask-a-stranger-the-time"

OSC_TITLE = "\x1b]0;pwned\x07"
OSC_2 = "\x1b]2;pwned\x1b\\"
OSC_CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"
CLEAR = "\x1b[2J\x1b[3J"
C1 = "\x9b2J\x9d0;eight\x9c\x85"
HOSTILE = f"Ask {OSC_TITLE}{OSC_2}{OSC_CLIPBOARD}{CLEAR}{C1}\x7f\x00\r end"
#: What click.style adds (bold); nothing else may start an escape sequence.
OWN_STYLES = re.compile(r"\x1b\[(1|0|22)m")


def assert_terminal_safe(data: bytes, *, crlf: bool = False) -> str:
    """Decode `data` as a terminal would and fail on any control character in it."""
    text = data.decode("utf-8")  # also fails on a raw 0x80-0x9f byte
    text = OWN_STYLES.sub("", text)
    if crlf:
        text = text.replace("\r\n", "\n")
    bad = sorted({ch for ch in text if (ord(ch) < 32 and ch != "\n") or 0x7F <= ord(ch) < 0xA0})
    assert not bad, f"control characters reach the terminal: {bad!r}"
    return text


Cli = Callable[..., tuple[int, bytes, bytes]]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database whose first challenge and one attempt hold hostile text."""
    path = tmp_path / "tracker.db"
    with Store.open(str(path)) as store:
        for other in store.challenges():
            if other.rung == 1:  # whichever is suggested next holds it too
                store.update_challenge(
                    other.id, {"title": HOSTILE, "description": HOSTILE, "tip": HOSTILE}
                )
        c = store.challenge(FIRST)
        store.add_attempt(
            {
                "challenge_id": c.id,
                "occurred_at": NOW - timedelta(hours=2),
                "outcome": Outcome.HELPED,
                "who": HOSTILE,
                "feared": HOSTILE,
                "learned": HOSTILE,
                "note": HOSTILE,
            }
        )
    return path


@pytest.fixture
def cli(db: Path, tmp_path: Path) -> Cli:
    """Run tracker in this process; (exit code, stdout bytes, stderr bytes), in colour."""

    def invoke(*args: str) -> tuple[int, bytes, bytes]:
        env = {"TRACKER_DB": str(db), "TRACKER_NOW": FIXED_NOW, "TZ": "UTC"}
        with CliRunner().isolation(env=env, color=True) as (out, err, _):
            code = run(list(args))
            sys.stdout.flush()
            sys.stderr.flush()
            return code, out.getvalue(), err.getvalue()

    return invoke


def strings(data: object) -> list[str]:
    """Every string in a JSON document."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        return [s for item in data for s in strings(item)]
    return []


def stored_note(db: Path) -> str | None:
    with Store.open(str(db)) as store:
        return store.attempts(limit=1)[0].note


@pytest.mark.parametrize(
    "args",
    [
        ("next",),
        ("ladder",),
        ("ladder", "--all"),
        ("progress",),
        ("history",),
        ("log", FIRST, "--outcome", "helped", "--note", HOSTILE),
        ("plan", FIRST, "--who", HOSTILE),
        ("challenge", "add", HOSTILE, "--rung", "2", "--tip", HOSTILE),
        ("challenge", "edit", FIRST, "--description", HOSTILE),
        ("challenge", "archive", FIRST),
        ("settings",),
    ],
)
def test_text_output_never_carries_a_control_character(cli: Cli, args: tuple[str, ...]) -> None:
    code, out, err = cli(*args)
    assert code == 0, err
    text = assert_terminal_safe(out)
    assert_terminal_safe(err)
    if args[0] in ("next", "ladder", "history", "log", "challenge") and args[1:2] != ("archive",):
        assert "Ask \\x1b]0;pwned\\x07\\x1b]2;pwned\\x1b\\" in text


def test_complete_prints_the_title_escaped(cli: Cli) -> None:
    code, out, err = cli("plan", FIRST)
    assert code == 0, err
    attempt_id = re.search(rb"#(\d+)", out).group(1).decode()  # type: ignore[union-attr]
    code, out, err = cli("complete", attempt_id, "--outcome", "declined")
    assert code == 0, err
    assert "\\x9b2J" in assert_terminal_safe(out)


@pytest.mark.parametrize(
    "args",
    [
        ("log", OSC_TITLE + "no-such-challenge", "--outcome", "helped"),
        ("log", FIRST, "--outcome", "helped", "--when", f"{OSC_TITLE}{C1} tomorrow"),
        ("history", "--since", CLEAR + OSC_CLIPBOARD),
        ("settings", "weekly_goal", OSC_TITLE + C1),
        ("settings", OSC_TITLE, "3"),
        ("challenge", "add", "x", "--rung", "1", "--slug", OSC_TITLE),
    ],
)
def test_error_lines_never_carry_a_control_character(cli: Cli, args: tuple[str, ...]) -> None:
    code, _, err = cli(*args)
    assert code == 2
    line = assert_terminal_safe(err)
    assert line.startswith("error: ") and line.count("\n") == 1, line
    assert "\\x1b" in line or "\\x9b" in line, line


def test_the_text_stays_exactly_as_typed(cli: Cli, db: Path) -> None:
    note = HOSTILE + "\nsecond line"
    code, _, err = cli("log", FIRST, "--outcome", "helped", "--note", note)
    assert code == 0, err
    assert stored_note(db) == note


# -- JSON ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("next", "--json"), ("history", "--json"), ("ladder", "--json"), ("export",)],
)
def test_json_keeps_exact_text_with_del_and_c1_escaped(cli: Cli, args: tuple[str, ...]) -> None:
    code, out, err = cli(*args)
    assert code == 0, err
    assert_terminal_safe(out)
    assert b"\\u007f" in out and b"\\u009b" in out and b"\\u0085" in out
    assert b"\\u001b]0;pwned\\u0007" in out
    assert HOSTILE in strings(json.loads(out))  # nothing lost


def test_an_exported_file_keeps_exact_text(cli: Cli, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, _, err = cli("export", "-o", str(target))
    assert code == 0, err
    data = target.read_bytes()
    assert_terminal_safe(data)
    notes = [a["note"] for a in json.loads(data)["attempts"]]
    assert notes == [HOSTILE]
    fresh = tmp_path / "again.db"
    with CliRunner().isolation(env={"TRACKER_DB": str(fresh), "TRACKER_NOW": FIXED_NOW}):
        assert run(["import", str(target)]) == 0
    assert stored_note(fresh) == HOSTILE


# -- CSV -------------------------------------------------------------------------------


FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", '=HYPERLINK("http://x","y")']


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "\\x0d=1"),  # a carriage return is shown escaped: no longer first
        ("a=1", "a=1"),
        ("", ""),
        (" =1", " =1"),
        (0, 0),
        (7, 7),
        (None, None),
        ("\x1b]0;t\x07", "\\x1b]0;t\\x07"),
        ("two\nlines", "two\nlines"),
    ],
)
def test_a_csv_cell(value: object, cell: object) -> None:
    from tracker.store.transfer import csv_cell

    assert csv_cell(value) == cell


def test_csv_cells_that_look_like_formulas_are_text(cli: Cli, db: Path) -> None:
    with Store.open(str(db)) as store:
        c = store.add_challenge(
            {"title": "=cmd|' /C calc'!A0", "rung": 1, "context": "work", "barrier": "rejection"}
        )
        for n, formula in enumerate(FORMULAS):
            store.add_attempt(
                {
                    "challenge_id": c.id,
                    "occurred_at": NOW - timedelta(minutes=n + 1),
                    "outcome": Outcome.HELPED,
                    "who": formula,
                    "note": "fine -1 inside",
                    "confidence": 0,
                }
            )
    code, out, err = cli("export", "--format", "csv")
    assert code == 0, err
    text = assert_terminal_safe(out, crlf=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    mine = [r for r in rows if r["challenge"] == c.slug]
    assert sorted(r["who"] for r in mine) == sorted("'" + f for f in FORMULAS)
    for row in mine:
        assert row["title"] == "'=cmd|' /C calc'!A0"
        assert row["note"] == "fine -1 inside"  # only a cell's first character matters
        assert row["confidence"] == "0" and row["rung"] == "1"  # numbers stay numbers
        assert row["occurred_at"].startswith("2026-")
    hostile = next(r for r in rows if r["challenge"] == FIRST)
    assert hostile["note"] == visible(HOSTILE, multiline=True)


# -- a real terminal's view: subprocesses ------------------------------------------------


def tracker(db: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "TRACKER_DB": str(db), "TRACKER_NOW": FIXED_NOW, "TZ": "UTC"}
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args], capture_output=True, env=env, timeout=60
    )


@pytest.mark.parametrize("args", [("history",), ("next",), ("ladder",)])
def test_subprocess_output_holds_no_osc_csi_or_c1(db: Path, args: tuple[str, ...]) -> None:
    proc = tracker(db, *args)
    assert proc.returncode == 0, proc.stderr
    for sequence in (b"\x1b]", b"\x1b[", b"\x07", b"\xc2\x9b", b"\xc2\x9d", b"\x7f", b"\x00"):
        assert sequence not in proc.stdout, sequence
    assert b"\\x1b]0;pwned\\x07" in proc.stdout


def test_subprocess_error_line_holds_no_escape(db: Path) -> None:
    proc = tracker(db, "log", OSC_TITLE, "--outcome", "helped")
    assert proc.returncode == 2
    assert b"\x1b" not in proc.stderr and proc.stderr.startswith(b"error: ")
    assert proc.stderr.count(b"\n") == 1
