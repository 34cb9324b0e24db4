"""The bar across the top: the app's name and its views (tracker.ui.views), each clickable,
and at its right the keys of the dialogs and the command palette, as many as fit.

At 80 columns the bar closes up (`-narrow`: no name, tabs closer) so that every view
and the shortest hint stay whole; the widths here follow tracker.tcss's paddings.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label, Static

from tracker.ui.views import DIALOG_VIEWS, MODE_VIEWS

BRAND = "tracker"
_DIALOGS = "  ·  ".join(f"{v.shown_key} {v.title.lower()}" for v in DIALOG_VIEWS)
_LAST = DIALOG_VIEWS[-1]
#: The hints at the bar's right, longest first: the longest that fits is shown.
HINTS: tuple[str, ...] = (
    f"! support  ·  {_DIALOGS}  ·  ctrl+p commands",
    f"{_DIALOGS}  ·  ctrl+p commands",
    f"{_LAST.shown_key} {_LAST.title.lower()}  ·  ctrl+p commands",
    f"{_LAST.shown_key} {_LAST.title.lower()}  ^p commands",
    "^p commands",
)
#: Cells around each piece (tracker.tcss): the name, a tab (roomy, narrow), the hint.
BRAND_PADDING, TAB_PADDING, NARROW_TAB_PADDING, HINT_PADDING = 5, 4, 2, 4


def _label(view_key: str, title: str) -> str:
    return f"{view_key} {title}"


def layout(width: int) -> tuple[bool, str]:
    """(narrow, hint) for a bar `width` cells wide: roomy while a hint naming every
    dialog fits, else narrow with the longest hint that fits (none below that)."""
    labels = [len(_label(v.shown_key, v.title)) for v in MODE_VIEWS]
    roomy = len(BRAND) + BRAND_PADDING + sum(n + TAB_PADDING for n in labels)
    narrow = sum(n + NARROW_TAB_PADDING for n in labels)
    for hint in HINTS[:2]:
        if roomy + len(hint) + HINT_PADDING <= width:
            return False, hint
    for hint in HINTS:
        if narrow + len(hint) + HINT_PADDING <= width:
            return True, hint
    return True, ""


class NavTab(Static):
    """One view's name; click it to go there."""

    def __init__(self, mode: str, label: str, active: bool) -> None:
        super().__init__(
            label, id=f"nav-{mode}", classes="nav-tab -active" if active else "nav-tab"
        )
        self.mode = mode

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(NavBar.Chosen(self.mode))


class NavBar(Horizontal):
    """The views, the current one marked; choosing one switches the app's mode."""

    class Chosen(Message):
        """The user chose a view; the app switches to it."""

        def __init__(self, mode: str) -> None:
            super().__init__()
            self.mode = mode

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        yield Label(BRAND, id="brand")
        for view in MODE_VIEWS:
            label = _label(view.shown_key, view.title)
            yield NavTab(view.name, label, view.name == self.current)
        yield Label(HINTS[0], id="nav-hint")

    def on_resize(self, event: events.Resize) -> None:
        narrow, hint = layout(event.size.width)
        self.set_class(narrow, "-narrow")
        self.query_one("#nav-hint", Label).update(hint)
