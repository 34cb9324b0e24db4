"""A small run of the benchmark, so `make bench` cannot rot unnoticed."""

from __future__ import annotations

import pytest

from bench.run import main
from tests.postgres import Server


def test_benchmark_smoke_run(capsys: pytest.CaptureFixture[str], pg_server: Server) -> None:
    assert main(["--smoke", "--pg-url", pg_server.url("postgres")]) == 0
    out = capsys.readouterr().out
    for measure in ("--version", "next at", "progress at", "import of", "app suggestion"):
        assert measure in out
    assert "next on PostgreSQL / on SQLite" in out
