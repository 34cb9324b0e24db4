"""Ladder: every rung, top to bottom, with its state in words and what climbing it needs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from tracker.domain.models import Challenge
from tracker.domain.rules import ChallengeProgress, RungProgress, RungState
from tracker.store.errors import StoreError
from tracker.ui.data import Snapshot
from tracker.ui.keys import SEARCH
from tracker.ui.messages import ChallengeSaved, WorkFailed
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.text import day, plain, plural
from tracker.ui.widgets.choices import ChoiceList
from tracker.ui.widgets.fields import TextField
from tracker.words import ANYTIME_HEADING, ANYTIME_NOTE

if TYPE_CHECKING:
    from tracker.store.repository import Store


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}."


def rung_heading(rung: RungProgress, snapshot: Snapshot) -> Group:
    """'Rung 3 · current: you are here', and beneath it what climbing it still needs."""
    heading = Text(f"Rung {rung.rung}", style="bold")
    if rung.state is RungState.CLIMBED:
        assert rung.climbed_at is not None
        heading.append(f" · climbed on {day(rung.climbed_at, snapshot.now)}", style="bold")
        detail = Text(f"{plural(rung.asks, 'ask')} here so far.", style="italic")
    elif rung.state is RungState.CURRENT:
        heading.append(" · current: you are here", style="bold reverse")
        detail = Text(_sentence(rung.needed), style="italic")
    else:
        heading.append(" · locked", style="bold")
        needed = rung.needed if rung.asks else "opens once the rungs below are climbed"
        detail = Text(_sentence(needed), style="italic dim")
    return Group(heading, Padding(detail, (0, 0, 0, 2)))


def _retired(c: Challenge) -> bool:
    from tracker.store.seed import retired_slugs  # brings pydantic

    return c.builtin and c.slug in retired_slugs()


def anytime_heading() -> Group:
    """'Any time · never locked', and beneath it what these asks are."""
    heading = Text(f"{ANYTIME_HEADING} · never locked", style="bold")
    return Group(heading, Padding(Text(ANYTIME_NOTE, style="italic"), (0, 0, 0, 2)))


def matches(c: Challenge, words: str) -> bool:
    """Whether every word of a Ladder search is in the challenge's title, description,
    context, barrier or tip (any case)."""
    said = " ".join((c.title, c.description, str(c.context), str(c.barrier), c.tip)).casefold()
    return all(word in said for word in words.casefold().split())


def challenge_line(progress: ChallengeProgress) -> Padding:
    """The challenge's title, then its context, barrier and asks; a line too long for
    the terminal wraps under the title, never back to the rung's edge."""
    c = progress.challenge
    text = Text()
    text.append_text(plain(c.title, "dim strike" if c.archived else ""))
    text.append(f"  {c.context} · {c.barrier} · {plural(progress.asks, 'ask')}", style="dim")
    if c.archived:
        text.append(" · archived", style="italic")
    if not c.builtin:
        text.append(" · yours", style="italic")
    return Padding(text, (0, 0, 0, 4))


