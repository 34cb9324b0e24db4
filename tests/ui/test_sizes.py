"""Any terminal size: every screen and dialog at 80x24 shows what matters whole (each
footer key, each view's tab, History's columns, Insights' bars and labels), and the
main views at 200x60 use the room. SVG snapshots of each, on the fixed clock and data
of tests/ui/test_snapshots.py, and checks that fail without anyone reading an SVG."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Footer
from textual.widgets._footer import FooterKey

from tests.ui.conftest import NOW, settle
from tracker.demo import fill_demo
from tracker.store.repository import Store
from tracker.ui.app import TrackerApp
from tracker.ui.views import MODE_VIEWS
from tracker.ui.widgets.nav import NavTab

MakeApp = Callable[..., TrackerApp]
SnapCompare = Callable[..., bool]
SMALL, LARGE = (80, 24), (200, 60)


@dataclass(frozen=True)
class Shown:
    """A screen or dialog: the data it opens on and the keys that reach it."""

    keys: tuple[str, ...] = ()
    data: str = "demo"  # "demo", "empty" (a first run) or "unusable" (the error screen)


#: Every screen and dialog of the app. "type:" types the rest into the focused field.
SCREENS: dict[str, Shown] = {
    "home": Shown(),
    "home-first-run": Shown(data="empty"),
    "ladder": Shown(("2",)),
    "history": Shown(("3",)),
    "insights": Shown(("4",)),
    "people": Shown(("5",)),
    "help": Shown(("question_mark",)),
    "support": Shown(("exclamation_mark",)),
    "log-form": Shown(("l",)),
    "picker": Shown(("l", "type:rung 4")),
    "challenge-form": Shown(("2", "n")),
    "settings": Shown(("comma",)),
    "error": Shown(data="unusable"),
}
MAIN_VIEWS = ("home", "ladder", "history", "insights", "people")


def database(kind: str, tmp_path: Path) -> str:
    if kind == "unusable":  # refused as it is named: the same message on every machine
        return "mysql://localhost/tracker"
    path = tmp_path / "tracker.db"
    if kind == "demo":
        with Store.open(str(path)) as store:
            fill_demo(store, NOW)
    return str(path)


def reach(shown: Shown) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in shown.keys:
            if key.startswith("type:"):
                await pilot.press(*key.removeprefix("type:"))
            else:
                await pilot.press(key)
            await settle(pilot)

    return run


def screen_lines(svg: str) -> list[str]:
    """The text of an SVG screenshot, a line a row (cells are 12.2 units wide)."""
    rows: defaultdict[float, list[tuple[float, str]]] = defaultdict(list)
    for m in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        rows[float(m[2])].append((float(m[1]), html.unescape(m[3])))
    lines = []
    for y in sorted(rows):
        line = ""
        for x, text in sorted(rows[y]):
            line = line.ljust(round(x / 12.2)) + text
        lines.append(line.replace("\xa0", " "))
    return lines


@pytest.mark.parametrize("name", SCREENS)
def test_every_screen_at_80x24(
    snap_compare: SnapCompare, make_app: MakeApp, tmp_path: Path, name: str
) -> None:
    shown = SCREENS[name]
    app = make_app(database(shown.data, tmp_path))
    assert snap_compare(app, terminal_size=SMALL, run_before=reach(shown))


@pytest.mark.parametrize("name", MAIN_VIEWS)
def test_the_main_views_at_200x60(
    snap_compare: SnapCompare, make_app: MakeApp, tmp_path: Path, name: str
) -> None:
    shown = SCREENS[name]
    app = make_app(database(shown.data, tmp_path))
    assert snap_compare(app, terminal_size=LARGE, run_before=reach(shown))


@pytest.mark.parametrize("name", SCREENS)
async def test_at_80x24_every_footer_key_and_view_tab_is_whole(
    make_app: MakeApp, tmp_path: Path, name: str
) -> None:
    shown = SCREENS[name]
    app = make_app(database(shown.data, tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        await reach(shown)(pilot)
        lines = screen_lines(app.export_screenshot())
        footer = app.screen.query_one(Footer)
        keys = list(footer.query(FooterKey).results())
        assert keys, f"{name}: no keys in the footer"
        for key in keys:
            region = key.region
            assert region.width and region.right <= SMALL[0], f"{name}: {key.key} is cut off"
            words = f"{key.key_display} {key.description}".strip()
            assert words in lines[-1], f"{name}: {words!r} not in the footer {lines[-1]!r}"
        if app.screen.query(NavTab):
            for view in MODE_VIEWS:
                assert f"{view.shown_key} {view.title}" in lines[0], f"{name}: {view.title}"


async def test_at_80_columns_historys_columns_fit(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app(database("demo", tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        await reach(SCREENS["history"])(pilot)
        table = app.screen.query_one("#history", DataTable)
        assert table.row_count
        assert table.virtual_size.width <= table.scrollable_content_region.width
        labels = {str(c.label) for c in table.columns.values()}
        assert {"When", "Challenge", "Rung", "Outcome"} <= labels
        titles = [str(table.get_cell_at(Coordinate(r, 1))) for r in range(table.row_count)]
        assert "Ask a question in an online forum" in titles  # the table holds whole titles


@pytest.mark.parametrize("width", [80, 100, 120, 160, 200])
async def test_insights_bars_and_labels_are_whole_at_any_width(
    make_app: MakeApp, tmp_path: Path, width: int
) -> None:
    app = make_app(database("demo", tmp_path))
    async with app.run_test(size=(width, 120)) as pilot:  # tall: every card in view
        await reach(SCREENS["insights"])(pilot)
        drawn = "\n".join(screen_lines(app.export_screenshot()))
        assert "…" not in drawn  # no bar, label or heading cut short
        for words in ("expected", "happened", "strangers", "community", "3  goal met", "0 people"):
            assert words in drawn, words
