"""`tracker check` and `tracker backup` on both engines: check reads only and compares
the stored summary with a fresh fold; a backup of a PostgreSQL database is a complete
export that `tracker import` restores."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.engines import is_server, placeholder, raw_connection
from tests.store.helpers import CLERK, TIME, cli


def tracker(db: str, *args: str) -> tuple[int, str, str]:
    return cli("--db", db, *args)


def some_history(db: str) -> None:
    for slug, outcome, when in ((TIME, "helped", "2 days ago"), (CLERK, "declined", "1 hour ago")):
        code, _, err = tracker(db, "log", slug, "--outcome", outcome, "--when", when,
                               "--confidence", "8", "--note", "a [b]note[/b]")  # fmt: skip
        assert code == 0, err
    assert tracker(db, "plan", TIME, "--feared", "a sigh")[0] == 0


def test_check_finds_a_healthy_database_healthy(any_db: str) -> None:
    some_history(any_db)
    code, out, err = tracker(any_db, "check", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report == {
        "ok": True,
        "integrity": [],
        "foreign_keys": [],
        "summary": [],
        "path": report["path"],
    }
    code, out, _ = tracker(any_db, "check")
    assert code == 0 and "is healthy" in out and "summary matches the log" in out


def test_check_finds_a_stored_summary_that_does_not_match_the_log(any_db: str) -> None:
    some_history(any_db)
    with raw_connection(any_db) as conn:
        (state,) = conn.execute("SELECT state FROM summary WHERE id = 1").fetchone()
        wrong = json.loads(state) | {"total_asks": 99}
        conn.execute(
            f"UPDATE summary SET state = {placeholder(any_db)} WHERE id = 1", (json.dumps(wrong),)
        )
    code, out, _ = tracker(any_db, "check", "--json")
    assert code == 1
    assert json.loads(out)["summary"] == [
        "the stored summary does not match a fresh fold of the log"
    ]
    code, out, _ = tracker(any_db, "check")
    assert code == 1 and "does not match" in out and "Nothing was changed" in out


def test_a_postgresql_backup_is_an_export_that_import_restores(pg_url: str, tmp_path: Path) -> None:
    some_history(pg_url)
    folder = tmp_path / "copies"
    folder.mkdir()
    code, out, err = tracker(pg_url, "backup", str(folder))
    assert code == 0, err
    (copy,) = folder.iterdir()
    assert copy.suffix == ".json" and str(copy) in out
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    code, _, err = tracker(pg_url, "backup", str(copy))
    assert code == 2 and "already exists" in err

    restored = str(tmp_path / "restored.db")
    code, out, err = tracker(restored, "import", str(copy), "--json")
    assert code == 0, err
    assert json.loads(out)["attempts_added"] == 3

    def exported(db: str) -> dict[str, object]:
        code, out, err = tracker(db, "export")
        assert code == 0, err
        document: dict[str, object] = json.loads(out)
        document.pop("exported_at")
        return document

    assert exported(restored) == exported(pg_url)


def test_a_postgresql_backup_without_a_destination_goes_to_the_data_folder(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    code, _, err = tracker(pg_url, "backup")
    assert code == 0, err
    copies = list((tmp_path / "xdg" / "tracker" / "backups").iterdir())
    assert len(copies) == 1 and copies[0].name.startswith(pg_url.rsplit("/", 1)[1])
    assert json.loads(copies[0].read_text())["format"] == "tracker-export"
    assert is_server(pg_url)
