"""Hypothesis strategies for editing one field of an attempt to another valid value.

Used by the climb-field properties (tests/domain/test_climb_fields.py) and the Store
properties (tests/store/test_derived_summary.py). `EDITABLE` is every field of Attempt
but its id, read from the dataclass; `field_values` covers each of them (a test checks
it), so a new Attempt field cannot slip past the properties unedited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from tracker.domain.models import Attempt, Channel, Outcome, Strategy

EDITABLE: tuple[str, ...] = tuple(f.name for f in fields(Attempt) if f.name != "id")

#: Values rich in the rules' boundaries (confidence 6/7, re-rated 30/31, distress 84/85).
CONFIDENCE = [None, 0, 5, 6, 7, 8, 9, 10]
PERCENT = [None, 0, 10, 30, 31, 50, 90, 100]
DISTRESS = [None, 0, 50, 84, 85, 100]
TEXT = [None, "a note", "[b]not markup[/b]", "Ümlaut 🌱"]


def field_values(
    challenge_ids: Sequence[int], earliest: datetime, hours: int
) -> dict[str, st.SearchStrategy[Any]]:
    """For each editable field, the values an edit may give it: a challenge among
    `challenge_ids`, a time on the hour within `hours` after `earliest` (so that ties
    and backdating happen), anything valid for the rest."""
    return {
        "challenge_id": st.sampled_from(list(challenge_ids)),
        "occurred_at": st.integers(0, hours).map(
            lambda h: (earliest + timedelta(hours=h)).astimezone(UTC)
        ),
        "outcome": st.sampled_from([*Outcome, Outcome.HELPED, None]),
        "who": st.sampled_from(TEXT),
        "channel": st.sampled_from([None, *Channel]),
        "feared": st.sampled_from(TEXT),
        "predicted": st.sampled_from(PERCENT),
        "expected_distress": st.sampled_from(DISTRESS),
        "happened": st.sampled_from([None, True, False]),
        "peak_distress": st.sampled_from(DISTRESS),
        "confidence": st.sampled_from(CONFIDENCE),
        "rerated": st.sampled_from(PERCENT),
        "strategies": st.sampled_from([(), (Strategy.SPECIFIC,), tuple(Strategy)]),
        "learned": st.sampled_from(TEXT),
        "note": st.sampled_from(TEXT),
        "evidence": st.sampled_from(TEXT),
        "kinder": st.sampled_from(TEXT),
        "planned_for": st.none(),
    }
