"""No argument, environment variable or file gives a traceback: each is exit 0, or one
`error:` line with exit 2 (bad input) or 1 (an unusable database).

In-process through tracker.cli.main (as the console script runs it), plus a fuzz of the
arguments with Hypothesis and one true subprocess with undecodable bytes in argv.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXED_NOW
from tracker.cli import main

TIME = "ask-a-stranger-the-time"


def invoke(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """`tracker ARGV` in this process; any exception other than SystemExit escapes."""
    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in ("TRACKER_NOW", "TZ", *(env or {}))}
    os.environ.update({"TRACKER_NOW": FIXED_NOW, "TZ": "UTC", **(env or {})})
    code = 0
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main(list(argv))
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else 1
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return code, out.getvalue(), err.getvalue()


def one_error(code: int, out: str, err: str, expected: int = 2) -> str:
    assert code == expected, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err and out == ""
    return lines[0]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # anything a fuzzed argument names is made here
    path = tmp_path / "data" / "tracker.db"
    path.parent.mkdir(mode=0o700, exist_ok=True)  # tracker makes no folder for a named path
    code, _, err = invoke("--db", str(path), "log", TIME, "--outcome", "helped")
    assert code == 0, err
    return path


# -- arguments -----------------------------------------------------------------------------

ODD_REFS = ["²", "³4", "¹²³", "½", "٣٣٣", "Ⅻ", "9" * 5000, "-1", "0", "caf\udce9", "\udcff", " "]


@pytest.mark.parametrize("ref", ODD_REFS, ids=[repr(r)[:20] for r in ODD_REFS])
@pytest.mark.parametrize(
    "command",
    [
        ["log", "{ref}", "--outcome", "helped"],
        ["plan", "{ref}"],
        ["challenge", "edit", "{ref}", "--title", "x"],
        ["challenge", "archive", "{ref}"],
    ],
    ids=["log", "plan", "edit", "archive"],
)
def test_an_odd_challenge_argument_is_one_error_line(
    db: Path, ref: str, command: list[str]
) -> None:
    args = [part.replace("{ref}", ref) for part in command]
    line = one_error(*invoke("--db", str(db), *args))
    assert "challenge" in line or "option" in line  # "-1" reads as an option


def test_a_unicode_digit_that_is_a_number_names_that_id(db: Path) -> None:
    code, out, err = invoke("--db", str(db), "log", "٢", "--outcome", "helped", "--json")
    assert code == 0, err  # Arabic-Indic two: the second challenge, as int("٢") == 2
    assert '"id": 2' in out


@pytest.mark.parametrize(
    "args",
    [
        ["settings", "weekly_goal", "\udce9"],
        ["settings", "weekly_goal", "²"],
        ["settings", "weekly_goal", "9" * 5000],
        ["history", "--since", "caf\udce9"],
        ["history", "--limit", "²"],
        ["complete", "²", "--outcome", "helped"],
        ["complete", "9" * 5000, "--outcome", "helped"],
        ["log", TIME, "--outcome", "helped", "--predicted", "²"],
        ["log", TIME, "--outcome", "helped", "--predicted", "9" * 5000],
        ["log", TIME, "--outcome", "helped", "--who", "caf\udce9"],
        ["log", TIME, "--outcome", "helped\udce9"],
        ["log", TIME, "--outcome", "helped", "--when", "\udce9"],
        ["challenge", "add", "caf\udce9", "--rung", "2"],
        ["challenge", "add", "Ask", "--rung", "2", "--slug", "caf\udce9"],
        ["import", "\udce9.json"],
    ],
)
def test_odd_values_are_one_error_line(db: Path, args: list[str]) -> None:
    one_error(*invoke("--db", str(db), *args))


def test_undecodable_bytes_in_a_real_argv_are_one_error_line(db: Path, tmp_path: Path) -> None:
    env = {**os.environ, "TRACKER_NOW": FIXED_NOW, "TZ": "UTC", "TRACKER_DB": str(db)}
    for argv in ([b"log", b"caf\xe9", b"--outcome", b"helped"], [b"challenge", b"edit", b"\xff"]):
        proc = subprocess.run(
            [sys.executable.encode(), b"-m", b"tracker", *argv],
            capture_output=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
        )
        err = proc.stderr.decode("utf-8", "replace")
        assert proc.returncode == 2, err
        assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err


# -- environment ---------------------------------------------------------------------------

BAD_NOW = [
    "garbage",
    "2026-13-01T10:00:00+00:00",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "1200-01-01T00:00:00+00:00",
    "2026-11-22T10:00:00+00:00\udce9",
    "²",
]


@pytest.mark.parametrize("value", BAD_NOW, ids=[repr(v)[:24] for v in BAD_NOW])
@pytest.mark.parametrize("command", [["next"], ["log", TIME, "--outcome", "helped"], ["history"]])
def test_a_malformed_tracker_now_is_one_error_line(
    db: Path, value: str, command: list[str]
) -> None:
    line = one_error(*invoke("--db", str(db), *command, env={"TRACKER_NOW": value}))
    assert "TRACKER_NOW" in line


@pytest.mark.parametrize("zone", ["Nowhere/Special", "../../etc/passwd", "UTC\udce9", "+99:99"])
def test_an_unknown_time_zone_falls_back_without_a_traceback(db: Path, zone: str) -> None:
    code, _, err = invoke("--db", str(db), "next", env={"TZ": zone})
    assert code == 0, err


# -- fuzz ----------------------------------------------------------------------------------

COMMANDS = [
    ["next"],
    ["ladder"],
    ["progress"],
    ["history"],
    ["log"],
    ["plan"],
    ["complete"],
    ["challenge", "add"],
    ["challenge", "edit"],
    ["challenge", "archive"],
    ["settings"],
    ["export"],
    ["import"],
    ["check"],
    ["forget"],
]
OPTIONS = [
    "--json", "--all", "--yes", "--planned", "--undo", "--outcome", "--when", "--since",
    "--limit", "--feared", "--predicted", "--expected-distress", "--who", "--channel",
    "--note", "--happened", "--peak-distress", "--confidence", "--rerated", "--strategy",
    "--learned", "--rung", "--context", "--barrier", "--tip", "--description", "--slug",
    "--title", "--format", "-h",
]  # fmt: skip
WORDS = [
    TIME, "1", "2", "0", "-1", "helped", "avoided", "yes", "no", "now", "yesterday 17:30",
    "weekly_goal", "theme", "²", "٣", "9" * 5000, "\udce9", "caf\udce9", "", " ", "-", "--",
    "[b]x[/b]", "\x1b]0;title\x07", "\x00", "1e400", "nan", "2026-11-22T10:00:00+00:00",
    "9999-12-31T23:59:59-23:59", "work", "in-person", "specific",
]  # fmt: skip
tokens = st.sampled_from(OPTIONS) | st.sampled_from(WORDS) | st.text(max_size=12)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(command=st.sampled_from(COMMANDS), rest=st.lists(tokens, max_size=6))
def test_any_arguments_end_in_success_or_one_error_line(
    db: Path, command: list[str], rest: list[str]
) -> None:
    code, _out, err = invoke("--db", str(db), *command, *rest)
    assert "Traceback" not in err
    assert code in (0, 1, 2), (code, err)
    if code:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), err


@pytest.mark.parametrize(
    "argv",
    [["import", "\x00"], ["export", "-o", "a\x00b"], ["backup", "a\x00b"]],
)
def test_a_nul_in_a_file_name_is_one_error_line(db: Path, argv: list[str]) -> None:
    code, out, err = invoke("--db", str(db), *argv)
    assert code == 2 and out == "", err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
