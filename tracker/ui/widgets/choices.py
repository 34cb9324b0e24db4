"""A list of choices that works at once from the keyboard and the mouse alike."""

from __future__ import annotations

from textual import events
from textual.widgets import OptionList


class ChoiceList(OptionList):
    """An OptionList whose first choice is highlighted as soon as it has focus, so Enter
    chooses without an arrow key first.

    With `click_selects=True` (lists whose rows have several actions, like the Ladder's
    Edit, Move and Archive) a click only selects a row and a double click chooses it;
    otherwise a click chooses, as OptionList does.
    """

    def __init__(self, *, id: str | None = None, click_selects: bool = False) -> None:
        super().__init__(id=id)
        self.click_selects = click_selects

    def on_focus(self, _event: events.Focus) -> None:
        if self.highlighted is None:
            self.action_first()  # the first choice that is not disabled

    async def _on_click(self, event: events.Click) -> None:
        if not self.click_selects:
            return  # OptionList's own handler (Textual calls each class's) chooses
        event.prevent_default()  # not OptionList's: a click only selects here
        clicked: int | None = event.style.meta.get("option")
        if clicked is None or self.get_option_at_index(clicked).disabled:
            return
        self.highlighted = clicked
        if event.chain >= 2:
            self.action_select()
