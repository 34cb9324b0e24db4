"""The shipped ladder, counted by rung, barrier and context (issue 9, item 5).

What can be checked by machine is checked here; the rest (that every tip reads right
anywhere and no rung needs a job, a partner, children, a car or spare money) was read
by a person, and these word lists catch the slips that are easy to make.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from tracker.domain.models import Barrier, Context
from tracker.store.seed import builtin_challenges, ladder_entries, retired_slugs

ENTRIES = ladder_entries()
ACTIVE = [e for e in ENTRIES if not e.get("retired")]
ON_RUNGS = [e for e in ACTIVE if not e.get("anytime")]
STRATEGIES = (
    "specific",
    "timing",
    "positive-framing",
    "gratitude",
    "reciprocity",
    "start-small",
    "no-is-information",
)
#: Words that mean a challenge needs a job, a partner, children, a car or spare money.
NEEDS = re.compile(
    r"\b(job|jobs|work|working|colleague|colleagues|coworker|boss|manager|employer|pay|"
    r"paid|salary|raise|partner|husband|wife|boyfriend|girlfriend|spouse|child|children|"
    r"kid|kids|son|daughter|baby|car|cars|drive|driving|ride|lift|money|buy|buying|"
    r"bought|fee|fees|refund|order|coffee|cafe|restaurant|deal)\b",
    re.IGNORECASE,
)
IMPERIAL = re.compile(
    r"\b(mile|miles|feet|foot|inch|inches|pound|pounds|lb|lbs|ounce|ounces|oz|gallon|"
    r"gallons|yard|yards|fahrenheit)\b|°F",
    re.IGNORECASE,
)
ONE_COUNTRY = re.compile(
    r"\$|£|€|\b(dollars?|cents?|euros?|zip code|postcode|sidewalk|thanksgiving|"
    r"911|999|112|NHS|medicare|walmart|drugstore|freeway|college credit)\b",
    re.IGNORECASE,
)
#: No norm a user can fail, nothing that shames (issue 9, item 9).
UNKIND = re.compile(
    r"most people|everyone (can|does)|putting off|put off|quietly struggling|"
    r"better than a missed deadline|avoided|should be able|just do it|easy for anyone",
    re.IGNORECASE,
)


def words(e: dict[str, Any]) -> str:
    return " ".join((e["title"], e["description"], e["tip"]))


def test_at_least_60_active_built_in_challenges_on_the_rungs() -> None:
    assert len(ON_RUNGS) >= 60
    assert len({e["slug"] for e in ENTRIES}) == len(ENTRIES)


def test_every_entry_validates_and_keeps_to_the_file_s_own_limits() -> None:
    made = builtin_challenges()
    assert len(made) == len(ENTRIES)
    for e in ENTRIES:
        assert len(e["title"]) <= 60, e["slug"]
        assert len(e["description"]) <= 240, e["slug"]
        assert len(e["tip"]) <= 200, e["slug"]
        assert e["strategy"] in STRATEGIES, e["slug"]
        assert ("rung" in e) != bool(e.get("anytime")), e["slug"]


def test_every_barrier_appears_on_rungs_1_to_4() -> None:
    low = {e["barrier"] for e in ON_RUNGS if e["rung"] <= 4}
    assert low == {b.value for b in Barrier}
    # Someone held back by shame gets a gentle start too.
    assert any(e["barrier"] == "vulnerability" and e["rung"] <= 2 for e in ON_RUNGS)


@pytest.mark.parametrize("rung", range(1, 11))
def test_every_rung_has_3_contexts_and_2_challenges_that_need_no_job_or_money(rung: int) -> None:
    here = [e for e in ON_RUNGS if e["rung"] == rung]
    contexts = {e["context"] for e in here}
    assert len(contexts) >= 3, (rung, contexts)
    outside_work = [e for e in here if e["context"] != Context.WORK.value]
    assert len(outside_work) >= 2, rung
    needs_nothing = [e for e in outside_work if not NEEDS.search(words(e))]
    assert len(needs_nothing) >= 2, (rung, [e["slug"] for e in outside_work])


def test_no_imperial_units_no_one_country_and_nothing_unkind() -> None:
    for e in ACTIVE:
        text = words(e)
        assert not IMPERIAL.search(text), (e["slug"], IMPERIAL.search(text))
        assert not ONE_COUNTRY.search(text), (e["slug"], ONE_COUNTRY.search(text))
        assert not UNKIND.search(text), (e["slug"], UNKIND.search(text))


def test_no_active_challenge_practises_a_crisis() -> None:
    for e in ACTIVE:
        assert "crisis" not in words(e).lower(), e["slug"]
        assert "emergency" not in words(e).lower() or e.get("anytime"), e["slug"]
    assert retired_slugs() == {"ask-a-friend-to-stay-with-you-in-a-crisis"}


def test_support_is_any_time() -> None:
    anytime = {e["slug"]: e for e in ACTIVE if e.get("anytime")}
    for slug in (
        "talk-to-a-doctor-about-how-you-have-been-feeling",
        "reach-out-to-a-professional-about-how-you-feel",  # a therapist or counsellor
        "call-or-message-a-helpline",
        "tell-a-trusted-person-how-you-really-are",
    ):
        assert slug in anytime, slug
    for e in ON_RUNGS:
        text = words(e).lower()
        assert not re.search(r"therapist|counsellor|helpline", text), e["slug"]


def test_the_caveats_and_the_order_the_issue_asks_for() -> None:
    by_slug = {e["slug"]: e for e in ENTRIES}
    assert "who can see" in words(by_slug["ask-your-network-for-job-leads"]).lower()
    assert "you decide how much" in words(by_slug["ask-for-accommodations-at-work"]).lower()
    server = by_slug["ask-a-server-to-fix-your-order"]["rung"]
    assert server > by_slug["borrow-something-small-from-a-friend"]["rung"]


def test_the_tips_draw_on_every_strategy_in_balance() -> None:
    counts = Counter(e["strategy"] for e in ACTIVE)
    assert set(counts) == set(STRATEGIES), counts
    assert min(counts.values()) >= 5, counts
    assert max(counts.values()) <= 0.25 * len(ACTIVE), counts


def test_a_checkout_reads_the_top_level_data_folder() -> None:
    """The editable install has no tracker/data/: the loader reads data/ beside it (an
    installed wheel has tracker/data/challenges.toml; tests/test_wheel.py checks that)."""
    from pathlib import Path

    from tracker.store.seed import ladder_text

    root = Path(__file__).resolve().parents[2]
    assert ladder_text() == (root / "data" / "challenges.toml").read_text(encoding="utf-8")
