"""The suite's own PostgreSQL server starts, gives each test a fresh database, and stops."""

from __future__ import annotations

import psycopg

from tests.postgres import Server


def test_each_test_gets_an_empty_database_of_its_own(pg_server: Server, pg_url: str) -> None:
    other = pg_server.new_database()
    assert other != pg_url
    with psycopg.connect(pg_url) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        assert tables == (0,)
        (version,) = conn.execute("SHOW server_version_num").fetchone() or ("0",)
        assert int(version) >= 150000
        (address,) = conn.execute("SELECT inet_server_addr()::text").fetchone() or ("",)
        assert address.startswith("127.0.0.1")
