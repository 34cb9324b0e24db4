"""The same scenario on SQLite and on PostgreSQL gives the same output, command by
command: every `--json` document, every error line and exit code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.store.helpers import CLERK, TIME, cli

#: Each step: the command, and whether its output is JSON to compare as data.
SCENARIO: list[tuple[str, ...]] = [
    ("next", "--json"),
    ("log", TIME, "--outcome", "helped", "--when", "3 days ago", "--predicted", "60",
     "--happened", "no", "--confidence", "8", "--rerated", "20", "--strategy", "specific",
     "--who", "a [b]stranger[/b]", "--json"),
    ("log", CLERK, "--outcome", "declined", "--when", "2 days ago", "--confidence", "7",
     "--peak-distress", "40", "--note", "50% nervous_ok", "--json"),
    ("log", TIME, "--outcome", "partly", "--when", "yesterday 17:30", "--confidence", "9",
     "--json"),
    ("plan", CLERK, "--feared", "they sigh", "--predicted", "50", "--json"),
    ("complete", "4", "--outcome", "helped", "--confidence", "8", "--json"),
    ("complete", "4", "--outcome", "helped"),
    ("log", "no-such-challenge", "--outcome", "helped"),
    ("history", "--json"),
    ("history", "--planned", "--json"),
    ("history", "--since", "2 days ago", "--limit", "2", "--json"),
    ("progress", "--json"),
    ("ladder", "--json"),
    ("next", "--json"),
    ("challenge", "add", "Ask my sister for a lift", "--rung", "2", "--json"),
    ("challenge", "edit", "ask-my-sister-for-a-lift", "--rung", "3", "--tip", "be brief",
     "--json"),
    ("challenge", "archive", "ask-my-sister-for-a-lift", "--json"),
    ("settings", "weekly_goal", "4", "--json"),
    ("settings", "weekly_goal", "99"),
    ("check", "--json"),
    ("progress",),
    ("ladder",),
    ("history",),
]  # fmt: skip


def run_scenario(db: str, export: Path) -> list[tuple[int, Any, str]]:
    seen: list[tuple[int, Any, str]] = []
    for step in SCENARIO:
        code, out, err = cli("--db", db, *step)
        data: Any = json.loads(out) if "--json" in step and code == 0 else out
        if step[0] == "check" and isinstance(data, dict):
            data.pop("path")
        seen.append((code, data, err.replace(db, "DB")))
    code, out, err = cli("--db", db, "export", "-o", str(export))
    assert code == 0, err
    document = json.loads(export.read_text())
    document.pop("exported_at")
    seen.append((code, document, ""))
    code, out, err = cli("--db", db, "import", str(export), "--json")
    seen.append((code, json.loads(out) if code == 0 else out, err))
    return seen


def test_the_same_scenario_gives_the_same_output_on_both_engines(
    pg_url: str, tmp_path: Path
) -> None:
    on_sqlite = run_scenario(str(tmp_path / "tracker.db"), tmp_path / "sqlite.json")
    on_server = run_scenario(pg_url, tmp_path / "server.json")
    for step, here, there in zip([*SCENARIO, ("export",), ("import",)], on_sqlite, on_server,
                                 strict=True):  # fmt: skip
        assert here == there, step
    codes = [code for code, _, _ in on_sqlite]
    assert codes.count(0) == len(codes) - 3, "three steps are meant to fail"
    assert on_sqlite[-1][1]["attempts_added"] == 0, "importing its own export adds nothing"
