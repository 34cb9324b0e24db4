"""How long PRAGMA quick_check (and integrity_check, a backup) take on a big database.

Not a test (pytest does not collect it). Run from the repository root:

    .venv/bin/python tests/store/bench_quick_check.py [ATTEMPTS] [FOLDER]

It builds a database of ATTEMPTS (default 100,000) attempts through transfer.import_all,
the path `tracker import` takes, with text in the fields a real log fills, then times
each check a few times and prints the best and the median.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tracker.store.backup import backup_file
from tracker.store.files import quick_check
from tracker.store.repository import Store
from tracker.store.transfer import import_all

OUTCOMES = ["helped", "partly", "declined", "no-answer", "avoided"]


def build(path: Path, attempts: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with Store.open(str(path)) as store:
        slugs = [c.slug for c in store.challenges()]
        rows = []
        for n in range(attempts):
            rows.append(
                (
                    rng.choice(slugs),
                    {
                        "occurred_at": start + timedelta(minutes=37 * n),
                        "outcome": rng.choice(OUTCOMES),
                        "who": "a colleague",
                        "channel": "in-person",
                        "feared": "they will think I cannot do my job " * rng.randint(0, 3),
                        "predicted": rng.randint(0, 100),
                        "peak_distress": rng.randint(0, 100),
                        "confidence": rng.randint(0, 10),
                        "rerated": rng.randint(0, 100),
                        "learned": "people are kinder than I expect " * rng.randint(0, 4),
                        "note": f"note {n}",
                    },
                )
            )
        import_all(store, [], rows, {})


def timed(action: object, repeat: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - began)
    return min(times), statistics.median(times)


def main() -> None:
    attempts = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp())
    path = folder / "big.db"
    if not path.exists():
        began = time.perf_counter()
        build(path, attempts)
        print(f"built {attempts} attempts in {time.perf_counter() - began:.1f} s")
    print(f"file: {path.stat().st_size / 1e6:.1f} MB")

    def integrity() -> None:
        raw = sqlite3.connect(path)
        raw.execute("PRAGMA integrity_check").fetchall()
        raw.close()

    for name, action in (
        ("quick_check (warm cache)", lambda: quick_check(path)),
        ("integrity_check", integrity),
        ("backup_file", lambda: backup_file(path, folder / "copy.db")),
    ):
        best, median = timed(action)
        print(f"{name:<26} best {best * 1000:7.1f} ms   median {median * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
