"""Processes the storage tests start: writers, readers, a stand-in for the open app.

Run as `python tests/store/driver.py MODE DB ...`; each mode prints one line per event
(flushed at once) so the test knows exactly what was reported before a process died:

    ok ID MARKER      an attempt was committed (its note is MARKER)
    opened SECONDS    a forked writer has its Store open (crash mode)
    killed N ...      crash mode killed its Nth child
    read N            a read returned N attempts
    fail CODE TEXT    a command failed (exit code and its stderr)
    error TEXT        an unexpected exception

Modes:
    crash DB SEED CYCLES WORKER   fork a writer CYCLES times and SIGKILL it at a random
                                  moment; print what each child reported before dying
    writer DB COUNT LABEL         COUNT attempts through the Store API
    cli-writer DB COUNT LABEL     COUNT `tracker log` runs, in this process, via cli.main
    cli-reader DB COUNT           `tracker history --json`, COUNT times
    app DB SECONDS LABEL          one Store held open for SECONDS: reads, plans, completes
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, datetime
from typing import Any

SLUG = "ask-a-stranger-the-time"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _now() -> datetime:
    return datetime.now(UTC)


def crash(db: str, seed: int, cycles: int, worker: str) -> None:
    """The parent only imports; each forked child opens the Store and logs until killed."""
    from tracker.store.repository import Store

    rng = random.Random(seed)
    # Warm up first (lazy imports, validators), so the children spend their short lives
    # writing; the parent's connections are closed before any fork.
    with Store.open(db) as store:
        warm = store.add_attempt(
            {"challenge_id": store.challenge(SLUG).id, "occurred_at": _now(), "note": worker}
        )
        say(f"ok {warm.id} {worker}")
    for cycle in range(cycles):
        delay = rng.uniform(0.0, 0.4)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read_end)
            try:
                began = time.monotonic()
                store = Store.open(db)
                challenge_id = store.challenge(SLUG).id
                os.write(write_end, f"opened {time.monotonic() - began:.3f}\n".encode())
                n = 0
                while True:
                    marker = f"{worker}-{cycle}-{n}"
                    attempt = store.add_attempt(
                        {
                            "challenge_id": challenge_id,
                            "occurred_at": _now(),
                            "outcome": "helped",
                            "confidence": n % 11,
                            "note": marker,
                        }
                    )
                    os.write(write_end, f"ok {attempt.id} {marker}\n".encode())
                    n += 1
            except BaseException as e:  # reported, so a broken child fails the test
                os.write(write_end, f"error {type(e).__name__}: {e}\n".encode())
            finally:
                os._exit(1)
        os.close(write_end)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(read_end, "rb") as reported:
            sys.stdout.write(reported.read().decode())
        say(f"killed {cycle} after {delay:.3f}")
    sys.stdout.flush()


def writer(db: str, count: int, label: str) -> None:
    from tracker.store.repository import Store

    with Store.open(db) as store:
        challenge_id = store.challenge(SLUG).id
        for n in range(count):
            marker = f"{label}-{n}"
            attempt = store.add_attempt(
                {
                    "challenge_id": challenge_id,
                    "occurred_at": _now(),
                    "outcome": "partly",
                    "note": marker,
                }
            )
            say(f"ok {attempt.id} {marker}")


def _cli(args: list[str]) -> tuple[int, str, str]:
    """`tracker ARGS` in this process, as the console script runs it."""
    from tracker.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(args)
        except SystemExit as e:
            code = int(e.code or 0)
    return code, out.getvalue(), err.getvalue()


def cli_writer(db: str, count: int, label: str) -> None:
    for n in range(count):
        marker = f"{label}-{n}"
        code, out, err = _cli(
            ["--db", db, "log", SLUG, "--outcome", "declined", "--note", marker, "--json"]
        )
        if code == 0:
            say(f"ok {json.loads(out)['id']} {marker}")
        else:
            say(f"fail {code} {err.strip()}")


def cli_reader(db: str, count: int) -> None:
    for _ in range(count):
        code, out, err = _cli(["--db", db, "history", "--json", "--limit", "100000"])
        if code == 0:
            say(f"read {len(json.loads(out)['attempts'])}")
        else:
            say(f"fail {code} {err.strip()}")


def app(db: str, seconds: float, label: str) -> None:
    """What the open app does: keep one Store, read often, plan and complete asks."""
    from tracker.store.repository import Store

    store = Store.open(db)
    store.check_quick()
    challenge_id = store.challenge(SLUG).id
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        say(f"read {len(store.attempts(limit=50))}")
        store.settings()
        if n % 3 == 0:
            marker = f"{label}-{n}"
            planned = store.add_attempt(
                {"challenge_id": challenge_id, "occurred_at": _now(), "note": marker}
            )
            done = store.complete_attempt(planned.id, {"outcome": "helped", "confidence": 8})
            say(f"ok {done.id} {marker}")
        n += 1
        time.sleep(0.01)
    store.close()


def main(argv: list[str]) -> None:
    mode, db, *rest = argv
    try:
        if mode == "crash":
            crash(db, int(rest[0]), int(rest[1]), rest[2])
        elif mode == "writer":
            writer(db, int(rest[0]), rest[1])
        elif mode == "cli-writer":
            cli_writer(db, int(rest[0]), rest[1])
        elif mode == "cli-reader":
            cli_reader(db, int(rest[0]))
        elif mode == "app":
            app(db, float(rest[0]), rest[1])
        else:
            raise SystemExit(f"unknown mode {mode}")
    except Exception as e:
        say(f"error {type(e).__name__}: {e}")
        raise


def parse(output: str) -> dict[str, Any]:
    """The lines a driver printed, sorted by kind (used by the tests)."""
    found: dict[str, Any] = {"ok": {}, "read": [], "fail": [], "error": [], "killed": 0}
    for line in output.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "ok":
            attempt_id, marker = rest.split(" ", 1)
            found["ok"][int(attempt_id)] = marker
        elif kind == "read":
            found["read"].append(int(rest))
        elif kind == "killed":
            found["killed"] += 1
        elif kind in ("fail", "error"):
            found[kind].append(rest)
    return found


if __name__ == "__main__":
    main(sys.argv[1:])
