"""Thank-yous due, people's figures and labels: scenarios and Hypothesis properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.builders import LONDON, NEW_YORK, NOW, TOKYO, attempt, local
from tracker.domain.models import Attempt, Outcome
from tracker.domain.people import (
    LABEL_LIMIT,
    Gift,
    Person,
    ThankKind,
    Thanks,
    label_key,
    label_problem,
    last_months,
    people_figures,
    people_per_month,
    thank_due,
    thank_window,
    thanks_due,
)

PROPERTY = settings(max_examples=100, deadline=None)
NOT_THANKABLE = (Outcome.DECLINED, Outcome.NO_ANSWER, Outcome.AVOIDED, None)


def ask(at: datetime, outcome: Outcome | None = Outcome.HELPED, who: str | None = "Sam") -> Attempt:
    return attempt(1, 1, at, outcome, who=who)


def due_days(a: Attempt, start: date, days: int, hour: int = 12) -> list[date]:
    """The local days from `start` on which a thank-you for `a` is due (checked at `hour`)."""
    found = []
    for n in range(days):
        day = start + timedelta(days=n)
        if thank_due(a, False, datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)):
            found.append(day)
    return found


# -- scenarios -----------------------------------------------------------------------


def test_an_ask_on_a_monday_is_due_tuesday_to_the_next_monday() -> None:
    monday = ask(local(2026, 11, 16, 18))
    assert due_days(monday, date(2026, 11, 14), 14) == [
        date(2026, 11, 17) + timedelta(days=n) for n in range(7)
    ]
    assert thank_window(monday.occurred_at, LONDON) == (date(2026, 11, 17), date(2026, 11, 23))


def test_due_from_the_first_minute_of_the_next_day_to_the_last_of_the_seventh() -> None:
    late = ask(local(2026, 11, 16, 23, 59))
    assert not thank_due(late, False, local(2026, 11, 16, 23, 59))
    assert thank_due(late, False, local(2026, 11, 17, 0, 0))
    assert thank_due(late, False, local(2026, 11, 23, 23, 59))
    assert not thank_due(late, False, local(2026, 11, 24, 0, 0))


def test_local_days_across_the_clocks_going_back() -> None:
    # London leaves summer time on Sunday 25 October 2026: that day has 25 hours.
    saturday_night = ask(local(2026, 10, 24, 23, 30))  # 22:30 UTC
    assert due_days(saturday_night, date(2026, 10, 23), 12, hour=0) == [
        date(2026, 10, 25) + timedelta(days=n) for n in range(7)
    ]
    assert thank_due(saturday_night, False, local(2026, 10, 31, 23, 59))
    assert not thank_due(saturday_night, False, local(2026, 11, 1, 0, 0))


def test_local_days_across_the_clocks_going_forward_in_new_york() -> None:
    # New York starts summer time on Sunday 8 March 2026.
    at = datetime(2026, 3, 7, 23, 30, tzinfo=NEW_YORK)
    a = ask(at)
    assert thank_window(a.occurred_at, NEW_YORK) == (date(2026, 3, 8), date(2026, 3, 14))
    assert thank_due(a, False, datetime(2026, 3, 8, 0, 1, tzinfo=NEW_YORK))
    assert not thank_due(a, False, datetime(2026, 3, 15, 0, 0, tzinfo=NEW_YORK))


def test_the_day_is_the_users_local_day_not_utc() -> None:
    # 23:30 in Tokyo on the 16th is 14:30 UTC the same day; 08:00 in Tokyo on the 17th
    # is still the 16th in UTC, yet it is the next local day.
    a = ask(datetime(2026, 11, 16, 23, 30, tzinfo=TOKYO))
    assert thank_due(a, False, datetime(2026, 11, 17, 8, 0, tzinfo=TOKYO))


def test_never_for_a_no_no_answer_not_asking_or_a_plan() -> None:
    for outcome in NOT_THANKABLE:
        assert due_days(ask(local(2026, 11, 16), outcome), date(2026, 11, 16), 10) == []


def test_partly_helped_counts_and_an_ask_with_nobody_does_not() -> None:
    assert due_days(ask(local(2026, 11, 16), Outcome.PARTLY), date(2026, 11, 16), 10)
    assert due_days(ask(local(2026, 11, 16), who=None), date(2026, 11, 16), 10) == []


def test_thanked_or_marked_not_needed_is_not_due() -> None:
    a = ask(local(2026, 11, 20))
    assert thanks_due([a], [], NOW)
    assert thanks_due([a], [a.id], NOW) == []


def test_thanks_due_lists_the_soonest_to_lapse_first_with_its_last_day() -> None:
    older = attempt(1, 1, local(2026, 11, 16), who="Sam")
    newer = attempt(2, 1, local(2026, 11, 21), who="my sister")
    due = thanks_due([newer, older], [], NOW)
    assert [(d.attempt.id, d.until) for d in due] == [
        (1, date(2026, 11, 23)),
        (2, date(2026, 11, 28)),
    ]


def test_labels_match_without_case_or_surrounding_spaces() -> None:
    assert label_key("My sister") == label_key("my sister ") == label_key("  MY SISTER")
    assert label_key("Straße") == label_key("STRASSE")
    assert label_key("my sister") != label_key("my  sister")


def test_label_problems() -> None:
    assert label_problem("my sister") is None
    assert label_problem("") and label_problem("   ")
    assert label_problem("x" * LABEL_LIMIT) is None
    assert label_problem("x" * (LABEL_LIMIT + 1))
    assert label_problem("my\x1b[31msister") is None  # kept as typed, shown escaped
    assert label_problem("two\nlines")


def test_people_figures() -> None:
    sam, sis, new = Person(1, "Sam"), Person(2, "my sister"), Person(3, "a colleague")
    log = [
        attempt(1, 1, local(2026, 11, 2), Outcome.HELPED, who="Sam"),
        attempt(2, 1, local(2026, 11, 9), Outcome.DECLINED, who="sam"),
        attempt(3, 1, local(2026, 11, 10), Outcome.AVOIDED, who="Sam"),
        attempt(4, 1, local(2026, 11, 20), Outcome.PARTLY, who="Sam"),
        attempt(5, 1, local(2026, 11, 21), None, who="Sam"),  # planned: counts nowhere
        attempt(6, 1, local(2026, 11, 12), Outcome.HELPED, who="my sister"),
        attempt(7, 1, local(2026, 11, 19), Outcome.HELPED, who=None),
    ]
    thanks = [
        Thanks(1, ThankKind.THANKED, local(2026, 11, 3).astimezone(UTC)),
        Thanks(6, ThankKind.SKIPPED, local(2026, 11, 13).astimezone(UTC)),
    ]
    gifts = [Gift(1, "MY SISTER", local(2026, 11, 21, 9).astimezone(UTC), "lent a ladder")]
    figures = people_figures([sam, sis, new], log, thanks, gifts, NOW)
    assert [f.person.label for f in figures] == ["my sister", "Sam", "a colleague"]
    s = figures[1]
    assert s.asks == 3 and s.outcomes[Outcome.AVOIDED] == 1 and s.outcomes[Outcome.HELPED] == 1
    assert sum(s.outcomes.values()) == 4
    assert s.last_asked == local(2026, 11, 20).astimezone(UTC)
    assert s.thanks == 1 and [d.attempt.id for d in s.thanks_due] == [4]
    assert [a.id for a in s.helped_with] == [4, 1]
    sister = figures[0]
    assert sister.thanks == 0 and sister.thanks_due == () and sister.gave == 1
    assert sister.last_in_touch == gifts[0].at
    assert figures[2].asks == 0 and figures[2].last_in_touch is None


def test_people_per_month_counts_different_people_asked() -> None:
    log = [
        attempt(1, 1, local(2026, 10, 31, 23, 30), who="Sam"),  # October, local
        attempt(2, 1, local(2026, 11, 1, 0, 30), who="sam"),
        attempt(3, 1, local(2026, 11, 2), Outcome.DECLINED, who="my sister"),
        attempt(4, 1, local(2026, 11, 3), Outcome.AVOIDED, who="a colleague"),
        attempt(5, 1, local(2026, 11, 4), None, who="a neighbour"),
        attempt(6, 1, local(2026, 11, 5), who=None),
    ]
    months = last_months(date(2026, 11, 22), 3)
    assert months == [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    assert people_per_month(log, LONDON, months) == [0, 1, 2]
    assert last_months(date(2027, 1, 5), 2) == [date(2026, 12, 1), date(2027, 1, 1)]


# -- properties ----------------------------------------------------------------------

ZONES = [LONDON, NEW_YORK, TOKYO, ZoneInfo("Australia/Lord_Howe"), UTC]
# Moments around the year's clock changes, minutes apart.
moments = st.integers(min_value=0, max_value=400 * 24 * 60).map(
    lambda m: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=m)
)


@PROPERTY
@given(
    at=moments,
    zone=st.sampled_from(ZONES),
    outcome=st.sampled_from([Outcome.HELPED, Outcome.PARTLY]),
    hour=st.integers(0, 23),
)
def test_a_thankable_ask_is_due_on_exactly_seven_local_days(
    at: datetime, zone: ZoneInfo, outcome: Outcome, hour: int
) -> None:
    a = attempt(1, 1, at, outcome, who="Sam")
    day = at.astimezone(zone).date()
    due = []
    for n in range(-2, 11):
        d = day + timedelta(days=n)
        # A wall-clock hour that may not exist (spring forward) still names its day.
        if thank_due(a, False, datetime(d.year, d.month, d.day, hour, tzinfo=zone)):
            due.append(n)
    assert due == list(range(1, 8))


@PROPERTY
@given(
    at=moments,
    later=st.integers(min_value=-3 * 24 * 60, max_value=12 * 24 * 60),
    zone=st.sampled_from(ZONES),
    outcome=st.sampled_from([*Outcome, None]),
    who=st.sampled_from([None, "", "Sam"]),
    settled=st.booleans(),
)
def test_due_exactly_when_thankable_unsettled_and_one_to_seven_local_days_later(
    at: datetime,
    later: int,
    zone: ZoneInfo,
    outcome: Outcome | None,
    who: str | None,
    settled: bool,
) -> None:
    a = attempt(1, 1, at, outcome, who=who)
    now = (at + timedelta(minutes=later)).astimezone(zone)
    days = (now.date() - at.astimezone(zone).date()).days
    expected = (
        outcome in (Outcome.HELPED, Outcome.PARTLY) and bool(who) and not settled and 1 <= days <= 7
    )
    assert thank_due(a, settled, now) is expected
    listed = thanks_due([a], [a.id] if settled else [], now)
    assert [d.attempt for d in listed] == ([a] if expected else [])
    if expected:
        assert listed[0].until == at.astimezone(zone).date() + timedelta(days=7)
        assert listed[0].until >= now.date()


@PROPERTY
@given(st.text(max_size=30), st.text(alphabet=" \t", max_size=3), st.text(alphabet=" ", max_size=3))
def test_a_label_is_the_same_person_whatever_its_case_and_surrounding_spaces(
    label: str, before: str, after: str
) -> None:
    assert label_key(before + label + after) == label_key(label)
    assert label_key(label.upper()) == label_key(label.upper().lower())
    if label_problem(label) is None:
        assert label_key(label)
