"""SVG screenshots of the app on demo data, for the README and docs/guide.md.

    python -m tracker.ui.screenshots [FOLDER]      (default: docs/screenshots)

Each picture is taken on a throwaway database, at a fixed moment (Sunday 22 November
2026, 10:00 UTC), so the files only change when the app does.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select

from tracker.demo import fill_demo
from tracker.domain.models import Channel
from tracker.store.repository import Store
from tracker.ui.app import TrackerApp, create_app

MOMENT = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
SIZE = (120, 40)

Step = Callable[[Pilot[Any]], Awaitable[None]]


async def _settle(pilot: Pilot[Any]) -> None:
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def _keys(*keys: str) -> Step:
    async def step(pilot: Pilot[Any]) -> None:
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)

    return step


async def _plan_an_ask(pilot: Pilot[Any]) -> None:
    """The log form with its "before" half filled in, as when planning an ask."""
    await _keys("l")(pilot)
    form = pilot.app.screen
    values = {
        "who": "a friend",
        "feared": "they'll think I'm always asking for things",
        "predicted": "60",
        "expected_distress": "45",
    }
    for name, value in values.items():
        form.query_one(f"#{name}", Input).value = value
    form.query_one("#channel", Select).value = Channel.MESSAGE
    await _settle(pilot)


#: file name, whether the database holds the demo history, and how to get there
SHOTS: tuple[tuple[str, bool, Step], ...] = (
    ("first-run.svg", False, _keys()),
    ("home.svg", True, _keys()),
    ("log-form.svg", True, _plan_an_ask),
    ("ladder.svg", True, _keys("2")),
    ("history.svg", True, _keys("3")),
    ("insights.svg", True, _keys("4")),
    ("people.svg", True, _keys("5")),
    ("help.svg", True, _keys("question_mark")),
)


async def _shoot(app: TrackerApp, step: Step, title: str) -> str:
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await step(pilot)
        app.clear_notifications()
        await pilot.pause()
        return app.export_screenshot(title=title)


def export_screenshots(folder: Path) -> list[Path]:
    """Write every screenshot into `folder`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, demo, step in SHOTS:
        with tempfile.TemporaryDirectory(prefix="tracker-shots-") as tmp:
            db = str(Path(tmp) / "tracker.db")
            if demo:
                with Store.open(db) as store:
                    fill_demo(store, MOMENT)
            app = create_app(db, clock=lambda: MOMENT)
            svg = asyncio.run(_shoot(app, step, "tracker"))
        target = folder / name
        target.write_text(svg, encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "docs/screenshots")
    for path in export_screenshots(folder):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
