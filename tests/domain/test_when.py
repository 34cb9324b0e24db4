from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.errors import WhenError
from tracker.domain.when import describe_when, parse_when

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
# Sunday 22 November 2026, 10:00 GMT.
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=LONDON)
MONDAY_NOW = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)


def at(
    year: int,
    month: int,
    day: int,
    hour: int,
    minute: int = 0,
    second: int = 0,
    tz: ZoneInfo = LONDON,
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=tz)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # now
        ("now", NOW),
        ("  NOW  ", NOW),
        # ISO
        ("2026-11-20", at(2026, 11, 20, 12)),
        ("2026-11-20T17:30", at(2026, 11, 20, 17, 30)),
        ("2026-11-20 17:30", at(2026, 11, 20, 17, 30)),
        ("2026-11-20t17:30:15", at(2026, 11, 20, 17, 30, 15)),
        ("2026-11-20T17:30:00+01:00", at(2026, 11, 20, 16, 30)),
        ("2026-11-20T17:30Z", at(2026, 11, 20, 17, 30)),
        ("2026-11-20 5pm", at(2026, 11, 20, 17)),
        ("2026-11-22", NOW),  # noon today is still ahead: use now
        # today / yesterday
        ("today", NOW),
        ("yesterday", at(2026, 11, 21, 12)),
        ("today 9am", at(2026, 11, 22, 9)),
        ("Today 9", at(2026, 11, 22, 9)),
        ("yesterday 17:30", at(2026, 11, 21, 17, 30)),
        ("yesterday at 5:30pm", at(2026, 11, 21, 17, 30)),
        ("yesterday at 5:30 p.m.", at(2026, 11, 21, 17, 30)),
        ("yesterday midnight", at(2026, 11, 21, 0)),
        ("5pm yesterday", at(2026, 11, 21, 17)),
        # N units ago
        ("3 hours ago", at(2026, 11, 22, 7)),
        ("1 hour ago", at(2026, 11, 22, 9)),
        ("2 hrs ago", at(2026, 11, 22, 8)),
        ("2hr ago", at(2026, 11, 22, 8)),
        ("4h ago", at(2026, 11, 22, 6)),
        ("1.5 hours ago", at(2026, 11, 22, 8, 30)),
        ("10 minutes ago", at(2026, 11, 22, 9, 50)),
        ("1 minute ago", at(2026, 11, 22, 9, 59)),
        ("5 min ago", at(2026, 11, 22, 9, 55)),
        ("5 mins ago", at(2026, 11, 22, 9, 55)),
        ("5m ago", at(2026, 11, 22, 9, 55)),
        ("30 seconds ago", at(2026, 11, 22, 9, 59, 30)),
        ("2 days ago", at(2026, 11, 20, 10)),
        ("1 day ago", at(2026, 11, 21, 10)),
        ("3d ago", at(2026, 11, 19, 10)),
        ("1 week ago", at(2026, 11, 15, 10)),
        ("2 weeks ago", at(2026, 11, 8, 10)),
        ("2 wk ago", at(2026, 11, 8, 10)),
        ("1w ago", at(2026, 11, 15, 10)),
        ("0 minutes ago", NOW),
        ("a minute ago", at(2026, 11, 22, 9, 59)),
        ("an hour ago", at(2026, 11, 22, 9)),
        ("a day ago", at(2026, 11, 21, 10)),
        ("half an hour ago", at(2026, 11, 22, 9, 30)),
        # weekdays (NOW is a Sunday)
        ("last monday 9am", at(2026, 11, 16, 9)),
        ("last mon", at(2026, 11, 16, 12)),
        ("monday", at(2026, 11, 16, 12)),
        ("saturday", at(2026, 11, 21, 12)),
        ("fri at 17:30", at(2026, 11, 20, 17, 30)),
        ("sunday", NOW),  # today, and noon is still ahead
        ("sunday 9am", at(2026, 11, 22, 9)),
        ("last sunday", at(2026, 11, 15, 12)),
        ("last sun 9am", at(2026, 11, 15, 9)),
        ("9am on thursday", at(2026, 11, 19, 9)),
        # month-day forms
        ("Nov 20 5pm", at(2026, 11, 20, 17)),
        ("20 Nov 17:30", at(2026, 11, 20, 17, 30)),
        ("November 20", at(2026, 11, 20, 12)),
        ("nov 20th at 5:30pm", at(2026, 11, 20, 17, 30)),
        ("Dec 25", at(2025, 12, 25, 12)),  # later this year: last year's
        ("Nov 22", NOW),
        ("Nov 22 9am", at(2026, 11, 22, 9)),
        ("Feb 29", at(2024, 2, 29, 12)),
        ("20 November 2024 9am", at(2024, 11, 20, 9)),
        ("Dec 25 2025", at(2025, 12, 25, 12)),
        ("nov 20 17:30+01:00", at(2026, 11, 20, 16, 30)),
        # times of day
        ("9am", at(2026, 11, 22, 9)),
        ("9 am", at(2026, 11, 22, 9)),
        ("at 9am", at(2026, 11, 22, 9)),
        ("9:15am", at(2026, 11, 22, 9, 15)),
        ("12am", at(2026, 11, 22, 0)),
        ("08:30", at(2026, 11, 22, 8, 30)),
        ("midnight", at(2026, 11, 22, 0)),
    ],
)
def test_accepted_forms(text: str, expected: datetime) -> None:
    result = parse_when(text, NOW)
    assert result == expected
    assert result.utcoffset() == expected.utcoffset()
    assert result.tzinfo is LONDON


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("monday", MONDAY_NOW),  # plain weekday on that weekday: today
        ("monday 9am", at(2026, 11, 23, 9)),
        ("last monday", at(2026, 11, 16, 12)),  # "last" on that weekday: a week ago
        ("last monday 9am", at(2026, 11, 16, 9)),
        ("sunday", at(2026, 11, 22, 12)),
    ],
)
def test_weekdays_on_a_monday(text: str, expected: datetime) -> None:
    assert parse_when(text, MONDAY_NOW) == expected


