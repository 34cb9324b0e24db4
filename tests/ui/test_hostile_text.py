"""Property: whatever text fills the fields, every screen opens, the app keeps running,
and each widget shows the text as typed, control characters in their escaped form
(issue 8, item 10). Bounded: one app, a handful of examples written into this test's
database one after another, plus one explicit example that opens every screen."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.padding import Padding
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from tests.ui.conftest import NOW, SIZE, clock, settle
from tests.ui.test_text_is_text import FIRST, assert_safe, drawn
from tracker.domain.models import TEXT_LIMITS, Outcome
from tracker.domain.people import LABEL_LIMIT
from tracker.store.repository import Store
from tracker.ui.app import TrackerApp, create_app
from tracker.ui.screens.error import ErrorScreen
from tracker.visible import pictured, visible

PIECES = [
    "[/]",
    "[@click=app.quit]x[/]",
    "[@click=app.screenshot('x.svg','/tmp')]y[/]",
    "[b]",
    "[my boss]",
    "[link=https://example.com]here[/link]",
    "\x1b]0;title\x07",
    "\x1b]2;title\x1b\\",
    "\x1b]52;c;aGk=\x07",
    "\x1b[2J\x1b[H",
    "\x1b[?1049l",
    "\x9b2J",
    "\x9d0;t\x9c",
    "\x7f",
    "\x00",
    "\x08\x08",
    "\r",
    "\n",
    "\t",
    "e\u0301\u0302",
    "\u0301",
    "\u05e9\u05dc\u05d5\u05dd",
    "\u0645\u0631\u062d\u0628\u0627",
    "\u202e\u2066",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "\u200b\ufeff",
    "x" * 150,
    "\\",
    "%s {0}",
]
#: Hostile text: a few pieces, and anything Hypothesis likes between them.
HOSTILE = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), min_size=1, max_size=5
).map("".join)


@dataclass(frozen=True)
class Fields:
    title: str
    description: str
    tip: str
    mine: str  # a custom challenge's title
    who: str
    feared: str
    learned: str
    note: str
    theme: str


FIELDS = st.builds(
    Fields,
    **{name: HOSTILE for name in Fields.__dataclass_fields__},
)


def fit(text: str, name: str) -> str:
    """Text within a field's limit, with something visible so a title is never empty."""
    return ("T" + text)[: TEXT_LIMITS[name]]


def label(text: str) -> str:
    """A person's label: one line of at most LABEL_LIMIT characters (anything else is
    refused with a message: tracker.domain.people.label_problem)."""
    return "".join(" " if ch in "\n\u2028\u2029" else ch for ch in "T" + text)[:LABEL_LIMIT]


def shown(widget: Any) -> str:
    """What a widget draws, as plain text."""
    if isinstance(widget, Static):
        return str(widget.render())
    if isinstance(widget, OptionList):
        prompts = (widget.get_option_at_index(i).prompt for i in range(widget.option_count))
        # A Ladder line is padded (its wrapped part stays under its title): read inside.
        return "\n".join(str(p.renderable if isinstance(p, Padding) else p) for p in prompts)
    if isinstance(widget, DataTable):
        return "\n".join(
            " ".join(str(cell) for cell in widget.get_row_at(i)) for i in range(widget.row_count)
        )
    raise TypeError(widget)


def plain(value: object) -> str:
    return value.plain if isinstance(value, Text) else str(value)


@dataclass
class Stored:
    first: Any
    mine: Any
    done: Any
    planned: Any


def fill(db: str, f: Fields) -> Stored:
    """Write one example's text: the first suggestion's fields, a challenge of one's own
    on rung 2, a completed ask and a planned one (the last example's asks go first)."""
    with Store.open(db) as store:
        for old in store.attempts():
            store.delete_attempt(old.id)
        first = store.challenge(FIRST)
        first = store.update_challenge(
            first.id,
            {
                "title": fit(f.title, "title"),
                "description": f.description[: TEXT_LIMITS["description"]],
                "tip": f.tip[: TEXT_LIMITS["tip"]],
            },
        )
        mine = store.add_challenge(
            {"title": fit(f.mine, "title"), "rung": 2, "context": "work", "barrier": "rejection"}
        )
        done = store.add_attempt(
            {
                "challenge_id": mine.id,
                "occurred_at": NOW - timedelta(hours=3),
                "outcome": Outcome.HELPED,
                "who": label(f.who),
                **{n: fit(getattr(f, n), n) for n in ("feared", "learned", "note")},
            }
        )
        planned = store.add_attempt(
            {
                "challenge_id": mine.id,
                "occurred_at": NOW - timedelta(hours=1),
                "who": label(f.who),
                "feared": fit(f.feared, "feared"),
            }
        )
        store.update_settings({"theme": fit(f.theme, "title")[:100]})
    return Stored(first, mine, done, planned)


