"""Text from a person or a file is shown as typed: never markup, never an action, and
never a control character that reaches the terminal (issue 8)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static
from textual.widgets._toast import Toast

from tests.ui.conftest import NOW, SIZE, settle, stored
from tracker.domain.models import Outcome
from tracker.ui.app import TrackerApp
from tracker.ui.screens.error import ErrorScreen
from tracker.visible import visible

MakeApp = Callable[..., TrackerApp]

#: The suggestion on a fresh database (rung 1 of tracker/data/challenges.toml).
FIRST = "ask-a-stranger-the-time"

CLICK = "[@click=app.quit]x[/]"
BOSS = "Ask [my boss] for a day off"
OSC_TITLE = "\x1b]0;pwned title\x07"
OSC_CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"
CLEAR = "\x1b[2J\x1b[H"
C1 = "\x9b2J\x9d0;eight-bit\x9c"


def screen_of(app: TrackerApp) -> tuple[str, str]:
    """(what the screen shows as text, the bytes a terminal would be sent for it)."""
    text, raw, _ = drawn(app)
    return text, raw


def drawn(app: TrackerApp) -> tuple[str, str, list[object]]:
    """The screen drawn once: its text, the bytes a terminal would be sent for it, and
    every click action on it (what a click there would run)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    raw = console.file.getvalue()  # type: ignore[attr-defined]
    actions = [
        segment.style.meta["@click"]
        for line in update.strips  # type: ignore[union-attr]
        for strip in line
        for segment in strip
        if segment.style and "@click" in segment.style.meta
    ]
    return console.export_text(), raw, actions


def assert_safe(raw: str) -> None:
    """Nothing in the terminal stream but Textual's own cursor moves and colours."""
    import re

    leftover = re.sub(r"\x1b\[[0-9;]*[mHK]", "", raw)  # SGR, cursor position, erase line
    leftover = re.sub(r"\x1b\[\?[0-9;]*[hl]", "", leftover)
    bad = [ch for ch in leftover if (ord(ch) < 32 and ch not in "\n\r") or 0x7F <= ord(ch) < 0xA0]
    assert not bad, f"control characters reach the terminal: {bad[:10]!r}"


def flat(text: str) -> str:
    """Screen text with the line breaks and padding taken out, for substring checks."""
    return "".join(line.strip() for line in text.splitlines())


def set_first(db: str, **fields: str) -> int:
    """Give the first suggested challenge these fields; returns its id."""
    with stored(db) as store:
        c = store.challenge(FIRST)
        store.update_challenge(c.id, fields)
        return c.id


def log(db: str, challenge_id: int, hours_ago: int, **fields: Any) -> int:
    with stored(db) as store:
        attempt = store.add_attempt(
            {
                "challenge_id": challenge_id,
                "occurred_at": NOW - timedelta(hours=hours_ago),
                **fields,
            }
        )
        return attempt.id


def fresh(db: str) -> None:
    with stored(db):
        pass


