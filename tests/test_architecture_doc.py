"""docs/architecture.md lists every module of tracker, each under its package, and no other."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def listed_modules() -> set[str]:
    text = (ROOT / "docs" / "architecture.md").read_text()
    section = text.split("## The modules", 1)[1].split("\n## ", 1)[0]
    found: set[str] = set()
    package = ""
    for line in section.splitlines():
        header = re.match(r"\*\*(tracker/[\w/]*)\*\*", line)
        if header:
            package = header.group(1)
            continue
        sub = re.match(r"- `(\w+)/`", line)
        folder = f"{package}{sub.group(1)}/" if sub else package
        for name in re.findall(r"`(\w+\.py)`", line):
            found.add(folder + name)
    return found


def test_the_architecture_lists_every_module() -> None:
    modules = {
        str(p.relative_to(ROOT))
        for p in (ROOT / "tracker").rglob("*.py")
        if p.name != "__init__.py" and "migrations" not in p.parts
    }
    assert listed_modules() == modules
