"""tracker's benchmark: ratios of median times, measured side by side in one run.

    python -m bench.run            # the full run (make bench): 100 vs 100,000 attempts
    python -m bench.run --smoke    # a quick check that every measurement works

Databases are built through the real import path (`tracker import`). Whole processes
are timed, interleaved (a round runs every command once, in turn) after a warm-up,
and each ratio compares medians taken in the same run, because absolute times on a
shared machine are not stable. The app is timed in a real pseudo-terminal until the
text it should show appears on screen.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import pty
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.history import export_document

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TRACKER = [PYTHON, "-m", "tracker"]
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[PX^_].*?\x1b\\|\x1b\][^\x07]*\x07|\x1b.")
HELLO_APP = """
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("Hello from Textual")

Hello().run()
"""


@dataclass
class Target:
    name: str
    measured: float
    limit: float

    @property
    def ok(self) -> bool:
        return self.measured <= self.limit


def build_db(folder: Path, attempts: int, db: str | None = None) -> tuple[str, float]:
    """A database of `attempts` attempts (a new file in `folder`, or the empty server
    database `db`), made with `tracker import`, and the seconds the import took."""
    db = db or str(folder / f"tracker-{attempts}.db")
    export = folder / f"history-{attempts}.json"
    if not export.exists():
        export.write_text(json.dumps(export_document(attempts)))
    started = time.perf_counter()
    subprocess.run([*TRACKER, "--db", db, "import", str(export)], check=True,
                   capture_output=True, env=env())  # fmt: skip
    seconds = time.perf_counter() - started
    where = "PostgreSQL" if "://" in db else "SQLite"
    print(f"  imported {attempts:>7} attempts into {where} in {seconds:.1f} s")
    return db, seconds


def server_database(given: str | None) -> tuple[str | None, Callable[[], None]]:
    """An empty PostgreSQL database for the comparison: on the server `given` (a URL from
    which databases may be created), else on one started here like the tests' own
    (bench/pgserver.py). None, with the reason printed, when there is none."""
    from bench import pgserver

    try:
        server = (
            pgserver.Server(Path("."), 0, False, Path("."), base_url=given)
            if given
            else (pgserver.start())
        )
        return server.new_database(), server.stop
    except Exception as error:
        print(f"  PostgreSQL: not measured ({error})".splitlines()[0])
        if os.environ.get("TRACKER_REQUIRE_POSTGRES") == "1":
            raise
        return None, lambda: None


def env() -> dict[str, str]:
    return {**os.environ, "TZ": "UTC", "TRACKER_NOW": "2026-11-22T10:00:00+00:00"}


def run_once(argv: Sequence[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env())  # fmt: skip
    return time.perf_counter() - started


def until_visible(argv: Sequence[str], marker: str, keys: bytes = b"", timeout: float = 60.0,
                  then: str | None = None) -> tuple[float, int]:  # fmt: skip
    """Start `argv` in a 120x40 pseudo-terminal; seconds until `marker` shows (and, after
    `keys` are typed, until `then` shows), and the process's peak memory (KiB)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the app
        os.environ.update(env() | {"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"})
        os.execvp(argv[0], list(argv))
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    started = time.perf_counter()
    seen = b""
    goal = marker.encode()
    elapsed = None
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                seen += chunk
                if goal in ANSI.sub(b"", seen):
                    if elapsed is None:
                        elapsed = time.perf_counter() - started
                    if then is None:
                        break
                    # The second phase: type the keys, and time until `then` shows.
                    os.write(fd, keys)
                    started, seen, goal, then = time.perf_counter(), b"", then.encode(), None
                    elapsed = None
        peak = _peak_rss(pid)
    finally:
        _stop(pid, fd)
    if elapsed is None:
        raise RuntimeError(f"{marker!r} never appeared on screen for {' '.join(argv)}")
    return elapsed, peak


def _peak_rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _stop(pid: int, fd: int) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.02)
        else:
            continue
        break
    os.close(fd)


def medians(jobs: dict[str, Callable[[], float]], rounds: int, warmup: int = 1) -> dict[str, float]:
    """Run every job once per round, in turn; the median of each."""
    for _ in range(warmup):
        for job in jobs.values():
            job()
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(rounds):
        for name, job in jobs.items():
            times[name].append(job())
    return {name: statistics.median(values) for name, values in times.items()}