def test_noon_today_when_past_noon() -> None:
    afternoon = datetime(2026, 11, 22, 15, 0, tzinfo=LONDON)
    assert parse_when("today", afternoon) == at(2026, 11, 22, 12)
    assert parse_when("noon", afternoon) == at(2026, 11, 22, 12)
    assert parse_when("9:15pm", datetime(2026, 11, 22, 22, 0, tzinfo=LONDON)) == at(
        2026, 11, 22, 21, 15
    )


@pytest.mark.parametrize(
    "text",
    ["today 5pm", "17:30", "9:15pm", "noon", "2026-11-23", "2026-11-22 10:02", "Nov 22 5pm"],
)
def test_future_is_refused(text: str) -> None:
    with pytest.raises(WhenError, match="is in the future"):
        parse_when(text, NOW)


def test_up_to_a_minute_ahead_is_allowed() -> None:
    assert parse_when("2026-11-22 10:01", NOW) == at(2026, 11, 22, 10, 1)


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty(text: str) -> None:
    with pytest.raises(WhenError, match=r"^empty"):
        parse_when(text, NOW)


@pytest.mark.parametrize(
    "text",
    [
        "blah",
        "9",
        "13pm",
        "0am",
        "25:00",
        "12:60",
        "2026-02-30",
        "2026-13-01 10:00",
        "November",
        "nov 31",
        "3 hours",
        "last",
        "monday next week",
        "nov 20 5pm EST",
    ],
)
def test_not_understood(text: str) -> None:
    with pytest.raises(WhenError, match="could not understand") as info:
        parse_when(text, NOW)
    message = str(info.value)
    assert f"'{text}'" in message
    assert '"yesterday 17:30"' in message


@pytest.mark.parametrize(
    "text", ["99999999999 days ago", "9" * 400 + " weeks ago", "99999999 hours ago"]
)
def test_huge_numbers(text: str) -> None:
    with pytest.raises(WhenError):
        parse_when(text, NOW)


def test_error_messages_are_one_short_line() -> None:
    with pytest.raises(WhenError) as info:
        parse_when("what\nis this\r\n" + "x" * 200, NOW)
    assert "\n" not in str(info.value)
    assert len(str(info.value)) < 200


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware") as info:
        parse_when("now", datetime(2026, 11, 22, 10))
    assert not isinstance(info.value, WhenError)


def test_result_is_in_nows_timezone() -> None:
    kolkata = timezone(timedelta(hours=5, minutes=30))
    now = datetime(2026, 11, 22, 10, 0, tzinfo=kolkata)
    result = parse_when("2026-11-20T17:30Z", now)
    assert result.tzinfo is kolkata
    assert result == datetime(2026, 11, 20, 23, 0, tzinfo=kolkata)
    assert parse_when("yesterday 9am", now) == datetime(2026, 11, 21, 9, tzinfo=kolkata)


