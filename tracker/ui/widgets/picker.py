"""Choose a challenge: type to filter the list, move with the arrow keys."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tracker.domain.models import Challenge
from tracker.ui.text import plain
from tracker.ui.widgets.fields import TextField


def _matches(challenge: Challenge, words: list[str]) -> bool:
    haystack = " ".join(
        (challenge.title, challenge.slug, str(challenge.context), _where(challenge))
    ).lower()
    return all(word in haystack for word in words)


class ChallengePicker(Vertical):
    """A filter box over a short list; `value` is the chosen challenge's id."""

    BINDINGS = [
        Binding("down", "step(1)", "Next", show=False, priority=True),
        Binding("up", "step(-1)", "Previous", show=False, priority=True),
    ]

    class Changed(Message):
        def __init__(self, picker: ChallengePicker, value: int | None) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> ChallengePicker:
            return self.picker

    def __init__(
        self, challenges: Sequence[Challenge], value: int | None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id, classes="picker")
        self.challenges = list(challenges)
        self.value = value

    def compose(self) -> ComposeResult:
        yield TextField(
            placeholder="type to filter (colleague, rung 3...); up and down to choose", id="filter"
        )
        choices = OptionList(id="choices")
        choices.can_focus = False  # the arrow keys in the filter move it; clicks work too
        yield choices
        yield Static("", id="chosen")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, text: str) -> None:
        words = text.lower().split()
        shown = [c for c in self.challenges if _matches(c, words)]
        choices = self.query_one("#choices", OptionList)
        choices.set_options(Option(_line(c), id=str(c.id)) for c in shown)
        ids = [c.id for c in shown]
        if self.value is not None and self.value in ids:
            choices.highlighted = ids.index(self.value)
        elif ids:
            choices.highlighted = 0
        else:
            self._choose(None)
        self.call_after_refresh(choices.scroll_to_highlight, top=True)
        self._say_chosen()

    def _choose(self, value: int | None) -> None:
        if value != self.value:
            self.value = value
            self.post_message(self.Changed(self, value))
        self._say_chosen()

    def _say_chosen(self) -> None:
        chosen = self.chosen
        words = f"chosen: {chosen.title} ({_where(chosen)})" if chosen else "none chosen"
        self.query_one("#chosen", Static).update(plain(words))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._choose(int(event.option.id or 0) or None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(int(event.option.id or 0) or None)

    def action_step(self, delta: int) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.option_count:
            now = choices.highlighted if choices.highlighted is not None else -delta
            choices.highlighted = max(0, min(choices.option_count - 1, now + delta))

    @property
    def chosen(self) -> Challenge | None:
        return next((c for c in self.challenges if c.id == self.value), None)


def _line(c: Challenge) -> Text:
    """One line a challenge, cut with "…" when the terminal is narrow (each choice stays
    one line, so the list shows as many as it can)."""
    line = Text.assemble((f"{_where(c):<8} {c.context:<10} ", "dim"), plain(c.title))
    line.no_wrap, line.overflow = True, "ellipsis"
    return line


def _where(c: Challenge) -> str:
    return "any time" if c.rung is None else f"rung {c.rung}"