async def go(pilot: Pilot[Any], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


# -- markup ----------------------------------------------------------------------------


async def test_a_closing_tag_in_a_description_does_not_crash_home(
    make_app: MakeApp, db: str
) -> None:
    fresh(db)
    set_first(db, description="Say [/] then wait", tip="[b]not bold[/b]", title=CLICK)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.is_running
        text, raw = screen_of(app)
        assert "Say [/] then wait" in text
        assert "Tip: [b]not bold[/b]" in text
        assert CLICK in text
        assert_safe(raw)


def actions_on_screen(app: TrackerApp) -> list[object]:
    """Every click action drawn on the screen (what a click there would run)."""
    return drawn(app)[2]


async def test_a_click_action_in_a_title_is_not_live(
    make_app: MakeApp, db: str, tmp_path: Path
) -> None:
    fresh(db)
    shots = tmp_path / "shots"
    shots.mkdir()
    screenshot = f"[@click=app.screenshot('shot.svg','{shots}')]x[/]"
    chosen = set_first(db, title=screenshot, description=CLICK, tip=CLICK)
    log(db, chosen, 2, outcome=Outcome.HELPED)
    log(db, chosen, 1)  # planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("1", "2", "3", "l"):
            if key == "l":
                app.open_log_form(challenge_id=chosen)
                await settle(pilot)
            else:
                await go(pilot, key)
            assert actions_on_screen(app) == [], key
        app.pop_screen()
        await settle(pilot)
        await go(pilot, "d")  # delete: the undo bar names the challenge
        assert app.screen.query_one("#undo-bar").display
        assert actions_on_screen(app) == []
        table = app.screen.query_one("#history", DataTable)
        for x in (19, 20):  # where the title is: a click there runs nothing
            await pilot.click(table, offset=(x, 1))
            await pilot.pause()
            if app.screen is not table.screen:
                app.pop_screen()
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert not list(shots.iterdir()), "a click on stored text ran an action"


async def test_brackets_stay_in_history_and_in_the_chosen_line(make_app: MakeApp, db: str) -> None:
    fresh(db)
    chosen = set_first(db, title=BOSS)
    log(db, chosen, 2, outcome=Outcome.HELPED)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go(pilot, "3")
        table = app.screen.query_one("#history", DataTable)
        assert table.row_count == 1
        assert BOSS in flat(screen_of(app)[0])
        app.open_log_form(challenge_id=chosen)
        await settle(pilot)
        line = app.screen.query_one("#chosen", Static)
        assert f"chosen: {BOSS} (rung 1)" in str(line.render())
        assert f"chosen: {BOSS} (rung 1)" in screen_of(app)[0]


async def test_brackets_stay_on_home_ladder_and_planned(make_app: MakeApp, db: str) -> None:
    fresh(db)
    chosen = set_first(db, title=BOSS)
    log(db, chosen, 3, outcome=Outcome.DECLINED)
    log(db, chosen, 1)  # planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        planned = app.screen.query_one("#planned", OptionList)
        assert planned.option_count == 1
        home = flat(screen_of(app)[0])
        assert home.count(BOSS) == 2  # the planned ask and the recent one
        await go(pilot, "2")
        assert BOSS in screen_of(app)[0]


async def test_a_time_that_looks_like_markup_gets_its_message(make_app: MakeApp, db: str) -> None:
    fresh(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go(pilot, "l")
        when = app.screen.query_one("#when")
        when.value = "[/] [@click=app.quit]x[/]"  # type: ignore[attr-defined]
        await settle(pilot)
        assert app.is_running
        error = app.screen.query_one("#error-occurred_at", Static)
        assert "[/] [@click=app.quit]x[/]" in str(error.render())


async def test_the_move_form_names_the_challenge_as_typed(make_app: MakeApp, db: str) -> None:
    fresh(db)
    set_first(db, title="[/]" + CLICK)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go(pilot, "2", "m")
        assert app.is_running
        assert f"Move \u201c[/]{CLICK}\u201d" in screen_of(app)[0]


async def test_notifications_show_titles_as_typed(make_app: MakeApp, db: str) -> None:
    fresh(db)
    set_first(db, title="[/]" + BOSS + OSC_TITLE)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go(pilot, "2", "a")  # archive it: "Archived “…”" is a toast
        assert app.is_running
        toasts = [str(Toast(n).render()) for n in app._notifications]
        assert any(f"\u201c[/]{BOSS}{visible(OSC_TITLE)}\u201d" in t for t in toasts), toasts
        for t in toasts:
            assert_safe(t)


async def test_the_error_screen_shows_its_message_as_typed(make_app: MakeApp, db: str) -> None:
    fresh(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        message = f"cannot read /tmp/[/]{CLICK}{OSC_TITLE}: Permission denied"
        app.push_screen(ErrorScreen(message))
        await settle(pilot)
        assert app.is_running
        text, raw = screen_of(app)
        shown = str(app.screen.query_one("#error-text", Static).render())
        assert shown == visible(message)
        assert "/tmp/[/][@click=app.quit]x[/]\\x1b]0;pwned" in text
        assert_safe(raw)


async def test_the_command_palette_takes_brackets(make_app: MakeApp, db: str) -> None:
    fresh(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go(pilot, "ctrl+p")
        for key in "[/]":
            await pilot.press(key)
        await settle(pilot)
        await pilot.pause(0.3)
        assert app.is_running
        await go(pilot, "escape")
        assert app.is_running


# -- control characters ----------------------------------------------------------------


async def test_escape_sequences_in_text_never_reach_the_terminal(
    make_app: MakeApp, db: str
) -> None:
    fresh(db)
    hostile = f"Ask {OSC_TITLE}{OSC_CLIPBOARD}{CLEAR}{C1}\x7f"
    chosen = set_first(db, title=hostile[:120], description=hostile, tip=hostile)
    attempt = log(db, chosen, 2, outcome=Outcome.HELPED, who=hostile, feared=hostile, note=hostile)
    log(db, chosen, 1, who=hostile)  # planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("1", "2", "3", "4", "l"):
            if key == "l":
                app.open_log_form(challenge_id=chosen)
                await settle(pilot)
            else:
                await go(pilot, key)
            text, raw = screen_of(app)
            assert_safe(raw)
            if key != "4":  # Insights shows no titles
                assert "\\x1b]0;pwned" in flat(text), key
            await go(pilot, "escape")
        await go(pilot, "3", "down", "enter")  # edit the logged attempt: fields as Inputs
        assert app.screen.query_one("#note").value == hostile  # type: ignore[attr-defined]
        text, raw = screen_of(app)
        assert_safe(raw)
        assert "␛]0;pwned title␇" in text
    with stored(db) as store:
        assert store.attempt(attempt).note == hostile  # kept exactly as stored
