"""A person's label and what was given back are shown as typed, control characters
escaped (labels may hold any character but a line break)."""

from __future__ import annotations

from datetime import UTC, datetime

from tracker.domain.people import Gift, Person, PersonFigures
from tracker.ui.screens.people import describe

NOW = datetime(2026, 11, 22, 10, tzinfo=UTC)
HOSTILE = "Sam \x1b]0;pwned\x07[b]x[/b]"


def test_a_person_is_described_with_nothing_a_terminal_acts_on() -> None:
    gift = Gift(1, HOSTILE, NOW, "a lift \x9b2J", None)
    figures = PersonFigures(Person(1, HOSTILE), 0, {}, None, 0, None, (), 1, NOW, gifts=(gift,))
    text = describe(figures, NOW).plain
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert "Sam \\x1b]0;pwned\\x07[b]x[/b]" in text  # as typed, brackets and all
    assert "a lift \\x9b2J" in text
