"""The built-in ladder: data/challenges.toml, shipped in the wheel as tracker/data/.

The file lives in the project's top-level `data/` folder; the wheel force-includes it
as `tracker/data/challenges.toml` (pyproject.toml), so an installed tracker reads it
with importlib.resources from inside the package. A checkout (the editable install
`make` sets up, or the source tree itself) has no tracker/data/: there the file is read
from `data/` beside the package. tests/test_wheel.py checks the installed case.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from tracker.store.inputs import ChallengeIn, validate

LADDER_FILE = "challenges.toml"
#: Keys of the file that are not challenge fields: kept out of the database.
_FILE_ONLY = ("strategy", "retired")


def ladder_text() -> str:
    """The text of the built-in ladder, from the installed package or the checkout."""
    packaged = files("tracker").joinpath("data", LADDER_FILE)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    source = Path(__file__).resolve().parents[2] / "data" / LADDER_FILE
    try:
        return source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuntimeError(
            f"the built-in ladder is missing: neither tracker/data/{LADDER_FILE} in the "
            f"package nor {source} exists; reinstall tracker"
        ) from None


@cache
def ladder_entries() -> tuple[dict[str, Any], ...]:
    """Every [[challenge]] of the file as written, in file order (extra keys included)."""
    return tuple(tomllib.loads(ladder_text())["challenge"])


def retired_slugs() -> frozenset[str]:
    """Built-in challenges taken out of the ladder for good: archived in every database,
    never brought back (a crisis is not something to practise)."""
    return frozenset(e["slug"] for e in ladder_entries() if e.get("retired"))


def builtin_challenges() -> list[ChallengeIn]:
    """Every challenge of the built-in ladder, validated, in file order; retired ones
    come archived."""
    made = []
    for entry in ladder_entries():
        fields = {k: v for k, v in entry.items() if k not in _FILE_ONLY}
        made.append(
            validate(
                ChallengeIn, {**fields, "builtin": True, "archived": bool(entry.get("retired"))}
            )
        )
    return made