def suggestion_title(db: str) -> str:
    out = subprocess.run([*TRACKER, "--db", str(db), "next", "--json"], check=True,
                         capture_output=True, text=True, env=env()).stdout  # fmt: skip
    title: str = json.loads(out)["challenge"]["title"]
    return title


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small sizes, one round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--no-app", action="store_true", help="skip the terminal measurements")
    parser.add_argument("--pg-url", help="a PostgreSQL server to use instead of starting one")
    parser.add_argument("--json", type=Path, help="also write the medians and ratios here")
    args = parser.parse_args(argv)
    warmup = 1
    # Bytecode for tracker's own modules, as an installed tracker has (pip compiles a
    # wheel's modules when it installs them, and Textual's and the hello app's are
    # compiled so): an editable install under PYTHONDONTWRITEBYTECODE=1 would otherwise
    # compile tracker from source on every run, about 40 ms of the app's start-up.
    compileall.compile_dir(ROOT / "tracker", quiet=1)
    if args.smoke:
        args.rounds, args.large, args.small, warmup = 1, 300, 30, 0

    # A stopped run still stops its server and removes its folder (see `finally`).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    folder = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    stop_server: Callable[[], None] = lambda: None  # noqa: E731
    try:
        print(f"tracker benchmark: {args.small} vs {args.large} attempts, {args.rounds} rounds")
        small, _ = build_db(folder, args.small)
        large, import_seconds = build_db(folder, args.large)
        server_db, stop_server = server_database(args.pg_url)
        if server_db is not None:
            build_db(folder, args.large, server_db)

        def cli(db: str, *command: str) -> Callable[[], float]:
            return lambda: run_once([*TRACKER, "--db", db, *command])

        jobs = {
            "pass": lambda: run_once([PYTHON, "-c", "pass"]),
            "version": lambda: run_once([*TRACKER, "--version"]),
            "sqlmodel": lambda: run_once([PYTHON, "-c", "import sqlmodel"]),
            "next_small": cli(small, "next"),
            "next_large": cli(large, "next"),
            "progress_small": cli(small, "progress"),
            "progress_large": cli(large, "progress"),
            "due_short_large": cli(large, "due", "--short"),
        }
        if server_db is not None:
            jobs["psycopg"] = lambda: run_once([PYTHON, "-c", "import psycopg"])
            jobs["next_large_pg"] = cli(server_db, "next")
        m = medians(jobs, rounds=args.rounds, warmup=warmup)
        targets = [
            Target("tracker --version / python -c pass", m["version"] / m["pass"], 4.0),
            Target(f"next at {args.large} / import sqlmodel", m["next_large"] / m["sqlmodel"], 1.0),
            Target(
                f"next at {args.large} / at {args.small}", m["next_large"] / m["next_small"], 1.15
            ),
            Target(
                f"progress at {args.large} / at {args.small}",
                m["progress_large"] / m["progress_small"],
                1.15,
            ),
            Target(
                f"due --short at {args.large} / next at {args.large}",
                m["due_short_large"] / m["next_large"],
                1.1,
            ),
        ]
        if server_db is not None:
            targets.append(
                Target(
                    f"next on PostgreSQL / on SQLite at {args.large}",
                    m["next_large_pg"] / m["next_large"],
                    2.2,
                )
            )
        rows = [(name, value) for name, value in m.items()]

        if not args.no_app:
            hello = folder / "hello.py"
            hello.write_text(HELLO_APP)
            title_small, title_large = suggestion_title(small), suggestion_title(large)
            names = ("hello", "app_small", "app_large", "history_small", "history_large")
            app: dict[str, list[float]] = {k: [] for k in names}
            rss: dict[str, int] = {}
            for _ in range(max(1, args.rounds // 2)):
                app["hello"].append(until_visible([PYTHON, str(hello)], "Hello from Textual")[0])
                for size, db, title in (
                    ("small", small, title_small),
                    ("large", large, title_large),
                ):
                    shown, _ = until_visible([*TRACKER, "--db", str(db)], title)
                    app[f"app_{size}"].append(shown)
                    history, peak = until_visible([*TRACKER, "--db", str(db)], title,
                                                  keys=b"3", then="newest first")  # fmt: skip
                    app[f"history_{size}"].append(history)
                    rss[size] = max(rss.get(size, 0), peak)
            a = {k: statistics.median(v) for k, v in app.items()}
            rows += list(a.items()) + [(f"peak_rss_{k}_kib", float(v)) for k, v in rss.items()]
            targets += [
                Target(
                    f"app suggestion at {args.large} / Textual hello",
                    a["app_large"] / a["hello"],
                    2.0,
                ),
                Target(
                    f"history at {args.large} / at {args.small}",
                    a["history_large"] / a["history_small"],
                    1.5,
                ),
                Target(
                    f"app peak RSS at {args.large} / at {args.small}",
                    rss["large"] / max(rss["small"], 1),
                    1.5,
                ),
            ]
        targets.append(Target(f"import of {args.large} attempts (s)", import_seconds, 10.0))

        print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python "
              f"{platform.python_version()}, {platform.system()} {platform.release()}")  # fmt: skip
        print("\nmedian seconds (RSS in KiB):")
        for name, value in rows:
            print(f"  {name:<22} {value:10.3f}")
        print("\n| measure | ratio | target | |\n| --- | ---: | ---: | --- |")
        for t in targets:
            print(f"| {t.name} | {t.measured:.2f} | <= {t.limit} | {'ok' if t.ok else 'MISSED'} |")
        if args.json is not None:
            args.json.write_text(json.dumps({
                "medians": dict(rows),
                "ratios": [{"name": t.name, "measured": t.measured, "limit": t.limit}
                           for t in targets],
            }))  # fmt: skip
        return 0 if args.smoke or all(t.ok for t in targets) else 1
    finally:
        stop_server()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
