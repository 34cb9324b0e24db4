"""A small run of the benchmark, so `make bench` cannot rot unnoticed: every measure
it takes is a real, positive time (or memory size), and every ratio a real number."""

from __future__ import annotations

import json
import math
from pathlib import Path

from bench.run import main
from tests.postgres import Server


def test_benchmark_smoke_run(tmp_path: Path, pg_server: Server) -> None:
    out = tmp_path / "bench.json"
    assert main(["--smoke", "--json", str(out), "--pg-url", pg_server.url("postgres")]) == 0
    found = json.loads(out.read_text())
    medians: dict[str, float] = found["medians"]
    wanted = {"pass", "version", "next_small", "next_large", "progress_small", "progress_large"}
    wanted |= {"hello", "app_small", "app_large", "history_small", "history_large"}
    wanted |= {"due_short_large", "next_large_pg", "psycopg"}
    assert wanted <= set(medians)
    assert all(math.isfinite(v) and v > 0 for v in medians.values()), medians
    ratios = found["ratios"]
    assert len(ratios) >= 8
    assert any("PostgreSQL" in ratio["name"] for ratio in ratios)
    for ratio in ratios:
        assert math.isfinite(ratio["measured"]) and ratio["measured"] > 0, ratio
        assert ratio["limit"] > 0
