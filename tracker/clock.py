"""The one place that reads the clock and the local time zone.

TRACKER_NOW (an ISO time) pins the clock, for tests, screenshots and demos.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone, tzinfo
from functools import cache
from pathlib import Path


def local_zone() -> tzinfo:
    """The user's zone: $TZ, else /etc/localtime, as a (fast, C-backed) ZoneInfo.

    Read each time (a test may set TZ in this process); the lookup itself is cached."""
    return _zone(os.environ.get("TZ", "").lstrip(":"))


@cache
def _zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


def now() -> datetime:
    """Aware local time now."""
    pinned = os.environ.get("TRACKER_NOW")
    if pinned:
        moment = datetime.fromisoformat(pinned)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=local_zone())
        return moment.astimezone(local_zone())
    return datetime.now(local_zone())
