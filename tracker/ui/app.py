"""The Textual app, built by one factory shared by the CLI, the tests and the screenshots.

Database work runs in thread workers that post messages (tracker.ui.messages); only
message handlers touch widgets. The first frame never waits for the database: the
store is opened in a worker, and the views draw as soon as its first snapshot lands.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import ModalScreen, Screen
from textual.theme import Theme
from textual.widgets import Input

from tracker import clock as system_clock
from tracker.domain.models import Attempt, Challenge
from tracker.domain.rules import newly_climbed
from tracker.store.errors import StoreError, UnusableDatabase
from tracker.ui.data import Snapshot, load_snapshot
from tracker.ui.first import FirstRead
from tracker.ui.keys import LOG, QUIT, REFRESH, SUPPORT, AppKey
from tracker.ui.live import follow
from tracker.ui.messages import (
    SnapshotLoaded,
    StoreFailed,
    StoreOpened,
    WorkFailed,
)
from tracker.ui.screens.error import ErrorScreen
from tracker.ui.text import after_saving
from tracker.ui.views import BY_NAME, DIALOG_VIEWS, MODE_VIEWS, View
from tracker.ui.widgets.nav import NavBar
from tracker.visible import visible
from tracker.words import CLIMBED_WORDS, climbed_title

if TYPE_CHECKING:
    from tracker.store.lock import OpenLock
    from tracker.store.repository import Store  # SQLAlchemy: after the first frame
    from tracker.ui.live import DatabaseChanged, Follower
    from tracker.ui.screens.log_form import SavedAttempt

Clock = Callable[[], datetime]
#: Below this many columns the app is `-narrow` (tracker.tcss: form labels above their
#: fields); below this many rows `-short` (dialogs closer to the edges).
NARROW_WIDTH, SHORT_HEIGHT = 100, 30
LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"
#: How long the app waits, before its first frame, for its first read (tracker.ui.first)
#: to finish; a slower read shows once it is done.
FIRST_READ_WAIT = 0.25
_VIEW_ACTIONS = {"go", "log", "add_challenge", "quit", "reload"}


def _entry(view: View) -> tuple[str, str, str]:
    return (view.title, f"{view.palette}  ({view.shown_key})", view.action)


def _key_entry(key: AppKey) -> tuple[str, str, str]:
    return (key.title, f"{key.palette}  ({key.shown_key})", key.action)


def _binding(view: View) -> Binding:
    return Binding(
        view.key, view.action, view.title, key_display=view.key_display or None, show=view.footer
    )


#: The command palette's own entries (title, help, action), beside the built-in ones.
PALETTE: tuple[tuple[str, str, str], ...] = (
    *map(_entry, MODE_VIEWS),
    _key_entry(LOG),
    ("Add a challenge", "Add a challenge of your own to the ladder", "add_challenge"),
    *map(_entry, DIALOG_VIEWS),
    _key_entry(REFRESH),
)


class TrackerApp(App[None]):
    """tracker's terminal app. Build it with `create_app`."""

    TITLE = "tracker"
    CSS_PATH = "tracker.tcss"
    # Each view's screen is made (and its module imported) when it is first opened.
    MODES = {view.name: view.make for view in MODE_VIEWS}
    DEFAULT_MODE = MODE_VIEWS[0].name
    BINDINGS = [
        *map(_binding, MODE_VIEWS),
        LOG.binding(),
        *map(_binding, DIALOG_VIEWS),
        REFRESH.binding(),
        QUIT.binding(),
        SUPPORT.binding(),
    ]

    #: The latest figures; every view watches this and redraws when it changes.
    snapshot: var[Snapshot | None] = var(None, always_update=True)

    def __init__(
        self,
        db: str | None,
        *,
        demo: bool = False,
        clock: Clock | None = None,
        first: FirstRead | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self._first_read = first  # begun before Textual loaded (tracker.ui.first)
        self.demo = demo
        self.clock: Clock = clock or system_clock.now
        self.store: Store | None = None
        self.failure: str | None = None  # why the database could not be opened
        self.failure_error: StoreError | None = None
        self.demo_dir: Path | None = None
        self._loads = 1  # snapshot loads so far (the first is 1); older answers are dropped
        self._shown = 0
        self._painted = threading.Event()  # set once the first snapshot is on screen
        self._saved_theme: str | None = None
        self._open_lock: OpenLock | None = None  # `forget` waits while the app is open
        self._follower: Follower | None = None  # watches for changes made elsewhere

    def now(self) -> datetime:
        """Aware local time, from the clock given to create_app."""
        return self.clock()

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected exception ends the app, without Textual's own traceback (it shows
        local variables, which hold people's text): run_app raises it again once the
        terminal is restored, for the command line's guard (tracker.crash)."""
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")
        self.set_class(event.size.height < SHORT_HEIGHT, "-short")

    # -- opening and loading -----------------------------------------------------------

    def on_load(self) -> None:
        first = self._first_read
        if first is not None and first.wait(FIRST_READ_WAIT) and first.error is None:
            # Read while Textual loaded, before the first screen is made: it shows the
            # figures from its first frame.
            self._open_lock = first.lock
            if first.snapshot is not None:
                self._first(first.snapshot)

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.demo and not self.is_headless:
            # A closed terminal or a kill still ends the demo properly, deleting its files.
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(sig, self.exit)
        self._open(self.now())

    @work(thread=True, group="open", exit_on_error=False)
    def _open(self, now: datetime) -> None:
        """Open the database: first read it with the standard library alone and show that
        (the suggestion appears without waiting to import SQLAlchemy), then open the
        Store that every later read and write goes through."""
        try:
            snapshot: Snapshot | None = None
            shown: Snapshot | None = None
            if not self.demo:
                first = self._first_read or FirstRead(self.db, now, background=False)
                first.wait()
                self._open_lock = first.lock  # held from the first read on
                shown = first.result()
                if shown is not None:
                    if self._shown == 0:
                        self.post_message(SnapshotLoaded(shown, 1))
                    # Let the first screen paint before importing the database layer:
                    # both need the interpreter, and the screen is what the user waits for.
                    self._painted.wait(timeout=2)
            from tracker.store.repository import Store  # SQLAlchemy: after the first frame

            store = self._open_demo(now) if self.demo else Store.open(self.db)
            if shown is None:
                snapshot = load_snapshot(store, now)
        except StoreError as e:
            self.failure_error = e
            self.post_message(StoreFailed(str(e)))
        except Exception as e:  # never a traceback: say what happened and stop
            self.failure_error = UnusableDatabase(f"the database could not be opened ({e})")
            self.post_message(StoreFailed(str(self.failure_error)))
        else:
            self.post_message(StoreOpened(store, snapshot))
            # Then look the whole file over (PRAGMA quick_check), after the first screen
            # is filled: it reads every page, which takes a moment on a long history.
            try:
                store.check_quick()
            except StoreError as e:
                self.failure_error = e
                self.post_message(StoreFailed(str(e)))

    def _open_demo(self, now: datetime) -> Store:
        from tracker.demo import fill_demo  # brings the Store: SQLAlchemy

        self.demo_dir = Path(tempfile.mkdtemp(prefix="tracker-demo-"))
        from tracker.store.repository import Store  # SQLAlchemy: after the first frame

        store = Store.open(str(self.demo_dir / "demo.db"))
        fill_demo(store, now)
        return store

    def on_store_opened(self, message: StoreOpened) -> None:
        self.store = message.store
        self._start_following(message.store)
        if message.snapshot is not None:
            self._first(message.snapshot)
        elif self.snapshot is not None:
            # Shown from the first read: catch up with anything written since, and let
            # the views that wait for the store (history) load.
            self.reload()
        self.refresh_bindings()

    def _start_following(self, store: Store) -> None:

        self._follower = follow(self, store.location)

    def on_database_changed(self, message: DatabaseChanged) -> None:
        """Another process (or this one) committed a change: show it."""
        self.reload()

    def _first(self, snapshot: Snapshot) -> None:
        """Show the first snapshot, in the user's theme."""
        wanted = snapshot.overview.settings.theme
        self._saved_theme = wanted
        if wanted in self.available_themes and wanted != self.theme:
            self.theme = wanted
        self._shown = max(self._shown, 1)
        self._show(snapshot)
        self.call_after_refresh(_resume_collection)
        self.call_after_refresh(self._painted.set)

    def on_store_failed(self, message: StoreFailed) -> None:
        self.failure = message.text
        self.push_screen(ErrorScreen(message.text))
        self.refresh_bindings()

    def writable_store(self) -> Store | None:
        """The store, for a change; while it is still opening, say so and give None."""
        if self.store is None and self.failure is None:
            self.notify("Still opening your ladder; try again in a moment.", timeout=4)
        return self.store

    def reload(self) -> None:
        """Load fresh figures for every view (after a change)."""
        if self.store is not None:
            self._loads += 1
            self._load(self.store, self.now(), self._loads)

    @work(thread=True, group="snapshot", exit_on_error=False)
    def _load(self, store: Store, now: datetime, number: int) -> None:
        try:
            snapshot = load_snapshot(store, now)
        except StoreError as e:
            self.post_message(WorkFailed(str(e)))
            return
        self.post_message(SnapshotLoaded(snapshot, number))

    def on_snapshot_loaded(self, message: SnapshotLoaded) -> None:
        if self._shown == 0:
            self._first(message.snapshot)
        elif message.number > self._shown:
            self._shown = message.number
            self._show(message.snapshot)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast as plain text, whatever `markup` says: a message can name a
        challenge or echo what was typed (see tracker.ui.text.plain)."""
        super().notify(
            visible(message, multiline=True),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def on_work_failed(self, message: WorkFailed) -> None:
        self.notify(message.text, title="Something went wrong", severity="error", timeout=10)

    def _show(self, snapshot: Snapshot) -> None:
        before, self.snapshot = self.snapshot, snapshot  # the views watch it
        if before is not None:
            self._celebrate(before, snapshot)

    def _celebrate(self, before: Snapshot, after: Snapshot) -> None:
        for rung in newly_climbed(before.overview.ladder, after.overview.ladder):
            self.notify(CLIMBED_WORDS, title=climbed_title(rung), timeout=8)

    def on_unmount(self) -> None:
        if self._follower is not None:
            self._follower.stop()
        if self.store is not None:
            self.store.close()
        if self._open_lock is not None:
            self._open_lock.close()
        if self.demo_dir is not None:
            shutil.rmtree(self.demo_dir, ignore_errors=True)

    # -- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "support":
            return _support_key_is_free(self)
        if action in _VIEW_ACTIONS:
            if isinstance(self.screen, ModalScreen):
                return False  # a dialog is open: its own keys apply (escape closes it)
            if self.failure is not None:
                return action == "quit"
            if action in {"log", "add_challenge"} and self.snapshot is None:
                return None  # shown, dimmed, until the database is open
        return True

    def on_nav_bar_chosen(self, message: NavBar.Chosen) -> None:
        self.action_go(message.mode)

    def action_go(self, name: str) -> None:
        """Open a view: switch to its mode, or open it over this one if it is a dialog."""
        view = BY_NAME[name]
        if view.dialog:
            self.push_screen(view.make())
        elif name != self.current_mode:
            self.switch_mode(name)

    def action_log(self) -> None:
        self.open_log_form()

    def action_reload(self) -> None:
        self.reload()

    def action_add_challenge(self) -> None:
        self.open_challenge_form()

    def action_support(self) -> None:
        """Support: what to do in a hard moment, and the user's own contact."""
        from tracker.ui.screens.support import SupportScreen  # screens load when first opened

        if isinstance(self.screen, SupportScreen):
            return
        if self.snapshot is not None:
            contact = self.snapshot.overview.settings.support_contact
        else:  # still opening, or the database cannot be used: read what can be read
            from tracker.store.reader import read_support_contact

            contact = "" if self.demo else read_support_contact(self.db)
        self.push_screen(SupportScreen(contact))

    def action_theme(self, name: str) -> None:
        self.theme = name

    def use_saved_theme(self, name: str) -> None:
        """Show theme `name`, already saved (by the Settings view): not saved again."""
        self._saved_theme = name
        if name in self.available_themes:
            self.theme = name

    def open_log_form(
        self, *, challenge_id: int | None = None, attempt: Attempt | None = None
    ) -> None:
        """Log a new ask (on `challenge_id`, else the suggestion), or edit/complete `attempt`."""
        if self.snapshot is None:
            self.notify("Still opening your ladder; one moment.")
            return
        from tracker.ui.screens.log_form import LogForm  # screens load when first opened

        form = LogForm(self.snapshot, challenge_id=challenge_id, attempt=attempt)
        self.push_screen(form, self._attempt_saved)

    def _attempt_saved(self, saved: SavedAttempt | None) -> None:
        if saved is None:
            return
        self.reload()
        title = self.snapshot.title(saved.attempt.challenge_id) if self.snapshot else "your ask"
        heading, words = after_saving(saved.verb, saved.attempt, title)
        self.notify(words, title=heading)

    def open_challenge_form(
        self, challenge: Challenge | None = None, *, move: bool = False
    ) -> None:
        """Add a challenge (none given), edit one, or move one to another rung."""
        if self.snapshot is None:
            self.notify("Still opening your ladder; one moment.")
            return
        from tracker.ui.screens.challenge_form import (
            ChallengeForm,  # screens load when first opened
        )

        self.push_screen(ChallengeForm(challenge, move=move), self._challenge_saved)

    def _challenge_saved(self, message: str | None) -> None:
        if message:
            self.reload()
            self.notify(message)

    # -- theme and command palette -----------------------------------------------------

    def _theme_changed(self, theme: Theme) -> None:
        if self.store is not None and theme.name != self._saved_theme:
            self._saved_theme = theme.name
            self._save_theme(self.store, theme.name)

    @work(thread=True, group="theme", exit_on_error=False)
    def _save_theme(self, store: Store, name: str) -> None:
        try:
            store.update_settings({"theme": name})
        except StoreError as e:
            self.post_message(WorkFailed(str(e)))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand("Support", SUPPORT_HELP, partial(self.run_action, "support"))
        if self.failure is None and not isinstance(screen, ModalScreen):
            for title, help_text, action in PALETTE:
                yield SystemCommand(title, help_text, partial(self.run_action, action))
        yield SystemCommand("Light theme", "Switch to the light theme", self._light)
        yield SystemCommand("Dark theme", "Switch to the dark theme", self._dark)
        yield from super().get_system_commands(screen)

    def _light(self) -> None:
        self.theme = LIGHT_THEME

    def _dark(self) -> None:
        self.theme = DARK_THEME


def create_app(
    db: str | None,
    *,
    demo: bool = False,
    clock: Clock | None = None,
    first: FirstRead | None = None,
) -> TrackerApp:
    """The app on database `db` (a path or URL; None: $TRACKER_DB or the default file).

    `demo` uses a throwaway database filled with sample history instead, deleted on exit;
    `clock` pins the time (tests and screenshots), defaulting to tracker.clock.now.
    """
    return TrackerApp(db, demo=demo, clock=clock, first=first)


SUPPORT_HELP = "Where to turn in a hard moment, and your support contact  (!)"


def _support_key_is_free(app: App[None]) -> bool:
    """`!` opens Support from anywhere, except in a text field that holds text, where it
    is typed (the fields leave it to the app while empty: TextField.check_consume_key)."""

    focused = app.focused
    return not (isinstance(focused, Input) and focused.value)


def _resume_collection() -> None:
    """The launcher pauses garbage collection while the libraries load (tracker.launch);
    once the first screen is filled, the objects made so far are kept out of later
    collections (gc.freeze) and collection resumes for the rest of the session."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def run_app(db: str | None, demo: bool = False, first: FirstRead | None = None) -> None:
    """Run the app in this terminal until the user quits.

    If the database cannot be used, the app shows why, and once it closes this raises
    the same StoreError, so the command line prints `error: ...` and exits 1. An
    unexpected exception in the app is raised here too, for the command line's guard.
    """
    app = create_app(db, demo=demo, first=first)
    try:
        app.run()
    finally:
        _resume_collection()  # in case the app closed before its data came
        if app.demo_dir is not None:
            shutil.rmtree(app.demo_dir, ignore_errors=True)
    if app._exception is not None:  # a bug (see TrackerApp._handle_exception)
        from textual.worker import WorkerFailed

        error = app._exception
        raise error.error if isinstance(error, WorkerFailed) else error
    if app.failure_error is not None:
        raise app.failure_error
