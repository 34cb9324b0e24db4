"""The app's views, declared once: the key, the screen and the words for each.

The app's modes and key bindings, the command palette, the navigation bar and the help
screen all read `VIEWS`. A view is either a mode (a screen of its own, in the
navigation bar, switched to with its key) or a dialog (a modal screen pushed over the
current view, like Help). Adding a view is its screen's file and one row here.

Screens are named by module and class, and imported when first opened: the first
frame needs Home only.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True, slots=True)
class View:
    name: str  # the mode's name, and the action's argument: go('name')
    key: str  # Textual's name of the key that opens it ("1", "question_mark")
    title: str  # in the bar, the palette and the help
    module: str  # under tracker.ui.screens
    screen: str  # the class in that module
    palette: str  # the command palette's line for it
    help: str = ""  # the help screen's line of keys inside it ("" if none)
    dialog: bool = False  # a modal screen over the current view, not a mode
    key_display: str = ""  # how the key is shown, when not its name
    #: In the footer too (a mode's key is always in the navigation bar instead).
    footer: bool = False

    @property
    def shown_key(self) -> str:
        return self.key_display or self.key

    @property
    def action(self) -> str:
        return f"go('{self.name}')"

    def make(self) -> Screen[None]:
        """A new instance of the view's screen, importing its module if need be."""
        screen: Screen[None] = getattr(
            import_module(f"tracker.ui.screens.{self.module}"), self.screen
        )()
        return screen


VIEWS: tuple[View, ...] = (
    View("home", "1", "Home", "home", "HomeScreen", "Your next ask, this week, recent asks"),
    View(
        "ladder",
        "2",
        "Ladder",
        "ladder",
        "LadderScreen",
        "Every rung and its challenges",
        help="n add  e edit  m move  a archive a challenge  / search",
    ),
    View(
        "history",
        "3",
        "History",
        "history",
        "HistoryScreen",
        "Every attempt: search, edit, delete",
        help="/ search  enter edit  d delete  u undo  [ ] pages",
    ),
    View(
        "insights",
        "4",
        "Insights",
        "insights",
        "InsightsScreen",
        "Predictions against reality, and trends",
    ),
    View(
        "people",
        "5",
        "People",
        "people",
        "PeopleScreen",
        "Who helps, thank-yous due, help given back",
        help="t thank  g gave help  r rename  m merge  f forget a person",
    ),
    View(
        "help",
        "question_mark",
        "Help",
        "help",
        "HelpScreen",
        "Keys, and how the ladder works",
        help="this help",
        dialog=True,
        key_display="?",
        footer=True,
    ),
    View(
        "settings",
        "comma",
        "Settings",
        "settings",
        "SettingsScreen",
        "Weekly goal, the rules' thresholds, theme, support contact",
        help="Settings: weekly goal, thresholds, theme, support contact",
        dialog=True,
        key_display=",",
    ),
)

#: The views that are modes, in the order the navigation bar shows them.
MODE_VIEWS: tuple[View, ...] = tuple(v for v in VIEWS if not v.dialog)
#: The views that are dialogs.
DIALOG_VIEWS: tuple[View, ...] = tuple(v for v in VIEWS if v.dialog)
BY_NAME: dict[str, View] = {v.name: v for v in VIEWS}
