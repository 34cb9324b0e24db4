"""An unexpected exception (a bug) in the command line or the app: one `error:` line
saying tracker hit a bug, exit 70, and a private report that holds no user data."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any, NoReturn

import pytest

from tests.conftest import FIXED_NOW
from tracker.crash import EXIT_BUG, format_error

MARKER = "Mum-said-no-7f3a"  # user text that must never reach a report


@pytest.fixture
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where reports go: $XDG_STATE_HOME/tracker/log on Linux."""
    home = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(home))
    monkeypatch.setenv("TRACKER_NOW", FIXED_NOW)
    monkeypatch.setenv("TZ", "UTC")
    return home


def invoke(*argv: str) -> tuple[int, str, str]:
    from tracker.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(argv))
        except SystemExit as e:
            return int(e.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()  # pragma: no cover - main always exits


def buggy(*_: Any, **__: Any) -> NoReturn:
    note = f"{MARKER} in a local"  # a local variable: never in a report
    try:
        empty: dict[str, str] = {}
        empty[note]
    except KeyError as e:
        raise RuntimeError(f"could not show {note}") from e
    raise AssertionError(note)  # pragma: no cover


def the_report(line: str) -> Path:
    assert line.startswith("error: tracker hit a bug (RuntimeError)"), line
    path = Path(line.split(" is in ", 1)[1].split(". ", 1)[0])
    assert path.is_file(), line
    return path


def check_private(report: Path, state_home: Path) -> str:
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    folder = report.parent
    while folder != state_home:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        folder = folder.parent
    text = report.read_text()
    assert MARKER not in text, text
    assert "RuntimeError" in text and "KeyError" in text and "buggy" in text, text
    assert "direct cause" not in text or text.index("KeyError") < text.index("RuntimeError")
    return text


def test_a_bug_in_a_command_is_one_line_exit_70_and_a_private_report(
    state_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tracker.cli.overview", buggy)
    code, out, err = invoke("--db", str(tmp_path / "t.db"), "next", "--json")
    assert code == EXIT_BUG and out == ""
    lines = [x for x in err.strip().splitlines() if not x.startswith("note: ")]
    assert len(lines) == 1, err
    report = the_report(lines[0])
    assert report.parent == state_home / "tracker" / "log"
    text = check_private(report, state_home)
    assert "command: next" in text
    assert str(tmp_path) not in text, "no path the user gave"


def test_a_report_that_cannot_be_written_still_gives_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))  # a file where a folder must go
    monkeypatch.setenv("TRACKER_NOW", FIXED_NOW)
    monkeypatch.setattr("tracker.cli.overview", buggy)
    code, _, err = invoke("--db", str(tmp_path / "t.db"), "progress")
    assert code == EXIT_BUG
    lines = [x for x in err.strip().splitlines() if not x.startswith("note: ")]
    assert len(lines) == 1 and "hit a bug" in lines[0] and "could not be saved" in lines[0]


def test_the_report_leaves_out_every_message_local_and_note() -> None:
    try:
        try:
            buggy()
        except RuntimeError as e:
            e.add_note(f"note: {MARKER}")
            raise ExceptionGroup(f"group {MARKER}", [e, OSError(2, MARKER, MARKER)]) from None
    except ExceptionGroup as group:
        text = "".join(format_error(group))
    assert MARKER not in text
    assert "ExceptionGroup" in text and "RuntimeError" in text and "[ENOENT]" in text


def test_the_console_script_guards_too(tmp_path: Path) -> None:
    """The installed entry point (tracker.launch) in a real process."""
    code = (
        "import sys, tracker.cli as s\n"
        "def boom(*a, **k):\n"
        f"    secret = {MARKER!r}\n"
        "    raise RuntimeError(secret)\n"
        "s.overview = boom\n"
        "sys.argv = ['tracker', 'next']\n"
        "from tracker.launch import main\n"
        "main()\n"
    )
    env = {
        **os.environ,
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "TRACKER_DB": str(tmp_path / "t.db"),
        "TRACKER_NOW": FIXED_NOW,
        "TZ": "UTC",
    }
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == EXIT_BUG, proc.stderr
    lines = [x for x in proc.stderr.strip().splitlines() if not x.startswith("note: ")]
    assert len(lines) == 1 and lines[0].startswith("error: tracker hit a bug"), proc.stderr
    report = Path(lines[0].split(" is in ", 1)[1].split(". ", 1)[0])
    assert MARKER not in report.read_text() and "boom" in report.read_text()


def test_a_bug_in_the_app_goes_through_the_guard_without_textuals_traceback(
    state_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual would print its own traceback, with local variables, to the terminal."""
    from textual.app import App

    from tracker.ui.app import TrackerApp

    def headless(self: App[None], *args: Any, **kwargs: Any) -> None:
        App.run(self, headless=True, size=(80, 24))

    monkeypatch.setattr(TrackerApp, "run", headless)
    monkeypatch.setattr(TrackerApp, "on_mount", lambda self: buggy())
    code, _, err = invoke("--db", str(tmp_path / "t.db"))
    assert code == EXIT_BUG, err
    lines = [x for x in err.strip().splitlines() if not x.startswith("note: ")]
    assert len(lines) == 1, err  # no rich traceback, no locals
    check_private(the_report(lines[0]), state_home)


def test_a_crash_in_the_app_queues_no_traceback_for_the_terminal(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    from tracker.ui.app import create_app

    app = create_app(str(tmp_path / "t.db"))

    async def crash() -> None:
        async with app.run_test() as pilot:
            app.call_later(buggy)
            await pilot.pause()

    with pytest.raises(RuntimeError):
        asyncio.run(crash())
    assert app._exit_renderables == []
    assert app.return_code == 1
    printed = capfd.readouterr()
    assert MARKER not in printed.out + printed.err


def test_a_malformed_clock_stops_the_app_before_it_starts(
    state_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_NOW", "not a time")
    code, _, err = invoke("--db", str(tmp_path / "t.db"))
    assert code == 2 and err.startswith("error: TRACKER_NOW=") and len(err.splitlines()) == 1
