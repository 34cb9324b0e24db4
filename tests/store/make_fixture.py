"""Make tests/store/fixtures/tracker-0001.sqlite: a database as the first release left it.

Schema revision 0001 (the first released schema), made by Alembic's own 0001 migration,
holding the built-in ladder, one custom challenge, a moved and an archived built-in one,
six attempts (one planned, every field used somewhere, text beyond ASCII) and two
settings. The schema upgrade tests (test_upgrades.py) open copies of it.

The .sqlite file is committed and is what the tests read (named .sqlite because
.gitignore leaves out *.db; tracker knows its files by their header, not their name).
This script is kept to show how it was made; run again with the same challenges.toml
and SQLite, it rebuilds the same bytes:

    .venv/bin/python tests/store/make_fixture.py

It writes rows with plain SQL in the 0001 shapes (not through the Store, whose code
follows the newest schema), and folds the -wal file in, so the fixture is one file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from tracker.store.schema import APPLICATION_ID
from tracker.store.seed import builtin_challenges

FIXTURE = Path(__file__).with_name("fixtures") / "tracker-0001.sqlite"
REVISION = "0001"

CUSTOM: dict[str, str | int] = {
    "slug": "ask-my-neighbour-to-water-the-plants",
    "title": "Ask my neighbour to water the plants",
    "description": "While I am away for a weekend.",
    "rung": 4,
    "context": "community",
    "barrier": "burden",
    "tip": "Offer to do the same for them.",
    "builtin": 0,
    "archived": 0,
}

# (challenge slug, occurred_at as SQLAlchemy stores it on SQLite: naive UTC, the rest)
ATTEMPTS: list[tuple[str, str, dict[str, object]]] = [
    ("ask-a-stranger-the-time", "2026-10-05 09:15:00.000000", {"outcome": "helped"}),
    (
        "ask-a-stranger-the-time",
        "2026-10-06 17:30:00.000000",
        {
            "outcome": "declined",
            "who": "stranger",
            "channel": "in-person",
            "feared": "they'll ignore me",
            "predicted": 70,
            "expected_distress": 40,
            "happened": 0,
            "peak_distress": 35,
            "confidence": 7,
            "rerated": 20,
            "strategies": "specific,gratitude",
            "learned": "people answer — even when busy",
            "note": "bus stop, café « Le Coin »",
        },
    ),
    (
        "ask-a-store-clerk-where-something-is",
        "2026-10-08 12:00:00.000000",
        {"outcome": "partly", "confidence": 8, "happened": 1},
    ),
    (
        "ask-a-librarian-for-a-recommendation",
        "2026-10-10 15:45:30.250000",
        {"outcome": "avoided", "peak_distress": 90, "note": "next time"},
    ),
    (
        "ask-my-neighbour-to-water-the-plants",
        "2026-10-12 08:00:00.000000",
        {"outcome": "no-answer", "channel": "message"},
    ),
    (
        "ask-a-librarian-for-a-recommendation",
        "2026-10-20 10:00:00.000000",
        {"feared": "they sigh", "predicted": 60},  # planned: no outcome yet
    ),
]

SETTINGS = {"weekly_goal": "4", "theme": "textual-light"}


def make(path: Path = FIXTURE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.commit()
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()

    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", "tracker.store:migrations")
    with engine.begin() as db:
        config.attributes["connection"] = db
        command.upgrade(config, REVISION)
        ladder = [
            c.model_dump(mode="json") | {"builtin": 1, "archived": 0} for c in builtin_challenges()
        ]
        for challenge in ladder:
            if challenge["slug"] == "ask-a-librarian-for-a-recommendation":
                challenge["rung"] = 3  # moved
            if challenge["slug"] == "ask-for-a-raise":
                challenge["archived"] = 1
        columns = "slug, title, description, rung, context, barrier, tip, builtin, archived"
        values = ", ".join(f":{c.strip()}" for c in columns.split(","))
        insert = text(f"INSERT INTO challenge ({columns}) VALUES ({values})")
        db.execute(insert, [*ladder, CUSTOM])
        ids = {slug: id_ for slug, id_ in db.execute(text("SELECT slug, id FROM challenge"))}
        for slug, when, fields in ATTEMPTS:
            row: dict[str, object] = {"challenge_id": ids[slug], "occurred_at": when}
            row["strategies"] = ""
            row.update(fields)  # the 0001 columns, as named in its migration
            names = ", ".join(row)
            db.execute(
                text(f"INSERT INTO attempt ({names}) VALUES ({', '.join(':' + n for n in row)})"),
                row,
            )
        for key, value in SETTINGS.items():
            db.execute(
                text("INSERT INTO setting (key, value) VALUES (:k, :v)"), {"k": key, "v": value}
            )
    engine.dispose()

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    conn.close()
    assert version == REVISION, version
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    path.chmod(0o600)
    return path


if __name__ == "__main__":
    print(make())
