"""Times as people say them (issue 12): parts of the day, "N days ago 10am", plans ahead."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tracker.domain.errors import WhenError
from tracker.domain.when import describe_when, parse_when

LONDON = ZoneInfo("Europe/London")
# Sunday 22 November 2026, 16:00 GMT: the afternoon has begun, the evening has not.
NOW = datetime(2026, 11, 22, 16, 0, tzinfo=LONDON)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("this morning", at(22, 9)),
        ("This  Morning", at(22, 9)),
        ("this afternoon", at(22, 15)),
        ("last night", at(21, 22)),
        ("yesterday morning", at(21, 9)),
        ("yesterday afternoon", at(21, 15)),
        ("yesterday evening", at(21, 19)),
        ("6 days ago 10am", at(16, 10)),
        ("6 days ago at 10:30", at(16, 10, 30)),
        ("2 weeks ago 9am", at(8, 9)),
        ("a day ago 8pm", at(21, 20)),
        ("an hour ago", at(22, 15)),
        ("half an hour ago", at(22, 15, 30)),
        ("noon", at(22, 12)),
        ("midnight", at(22, 0)),
        ("last monday evening", at(16, 19)),
        ("friday morning", at(20, 9)),
    ],
)
def test_phrases_for_a_log(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 9am", at(23, 9)),
        ("tomorrow at 5:30pm", at(23, 17, 30)),
        ("tomorrow", at(23, 12)),
        ("tomorrow morning", at(23, 9)),
        ("in 2 hours", at(22, 18)),
        ("in an hour", at(22, 17)),
        ("in half an hour", at(22, 16, 30)),
        ("in 3 days", at(25, 16)),
        ("in 3 days 10am", at(25, 10)),
        ("in 1 week", at(29, 16)),
        ("this evening", at(22, 19)),
        ("next monday 9am", at(23, 9)),
        ("next sunday", at(29, 12)),
        ("20:00", at(22, 20)),
        # Past times stay fine for a plan.
        ("yesterday evening", at(21, 19)),
        ("2026-12-24 18:00", at(24, 18, month=12)),
    ],
)
def test_phrases_for_a_plan(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW, future_ok=True) == expected


@pytest.mark.parametrize(
    "text",
    ["tomorrow 9am", "in 2 hours", "this evening", "next monday", "in 3 days", "20:00", "tomorrow"],
)
def test_a_log_time_still_ahead_is_in_the_future_not_misunderstood(text: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, NOW)
    message = str(caught.value)
    assert "is in the future" in message
    assert "could not understand" not in message


def test_a_plan_more_than_a_year_ahead_is_refused_clearly() -> None:
    with pytest.raises(WhenError, match="more than a year from now"):
        parse_when("in 400 days", NOW, future_ok=True)
    assert parse_when("in 300 days", NOW, future_ok=True) == NOW + timedelta(days=300)


@pytest.mark.parametrize("text", ["3 hours ago 10am", "in 2 hours 9am", "this", "next", "last"])
def test_contradictions_and_fragments_are_not_understood(text: str) -> None:
    with pytest.raises(WhenError, match="could not understand"):
        parse_when(text, NOW, future_ok=True)


def test_the_preview_reads_plans_ahead() -> None:
    assert describe_when(parse_when("in 2 hours", NOW, future_ok=True), NOW) == (
        "today, 18:00 (in 2 hours)"
    )
    assert describe_when(parse_when("tomorrow 9am", NOW, future_ok=True), NOW) == (
        "tomorrow, 09:00"
    )


_WORDS = st.sampled_from(
    ["this", "last", "next", "in", "ago", "tomorrow", "yesterday", "morning", "evening", "night",
     "afternoon", "2", "an", "half", "hour", "days", "9am", "at", "monday", "noon", "10:30"]
)  # fmt: skip


@hsettings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=5), st.booleans())
def test_phrases_never_raise_anything_but_when_error(words: list[str], future_ok: bool) -> None:
    try:
        result = parse_when(" ".join(words), NOW, future_ok=future_ok)
    except WhenError:
        return
    assert result.tzinfo is not None
    if not future_ok:
        assert result <= NOW + timedelta(seconds=60)