class LadderScreen(TrackerScreen):
    MODE = "ladder"
    AUTO_FOCUS = "#ladder"
    BINDINGS = [
        Binding("n", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("m", "move", "Move"),
        Binding("a", "archive", "Archive"),
        SEARCH,
        Binding("escape", "focus_list", "Back to the ladder", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._challenges: dict[str, Challenge] = {}
        self._placed = False
        self._snapshot: Snapshot | None = None

    def body(self) -> ComposeResult:
        yield Static("Opening your ladder…", id="ladder-summary")
        yield TextField(placeholder="search titles, descriptions, contexts", id="ladder-search")
        yield ChoiceList(id="ladder", click_selects=True)
        with Horizontal(id="ladder-buttons", classes="buttons"):
            yield Button("Add a challenge", id="add")
            yield Button("Edit", id="edit")
            yield Button("Move to another rung", id="move")
            yield Button("Archive", id="archive")

    def show(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        words = self.query_one("#ladder-search", TextField).value.strip()
        ladder = snapshot.overview.ladder
        climbed = [r.rung for r in ladder.rungs if r.state is RungState.CLIMBED]
        if ladder.all_climbed:
            summary = "Every rung is climbed. Add a harder challenge of your own whenever you like."
        elif ladder.current_rung is None:
            summary = "Your ladder has no active challenges yet: add one with n."
        else:
            done = f"{plural(len(climbed), 'rung')} climbed" if climbed else "No rungs climbed yet"
            summary = f"You are on rung {ladder.current_rung}. {done}. Highest rung at the top."

        options = self.query_one("#ladder", OptionList)
        keep = options.highlighted_option.id if options.highlighted_option else None
        self._challenges = {}
        items: list[Option] = []
        groups: list[tuple[Option, Sequence[ChallengeProgress]]] = []
        if ladder.anytime:  # support asks: their own group, above the rungs, never locked
            groups.append((Option(anytime_heading(), id="anytime", disabled=True), ladder.anytime))
        for rung in reversed(ladder.rungs):
            heading = Option(rung_heading(rung, snapshot), id=f"rung-{rung.rung}", disabled=True)
            groups.append((heading, rung.challenges))
        for heading, group in groups:
            shown = [
                p
                for p in group
                if not (p.challenge.archived and _retired(p.challenge))  # `ladder --all` only
                and matches(p.challenge, words)
            ]
            if words and not shown:
                continue  # a search shows only the rungs where it found something
            items.append(heading)
            for progress in shown:
                key = f"c{progress.challenge.id}"
                self._challenges[key] = progress.challenge
                items.append(Option(challenge_line(progress), id=key))
        if words:
            found = len(self._challenges)
            count = f"{plural(found, 'challenge')} match" if found else "No challenges match"
            self.query_one("#ladder-summary", Static).update(
                Text.assemble(f"{count} \u201c", plain(words), "\u201d. Escape clears the search.")
            )
        else:
            self.query_one("#ladder-summary", Static).update(summary)
        options.set_options(items)
        if keep is None and not self._placed and ladder.current_rung is not None:
            current = ladder.rung(ladder.current_rung)
            if current and current.challenges:
                keep = f"c{current.challenges[0].challenge.id}"
        if keep in self._challenges:
            options.highlighted = options.get_option_index(keep)
            self.call_after_refresh(self._reveal)
        elif words and self._challenges:
            options.highlighted = options.get_option_index(next(iter(self._challenges)))
        self._placed = True
        self._update_buttons()

    def _reveal(self) -> None:
        """Scroll so the highlighted challenge shows with its rung's heading above it."""
        options = self.query_one("#ladder", OptionList)
        options.scroll_to_highlight(top=True)
        options.scroll_to(y=max(0, options.scroll_y - 4), animate=False, immediate=True)

    def shown_challenges(self) -> list[Challenge]:
        """The challenges listed now (all of them, or those a search found)."""
        return list(self._challenges.values())

    @on(Input.Changed, "#ladder-search")
    def _search_changed(self) -> None:
        if self._snapshot is not None:
            self.show(self._snapshot)

    @on(Input.Submitted, "#ladder-search")
    def _search_done(self) -> None:
        """Enter: back to the list, the search kept (hidden again when empty)."""
        search = self.query_one("#ladder-search", TextField)
        search.set_class(bool(search.value.strip()), "-shown")
        self.query_one("#ladder", OptionList).focus()

    def action_search(self) -> None:
        search = self.query_one("#ladder-search", TextField)
        search.add_class("-shown")
        search.focus()

    def action_focus_list(self) -> None:
        """Escape: the search cleared and hidden, the whole ladder back."""
        search = self.query_one("#ladder-search", TextField)
        search.value = ""
        search.remove_class("-shown")
        self.query_one("#ladder", OptionList).focus()

    def _selected(self) -> Challenge | None:
        option = self.query_one("#ladder", OptionList).highlighted_option
        return self._challenges.get(option.id or "") if option else None

    def _update_buttons(self) -> None:
        chosen = self._selected()
        for name in ("#edit", "#move", "#archive"):
            self.query_one(name, Button).disabled = chosen is None
        label = "Restore" if chosen and chosen.archived else "Archive"
        self.query_one("#archive", Button).label = label

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._update_buttons()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_edit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"add": self.action_add, "edit": self.action_edit, "move": self.action_move}
        if event.button.id in actions:
            actions[event.button.id]()
        elif event.button.id == "archive":
            self.action_archive()

    def action_add(self) -> None:
        self.tracker.open_challenge_form()

    def action_edit(self) -> None:
        chosen = self._selected()
        if chosen is not None:
            self.tracker.open_challenge_form(chosen)

    def action_move(self) -> None:
        chosen = self._selected()
        if chosen is not None:
            self.tracker.open_challenge_form(chosen, move=True)

    def action_archive(self) -> None:
        """Archive the challenge (no longer suggested; its history stays), or restore it."""
        chosen = self._selected()
        store = self.tracker.writable_store()
        if chosen is not None and store is not None:
            self._archive(store, chosen.id, not chosen.archived)

    @work(thread=True, group="ladder-write", exit_on_error=False)
    def _archive(self, store: Store, challenge_id: int, archived: bool) -> None:
        try:
            saved = store.update_challenge(challenge_id, {"archived": archived})
        except StoreError as e:
            self.post_message(WorkFailed(str(e)))
            return
        if archived:
            words = f"Archived \u201c{saved.title}\u201d. Its history stays; press a to restore it."
        else:
            where = "Any time" if saved.rung is None else f"rung {saved.rung}"
            words = f"Restored \u201c{saved.title}\u201d to {where}."
        self.post_message(ChallengeSaved(saved, words))

    def on_challenge_saved(self, message: ChallengeSaved) -> None:
        message.stop()
        self.tracker.reload()
        self.notify(message.verb)
