"""Believable practice histories of any size, as a tracker export document.

Used by `make bench` to build databases through the real import path. Deterministic
for a given size and seed.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from tracker.store.seed import ladder_entries

OUTCOMES = ["helped"] * 5 + ["partly"] * 2 + ["declined"] * 2 + ["no-answer", "avoided"]
CHANNELS = ["in-person", "phone", "message", "email", "video"]
STRATEGIES = ["specific", "timing", "gratitude", "reciprocity", "positive-framing"]


def export_document(attempts: int, seed: int = 1, end: datetime | None = None) -> dict[str, Any]:
    """`attempts` attempts spread evenly up to `end`, climbing the ladder as they go."""
    rng = random.Random(seed)
    end = end or datetime(2026, 11, 20, 12, tzinfo=UTC)
    by_rung: dict[int, list[str]] = {}
    for c in ladder_entries():  # the rungs' challenges still offered (no any-time ones)
        if "rung" in c and not c.get("retired"):
            by_rung.setdefault(c["rung"], []).append(c["slug"])
    span = timedelta(days=max(30, attempts // 8))  # about eight attempts a day at most
    step = span / max(attempts, 1)
    start = end - span
    records = []
    for i in range(attempts):
        progress = i / max(attempts - 1, 1)
        rung = min(10, max(1, round(1 + 9 * progress + rng.gauss(0, 0.8))))
        outcome = rng.choice(OUTCOMES)
        asked = outcome != "avoided"
        maybe = rng.random() < 0.8  # most fields are usually filled in, not always
        records.append(
            {
                "challenge": rng.choice(by_rung[rung]),
                "occurred_at": (
                    start + step * i + timedelta(seconds=rng.randint(0, 59))
                ).isoformat(),
                "outcome": outcome,
                "who": rng.choice(["stranger", "colleague", "friend", "neighbor", None]),
                "channel": rng.choice(CHANNELS) if maybe else None,
                "feared": "they will say no" if maybe else None,
                "predicted": rng.randint(10, 90) if maybe else None,
                "expected_distress": rng.randint(10, 90) if maybe else None,
                "happened": rng.random() < 0.25 if asked and maybe else None,
                "peak_distress": rng.randint(5, 80) if asked else None,
                "confidence": min(10, max(0, round(rng.gauss(6 + 2 * progress, 2))))
                if asked
                else None,
                "rerated": rng.randint(5, 60) if asked and maybe else None,
                "strategies": rng.sample(STRATEGIES, rng.randint(0, 2)),
                "learned": "asking was easier than I feared" if rng.random() < 0.3 else None,
                "note": None,
            }
        )
    return {
        "format": "tracker-export",
        "version": 1,
        "exported_at": end.isoformat(),
        "settings": {},
        "challenges": [],
        "attempts": records,
    }
