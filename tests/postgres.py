"""The suite's own PostgreSQL server (bench/pgserver.py), started on 127.0.0.1.

Each pytest process (each xdist worker) starts one server in a fresh folder the first
time a test asks for it, and stops it at the end of the session. Every test then gets
its own empty database on it. Where no server can be started, the tests that need one
are skipped with the reason in one line, unless TRACKER_REQUIRE_POSTGRES=1, where they
fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from bench.pgserver import Server, start

__all__ = ["REQUIRE", "Server", "pg_server", "pg_url", "start"]

REQUIRE = os.environ.get("TRACKER_REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """The session's server; skipped (or failed under TRACKER_REQUIRE_POSTGRES=1) if none."""
    try:
        server = start()
    except RuntimeError as error:
        if REQUIRE:
            pytest.fail(f"PostgreSQL is required here: {error}", pytrace=False)
        pytest.skip(f"no PostgreSQL server for these tests: {error}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: Server) -> str:
    """A URL to a new, empty PostgreSQL database for this test alone."""
    return pg_server.new_database()
