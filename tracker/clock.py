"""The one place that reads the clock and the local time zone.

TRACKER_NOW (an ISO time) pins the clock, for tests, screenshots and demos.
"""

from __future__ import annotations

import os
from datetime import datetime, tzinfo


def local_zone() -> tzinfo:
    from dateutil import tz

    zone = tz.gettz()
    return zone if zone is not None else tz.tzlocal()


def now() -> datetime:
    """Aware local time now."""
    pinned = os.environ.get("TRACKER_NOW")
    if pinned:
        moment = datetime.fromisoformat(pinned)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=local_zone())
        return moment.astimezone(local_zone())
    return datetime.now(local_zone())
