"""A throwaway PostgreSQL server on 127.0.0.1, for the test suite and the benchmark.

`start()` makes one in a fresh folder (fsync off: it holds nothing worth keeping) and
`Server.stop()` removes it. tests/postgres.py starts one per pytest process; `make
bench` starts its own.

PostgreSQL refuses to run as root, and CI runs as root: there the server runs as the
`postgres` system user (through `runuser`), in a folder that user owns. Where no server
can be started (no PostgreSQL binaries, no psycopg, no `postgres` user), `start()`
raises RuntimeError saying why in one line. TRACKER_TEST_PG_URL points at a server of
your own instead (a URL to a database from which new databases may be created).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

USER = "tracker"


def _bindir() -> Path | None:
    """The folder holding initdb and pg_ctl: TRACKER_PG_BINDIR, PATH, or Debian's layout."""
    named = os.environ.get("TRACKER_PG_BINDIR")
    if named:
        return Path(named)
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running server: `url(name)` for a database on it, `new_database()` for a fresh one."""

    root: Path
    port: int
    as_postgres: bool
    bindir: Path
    base_url: str = ""
    _made: list[str] = field(default_factory=list)

    def url(self, dbname: str) -> str:
        if self.base_url:
            head, _, _ = self.base_url.rpartition("/")
            return f"{head}/{dbname}"
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:16]
        admin = self.base_url or self.url("postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
        self._made.append(name)
        return self.url(name)

    def stop(self) -> None:
        if self.base_url:
            return
        _pg(self, "pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def _pg(server: Server, tool: str, *args: str, timeout: float = 60) -> None:
    command = [str(server.bindir / tool), *args]
    if server.as_postgres:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=timeout)


def start() -> Server:
    """Start a server, or raise RuntimeError saying in one line why none could be."""
    own = os.environ.get("TRACKER_TEST_PG_URL")
    if own:
        return Server(Path("."), 0, False, Path("."), base_url=own)
    try:
        import psycopg  # noqa: F401
    except ImportError as error:
        raise RuntimeError("psycopg is not installed (pip install 'tracker[postgres]')") from error
    bindir = _bindir()
    if bindir is None or not (bindir / "initdb").exists():
        raise RuntimeError("no PostgreSQL server binaries found (initdb, pg_ctl)")
    as_postgres = os.geteuid() == 0
    if as_postgres and shutil.which("runuser") is None:
        raise RuntimeError("running as root, and runuser is missing to start PostgreSQL")
    root = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
    root.chmod(0o700)
    if as_postgres:
        try:
            shutil.chown(root, "postgres", "postgres")
        except (LookupError, PermissionError) as error:
            shutil.rmtree(root, ignore_errors=True)
            raise RuntimeError("running as root, with no 'postgres' user") from error
    server = Server(root, 0, as_postgres, bindir)
    data = str(root / "data")
    try:
        _pg(server, "initdb", "-D", data, "-U", USER, "-A", "trust", "-E", "UTF8",
            "--locale=C", "--no-sync")  # fmt: skip
        for _attempt in range(5):
            server.port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {server.port} "
                f"-c unix_socket_directories={root} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
            )
            try:
                _pg(server, "pg_ctl", "-D", data, "-l", str(root / "log"), "-o", options,
                    "-w", "-t", "30", "start")  # fmt: skip
                return server
            except subprocess.CalledProcessError:
                continue  # the port was taken between choosing and binding: try another
        raise RuntimeError("PostgreSQL would not start: " + _tail(root / "log"))
    except (OSError, subprocess.SubprocessError) as error:
        log = _tail(root / "log")
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL would not start: {error} {log}".strip()) from error


def _tail(log: Path) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").splitlines()[-3:])
    except OSError:
        return ""
