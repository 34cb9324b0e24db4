"""The one place that reads the clock and the local time zone.

TRACKER_NOW (an ISO time) pins the clock, for tests, screenshots and demos.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.domain.errors import WhenError


def local_zone() -> tzinfo:
    """The user's zone: $TZ, else /etc/localtime, as a (fast, C-backed) ZoneInfo.

    Read each time (a test may set TZ in this process); the lookup itself is cached."""
    return _zone(os.environ.get("TZ", "").lstrip(":"))


@cache
def _zone(name: str) -> tzinfo:

    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    localtime = Path("/etc/localtime")
    try:
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            return ZoneInfo(target.split("zoneinfo/", 1)[1])
        with localtime.open("rb") as f:
            return ZoneInfo.from_file(f, key="localtime")
    except (OSError, ZoneInfoNotFoundError, ValueError):
        offset = datetime.now().astimezone().utcoffset() or timedelta(0)
        return timezone(offset)


#: The years a pinned clock may name (those tracker stores times for).
PINNED_YEARS = range(1900, 2200)


def now() -> datetime:
    """Aware local time now.

    Raises WhenError (exit 2) when TRACKER_NOW is set but is not an ISO time in the
    years tracker keeps."""
    pinned = os.environ.get("TRACKER_NOW")
    if pinned:
        return _pinned(pinned)
    return datetime.now(local_zone())


def real_now() -> datetime:
    """The real time in UTC, whatever TRACKER_NOW says (for crash reports: a pinned
    clock may be what went wrong)."""
    return datetime.now(UTC)


def _pinned(text: str) -> datetime:

    shown = ascii(text[:40])
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=local_zone())
        moment = moment.astimezone(local_zone())
        if {moment.year, moment.astimezone(UTC).year} - set(PINNED_YEARS):
            raise OverflowError
    except OverflowError:
        raise WhenError(
            f"TRACKER_NOW={shown} is outside the years 1900-2199; unset it to use the clock"
        ) from None
    except ValueError:
        raise WhenError(
            f"TRACKER_NOW={shown} is not an ISO time such as 2026-11-22T10:00:00+00:00; "
            "unset it to use the clock"
        ) from None
    return moment
