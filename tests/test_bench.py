"""A small run of the benchmark, so `make bench` cannot rot unnoticed."""

from __future__ import annotations

import pytest

from bench.run import main


def test_benchmark_smoke_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--smoke"]) == 0
    out = capsys.readouterr().out
    for measure in ("--version", "next at", "progress at", "import of", "app suggestion"):
        assert measure in out
