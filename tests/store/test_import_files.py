"""`tracker import` reads only what an export can be, and checks every time and number.

Only regular files are read (a device, FIFO, socket or folder is refused before a byte
is read, a symlink by what it points at), never more than the size limit; a UTF-8 byte
order mark is fine; the format versions this tracker has written are read, no other;
every time is a possible one (and a completed ask's is not in the future); every number
is a whole number of a sane size. Each refusal is one `error:` line, exit 2, nothing
written.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXED_NOW, Run
from tests.store.helpers import TIME, cli
from tests.store.test_hostile_input import VALID_DOC, VALID_TEXT, imported_or_refused, state
from tracker.store import transfer
from tracker.store.errors import InvalidInput
from tracker.store.repository import Store
from tracker.store.transfer import import_text, read_limited


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_NOW", FIXED_NOW)


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(str(db_path)) as opened:
        import_text(opened, VALID_TEXT)
        yield opened


def refused(code: int, out: str, err: str) -> str:
    """The one error line of a refused command (exit 2, nothing on stdout)."""
    assert code == 2, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert out == "" and "Traceback" not in err
    return lines[0]


def import_file(db: Path, path: Path | str) -> tuple[int, str, str]:
    return cli("import", str(path), db=db)


def count(db: Path) -> int:
    with Store.open(str(db)) as store:
        return store.count_attempts()


# -- what is read --------------------------------------------------------------------------


def test_a_symlink_to_an_endless_device_is_refused_at_once(db_path: Path, tmp_path: Path) -> None:
    link = tmp_path / "export.json"
    link.symlink_to("/dev/zero")
    line = refused(*import_file(db_path, link))
    assert "not a regular file" in line
    assert not db_path.exists(), "nothing is opened for a file that cannot be read"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused(db_path: Path, device: str) -> None:
    assert "not a regular file" in refused(*import_file(db_path, device))


def test_a_fifo_is_refused_without_waiting_for_a_writer(run: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "export.json"
    os.mkfifo(fifo)
    result = run("import", str(fifo))  # the subprocess has a timeout: a hang fails the test
    assert "not a regular file" in refused(result.code, result.out, result.err)


def test_a_socket_is_refused(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        assert "not a regular file" in refused(*import_file(db_path, path))
    finally:
        server.close()


def test_a_folder_is_refused(db_path: Path, tmp_path: Path) -> None:
    refused(*import_file(db_path, tmp_path))


def test_a_missing_file_is_refused(db_path: Path, tmp_path: Path) -> None:
    assert "no such file" in refused(*import_file(db_path, tmp_path / "nope.json")).lower()


def test_a_file_larger_than_the_limit_is_refused_before_reading_it(
    db_path: Path, tmp_path: Path
) -> None:
    sparse = tmp_path / "huge.json"
    with sparse.open("wb") as f:
        f.truncate(2**40)  # a terabyte of nothing: reading it would take hours
    assert "larger than" in refused(*import_file(db_path, sparse))


def test_the_limit_holds_while_reading(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transfer, "MAX_IMPORT_BYTES", 100)
    big = tmp_path / "big.json"
    big.write_text(VALID_TEXT)
    assert "larger than" in refused(*import_file(db_path, big))


def test_an_endless_stream_is_read_only_up_to_the_limit() -> None:
    """A pipe that never ends (stdin, `yes | tracker import -`) stops at limit + 1 bytes."""
    read_end, write_end = os.pipe()
    written = [0]

    def pour() -> None:
        try:
            while True:
                written[0] += os.write(write_end, b"y" * 65536)
        except OSError:  # the reader closed its end
            pass
        finally:
            os.close(write_end)

    writer = threading.Thread(target=pour, daemon=True)
    writer.start()
    with os.fdopen(read_end, "rb") as stream, pytest.raises(InvalidInput, match="larger than"):
        read_limited(stream, 1_000_000, "-")
    writer.join(timeout=10)
    assert not writer.is_alive()
    assert written[0] < 4_000_000, "the reader stopped early, the writer soon after"


def test_stdin_is_read(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from tracker.cli import cli as group

    monkeypatch.setenv("TRACKER_NOW", FIXED_NOW)
    result = CliRunner().invoke(group, ["--db", str(db_path), "import", "-"], input=VALID_TEXT)
    assert result.exit_code == 0, result.output
    assert count(db_path) == 2


def test_a_byte_order_mark_is_accepted(db_path: Path, tmp_path: Path) -> None:
    with_bom = tmp_path / "export.json"
    with_bom.write_bytes(b"\xef\xbb\xbf" + VALID_TEXT.encode())
    code, _, err = import_file(db_path, with_bom)
    assert code == 0, err
    assert count(db_path) == 2


def test_text_that_is_not_utf8_is_refused(db_path: Path, tmp_path: Path) -> None:
    utf16 = tmp_path / "export.json"
    utf16.write_bytes(VALID_TEXT.encode("utf-16"))
    assert "UTF-8" in refused(*import_file(db_path, utf16))


# -- format versions ---------------------------------------------------------------------


def doc(**changes: Any) -> str:
    return json.dumps(json.loads(VALID_TEXT) | changes)


@pytest.mark.parametrize("version", [0, -1, -(2**63), 3, 99, 2**70])
def test_only_versions_this_tracker_wrote_are_read(store: Store, version: int) -> None:
    before = state(store)
    with pytest.raises(InvalidInput, match=r"format version|newer than"):
        import_text(store, doc(version=version))
    assert state(store) == before


def test_every_version_this_tracker_wrote_is_read(db_path: Path) -> None:
    for version in transfer.READABLE_VERSIONS:
        with Store.open(str(db_path)) as store:
            import_text(store, doc(version=version))
    assert transfer.FORMAT_VERSION in transfer.READABLE_VERSIONS


# -- numbers -------------------------------------------------------------------------------

HUGE = "9" * 5000  # past Python's 4,300-digit limit for int()


@pytest.mark.parametrize(
    "place",
    [
        '"version": {n}',
        '"settings": {{"weekly_goal": {n}}}',
        '"climbs": [{{"rung": {n}, "climbed_at": "2026-11-01T10:00:00+00:00"}}]',
        '"attempts": [{{"challenge": "{time}", "occurred_at": "2026-11-01T10:00:00+00:00", '
        '"outcome": "helped", "predicted": {n}}}]',
        '"nothing_of_ours": {n}',
    ],
)
def test_a_huge_integer_anywhere_is_one_clean_refusal(
    db_path: Path, tmp_path: Path, place: str
) -> None:
    body = place.format(n=HUGE, time=TIME)
    text = f'{{"format": "tracker-export", "version": 1, {body}}}'.replace(
        '"version": 1, "version"', '"version"'
    )
    path = tmp_path / "export.json"
    path.write_text(text)
    line = refused(*import_file(db_path, path))
    assert "cannot import" in line


def attempt(**fields: Any) -> str:
    document = json.loads(VALID_TEXT)
    document["attempts"][0].update(fields)
    return json.dumps(document)


def challenge(**fields: Any) -> str:
    document = json.loads(VALID_TEXT)
    document["challenges"][0].update(fields)
    return json.dumps(document)


NOT_NUMBERS = {
    "predicted as text": attempt(predicted="60"),
    "predicted a float": attempt(predicted=60.0),
    "predicted a bool": attempt(predicted=True),
    "confidence in e-notation": attempt(confidence=1e1),
    "confidence negative": attempt(confidence=-1),
    "happened as text": attempt(happened="yes"),
    "happened a number": attempt(happened=0),
    "rung as text": challenge(rung="3"),
    "rung a float": challenge(rung=3.0),
    "builtin a number": challenge(builtin=1),
    "archived as text": challenge(archived="false"),
    "title a number": challenge(title=5),
    "note a number": attempt(note=5),
    "who a list": attempt(who=["x"]),
    "strategy a number": attempt(strategies=[1]),
    "NaN": VALID_TEXT.replace('"predicted": 60', '"predicted": NaN'),
    "Infinity": VALID_TEXT.replace('"predicted": 60', '"predicted": Infinity'),
    "climb rung as text": doc(climbs=[{"rung": "1", "climbed_at": "2026-11-01T10:00:00+00:00"}]),
}


@pytest.mark.parametrize("document", NOT_NUMBERS.values(), ids=NOT_NUMBERS.keys())
def test_every_number_and_flag_is_of_its_kind(store: Store, document: str) -> None:
    assert '"predicted": 60' in VALID_TEXT
    assert not imported_or_refused(store, document)


UNKNOWN_KEYS = {
    "top level": doc(extra=1),
    "challenge": challenge(colour="red"),
    "climb": doc(climbs=[{"rung": 1, "climbed_at": "2026-11-01T10:00:00+00:00", "by": "me"}]),
}


@pytest.mark.parametrize("document", UNKNOWN_KEYS.values(), ids=UNKNOWN_KEYS.keys())
def test_keys_this_version_never_wrote_are_refused(store: Store, document: str) -> None:
    assert not imported_or_refused(store, document)


# -- times ---------------------------------------------------------------------------------

IMPOSSIBLE_TIMES = {
    "overflows into year 10000 in UTC": "9999-12-31T23:59:59-23:59",
    "before year 1 in UTC": "0001-01-01T00:00:00+23:59",
    "past 2199": "2300-01-01T00:00:00+00:00",
    "before 1900": "1850-01-01T00:00:00+00:00",
    "no zone": "2026-11-01T10:00:00",
    "a date only": "2026-11-01",
    "not a date": "2026-02-30T10:00:00+00:00",
    "text": "yesterday",
}


@pytest.mark.parametrize("moment", IMPOSSIBLE_TIMES.values(), ids=IMPOSSIBLE_TIMES.keys())
@pytest.mark.parametrize("where", ["attempt", "plan", "climb", "exported_at"])
def test_an_impossible_time_is_one_clean_refusal(
    db_path: Path, tmp_path: Path, moment: str, where: str
) -> None:
    document = json.loads(VALID_TEXT)
    if where == "attempt":
        document["attempts"][0]["occurred_at"] = moment
    elif where == "plan":
        document["attempts"][1]["occurred_at"] = moment
    elif where == "climb":
        document["climbs"] = [{"rung": 1, "climbed_at": moment}]
    else:
        document["exported_at"] = moment
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))
    assert "cannot import" in refused(*import_file(db_path, path))
    assert not db_path.exists() or count(db_path) == 0


def test_a_completed_ask_in_the_future_is_refused_as_when_refuses_it(store: Store) -> None:
    # FIXED_NOW is 2026-11-22T10:00 UTC; --when allows a minute of clock drift, no more.
    before = state(store)
    with pytest.raises(InvalidInput, match="in the future"):
        import_text(store, attempt(occurred_at="2026-11-22T10:02:00+00:00"))
    with pytest.raises(InvalidInput, match="in the future"):
        import_text(store, attempt(occurred_at="2027-01-01T00:00:00+00:00"))
    assert state(store) == before
    import_text(store, attempt(occurred_at="2026-11-22T10:00:30+00:00"))


def test_a_climb_in_the_future_is_refused(store: Store) -> None:
    with pytest.raises(InvalidInput, match="in the future"):
        import_text(store, doc(climbs=[{"rung": 1, "climbed_at": "2027-01-01T00:00:00+00:00"}]))


def test_a_plan_may_be_for_a_future_time(store: Store) -> None:
    document = json.loads(VALID_TEXT)
    document["attempts"][1]["occurred_at"] = "2026-12-24T18:00:00+00:00"
    report = import_text(store, json.dumps(document))
    assert report.attempts_added == 1  # the plan; the completed ask was there already


def test_the_valid_document_still_imports_in_full(db_path: Path) -> None:
    assert VALID_DOC["version"] == 1
    with Store.open(str(db_path)) as store:
        report = import_text(store, VALID_TEXT)
    assert report.attempts_added == 2
