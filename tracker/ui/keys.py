"""The app's own keys, besides the views' (tracker.ui.views): each declared once, for
the app's bindings, the command palette and the Help screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class AppKey:
    key: str  # Textual's name of the key
    action: str  # the app's action it runs
    title: str  # in the palette, and the footer unless `short` is set
    help: str  # the Help screen's words for it
    palette: str = ""  # the command palette's line ("" if it has none there)
    show: bool = True  # shown in the footer
    key_display: str = ""  # how the key is shown, when not its name
    priority: bool = False  # works in dialogs and text fields too
    short: str = ""  # the footer's word for it, when shorter than the title

    @property
    def shown_key(self) -> str:
        return self.key_display or self.key

    def binding(self) -> Binding:
        return Binding(
            self.key,
            self.action,
            self.short or self.title,
            show=self.show,
            key_display=self.key_display or None,
            priority=self.priority,
        )


LOG = AppKey(
    "l",
    "log",
    "Log an ask",
    "log an ask (or plan one before you make it)",
    palette="Log or plan a practice ask",
    short="Log",
)
REFRESH = AppKey(
    "r",
    "reload",
    "Refresh",
    "show changes made elsewhere now (they also appear by themselves)",
    palette="Show changes made elsewhere now (they also appear by themselves)",
    show=False,
)
QUIT = AppKey("q", "quit", "Quit", "quit")
#: Support is one key away everywhere: dialogs and the error screen too (priority).
SUPPORT = AppKey(
    "exclamation_mark",
    "support",
    "Support",
    "Support: where to turn in a hard moment (from every screen)",
    key_display="!",
    priority=True,
)

#: Search a view's list (History's attempts, the Ladder's challenges): the same key,
#: word and action everywhere.
SEARCH = Binding("slash", "search", "Search", key_display="/")