class TestDaylightSaving:
    # New York springs forward at 02:00 on Sunday 8 March 2026 (EST -5 -> EDT -4).
    NOW = datetime(2026, 3, 8, 12, 0, tzinfo=NEW_YORK)

    def test_days_are_wall_clock(self) -> None:
        result = parse_when("1 day ago", self.NOW)
        assert result == at(2026, 3, 7, 12, tz=NEW_YORK)
        assert result.utcoffset() == timedelta(hours=-5)
        assert self.NOW.astimezone(UTC) - result.astimezone(UTC) == timedelta(hours=23)

    def test_hours_are_absolute(self) -> None:
        result = parse_when("12 hours ago", self.NOW)
        assert result.astimezone(UTC) == self.NOW.astimezone(UTC) - timedelta(hours=12)
        assert (result.replace(tzinfo=None), result.utcoffset()) == (
            datetime(2026, 3, 7, 23, 0),
            timedelta(hours=-5),
        )

    def test_skipped_wall_time_moves_forward(self) -> None:
        result = parse_when("today 2:30am", self.NOW)
        assert result.replace(tzinfo=None) == datetime(2026, 3, 8, 3, 30)
        assert result.utcoffset() == timedelta(hours=-4)

    def test_yesterday_noon_is_standard_time(self) -> None:
        result = parse_when("yesterday", self.NOW)
        assert result.astimezone(UTC) == datetime(2026, 3, 7, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("dt", "expected"),
    [
        (NOW, "today, 10:00 (just now)"),
        (at(2026, 11, 22, 9, 59), "today, 09:59 (1 minute ago)"),
        (at(2026, 11, 22, 7), "today, 07:00 (3 hours ago)"),
        (at(2026, 11, 22, 13), "today, 13:00 (in 3 hours)"),
        (at(2026, 11, 21, 17, 30), "yesterday, 17:30"),
        (at(2026, 11, 23, 9), "tomorrow, 09:00"),
        (at(2026, 11, 20, 17, 30), "Fri 20 Nov 2026, 17:30 (2 days ago)"),
        (at(2026, 11, 1, 8), "Sun 1 Nov 2026, 08:00 (3 weeks ago)"),
        (at(2025, 12, 25, 12), "Thu 25 Dec 2025, 12:00 (11 months ago)"),
        (at(2024, 2, 29, 12), "Thu 29 Feb 2024, 12:00 (2 years ago)"),
        (at(2026, 11, 30, 12), "Mon 30 Nov 2026, 12:00 (in 8 days)"),
        (datetime(2026, 11, 20, 17, 30, tzinfo=UTC), "Fri 20 Nov 2026, 17:30 (2 days ago)"),
    ],
)
def test_describe_when(dt: datetime, expected: str) -> None:
    assert describe_when(dt, NOW) == expected


def test_describe_when_converts_to_nows_zone() -> None:
    dt = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 22:00 the day before in New York
    assert describe_when(dt, datetime(2026, 11, 22, 10, tzinfo=NEW_YORK)) == "yesterday, 22:00"


# --- properties -------------------------------------------------------------------------------

ZONES = st.sampled_from([LONDON, NEW_YORK, ZoneInfo("Australia/Lord_Howe"), UTC])
NOWS = st.builds(
    lambda naive, zone: naive.replace(tzinfo=zone),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
    ZONES,
)
WORDS = st.sampled_from(
    [
        "now", "today", "yesterday", "last", "monday", "sun", "at", "on", "ago", "a", "an",
        "half", "hour", "hours", "min", "m", "h", "d", "w", "days", "weeks", "noon", "midnight",
        "am", "pm", "9", "17:30", "5:30pm", "nov", "December", "feb", "29", "2026-11-20",
        "2026-11-20T17:30", "+01:00", "Z", "99999999999", "0", "1.5", "-", ":", ",", " ",
        "2024", "12", "31", "est", "utc", "T",
    ]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=40),
    st.lists(WORDS, max_size=6).map(" ".join),
    st.lists(WORDS, max_size=6).map("".join),
)


def _parse_or_none(text: str, now: datetime) -> datetime | None:
    try:
        return parse_when(text, now)
    except WhenError as exc:
        assert "\n" not in str(exc)
        return None


@settings(max_examples=800, deadline=None)
@given(text=TEXTS, now=NOWS)
def test_any_text_gives_a_past_aware_time_or_a_when_error(text: str, now: datetime) -> None:
    result = _parse_or_none(text, now)
    if result is not None:
        assert result.tzinfo is now.tzinfo
        assert result.utcoffset() is not None
        assert result.astimezone(UTC) <= now.astimezone(UTC) + timedelta(seconds=60)
        describe_when(result, now)


@settings(deadline=None)
@given(
    amount=st.integers(min_value=0, max_value=10**30),
    unit=st.sampled_from(["m", "min", "minutes", "h", "hrs", "hour", "d", "days", "w", "weeks"]),
    now=NOWS,
)
def test_ago_is_never_after_now(amount: int, unit: str, now: datetime) -> None:
    result = _parse_or_none(f"{amount} {unit} ago", now)
    if result is not None:
        assert result.astimezone(UTC) <= now.astimezone(UTC)


def test_describe_when_needs_aware_datetimes() -> None:
    with pytest.raises(ValueError, match="dt must be timezone-aware"):
        describe_when(datetime(2026, 11, 22, 9), NOW)
