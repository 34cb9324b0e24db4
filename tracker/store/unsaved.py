"""What the reading commands show where nothing is saved yet: the shipped ladder, the
default settings, no attempts, and not a byte written anywhere.

`tracker next` on a file that does not exist yet (a first run, or a mistyped --db)
answers from here instead of creating an empty database; the command line says so in
one `note:` line.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from tracker.clock import local_zone
from tracker.domain.models import Attempt, Challenge, Settings
from tracker.domain.people import Gift, Person, ThankDue, Thanks
from tracker.domain.summary import Frame, Summary, fold
from tracker.store.filters import HistoryFilter
from tracker.store.seed import builtin_challenges


class Unsaved:
    """The same reads as a Reader or a Store, on the ladder a new file would be seeded
    with (ids in file order, as seeding gives them)."""

    def __init__(self, zone: tzinfo | None = None) -> None:
        self.zone = zone if zone is not None else local_zone()
        # `anytime` is stored beside the rung; the Challenge says it by a rung of None.
        self._challenges = [
            Challenge(id=n, **c.model_dump(exclude={"anytime"}))
            for n, c in enumerate(builtin_challenges(), start=1)
        ]

    def __enter__(self) -> Unsaved:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def close(self) -> None:
        return None

    def state(self) -> tuple[Summary, list[Challenge], Settings]:
        settings = Settings()
        frame = Frame.of(self._challenges, settings, self.zone, {})
        return fold(frame, []), list(self._challenges), settings

    def challenges(self, include_archived: bool = True) -> list[Challenge]:
        return list(self._challenges)

    def attempts(
        self, where: HistoryFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Attempt]:
        return []

    def count_attempts(self, where: HistoryFilter | None = None) -> int:
        return 0

    def settings(self) -> Settings:
        return Settings()

    def climbs(self) -> dict[int, datetime]:
        return {}

    # -- people: nobody yet ------------------------------------------------------------

    def people(self) -> list[Person]:
        return []

    def thanks(self) -> list[Thanks]:
        return []

    def gifts(self) -> list[Gift]:
        return []

    def thanks_due(self, now: datetime) -> list[ThankDue]:
        return []

    def asks_with_people_since(self, since: datetime) -> list[Attempt]:
        return []
