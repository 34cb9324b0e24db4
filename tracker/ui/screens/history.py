"""History: every attempt, newest first, a page at a time; search, edit, delete, undo."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input, Select, Static
from textual.widgets.select import NoSelection

from tracker.domain.models import MAX_RUNG, MIN_RUNG, Attempt, Outcome
from tracker.store.errors import StoreError
from tracker.store.filters import HistoryFilter
from tracker.ui.data import Snapshot
from tracker.ui.keys import SEARCH
from tracker.ui.messages import AttemptDeleted, AttemptRestored, HistoryPage, WorkFailed
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.text import OUTCOME_LABELS, outcome_label, plain, short_when
from tracker.ui.widgets.fields import TextField

if TYPE_CHECKING:
    from tracker.store.repository import Store

PAGE_SIZE = 200
PLANNED = "planned"
#: Every column and its width, in the order shown; "Challenge" takes the room left over.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("When", 16),
    ("Challenge", 0),
    ("Rung", 4),
    ("Outcome", 13),
    ("Fear came true", 14),
    ("Distress", 8),
    ("Likely % before→after", 21),
    ("Confidence", 10),
)
#: The columns a narrower terminal keeps, first kept first (When and Challenge always).
KEPT_FIRST = (
    "Outcome",
    "Rung",
    "Distress",
    "Confidence",
    "Fear came true",
    "Likely % before→after",
)
#: The narrowest the Challenge column gets before another column is left out.
CHALLENGE_MIN = 24
#: Cells a column takes beyond its width (the table's padding), and the table's own
#: (its margins and scroll bar).
CELL_PADDING, TABLE_EDGES = 2, 4


def columns_for(width: int) -> tuple[tuple[str, int], ...]:
    """The columns that fit a screen `width` cells wide, every one whole: each column in
    KEPT_FIRST order while the Challenge column keeps CHALLENGE_MIN, and that column
    widened to fill the rest. The edit form (enter) shows every field of an attempt."""
    room = width - TABLE_EDGES
    widths = dict(COLUMNS)
    kept = {"When", "Challenge"}
    used = widths["When"] + CHALLENGE_MIN + 2 * CELL_PADDING
    for name in KEPT_FIRST:
        if used + widths[name] + CELL_PADDING <= room:
            kept.add(name)
            used += widths[name] + CELL_PADDING
    challenge = CHALLENGE_MIN + max(0, room - used)
    return tuple(
        (name, challenge if name == "Challenge" else w) for name, w in COLUMNS if name in kept
    )


def _change(a: Attempt) -> str:
    """The expectancy before the ask and as re-rated after it, e.g. "70→30"."""
    if a.predicted is None and a.rerated is None:
        return ""
    return f"{_number(a.predicted) or '?'}→{_number(a.rerated) or '?'}"


def _title(title: str) -> Text:
    """A title as plain text, ending in "…" where its column cuts it short."""
    text = plain(title)
    text.overflow, text.no_wrap = "ellipsis", True
    return text


def _yes_no(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


class HistoryScreen(TrackerScreen):
    MODE = "history"
    AUTO_FOCUS = "#history"
    BINDINGS = [
        Binding("escape", "focus_table", "Back to the table", show=False),
        SEARCH,
        Binding("d,delete", "delete", "Delete"),
        Binding("u", "undo", "Undo"),
        Binding("left_square_bracket", "page(-1)", "Newer", key_display="[", show=False),
        Binding("right_square_bracket", "page(1)", "Older", key_display="]", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.start = 0
        self.total = 0
        self._rows: dict[str, Attempt] = {}
        self._token = 0
        self._deleted: Attempt | None = None
        self._columns: tuple[tuple[str, int], ...] = ()

    def body(self) -> ComposeResult:
        with Horizontal(id="history-filters"):
            yield TextField(placeholder="search challenge, who, fears, notes", id="search")
            outcomes: list[tuple[str, str]] = [("planned", PLANNED)]
            outcomes += [(label, o.value) for o, label in OUTCOME_LABELS.items()]
            yield Select(outcomes, prompt="any outcome", id="outcome", compact=True)
            rungs = [(f"rung {n}", n) for n in range(MIN_RUNG, MAX_RUNG + 1)]
            yield Select(rungs, prompt="any rung", id="rung", compact=True)
        table: DataTable[str] = DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield table
        with Horizontal(id="history-status"):
            yield Static("Loading…", id="page-label")
            yield Button("Newer", id="newer", compact=True)
            yield Button("Older", id="older", compact=True)
        with Horizontal(id="undo-bar"):
            yield Static(id="undo-text")
            yield Button("Undo", id="undo", variant="warning", compact=True)

    def on_mount(self) -> None:
        self._fit(self.app.size.width)
        self.query_one("#undo-bar").display = False

    def on_resize(self, event: events.Resize) -> None:
        if self._fit(event.size.width):
            self._load()

    def _fit(self, width: int) -> bool:
        """Lay the table's columns out for `width`; True if they changed (rows are gone)."""
        columns = columns_for(width)
        if columns == self._columns:
            return False
        self._columns = columns
        table = self.query_one("#history", DataTable)
        table.clear(columns=True)
        for name, w in columns:
            table.add_column(name, width=w, key=name)
        return True

    def show(self, snapshot: Snapshot) -> None:
        self._load()

    # -- loading pages -----------------------------------------------------------------

    def _filter(self) -> HistoryFilter:
        text = self.query_one("#search", TextField).value.strip() or None
        outcome_value = self.query_one("#outcome", Select).value
        rung_value = self.query_one("#rung", Select).value
        outcome: Outcome | None = None
        planned: bool | None = None
        if outcome_value == PLANNED:
            planned = True
        elif isinstance(outcome_value, str):
            outcome = Outcome(outcome_value)
        rung = None if isinstance(rung_value, NoSelection) else int(str(rung_value))
        return HistoryFilter(text=text, outcome=outcome, planned=planned, rung=rung)

    def _load(self, offset: int | None = None) -> None:
        store = self.tracker.store
        if store is None:
            return
        self._token += 1
        self._fetch(store, self._filter(), self.start if offset is None else offset, self._token)

    @work(thread=True, group="history", exit_on_error=False)
    def _fetch(self, store: Store, where: HistoryFilter, offset: int, token: int) -> None:
        try:
            total = store.count_attempts(where)
            offset = max(0, min(offset, (max(total, 1) - 1) // PAGE_SIZE * PAGE_SIZE))
            rows = store.attempts(where, limit=PAGE_SIZE, offset=offset)
        except StoreError as e:
            self.post_message(WorkFailed(str(e)))
            return
        self.post_message(HistoryPage(token, rows, total, offset))

    def on_history_page(self, message: HistoryPage) -> None:
        message.stop()
        if message.token != self._token:
            return  # an answer to an older question
        snapshot = self.tracker.snapshot
        if snapshot is None:
            return
        table = self.query_one("#history", DataTable)
        cursor = table.cursor_row
        # Keep the reader's place through a refresh (a change made here or elsewhere):
        # the same attempt under the cursor, at the same height on the screen.
        same_page = message.offset == self.start
        kept = self._current() if same_page else None
        scrolled = table.scroll_y if same_page else 0.0
        self.start, self.total = message.offset, message.total
        self._rows = {str(a.id): a for a in message.attempts}
        table.clear()
        shown = [name for name, _ in self._columns]
        for a in message.attempts:
            c = snapshot.challenge(a.challenge_id)
            cells: dict[str, str | Text] = {
                "When": short_when(a.occurred_at, snapshot.now),
                "Challenge": _title(c.title if c else f"challenge {a.challenge_id}"),
                "Rung": ("any" if c.rung is None else str(c.rung)) if c else "",
                "Outcome": outcome_label(a),
                "Fear came true": _yes_no(a.happened),
                "Distress": _number(a.peak_distress),
                "Likely % before→after": _change(a),
                "Confidence": _number(a.confidence),
            }
            table.add_row(*(cells[name] for name in shown), key=str(a.id))
        if message.attempts:
            keys = [str(a.id) for a in message.attempts]
            row = min(cursor, len(keys) - 1)
            if kept is not None and str(kept.id) in keys:
                row = keys.index(str(kept.id))
            scroll_to = max(0.0, scrolled + row - cursor)
            table.move_cursor(row=row, animate=False, scroll=not same_page)
            if same_page:
                self.call_after_refresh(table.scroll_to, y=scroll_to, animate=False)
        self._update_status()

    def _update_status(self) -> None:
        label = self.query_one("#page-label", Static)
        if not self.total:
            label.update("No attempts match." if self._filtered() else "No attempts yet.")
        else:
            last = min(self.start + PAGE_SIZE, self.total)
            pages = "  ·  [ and ] turn the page" if self.total > PAGE_SIZE else ""
            label.update(
                f"Attempts {self.start + 1:,} to {last:,} of {self.total:,}, newest first{pages}"
            )
        self.query_one("#newer", Button).disabled = self.start == 0
        self.query_one("#older", Button).disabled = self.start + PAGE_SIZE >= self.total

    def _filtered(self) -> bool:
        where = self._filter()
        return any(v is not None for v in (where.text, where.outcome, where.planned, where.rung))

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    def _filter_changed(self, event: Any) -> None:
        self.start = 0
        self._load(0)

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#history", DataTable).focus()

    def action_focus_table(self) -> None:
        self.query_one("#history", DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#search", TextField).focus()

    def action_page(self, step: int) -> None:
        target = self.start + step * PAGE_SIZE
        if 0 <= target < max(self.total, 1):
            self._load(target)

    # -- edit, delete, undo ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return self._deleted is not None  # shown only while there is something to undo
        return True

    def _current(self) -> Attempt | None:
        table = self.query_one("#history", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._rows.get(key or "")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        attempt = self._rows.get(event.row_key.value or "")
        if attempt is not None:
            self.tracker.open_log_form(attempt=attempt)

    def action_delete(self) -> None:
        attempt = self._current()
        store = self.tracker.writable_store()
        if attempt is not None and store is not None:
            self._remove(store, attempt.id)

    @work(thread=True, group="history-write", exit_on_error=False)
    def _remove(self, store: Store, attempt_id: int) -> None:
        try:
            self.post_message(AttemptDeleted(store.delete_attempt(attempt_id)))
        except StoreError as e:
            self.post_message(WorkFailed(str(e)))

    def on_attempt_deleted(self, message: AttemptDeleted) -> None:
        message.stop()
        self._deleted = message.attempt
        snapshot = self.tracker.snapshot
        title = snapshot.title(message.attempt.challenge_id) if snapshot else "attempt"
        when = short_when(message.attempt.occurred_at, snapshot.now) if snapshot else ""
        self.query_one("#undo-text", Static).update(
            plain(f"Deleted \u201c{title}\u201d ({when}). Changed your mind? Press u or Undo.")
        )
        self.query_one("#undo-bar").display = True
        self.refresh_bindings()
        self.tracker.reload()

    def action_undo(self) -> None:
        store = self.tracker.writable_store()
        if self._deleted is not None and store is not None:
            self._restore(store, self._deleted)

    @work(thread=True, group="history-write", exit_on_error=False)
    def _restore(self, store: Store, attempt: Attempt) -> None:
        try:
            self.post_message(AttemptRestored(store.restore_attempt(attempt)))
        except StoreError as e:
            self.post_message(WorkFailed(str(e)))

    def on_attempt_restored(self, message: AttemptRestored) -> None:
        message.stop()
        self._deleted = None
        self.query_one("#undo-bar").display = False
        self.refresh_bindings()
        self.notify("Restored, just as it was.")
        self.tracker.reload()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "undo":
            self.action_undo()
        elif event.button.id in ("newer", "older"):
            self.action_page(-1 if event.button.id == "newer" else 1)
