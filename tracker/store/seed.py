"""The built-in ladder, read from the package's data (so it works from a wheel)."""

from __future__ import annotations

import tomllib
from importlib.resources import files

from tracker.store.inputs import ChallengeIn, validate


def builtin_challenges() -> list[ChallengeIn]:
    """Every challenge of data/challenges.toml, validated, in file order."""
    text = (files("tracker") / "data" / "challenges.toml").read_text(encoding="utf-8")
    entries = tomllib.loads(text)["challenge"]
    return [validate(ChallengeIn, {**entry, "builtin": True}) for entry in entries]
