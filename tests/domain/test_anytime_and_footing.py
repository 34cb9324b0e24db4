"""Any-time challenges and the step back that rebuilds footing (issue 9, items 3 and 4).

An any-time challenge (rung None) sits on no rung: its asks count for the week, the
streak, the total and calibration overall and by context, and on no rung. It is never
the suggestion, a revisit, a step-back target or the top-of-the-ladder pick. A step back
picks, on the rung suggested, the challenge whose latest ask went best.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.builders import DEFAULTS, NOW, Log, challenge
from tests.domain.strategies import UNKNOWN_CHALLENGE, attempt_at, moment, outcomes, worlds
from tracker.domain.models import Attempt, Challenge, Context, Outcome, Settings
from tracker.domain.rules import (
    anytime_asks_from,
    calibration_from,
    ladder_from,
    revisits_from,
    streak_from,
    suggest_from,
    weeks_from,
)
from tracker.domain.summary import Frame, Summary, fold

PROPERTY = settings(max_examples=60, deadline=None)


def folded(challenges: list[Challenge], attempts: list[Attempt], s: Settings = DEFAULTS) -> Summary:
    return fold(Frame.of(challenges, s, NOW.tzinfo or NOW.astimezone().tzinfo), attempts)  # type: ignore[arg-type]


def anytime(id: int, context: Context = Context.SERVICES, archived: bool = False) -> Challenge:
    return replace(challenge(id, context=context, archived=archived), rung=None)


def is_ask(a: Attempt) -> bool:
    return a.outcome is not None and a.outcome is not Outcome.AVOIDED


# -- scenarios: any-time ---------------------------------------------------------------

A1, B1 = challenge(1, 1), challenge(2, 1, Context.FRIENDS)
A2, B2 = challenge(3, 2), challenge(4, 2, Context.WORK)
DOCTOR, HELPLINE = anytime(50), anytime(51, Context.ONLINE)
LADDER = [A1, B1, A2, B2, DOCTOR, HELPLINE]


def test_an_anytime_ask_counts_for_the_week_and_total_but_on_no_rung() -> None:
    log = Log(start=NOW - timedelta(days=2))
    log.good(DOCTOR)
    log.good(HELPLINE)
    log.good(A1)
    summary = folded(LADDER, log.attempts)
    lad = ladder_from(summary, LADDER, DEFAULTS)
    assert summary.total_asks == 3
    assert anytime_asks_from(summary, LADDER) == 2
    assert sum(r.asks for r in lad.rungs) == 1
    assert weeks_from(summary, DEFAULTS, NOW, 1)[0].asks == 3
    assert [p.challenge for p in lad.anytime] == [DOCTOR, HELPLINE]
    assert [p.asks for p in lad.anytime] == [1, 1]
    assert all(p.challenge.rung is not None for r in lad.rungs for p in r.challenges)


def test_anytime_asks_never_climb_a_rung_or_become_the_suggestion() -> None:
    log = Log(start=NOW - timedelta(days=4))
    for _ in range(6):
        log.good(DOCTOR)
    summary = folded(LADDER, log.attempts)
    lad = ladder_from(summary, LADDER, DEFAULTS)
    assert lad.current_rung == 1
    assert all(r.asks == 0 and r.climbed_at is None for r in lad.rungs)
    s = suggest_from(summary, LADDER, DEFAULTS, NOW)
    assert s.challenge is not None and s.challenge.rung == 1
    assert streak_from(summary, Settings(weekly_goal=1), NOW) >= 1


def test_a_ladder_of_only_anytime_challenges_suggests_nothing_to_practise() -> None:
    only = [DOCTOR, HELPLINE]
    s = suggest_from(folded(only, []), only, DEFAULTS, NOW)
    assert s.challenge is None


def test_calibration_counts_anytime_asks_overall_and_by_context_but_by_no_rung() -> None:
    log = Log()
    log.ask(HELPLINE, predicted=80, happened=False)
    log.ask(A1, predicted=40, happened=True)
    cal = calibration_from(folded(LADDER, log.attempts), LADDER)
    assert cal.overall.attempts == 2
    assert cal.by_context[Context.ONLINE].attempts == 1
    assert set(cal.by_rung) == {1}


def test_every_rung_climbed_the_top_pick_is_a_rung_challenge_not_an_anytime_one() -> None:
    log = Log()
    log.climb(A1, B1)
    log.climb(A2, B2)
    log.good(DOCTOR)
    summary = folded(LADDER, log.attempts)
    s = suggest_from(summary, LADDER, DEFAULTS, NOW)
    assert s.all_climbed
    assert s.challenge is not None and s.challenge.rung == 2


# -- scenarios: the step back picks firm footing ---------------------------------------

C1 = challenge(5, 1, Context.FAMILY)
HIGH = [challenge(10 + r, r) for r in range(1, 9)] + [challenge(30 + r, r) for r in range(1, 9)]


def _three_on_rung_one() -> list[Challenge]:
    return [A1, B1, C1, A2, B2, DOCTOR]


def test_step_back_picks_the_challenge_whose_latest_ask_had_the_highest_confidence() -> None:
    ladder = _three_on_rung_one()
    log = Log()
    log.good(A1, confidence=7, peak_distress=10)
    log.good(B1, confidence=9, peak_distress=60)
    log.good(C1, confidence=8, peak_distress=0)  # rung 1 climbed
    log.avoid(A2)
    log.avoid(B2)
    s = suggest_from(folded(ladder, log.attempts), ladder, DEFAULTS, NOW)
    assert s.step_back and s.rung == 1
    assert s.challenge == B1
    assert "a step you have done well before, on rung 1" in s.reason
    assert "rung 2 is still yours" in s.reason


def test_step_back_ties_go_to_lower_peak_distress_then_the_most_recent() -> None:
    ladder = _three_on_rung_one()
    log = Log()
    log.good(A1, confidence=8, peak_distress=40)
    log.good(B1, confidence=8, peak_distress=20)
    log.good(C1, confidence=8, peak_distress=20)
    log.avoid(A2)
    log.avoid(B2)
    s = suggest_from(folded(ladder, log.attempts), ladder, DEFAULTS, NOW)
    assert s.challenge == C1  # B1 and C1 tie on both; C1's ask is the more recent


def test_no_rating_counts_lowest_and_no_distress_counts_highest() -> None:
    ladder = _three_on_rung_one()
    log = Log()
    log.good(A1, confidence=8, peak_distress=None)
    log.good(B1, confidence=8, peak_distress=95)
    log.good(C1, confidence=8, peak_distress=90)
    log.avoid(A2)
    log.avoid(B2)
    s = suggest_from(folded(ladder, log.attempts), ladder, DEFAULTS, NOW)
    assert s.challenge == C1  # 90 is lower than 95; none counts as the highest of all
    log2 = Log()
    log2.good(A1, confidence=None, rerated=None)
    log2.good(B1, confidence=0)
    log2.good(C1, confidence=8)
    for _ in range(2):
        log2.good(A1)  # climbs rung 1 with confident asks; A1's latest is now confident
    log2.avoid(A2)
    log2.avoid(B2)
    s2 = suggest_from(folded(ladder, log2.attempts), ladder, DEFAULTS, NOW)
    assert s2.challenge == A1  # confidence 8, latest of the 8s


def test_only_the_latest_ask_of_each_challenge_decides() -> None:
    ladder = _three_on_rung_one()
    log = Log()
    log.good(B1, confidence=10)
    log.good(A1, confidence=8)
    log.good(C1, confidence=8)
    log.ask(B1, confidence=2, peak_distress=80)  # B1's latest went badly
    log.good(A1)
    log.good(C1)
    log.avoid(A2)
    log.avoid(B2)
    s = suggest_from(folded(ladder, log.attempts), ladder, DEFAULTS, NOW)
    assert s.challenge == C1


def test_a_skipped_try_is_not_footing() -> None:
    """Only asks made count: a challenge with only "didn't ask" tries has no footing."""
    ladder = [A1, B1, C1, A2, B2]
    log = Log()
    log.climb(A1, B1)
    log.avoid(C1)
    log.avoid(A2)
    log.avoid(B2)
    s = suggest_from(folded(ladder, log.attempts), ladder, DEFAULTS, NOW)
    assert s.challenge in (A1, B1)


def test_with_no_ask_on_the_rung_below_the_usual_rule_picks_and_claims_nothing() -> None:
    """Rung 1 climbed by remembered climb only: no ask there, so the usual rule picks."""
    ladder = [A1, B1, A2, B2]
    log = Log()
    log.avoid(A2)
    log.avoid(B2)
    frame = Frame.of(ladder, DEFAULTS, NOW.tzinfo, {1: NOW - timedelta(days=40)})  # type: ignore[arg-type]
    summary = fold(frame, log.attempts)
    s = suggest_from(summary, ladder, DEFAULTS, NOW)
    assert s.step_back and s.rung == 1
    assert s.challenge == A1  # fewest asks, then lowest id
    assert "done well before" not in s.reason
    assert "a gentler step on rung 1" in s.reason


def test_rung_one_stays_on_rung_one_with_the_step_that_went_best() -> None:
    ladder = [A1, B1, C1]
    log = Log()
    log.ask(A1, confidence=3)
    log.ask(C1, confidence=6)
    log.avoid(B1)
    log.avoid(A1)
    s = suggest_from(folded(ladder, log.attempts), ladder, DEFAULTS, NOW)
    assert s.step_back and s.rung == 1 and s.current_rung == 1
    assert s.challenge == C1
    assert "a step you have done well before, here on rung 1" in s.reason


WORDS_THAT_DEMOTE = ("demot", "fail", "back down", "go back", "not ready", "too hard", "avoided")


def test_a_stressful_but_successful_ask_is_not_told_as_a_demotion() -> None:
    ladder = [A1, B1, A2, B2]
    log = Log()
    log.climb(A1, B1)
    log.good(A2, peak_distress=90)
    log.good(B2, peak_distress=88)
    s = suggest_from(folded(ladder, log.attempts), ladder, DEFAULTS, NOW)
    assert s.step_back
    assert "peak distress 90 and 88" in s.reason
    assert not any(w in s.reason.lower() for w in WORDS_THAT_DEMOTE), s.reason


def _at_rung(top: int) -> tuple[list[Challenge], Log]:
    ladder = [
        *(c for c in HIGH if c.rung is not None and c.rung <= top),
        DOCTOR,
        HELPLINE,
        anytime(52, archived=True),
    ]
    ladder = [replace(c, title="Talk to a doctor") if c == DOCTOR else c for c in ladder]
    log = Log(start=NOW - timedelta(days=60))
    for r in range(1, top):
        log.climb(*(c for c in HIGH if c.rung == r))
    log.avoid(next(c for c in HIGH if c.rung == top))
    log.avoid(next(c for c in HIGH if c.rung == top))
    return ladder, log


def test_a_step_back_from_rung_8_or_higher_names_the_anytime_asks() -> None:
    for top in (8, 7):
        ladder, log = _at_rung(top)
        s = suggest_from(folded(ladder, log.attempts), ladder, DEFAULTS, NOW)
        assert s.step_back and s.current_rung == top and s.rung == top - 1
        named = "Talk to a doctor" in s.reason and HELPLINE.title in s.reason
        assert named is (top >= 8), s.reason
        assert "Challenge 52" not in s.reason  # archived: not offered


# -- properties ------------------------------------------------------------------------


@st.composite
def anytime_worlds(draw: st.DrawFn) -> tuple[list[Challenge], list[Attempt], set[int]]:
    """A random world plus 1-3 any-time challenges, with some asks moved onto them and a
    few more asks at them; attempts at challenges that do not exist are left out (the
    database's foreign key refuses them)."""
    challenges, attempts = draw(worlds())
    extra = [
        anytime(900 + i, draw(st.sampled_from(list(Context))))
        for i in range(draw(st.integers(1, 3)))
    ]
    ids = {c.id for c in extra}
    moved: list[Attempt] = []
    for a in attempts:
        if a.challenge_id == UNKNOWN_CHALLENGE:
            continue
        if draw(st.integers(0, 4)) == 0:
            a = replace(a, challenge_id=draw(st.sampled_from(sorted(ids))))
        moved.append(a)
    target = st.sampled_from(sorted(ids))
    more = [
        attempt_at(draw, 5_000 + i, target, moment(draw), outcomes)
        for i in range(draw(st.integers(0, 6)))
    ]
    return [*challenges, *extra], moved + more, ids


@PROPERTY
@given(world=anytime_worlds())
def test_rung_asks_and_anytime_asks_add_up_to_the_total(
    world: tuple[list[Challenge], list[Attempt], set[int]],
) -> None:
    challenges, attempts, ids = world
    summary = folded(challenges, attempts)
    lad = ladder_from(summary, challenges, DEFAULTS)
    counted = anytime_asks_from(summary, challenges)
    assert counted == sum(1 for a in attempts if is_ask(a) and a.challenge_id in ids)
    assert sum(r.asks for r in lad.rungs) + counted == summary.total_asks
    assert summary.total_asks == sum(1 for a in attempts if is_ask(a))
    assert sum(p.asks for p in lad.anytime) == counted


@PROPERTY
@given(world=anytime_worlds(), now=st.sampled_from([NOW, NOW + timedelta(days=20)]))
def test_anytime_challenges_are_never_suggested_revisited_or_stepped_to(
    world: tuple[list[Challenge], list[Attempt], set[int]], now: datetime
) -> None:
    challenges, attempts, ids = world
    summary = folded(challenges, attempts)
    s = suggest_from(summary, challenges, DEFAULTS, now)
    if s.challenge is not None:
        assert s.challenge.id not in ids and s.challenge.rung is not None
        assert not s.challenge.archived  # a retired (archived) challenge is never offered
        assert s.rung == s.challenge.rung
    rungs = {c.rung for c in challenges if c.rung is not None}
    assert all(r.rung in rungs for r in revisits_from(summary, DEFAULTS))


@PROPERTY
@given(world=anytime_worlds())
def test_anytime_asks_change_nothing_on_the_ladder(
    world: tuple[list[Challenge], list[Attempt], set[int]],
) -> None:
    """Leaving out every attempt at an any-time challenge leaves every rung as it was:
    its asks, its climb, its state, its revisits and whether a step back is due."""
    challenges, attempts, ids = world
    without = [a for a in attempts if a.challenge_id not in ids]
    with_them, none = folded(challenges, attempts), folded(challenges, without)
    assert (
        ladder_from(with_them, challenges, DEFAULTS).rungs
        == ladder_from(none, challenges, DEFAULTS).rungs
    )
    assert revisits_from(with_them, DEFAULTS) == revisits_from(none, DEFAULTS)
    a = suggest_from(with_them, challenges, DEFAULTS, NOW)
    b = suggest_from(none, challenges, DEFAULTS, NOW)
    assert (a.rung, a.current_rung, a.step_back, a.all_climbed) == (
        b.rung,
        b.current_rung,
        b.step_back,
        b.all_climbed,
    )


@PROPERTY
@given(world=anytime_worlds())
def test_anytime_asks_count_for_the_week_and_calibration(
    world: tuple[list[Challenge], list[Attempt], set[int]],
) -> None:
    challenges, attempts, _ids = world
    summary = folded(challenges, attempts)
    weeks = weeks_from(summary, DEFAULTS, NOW, 13)
    assert sum(w.asks for w in weeks) == sum(1 for a in attempts if is_ask(a))
    cal = calibration_from(summary, challenges)
    predicted = [
        a for a in attempts if not a.planned and a.predicted is not None and a.happened is not None
    ]
    assert cal.overall.attempts == len(predicted)
    assert sum(r.attempts for r in cal.by_context.values()) == len(predicted)
    on_rungs = {c.id for c in challenges if c.rung is not None}
    assert sum(r.attempts for r in cal.by_rung.values()) == sum(
        1 for a in predicted if a.challenge_id in on_rungs
    )
