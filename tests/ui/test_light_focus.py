"""In the light theme the focused field and the chosen row of a focused list are clearly
marked (issue 12, item 11): measured as the contrast between the colours drawn, not read
from the CSS."""

from __future__ import annotations

from collections.abc import Callable

from textual.color import Color
from textual.widget import Widget
from textual.widgets import Input, OptionList

from tests.ui.conftest import SIZE, settle
from tracker.ui.app import TrackerApp

MakeApp = Callable[..., TrackerApp]
#: WCAG's contrast ratio between a focused thing and its unfocused twin: 1.1 before.
CLEARLY = 1.4


def luminance(c: Color) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)


def contrast(a: Color, b: Color) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def drawn(widget: Widget) -> Color:
    """The background the widget is drawn on (its own, over what is behind it)."""
    return widget.background_colors[1]


async def test_the_focused_field_stands_out_in_the_light_theme(make_app: MakeApp, db: str) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "textual-light"
        await pilot.press("l")
        await settle(pilot)
        focused, other = list(app.screen.query(Input))[:2]
        assert focused.has_focus and not other.has_focus
        assert contrast(drawn(focused), drawn(other)) >= CLEARLY


async def test_the_chosen_row_of_a_focused_list_stands_out_in_the_light_theme(
    make_app: MakeApp, demo_db: str
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "textual-light"
        await pilot.press("2")
        await settle(pilot)
        options = app.screen.query_one("#ladder", OptionList)
        assert options.has_focus and options.highlighted is not None
        chosen = options.get_component_rich_style("option-list--option-highlighted")
        plain = options.get_component_rich_style("option-list--option")
        assert chosen.bgcolor is not None
        row = Color.from_rich_color(chosen.bgcolor)
        rest = Color.from_rich_color(plain.bgcolor) if plain.bgcolor else drawn(options)
        assert contrast(row, rest) >= CLEARLY
