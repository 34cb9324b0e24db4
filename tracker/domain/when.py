"""Free-text times for ``--when`` and the TUI's time field.

Pure: no I/O and no reading of the clock. Callers pass ``now`` (timezone-aware) and get back
aware datetimes in ``now``'s timezone.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from contextlib import suppress
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dateutil import parser as dateutil_parser

from tracker.domain.errors import WhenError

FUTURE_TOLERANCE = timedelta(seconds=60)
#: How far ahead a plan may be.
PLAN_HORIZON = timedelta(days=366)
_EXAMPLES = 'try "now", "yesterday 17:30", "3 hours ago", "last monday 9am" or "2026-11-20 17:30"'
_NOON = time(12)
#: The parts of the day, as people say them: "this morning", "yesterday evening", "last night".
_PARTS = {"morning": time(9), "afternoon": time(15), "evening": time(19), "night": time(22)}
#: Whole phrases that name a day and a part of it, rewritten before parsing.
_PHRASES = (
    (re.compile(r"\bthis (morning|afternoon|evening|night)\b"), r"today \1"),
    (re.compile(r"\blast night\b"), "yesterday night"),
    (re.compile(r"\btonight\b"), "today night"),
)


_WEEKDAYS = {
    **dict.fromkeys(("mon", "monday"), 0),
    **dict.fromkeys(("tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("wed", "wednesday"), 2),
    **dict.fromkeys(("thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("fri", "friday"), 4),
    **dict.fromkeys(("sat", "saturday"), 5),
    **dict.fromkeys(("sun", "sunday"), 6),
}
_UNITS = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), "seconds"),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "minutes"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hours"),
    **dict.fromkeys(("d", "day", "days"), "days"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "weeks"),
}
_WALL_CLOCK_UNITS = {"days", "weeks"}


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))  # longest first


_TIME = (
    rf"(?P<named>noon|midnight)|(?P<part>{_alternatives(_PARTS)})"
    r"|(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?\s*(?:(?P<ampm>[ap])\.?m\.?)?"
)
_DAY = (
    r"today|yesterday|tomorrow"
    rf"|(?:(?P<last>last)\s+|(?P<next>next)\s+)?(?P<weekday>{_alternatives(_WEEKDAYS)})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})"
)
_DAY_TIME_PATTERNS = (
    re.compile(rf"(?P<day>{_DAY})(?:\s+(?:at\s+)?(?:{_TIME}))?", re.ASCII),
    re.compile(rf"(?:at\s+)?(?:{_TIME})\s+(?:on\s+)?(?P<day>{_DAY})", re.ASCII),
    re.compile(rf"(?:at\s+)?(?:{_TIME})", re.ASCII),
)
# "3 hours ago", "in 2 hours", and for whole days "6 days ago 10am", "in 3 days at 9".
_RELATIVE_RE = re.compile(
    rf"(?P<ahead>in\s+)?(?:(?P<number>\d+(?:\.\d+)?)\s*|(?P<word>an?|half\s+an?)\s+)"
    rf"(?P<unit>{_alternatives(_UNITS)})(?P<ago>\s+ago)?(?:\s+(?:at\s+)?(?:{_TIME}))?",
    re.ASCII,
)
_ISO_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:z|[+-]\d{2}:?\d{2})?", re.ASCII
)
_DATEUTIL_INFO = dateutil_parser.parserinfo()


def parse_when(text: str, now: datetime, *, future_ok: bool = False) -> datetime:
    """Parse free text into an aware datetime in ``now``'s timezone.

    Accepted (case-insensitive): "now"; ISO "2026-11-20", "2026-11-20 17:30",
    "2026-11-20T17:30:00+01:00" / "...Z"; "today", "yesterday", weekdays ("monday" is the most
    recent Monday, today included; "last monday" on a Monday is a week ago), each optionally
    with a time ("yesterday at 5:30pm", "last mon 9am", "today 9") or a part of the day
    ("yesterday morning": morning 09:00, afternoon 15:00, evening 19:00, night 22:00; "this
    evening", "last night", "tonight"); "3 hours ago", "2d ago", "an hour ago", "half an hour
    ago", "6 days ago 10am"; ahead, for plans: "tomorrow 9am", "next monday", "in 2 hours",
    "in 3 days 10am"; month-day forms ("Nov 20 5pm", "20 November", year
    optional: without one, the most recent such date); bare times ("9am", "17:30", "noon"),
    which mean today.

    A date without a time means 12:00 (noon) local, so it sits on that day in any timezone;
    if that is today and noon has not come yet, it means ``now``.

    A time more than 60 seconds after ``now`` is refused as in the future, unless
    ``future_ok`` (a plan), which takes times up to a year ahead.

    Raises ``ValueError`` if ``now`` is naive (a programming error) and ``WhenError`` for
    anything not understood or out of range.
    """
    tz = _zone(now)
    shown = " ".join(text.split())
    if len(shown) > 40:
        shown = shown[:37] + "..."
    if not shown:
        raise WhenError(f"empty time; {_EXAMPLES}")
    try:
        result = _parse(_rewrite(" ".join(text.lower().split())), now, tz)
        if result is None:
            raise WhenError(f"could not understand the time '{shown}'; {_EXAMPLES}")
        ahead = result.astimezone(UTC) - now.astimezone(UTC)
        if not future_ok and ahead > FUTURE_TOLERANCE:
            raise WhenError(f"'{shown}' is in the future: {describe_when(result, now)}")
        if ahead > PLAN_HORIZON:
            raise WhenError(
                f"'{shown}' is more than a year from now: {describe_when(result, now)}; "
                "a plan can be up to a year from now"
            )
    except WhenError:
        raise
    except OverflowError as exc:
        raise WhenError(f"'{shown}' is too far from now to be a time") from exc
    except ValueError as exc:  # e.g. "2026-02-30" or "25:00": shaped like a time, but isn't
        raise WhenError(f"could not understand the time '{shown}'; {_EXAMPLES}") from exc
    return result


def _rewrite(text: str) -> str:
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return text


def _zone(dt: datetime, name: str = "now") -> tzinfo:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return dt.tzinfo


def _parse(text: str, now: datetime, tz: tzinfo) -> datetime | None:
    if text == "now":
        return now
    if match := _RELATIVE_RE.fullmatch(text):
        return _relative(match, now, tz)
    if _ISO_RE.fullmatch(text):
        parsed = datetime.fromisoformat(text.upper())
        if parsed.tzinfo is None:
            return _local(parsed.date(), parsed.time(), tz)
        return parsed.astimezone(tz)
    for pattern in _DAY_TIME_PATTERNS:
        if match := pattern.fullmatch(text):
            return _day_time(match, now, tz)
    return _month_day(text, now, tz)


def _local(day: date, clock: time, tz: tzinfo) -> datetime:
    """Wall-clock ``clock`` on ``day``; times skipped by a DST jump move forward past it."""
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC).astimezone(tz)


def _at(day: date, clock: time | None, now: datetime, tz: tzinfo) -> datetime:
    if clock is not None:
        return _local(day, clock, tz)
    noon = _local(day, _NOON, tz)
    if day == now.date() and noon.astimezone(UTC) > now.astimezone(UTC):
        return now
    return noon


def _relative(match: re.Match[str], now: datetime, tz: tzinfo) -> datetime | None:
    """ "3 hours ago", "in 2 hours"; for days and weeks, optionally at a time of day."""
    if bool(match["ahead"]) == bool(match["ago"]):
        return None  # "in 2 hours ago", or neither word
    if match["number"]:
        amount = float(match["number"])
    else:
        amount = 0.5 if match["word"].startswith("half") else 1.0
    unit = _UNITS[match["unit"]]
    delta = timedelta(**{unit: amount}) * (1 if match["ahead"] else -1)
    clock = _clock(match)
    if unit not in _WALL_CLOCK_UNITS:
        if clock is not None:
            return None  # "3 hours ago 10am" says two different things
        return (now.astimezone(UTC) + delta).astimezone(tz)
    wall = now.replace(tzinfo=None) + delta  # "2 days ago" keeps the time of day across DST
    return _local(wall.date(), wall.time() if clock is None else clock, tz)


def _day_time(match: re.Match[str], now: datetime, tz: tzinfo) -> datetime | None:
    clock = _clock(match)
    has_day = match.groupdict().get("day") is not None
    if not has_day:
        # A bare number ("9") or part of the day ("morning") is too vague on its own;
        # "today 9" and "this morning" are fine.
        if clock is None or not (match["minute"] or match["ampm"] or match["named"]):
            return None
        return _local(now.date(), clock, tz)
    return _at(_day(match, now.date()), clock, now, tz)


def _clock(match: re.Match[str]) -> time | None:
    if match["named"]:
        return _NOON if match["named"] == "noon" else time(0)
    if match["part"]:
        return _PARTS[match["part"]]
    if match["hour"] is None:
        return None
    hour, minute, second = (int(match[g] or 0) for g in ("hour", "minute", "second"))
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError("12-hour clock hour out of range")
        hour = hour % 12 + (12 if match["ampm"] == "p" else 0)
    return time(hour, minute, second)


def _day(match: re.Match[str], today: date) -> date:
    if match["day"] == "today":
        return today
    if match["day"] == "yesterday":
        return today - timedelta(days=1)
    if match["day"] == "tomorrow":
        return today + timedelta(days=1)
    if match["iso"]:
        return date.fromisoformat(match["iso"])
    if match["next"]:  # the coming one, never today
        return today + timedelta(days=(_WEEKDAYS[match["weekday"]] - today.weekday() - 1) % 7 + 1)
    back = (today.weekday() - _WEEKDAYS[match["weekday"]]) % 7
    if match["last"] and back == 0:
        back = 7
    return today - timedelta(days=back)


def _month_day(text: str, now: datetime, tz: tzinfo) -> datetime | None:
    """Forms with a month name ("Nov 20 5pm", "20 November 2025"), parsed by dateutil."""
    if not any(_DATEUTIL_INFO.month(word) is not None for word in re.findall(r"[a-z]+", text)):
        return None
    # Parse twice with different defaults to tell which fields the text gave.
    with warnings.catch_warnings():
        warnings.simplefilter("error", dateutil_parser.UnknownTimezoneWarning)
        try:
            a = dateutil_parser.parse(text, default=datetime(2000, 1, 1, 12))
            b = dateutil_parser.parse(text, default=datetime(2004, 2, 2, 13))
        except (ValueError, OverflowError, dateutil_parser.UnknownTimezoneWarning):
            return None
    if a.day != b.day:
        return None  # a month without a day is too vague
    day = a.date() if a.year == b.year else _most_recent(a.month, a.day, now.date())
    if a.hour != b.hour:
        return _at(day, None, now, tz)
    if a.tzinfo is not None:
        return datetime.combine(day, a.timetz()).astimezone(tz)
    return _local(day, a.time(), tz)


def _most_recent(month: int, day: int, today: date) -> date:
    for year in range(today.year, today.year - 8, -1):
        with suppress(ValueError):  # 29 February, or year 0
            candidate = date(year, month, day)
            if candidate <= today:
                return candidate
    raise ValueError("no such date")


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def describe_when(dt: datetime, now: datetime) -> str:
    """Short human preview, e.g. "today, 09:00 (3 hours ago)" or "Fri 20 Nov 2026, 17:30
    (2 days ago)". Both datetimes must be aware; ``dt`` is shown in ``now``'s timezone."""
    tz = _zone(now)
    _zone(dt, "dt")
    local = dt.astimezone(tz)
    clock = f"{local:%H:%M}"
    days = (now.date() - local.date()).days
    if days == 0:
        seconds = (now.astimezone(UTC) - local.astimezone(UTC)).total_seconds()
        return f"today, {clock} ({_relative_today(seconds)})"
    if days == 1:
        return f"yesterday, {clock}"
    if days == -1:
        return f"tomorrow, {clock}"
    month = _MONTH_NAMES[local.month - 1]
    label = f"{_DAY_NAMES[local.weekday()]} {local.day} {month} {local.year}"
    span = _span(abs(days))
    return f"{label}, {clock} ({span} ago)" if days > 0 else f"{label}, {clock} (in {span})"


def _relative_today(seconds: float) -> str:
    if abs(seconds) < 60:
        return "just now"
    minutes = int(abs(seconds) // 60)
    span = _plural(minutes, "minute") if minutes < 60 else _plural(minutes // 60, "hour")
    return f"{span} ago" if seconds > 0 else f"in {span}"


def _span(days: int) -> str:
    if days < 14:
        return _plural(days, "day")
    if days < 60:
        return _plural(days // 7, "week")
    if days < 365:
        return _plural(days // 30, "month")
    return _plural(days // 365, "year")


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"