#: The dialogs and the views without stored text; an example opens one or two of them
#: (each costs a second or so to build), the explicit example every one.
DIALOGS = ("insights", "help", "log-form", "challenge-form", "move-form", "error")


async def visit(app: TrackerApp, pilot: Pilot[Any], s: Stored, dialogs: list[str]) -> None:
    """Home, Ladder and History, then each of `dialogs`: the app keeps running, every
    widget shows the stored text as typed (escaped), nothing unsafe is drawn."""

    async def quiet() -> None:
        for _ in range(2):
            await app.workers.wait_for_complete()
            await pilot.pause()

    async def press(*keys: str) -> None:
        for key in keys:
            await pilot.press(key)
            await quiet()

    def check_screen() -> None:
        assert app.is_running
        _, raw, actions = drawn(app)
        assert_safe(raw)
        assert actions == []

    first, mine = s.first, s.mine
    app.reload()
    await press("1")
    await quiet()
    home = app.screen
    check_screen()
    assert visible(first.title) in shown(home.query_one("#next-title"))
    assert shown(home.query_one("#next-description")) == visible(first.description, multiline=True)
    if first.tip:
        assert shown(home.query_one("#next-tip")) == "Tip: " + visible(first.tip, multiline=True)
    assert visible(mine.title) in shown(home.query_one("#planned"))
    assert visible(mine.title) in shown(home.query_one("#recent"))

    await press("2")
    check_screen()
    ladder = shown(app.screen.query_one("#ladder"))
    assert visible(first.title) in ladder and visible(mine.title) in ladder

    await press("3")
    check_screen()
    assert visible(mine.title) in shown(app.screen.query_one("#history"))

    for dialog in dialogs:
        if dialog == "insights":
            await press("4")
            check_screen()
            await press("1")
        elif dialog == "help":
            await press("question_mark")
            check_screen()
            await press("escape")
        elif dialog == "log-form":  # the completed ask, its fields as typed
            app.open_log_form(attempt=s.done)
            await quiet()
            check_screen()
            form = app.screen
            assert shown(form.query_one("#chosen")) == f"chosen: {visible(mine.title)} (rung 2)"
            for name in ("who", "feared", "learned", "note"):
                field = form.query_one(f"#{name}", Input)
                assert field.value == getattr(s.done, name)
                assert plain(field._value) == pictured(field.value)
            await press("escape")
        elif dialog == "challenge-form":
            app.open_challenge_form(first)
            await quiet()
            check_screen()
            for name in ("title", "description", "tip"):
                assert app.screen.query_one(f"#{name}", Input).value == getattr(first, name)
            await press("escape")
        elif dialog == "move-form":
            app.open_challenge_form(mine, move=True)
            await quiet()
            check_screen()
            assert visible(mine.title) in shown(app.screen.query_one(".title"))
            await press("escape")
        else:  # the error screen, its message naming a path made of hostile text
            app.push_screen(ErrorScreen(f"cannot read /tmp/{first.title}: Permission denied"))
            await quiet()
            check_screen()
            assert visible(first.title) in shown(app.screen.query_one("#error-text"))
            app.pop_screen()
            await quiet()
        assert app.is_running


EVERYTHING = Fields(
    title="[/][@click=app.quit]x[/] \x1b]0;title\x07",
    description="Ask [my boss]\n\tfor a day off \x1b]52;c;aGk=\x07\x1b[2J",
    tip="\x9b2J \x9d0;t\x9c \x7f e\u0301 \u05e9\u05dc\u05d5\u05dd \u202e",
    mine="\U0001f469\u200d\U0001f469\u200d\U0001f467 " + "x" * 110,
    who="[b]a colleague[/b]\x00",
    feared="\x1b[?1049l\r\x08 they'll say no",
    learned="\u0645\u0631\u062d\u0628\u0627 [link=https://example.com]here[/link]",
    note="%s {0} \\ \u200b\ufeff",
    theme="[/]\x1b]0;t\x07",
)


async def test_hostile_text_in_every_field_is_shown_as_typed_on_every_screen(db: str) -> None:
    """One app for every example (building screens is what costs); each example writes
    its own text into this test's database and looks again."""
    with Store.open(db):
        pass
    app = create_app(db, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        loop = asyncio.get_running_loop()

        @settings(
            max_examples=6,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(FIELDS, st.lists(st.sampled_from(DIALOGS), min_size=1, max_size=2, unique=True))
        @example(EVERYTHING, list(DIALOGS))
        def check(f: Fields, dialogs: list[str]) -> None:
            stored = fill(db, f)  # in this worker thread, as another process would
            looked = visit(app, pilot, stored, dialogs)
            asyncio.run_coroutine_threadsafe(looked, loop).result(timeout=300)

        await asyncio.to_thread(check)
