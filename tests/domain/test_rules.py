"""Scenario tests for the progression rules of DESIGN.md ("The rules").

Each class covers one rule and its edges. The clock is fixed (NOW, Sunday 22 November
2026, 10:00 in London) and every threshold comes from Settings.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.domain.builders import (
    DEFAULTS,
    NEW_YORK,
    NOW,
    TOKYO,
    Log,
    attempt,
    challenge,
    days_ago,
    local,
)
from tests.domain.folded import folded
from tracker.domain.models import Attempt, Challenge, Context, Outcome, Settings
from tracker.domain.rules import (
    Ladder,
    Revisit,
    RungState,
    Suggestion,
    calibration_from,
    ladder_from,
    revisits_due_from,
    revisits_from,
    streak_from,
    suggest_from,
    weeks_from,
)
from tracker.domain.summary import Frame, fold, week_start

# A small ladder: two challenges on rungs 1 and 2, three on rung 3, each in its own context.
A1 = challenge(1, rung=1, context=Context.STRANGERS)
B1 = challenge(2, rung=1, context=Context.SERVICES)
A2 = challenge(3, rung=2, context=Context.WORK)
B2 = challenge(4, rung=2, context=Context.FRIENDS)
A3 = challenge(5, rung=3, context=Context.FAMILY)
B3 = challenge(6, rung=3, context=Context.COMMUNITY)
C3 = challenge(7, rung=3, context=Context.ONLINE)
BASIC = [A1, B1, A2, B2, A3, B3, C3]

ASKS = [Outcome.HELPED, Outcome.PARTLY, Outcome.DECLINED, Outcome.NO_ANSWER]


def state(
    challenges: list[Challenge], log: Log | list[Attempt], settings: Settings = DEFAULTS
) -> Ladder:
    return ladder_from(folded(challenges, list(log), settings), challenges, settings)


def nxt(
    challenges: list[Challenge],
    log: Log | list[Attempt],
    settings: Settings = DEFAULTS,
    now: datetime = NOW,
) -> Suggestion:
    return suggest_from(folded(challenges, list(log), settings, now), challenges, settings, now)


def climbed_at(asks: list[Attempt], needed: int, settings: Settings) -> datetime | None:
    """The first moment a rung's asks (oldest first) met every climbing condition."""
    frame = Frame(rung_of={a.challenge_id: 1 for a in asks}, needed={1: needed},
                  settings=settings, zone=UTC)  # fmt: skip
    tally = fold(frame, asks).rungs.get(1)
    return tally.climbed_at if tally else None


def climbed(lad: Ladder) -> set[int]:
    return {r.rung for r in lad.rungs if r.state is RungState.CLIMBED}


def rung(lad: Ladder, number: int):  # type: ignore[no-untyped-def]
    found = lad.rung(number)
    assert found is not None, f"rung {number} is not on the ladder"
    return found


# --------------------------------------------------------------------------- climbing


class TestClimbing:
    def test_three_confident_asks_from_two_challenges_climb_the_rung(self) -> None:
        log = Log()
        asks = log.climb(A1, B1)
        lad = state(BASIC, log)
        r1 = rung(lad, 1)
        assert r1.state is RungState.CLIMBED
        assert r1.climbed_at == asks[-1].occurred_at
        assert r1.asks == 3
        assert r1.distinct_challenges == 2
        assert r1.needed == ""
        assert lad.current_rung == 2

    def test_two_asks_are_not_enough(self) -> None:
        log = Log()
        log.good(A1)
        log.good(B1)
        r1 = rung(state(BASIC, log), 1)
        assert r1.state is RungState.CURRENT
        assert r1.climbed_at is None
        assert "2 of 3 asks" in r1.needed

    def test_asks_from_one_challenge_are_not_enough_when_the_rung_has_two_active(self) -> None:
        log = Log()
        for _ in range(4):
            log.good(A1)
        r1 = rung(state(BASIC, log), 1)
        assert r1.state is RungState.CURRENT
        assert r1.needed_challenges == 2
        assert r1.distinct_challenges == 1
        assert "1 of 2 different challenges" in r1.needed

        second = log.good(B1)
        r1 = rung(state(BASIC, log), 1)
        assert r1.state is RungState.CLIMBED
        assert r1.climbed_at == second.occurred_at

    @pytest.mark.parametrize("outcome", ASKS)
    def test_any_answer_counts_as_an_ask(self, outcome: Outcome) -> None:
        # A "no" (or no answer) is a finished exposure: outcome does not decide progress.
        log = Log()
        log.climb(A1, B1, outcome=outcome)
        assert climbed(state(BASIC, log)) == {1}

    def test_climbing_on_declined_and_no_answer(self) -> None:
        log = Log()
        log.good(A1, outcome=Outcome.DECLINED)
        log.good(B1, outcome=Outcome.NO_ANSWER)
        last = log.good(A1, outcome=Outcome.DECLINED)
        assert rung(state(BASIC, log), 1).climbed_at == last.occurred_at

    def test_avoided_attempts_are_never_asks(self) -> None:
        log = Log()
        log.good(A1)
        log.avoid(B1, confidence=10, rerated=0)
        log.good(A1)
        r1 = rung(state(BASIC, log), 1)
        assert r1.state is RungState.CURRENT
        assert r1.asks == 2
        assert r1.distinct_challenges == 1  # the avoided B1 is not a challenge tried

    def test_many_avoided_attempts_never_climb(self) -> None:
        log = Log()
        for _ in range(5):
            log.avoid(A1, confidence=10, rerated=0)
            log.avoid(B1, confidence=10, rerated=0)
        lad = state(BASIC, log)
        assert climbed(lad) == set()
        assert rung(lad, 1).asks == 0

    def test_an_avoided_attempt_between_asks_does_not_break_the_recent_two(self) -> None:
        log = Log()
        log.good(A1)
        log.good(B1)
        log.avoid(A1, confidence=1, rerated=100)
        last = log.good(A1)
        r1 = rung(state(BASIC, log), 1)
        assert r1.state is RungState.CLIMBED
        assert r1.climbed_at == last.occurred_at

    @pytest.mark.parametrize(
        ("confidences", "climbs"),
        [
            ([8, 8, 8], True),
            ([7, 7, 7], True),  # 7 is enough
            ([8, 8, 6], False),  # last ask below 7
            ([8, 6, 8], False),  # second-to-last ask below 7
            ([8, 8, None], False),  # no confidence recorded: not shown
            ([8, None, 8], False),
            ([0, 8, 8], True),  # only the 2 most recent asks need the confidence
            ([None, 7, 10], True),
        ],
    )
    def test_confidence_of_the_two_most_recent_asks(
        self, confidences: list[int | None], climbs: bool
    ) -> None:
        log = Log()
        for on, confidence in zip([A1, B1, A1], confidences, strict=True):
            log.ask(on, confidence=confidence)
        assert (1 in climbed(state(BASIC, log))) is climbs

    @pytest.mark.parametrize(
        ("rerated", "climbs"),
        [
            ([10, 10, 10], True),
            ([30, 30, 30], True),  # 30 is allowed
            ([10, 10, 31], False),  # 31 blocks
            ([10, 31, 10], False),
            ([None, None, None], True),  # not recorded: no bar
            ([10, None, 30], True),
            ([90, 20, None], True),  # only the 2 most recent asks matter
        ],
    )
    def test_rerated_likelihood_where_recorded(
        self, rerated: list[int | None], climbs: bool
    ) -> None:
        log = Log()
        for on, value in zip([A1, B1, A1], rerated, strict=True):
            log.ask(on, confidence=9, rerated=value)
        assert (1 in climbed(state(BASIC, log))) is climbs

    def test_low_confidence_then_two_good_asks_climbs_at_the_second_good_one(self) -> None:
        log = Log()
        log.good(A1)
        log.good(B1)
        log.ask(A1, confidence=5)
        log.good(B1)
        assert climbed(state(BASIC, log)) == set()  # last two: 5 and 8
        fifth = log.good(A1)
        assert rung(state(BASIC, log), 1).climbed_at == fifth.occurred_at

    def test_a_rung_with_one_active_challenge_needs_only_one(self) -> None:
        only = challenge(10, rung=4)
        log = Log()
        last = log.climb(only)[-1]
        r4 = rung(state([only], log), 4)
        assert r4.needed_challenges == 1
        assert r4.climbed_at == last.occurred_at

    def test_an_archived_sibling_does_not_raise_the_number_needed(self) -> None:
        active = challenge(10, rung=4)
        gone = challenge(11, rung=4, archived=True)
        log = Log()
        log.climb(active)
        r4 = rung(state([active, gone], log), 4)
        assert r4.needed_challenges == 1
        assert r4.state is RungState.CLIMBED

    def test_first_moment_and_once_climbed_stays_climbed(self) -> None:
        log = Log()
        third = log.climb(A1, B1)[-1]
        log.good(B1)  # a fourth good ask does not move the moment
        log.ask(A1, confidence=1, rerated=100, peak_distress=95)
        log.ask(B1, confidence=2, outcome=Outcome.DECLINED)
        log.avoid(A1)
        r1 = rung(state(BASIC, log), 1)
        assert r1.state is RungState.CLIMBED
        assert r1.climbed_at == third.occurred_at
        assert r1.asks == 6

    def test_climbed_at_on_its_own(self) -> None:
        log = Log()
        asks = [
            log.ask(A1, confidence=9),
            log.ask(A1, confidence=3),
            log.ask(B1, confidence=9),
            log.ask(A1, confidence=9),
            log.ask(B1, confidence=1),
        ]
        assert climbed_at(asks[:3], 2, DEFAULTS) is None
        assert climbed_at(asks, 2, DEFAULTS) == asks[3].occurred_at
        assert climbed_at(asks, 3, DEFAULTS) is None
        assert climbed_at([], 1, DEFAULTS) is None

    def test_a_higher_rung_can_be_climbed_before_a_lower_one(self) -> None:
        log = Log()
        log.climb(A2, B2)
        lad = state(BASIC, log)
        assert climbed(lad) == {2}
        assert lad.current_rung == 1
        assert rung(lad, 3).state is RungState.LOCKED

        log.climb(A1, B1)
        assert state(BASIC, log).current_rung == 3  # rung 2 already climbed: skipped

    def test_a_moved_challenge_takes_its_history_to_its_new_rung(self) -> None:
        log = Log()
        log.good(9)
        log.good(A2)
        log.good(9)
        where_it_was = challenge(9, rung=3, context=Context.ONLINE)
        moved = replace(where_it_was, rung=2)

        before = state([*BASIC, where_it_was], log)
        assert rung(before, 2).asks == 1
        assert rung(before, 3).asks == 2
        assert climbed(before) == set()

        after = state([*BASIC, moved], log)
        r2 = rung(after, 2)
        assert r2.asks == 3
        assert rung(after, 3).asks == 0
        assert r2.state is RungState.CLIMBED
        assert {p.challenge.id: p.asks for p in r2.challenges} == {3: 1, 4: 0, 9: 2}

    def test_asks_at_archived_challenges_still_count(self) -> None:
        archived = challenge(8, rung=1, context=Context.ONLINE, archived=True)
        log = Log()
        log.good(archived)
        log.good(A1)
        last = log.good(archived)
        r1 = rung(state([*BASIC, archived], log), 1)
        assert r1.asks == 3
        assert r1.distinct_challenges == 2
        assert r1.needed_challenges == 2  # A1 and B1 are active
        assert r1.climbed_at == last.occurred_at

    def test_archiving_after_climbing_keeps_the_rung_climbed(self) -> None:
        log = Log()
        third = log.climb(A1, B1)[-1]
        archived = [replace(c, archived=True) if c.rung == 1 else c for c in BASIC]
        lad = state(archived, log)
        assert rung(lad, 1).climbed_at == third.occurred_at
        assert lad.current_rung == 2

    def test_adding_a_challenge_to_a_climbed_rung_keeps_it_climbed(self) -> None:
        # Rung 4 had one active challenge and was climbed with 3 good asks at it. The user
        # then adds a second challenge of their own to rung 4. DESIGN.md: "Once climbed, a
        # rung stays climbed."
        only = challenge(10, rung=4)
        log = Log()
        third = log.climb(only)[-1]
        assert rung(state([only], log), 4).climbed_at == third.occurred_at

        # The climb is remembered (the store keeps it in rung_climb and hands it to the
        # fold as part of the frame), so the rearranged ladder does not take it back.
        added = challenge(11, rung=4, context=Context.WORK, builtin=False)
        ladder_now = [only, added]
        remembered = Frame.of(ladder_now, DEFAULTS, UTC, climbs={4: third.occurred_at})
        lad = ladder_from(fold(remembered, list(log)), ladder_now, DEFAULTS)
        assert rung(lad, 4).state is RungState.CLIMBED
        assert rung(lad, 4).climbed_at == third.occurred_at
        # Without the memory, the rule alone would ask for a second challenge now.
        assert rung(state(ladder_now, log), 4).state is RungState.CURRENT

    def test_custom_challenges_count_like_built_in_ones(self) -> None:
        mine = challenge(20, rung=1, context=Context.FAMILY, builtin=False)
        log = Log()
        log.good(mine)
        log.good(A1)
        last = log.good(mine)
        lad = state([*BASIC, mine], log)
        assert rung(lad, 1).climbed_at == last.occurred_at
        assert rung(lad, 1).distinct_challenges == 2

    def test_a_custom_challenge_on_its_own_rung(self) -> None:
        mine = challenge(20, rung=5, builtin=False)
        lad = state([*BASIC, mine], Log())
        assert [r.rung for r in lad.rungs] == [1, 2, 3, 5]
        assert rung(lad, 5).state is RungState.LOCKED

    def test_empty_history(self) -> None:
        lad = state(BASIC, [])
        assert lad.current_rung == 1
        assert [r.state for r in lad.rungs] == [
            RungState.CURRENT,
            RungState.LOCKED,
            RungState.LOCKED,
        ]
        for r in lad.rungs:
            assert r.asks == 0
            assert r.climbed_at is None
            assert "no asks yet" in r.needed
            assert "3 asks" in r.needed
            assert "2 different challenges" in r.needed
        assert rung(lad, 3).needed_challenges == 2  # never more than the setting

    def test_planned_attempts_count_for_nothing(self) -> None:
        log = Log()
        for on in (A1, B1, A1, B1):
            log.plan(on, confidence=10, rerated=0, predicted=50)
        lad = state(BASIC, log)
        assert lad == state(BASIC, [])
        assert rung(lad, 1).asks == 0

    def test_a_planned_attempt_does_not_break_the_recent_two(self) -> None:
        log = Log()
        log.good(A1)
        log.good(B1)
        log.plan(A1, confidence=1, rerated=100)
        last = log.good(A1)
        assert rung(state(BASIC, log), 1).climbed_at == last.occurred_at

    def test_a_planned_attempt_completed_later_counts(self) -> None:
        log = Log()
        log.good(A1)
        log.good(B1)
        planned = log.plan(A1)
        assert climbed(state(BASIC, log)) == set()
        done = replace(planned, outcome=Outcome.PARTLY, confidence=8)
        assert climbed(state(BASIC, [*log.attempts[:-1], done])) == {1}

    def test_attempts_at_unknown_challenges_are_ignored(self) -> None:
        log = Log()
        for _ in range(3):
            log.good(999)
        lad = state(BASIC, log)
        assert climbed(lad) == set()
        assert sum(r.asks for r in lad.rungs) == 0

    def test_order_of_the_log_does_not_matter(self) -> None:
        log = Log()
        log.climb(A1, B1)
        log.ask(A2, confidence=3)
        assert state(BASIC, list(reversed(log.attempts))) == state(BASIC, log)

    def test_what_is_still_needed_names_the_numbers(self) -> None:
        log = Log()
        log.good(A1)
        log.ask(A1, confidence=5)
        needed = rung(state(BASIC, log), 1).needed
        assert "2 of 3 asks" in needed
        assert "1 of 2 different challenges" in needed
        assert "confidence was 5" in needed
        assert "7" in needed

    def test_what_is_still_needed_names_a_high_rerating(self) -> None:
        log = Log()
        log.good(A1)
        log.good(B1)
        log.ask(A1, confidence=9, rerated=45)
        needed = rung(state(BASIC, log), 1).needed
        assert "45%" in needed
        assert "30%" in needed

    def test_what_is_still_needed_without_a_confidence_rating(self) -> None:
        log = Log()
        log.good(A1)
        log.good(B1)
        log.ask(A1)
        needed = rung(state(BASIC, log), 1).needed
        assert "no confidence rating" in needed
        assert "7" in needed

    def test_what_is_still_needed_names_the_ask_that_fell_short(self) -> None:
        log = Log()
        log.good(A1)
        log.ask(B1, confidence=5)
        log.good(A1, confidence=9)
        needed = rung(state(BASIC, log), 1).needed
        assert "second-to-last ask's confidence was 5" in needed
        assert "confidence was 9" not in needed

    def test_what_is_still_needed_names_the_right_ask_when_more_must_show_confidence(
        self,
    ) -> None:
        # With climb_recent=3 the asks are 5, 8, 8: the one that fell short is the
        # third-to-last. The reason must not pin the 5 on the second-to-last ask (an 8).
        settings = Settings(climb_recent=3)
        log = Log()
        log.ask(A1, confidence=5)
        log.good(B1)
        log.good(A1)
        needed = rung(state(BASIC, log, settings), 1).needed
        assert "confidence was 5" in needed
        assert "second-to-last ask's confidence was 5" not in needed
        assert "last 3 asks" in needed


# --------------------------------------------------------------------------- current rung


class TestCurrentRung:
    def test_the_lowest_rung_not_climbed(self) -> None:
        log = Log()
        log.climb(A1, B1)
        lad = state(BASIC, log)
        assert lad.current_rung == 2
        assert [r.state for r in lad.rungs] == [
            RungState.CLIMBED,
            RungState.CURRENT,
            RungState.LOCKED,
        ]

    def test_a_rung_with_only_archived_challenges_is_skipped(self) -> None:
        gone = challenge(8, rung=2, archived=True)
        ladder_ = [A1, B1, gone, A3, B3]
        log = Log()
        log.climb(A1, B1)
        lad = state(ladder_, log)
        assert lad.current_rung == 3
        # Issue 12: kept (so its archived challenges can be seen and restored), but
        # locked and not listed where archived challenges are hidden.
        skipped = lad.rung(2)
        assert skipped is not None and skipped.state is RungState.LOCKED
        assert not skipped.listed and not skipped.active

    def test_a_rung_with_no_challenges_at_all_is_skipped(self) -> None:
        far = challenge(9, rung=7)
        log = Log()
        log.climb(A1, B1)
        lad = state([A1, B1, far], log)
        assert lad.current_rung == 7
        assert [r.rung for r in lad.rungs] == [1, 7]

    def test_a_lowest_rung_that_is_not_rung_one(self) -> None:
        assert state([A3, B3], []).current_rung == 3

    def test_a_climbed_rung_whose_challenges_were_archived_stays_on_the_ladder(self) -> None:
        log = Log()
        log.climb(A1, B1)
        archived = [replace(c, archived=True) if c.rung == 1 else c for c in BASIC]
        lad = state(archived, log)
        assert rung(lad, 1).state is RungState.CLIMBED
        assert rung(lad, 1).active == ()
        assert lad.current_rung == 2

    def test_every_rung_climbed(self) -> None:
        log = Log()
        log.climb(A1, B1)
        log.climb(A2, B2)
        log.climb(A3, B3, C3)
        lad = state(BASIC, log)
        assert lad.current_rung is None
        assert lad.all_climbed

    def test_the_ladder_keeps_the_rungs_in_order(self) -> None:
        shuffled = [C3, A2, B1, A3, A1, B3, B2]
        lad = state(shuffled, [])
        assert [r.rung for r in lad.rungs] == [1, 2, 3]
        assert [p.challenge.id for p in rung(lad, 3).challenges] == [5, 6, 7]


# --------------------------------------------------------------------------- step back


def _climbed_rung_one() -> Log:
    log = Log()
    log.climb(A1, B1)
    return log


class TestStepBack:
    def test_two_avoided_at_the_current_rung_step_back(self) -> None:
        log = _climbed_rung_one()
        log.avoid(A2)
        log.avoid(B2)
        s = nxt(BASIC, log)
        assert s.current_rung == 2
        assert s.rung == 1
        assert s.step_back
        assert s.challenge is not None and s.challenge.rung == 1
        assert "2 not asked" in s.reason
        assert "rung 1" in s.reason.lower()
        assert "Rung 2" in s.reason

    def test_an_ask_on_the_rung_below_ends_the_step_back(self) -> None:
        # Stepping back is for a while, not for good: once the user has asked on the
        # rung below, the suggestion returns to the current rung.
        log = _climbed_rung_one()
        log.avoid(A2)
        log.avoid(B2)
        assert nxt(BASIC, log).step_back
        log.ask(A1, confidence=6)
        s = nxt(BASIC, log)
        assert not s.step_back
        assert s.rung == s.current_rung == 2
        log.avoid(A2)  # hard again after that ask: the last two tries at rung 2 are avoided
        assert nxt(BASIC, log).step_back

    @pytest.mark.parametrize(
        ("peaks", "steps_back"),
        [
            ((85, 85), True),  # 85 is a hard try
            ((90, 100), True),
            ((84, 99), False),
            ((99, 84), False),
            ((84, 84), False),
            ((None, 95), False),  # no distress recorded is not a hard try
        ],
    )
    def test_peak_distress(self, peaks: tuple[int | None, int | None], steps_back: bool) -> None:
        log = _climbed_rung_one()
        log.ask(A2, peak_distress=peaks[0], confidence=3)
        log.ask(B2, peak_distress=peaks[1], confidence=3)
        s = nxt(BASIC, log)
        assert s.step_back is steps_back
        assert s.rung == (1 if steps_back else 2)

    def test_a_mix_of_avoided_and_overwhelming_steps_back_and_says_why(self) -> None:
        log = _climbed_rung_one()
        log.avoid(A2)
        log.ask(B2, peak_distress=92, outcome=Outcome.DECLINED)
        s = nxt(BASIC, log)
        assert s.step_back
        assert s.rung == 1
        assert "1 not asked" in s.reason
        assert "92" in s.reason

    def test_only_one_hard_try_is_not_enough(self) -> None:
        log = _climbed_rung_one()
        log.avoid(A2)
        s = nxt(BASIC, log)
        assert not s.step_back
        assert s.rung == 2

    @pytest.mark.parametrize(
        ("tries", "steps_back"),
        [
            (["hard", "fine"], False),
            (["hard", "hard", "fine"], False),
            (["fine", "hard", "hard"], True),
            (["hard", "fine", "hard"], False),
        ],
    )
    def test_only_the_two_most_recent_tries_count(self, tries: list[str], steps_back: bool) -> None:
        log = _climbed_rung_one()
        for kind in tries:
            if kind == "hard":
                log.avoid(A2)
            else:
                log.ask(B2, confidence=5, peak_distress=40)
        assert nxt(BASIC, log).step_back is steps_back

    def test_attempts_at_other_rungs_do_not_dilute_the_hard_tries(self) -> None:
        log = _climbed_rung_one()
        log.avoid(A2)
        log.ask(A1, confidence=9, peak_distress=10)
        log.ask(B2, peak_distress=88)
        s = nxt(BASIC, log)
        assert s.step_back
        assert s.rung == 1

    def test_hard_tries_at_a_lower_rung_do_not_step_back(self) -> None:
        log = _climbed_rung_one()
        log.avoid(A1)
        log.avoid(B1)
        s = nxt(BASIC, log)
        assert not s.step_back
        assert s.rung == 2

    def test_planned_attempts_are_not_hard_tries(self) -> None:
        log = _climbed_rung_one()
        log.plan(A2, expected_distress=99)
        log.plan(B2, peak_distress=99)
        s = nxt(BASIC, log)
        assert not s.step_back
        assert s.rung == 2

    def test_rung_one_stays_on_rung_one_and_says_why(self) -> None:
        log = Log()
        log.avoid(A1)
        log.avoid(B1)
        s = nxt(BASIC, log)
        assert s.rung == 1
        assert s.current_rung == 1
        assert s.challenge is not None and s.challenge.rung == 1
        assert "2 not asked" in s.reason
        assert "Rung 1" in s.reason

    def test_the_lowest_active_rung_stays_where_it_is(self) -> None:
        log = Log()
        log.ask(A3, peak_distress=90)
        log.ask(B3, peak_distress=86)
        s = nxt([A3, B3, C3], log)
        assert s.rung == 3
        assert s.challenge is not None and s.challenge.rung == 3
        assert "90" in s.reason and "86" in s.reason

    def test_steps_back_to_the_rung_directly_below(self) -> None:
        log = _climbed_rung_one()
        log.climb(A2, B2)
        log.avoid(A3)
        log.avoid(B3)
        s = nxt(BASIC, log)
        assert s.current_rung == 3
        assert s.rung == 2
        assert s.challenge in (A2, B2)
        assert "rung 2" in s.reason

    def test_a_gap_rung_steps_back_to_the_nearest_rung_with_active_challenges(self) -> None:
        gone = challenge(8, rung=2, archived=True)
        ladder_ = [A1, B1, gone, A3, B3]
        log = _climbed_rung_one()
        log.avoid(A3)
        log.avoid(B3)
        s = nxt(ladder_, log)
        assert s.current_rung == 3
        assert s.rung == 1
        assert s.challenge in (A1, B1)

    def test_a_climbed_rung_with_only_archived_challenges_is_not_a_step_back_target(
        self,
    ) -> None:
        gone = challenge(8, rung=2, archived=True)
        ladder_ = [A1, B1, gone, A3, B3]
        log = _climbed_rung_one()
        log.climb(gone)
        assert rung(state(ladder_, log), 2).state is RungState.CLIMBED
        log.avoid(A3)
        log.avoid(B3)
        s = nxt(ladder_, log)
        assert s.rung == 1
        assert s.challenge in (A1, B1)

    def test_asking_again_at_the_current_rung_ends_the_step_back(self) -> None:
        log = _climbed_rung_one()
        log.avoid(A2)
        log.avoid(B2)
        assert nxt(BASIC, log).step_back
        log.ask(A2, confidence=5, peak_distress=60)
        s = nxt(BASIC, log)
        assert not s.step_back
        assert s.rung == 2

    def test_thresholds_come_from_settings(self) -> None:
        settings = Settings(step_back_recent=3, step_back_distress=70)
        log = _climbed_rung_one()
        log.ask(A2, peak_distress=70)
        log.ask(B2, peak_distress=75)
        assert not nxt(BASIC, log, settings).step_back  # only 2 of 3
        log.avoid(A2)
        s = nxt(BASIC, log, settings)
        assert s.step_back
        assert "3" in s.reason


# --------------------------------------------------------------------------- which challenge


class TestWhichChallenge:
    def test_fewest_asks_first(self) -> None:
        a = challenge(1, rung=1, context=Context.WORK)
        b = challenge(2, rung=1, context=Context.FRIENDS)
        log = Log()
        log.ask(a, at=days_ago(20))
        log.ask(a, at=days_ago(19))
        log.ask(b, at=days_ago(1))  # more recent, but fewer asks
        assert nxt([a, b], log).challenge == b

    def test_then_the_one_practised_least_recently(self) -> None:
        a = challenge(1, rung=1, context=Context.WORK)
        b = challenge(2, rung=1, context=Context.FRIENDS)
        log = Log()
        log.ask(b, at=days_ago(3))
        log.ask(a, at=days_ago(1))
        assert nxt([a, b], log).challenge == b

        log = Log()
        log.ask(a, at=days_ago(3))
        log.ask(b, at=days_ago(1))
        assert nxt([a, b], log).challenge == a

    def test_never_practised_counts_as_least_recent(self) -> None:
        a = challenge(1, rung=1, context=Context.WORK)
        b = challenge(2, rung=1, context=Context.FRIENDS)
        c = challenge(3, rung=1, context=Context.FAMILY)
        log = Log()
        log.ask(a)
        log.ask(b)
        assert nxt([a, b, c], log).challenge == c

    def test_then_a_context_other_than_the_last_attempts(self) -> None:
        elsewhere = challenge(9, rung=5, context=Context.WORK)
        a = challenge(1, rung=1, context=Context.WORK)
        b = challenge(2, rung=1, context=Context.FRIENDS)
        log = Log()
        log.ask(elsewhere, confidence=2)
        assert nxt([a, b, elsewhere], log).challenge == b

    def test_only_the_very_last_attempt_sets_the_context(self) -> None:
        friends = challenge(8, rung=5, context=Context.FRIENDS)
        work = challenge(9, rung=6, context=Context.WORK)
        a = challenge(1, rung=1, context=Context.WORK)
        b = challenge(2, rung=1, context=Context.FRIENDS)
        log = Log()
        log.ask(friends, confidence=2)
        log.ask(work, confidence=2)
        assert nxt([a, b, friends, work], log).challenge == b

    def test_without_a_shared_context_the_lowest_id_wins(self) -> None:
        elsewhere = challenge(9, rung=5, context=Context.SERVICES)
        a = challenge(1, rung=1, context=Context.WORK)
        b = challenge(2, rung=1, context=Context.FRIENDS)
        log = Log()
        log.ask(elsewhere, confidence=2)
        assert nxt([a, b, elsewhere], log).challenge == a

    def test_the_last_attempt_counts_for_context_even_when_avoided(self) -> None:
        elsewhere = challenge(9, rung=5, context=Context.WORK)
        a = challenge(1, rung=1, context=Context.WORK)
        b = challenge(2, rung=1, context=Context.FRIENDS)
        log = Log()
        log.avoid(elsewhere)
        assert nxt([a, b, elsewhere], log).challenge == b

    def test_a_planned_attempt_is_not_the_last_attempt(self) -> None:
        work = challenge(8, rung=5, context=Context.WORK)
        friends = challenge(9, rung=6, context=Context.FRIENDS)
        a = challenge(1, rung=1, context=Context.WORK)
        b = challenge(2, rung=1, context=Context.FRIENDS)
        log = Log()
        log.ask(work, confidence=2)
        log.plan(friends)
        assert nxt([a, b, work, friends], log).challenge == b

    def test_recency_ranks_above_context(self) -> None:
        elsewhere = challenge(9, rung=5, context=Context.WORK)
        a = challenge(1, rung=1, context=Context.WORK)
        b = challenge(2, rung=1, context=Context.FRIENDS)
        log = Log()
        log.ask(a, at=days_ago(3))
        log.ask(b, at=days_ago(2))
        log.ask(elsewhere, at=days_ago(1))  # last attempt in WORK, like a
        assert nxt([a, b, elsewhere], log).challenge == a

    def test_then_the_lowest_id(self) -> None:
        high = challenge(7, rung=1, context=Context.WORK)
        low = challenge(3, rung=1, context=Context.WORK)
        assert nxt([high, low], []).challenge == low

    def test_then_the_lowest_id_with_equal_history(self) -> None:
        high = challenge(7, rung=1, context=Context.WORK)
        low = challenge(3, rung=1, context=Context.WORK)
        moment = days_ago(2)
        log = [attempt(1, high, moment), attempt(2, low, moment)]
        assert nxt([high, low], log).challenge == low

    def test_archived_challenges_are_never_suggested(self) -> None:
        gone = challenge(1, rung=1, archived=True)
        kept = challenge(2, rung=1)
        log = Log()
        for _ in range(5):
            log.ask(kept, confidence=2)
        s = nxt([gone, kept], log)
        assert s.challenge == kept

    def test_avoided_attempts_are_not_practice(self) -> None:
        a = challenge(1, rung=1, context=Context.WORK)
        b = challenge(2, rung=1, context=Context.WORK)
        log = Log()
        log.avoid(a, at=days_ago(5))
        log.ask(b, at=days_ago(4), confidence=3)
        assert nxt([a, b], log).challenge == a  # 0 asks against 1

    def test_the_suggestion_is_on_the_current_rung(self) -> None:
        log = _climbed_rung_one()
        s = nxt(BASIC, log)
        assert s.rung == 2
        assert s.current_rung == 2
        assert s.challenge in (A2, B2)
        assert not s.step_back
        assert not s.all_climbed


# --------------------------------------------------------------------------- revisits


ONLY1 = challenge(1, rung=1)
ONLY2 = challenge(2, rung=2)
PAIR = [ONLY1, ONLY2]


def _climb_at(log: Log, on: Challenge, day: datetime) -> Attempt:
    """Three good asks on `day` at 9, 10 and 11 o'clock; returns the climbing one."""
    for hour in (9, 10):
        log.good(on, at=day.replace(hour=hour, minute=0))
    return log.good(on, at=day.replace(hour=11, minute=0))


def _only_revisit(log: Log, now: datetime = NOW, settings: Settings = DEFAULTS) -> Revisit:
    found = revisits_from(folded(PAIR, list(log), settings, now), settings)
    assert len(found) == 1
    return found[0]


class TestRevisits:
    def test_due_seven_days_after_climbing(self) -> None:
        log = Log()
        last = _climb_at(log, ONLY1, local(2026, 11, 14))
        r = _only_revisit(log)
        assert r == Revisit(
            rung=1, due=date(2026, 11, 21), last_ask_at=last.occurred_at, interval_days=7
        )

    def test_eight_days_after_climbing_it_is_due(self) -> None:
        log = Log()
        _climb_at(log, ONLY1, local(2026, 11, 14))
        due = revisits_due_from(folded(PAIR, list(log), DEFAULTS, NOW), DEFAULTS, NOW)
        assert [r.rung for r in due] == [1]

    @pytest.mark.parametrize(
        ("today", "is_due"),
        [
            (local(2026, 11, 20, 23, 59), False),
            (local(2026, 11, 21, 0, 1), True),  # the due day itself
            (local(2026, 11, 22, 10), True),
            (local(2027, 3, 1, 10), True),  # long overdue stays due
        ],
    )
    def test_due_from_the_due_day_on(self, today: datetime, is_due: bool) -> None:
        log = Log()
        _climb_at(log, ONLY1, local(2026, 11, 14))
        due = revisits_due_from(folded(PAIR, list(log), DEFAULTS, today), DEFAULTS, today)
        assert bool(due) is is_due

    def test_on_time_revisits_lengthen_the_interval_up_to_56_days(self) -> None:
        log = Log()
        _climb_at(log, ONLY1, local(2026, 6, 1))
        schedule = [
            (local(2026, 6, 8), 14, date(2026, 6, 22)),
            (local(2026, 6, 22), 28, date(2026, 7, 20)),
            (local(2026, 7, 20), 56, date(2026, 9, 14)),
            (local(2026, 9, 14), 56, date(2026, 11, 9)),  # capped at 56
            (local(2026, 11, 9), 56, date(2027, 1, 4)),
        ]
        assert _only_revisit(log).interval_days == 7
        for when, interval, due in schedule:
            ask = log.ask(ONLY1, confidence=3, at=when)  # confidence does not matter
            r = _only_revisit(log)
            assert (r.interval_days, r.due, r.last_ask_at) == (interval, due, ask.occurred_at)

    def test_a_late_revisit_keeps_the_interval(self) -> None:
        log = Log()
        _climb_at(log, ONLY1, local(2026, 8, 1))
        log.ask(ONLY1, at=local(2026, 8, 11))  # due 8 August: 3 days late
        r = _only_revisit(log)
        assert (r.interval_days, r.due) == (7, date(2026, 8, 18))

        log.ask(ONLY1, at=local(2026, 8, 18))  # on time now
        r = _only_revisit(log)
        assert (r.interval_days, r.due) == (14, date(2026, 9, 1))

        log.ask(ONLY1, at=local(2026, 9, 5))  # late again: stays at 14
        r = _only_revisit(log)
        assert (r.interval_days, r.due) == (14, date(2026, 9, 19))

    def test_revisits_due_lists_only_the_due_ones(self) -> None:
        log = Log()
        _climb_at(log, ONLY1, days_ago(10))
        _climb_at(log, ONLY2, days_ago(2))
        everything = revisits_from(folded(PAIR, list(log), DEFAULTS, NOW), DEFAULTS)
        assert [r.rung for r in everything] == [1, 2]
        assert everything[1].due == date(2026, 11, 27)
        assert [
            r.rung for r in revisits_due_from(folded(PAIR, list(log), DEFAULTS, NOW), DEFAULTS, NOW)
        ] == [1]

    def test_only_climbed_rungs_have_revisits(self) -> None:
        log = Log()
        log.good(ONLY1, at=days_ago(30))
        log.good(ONLY1, at=days_ago(29))
        assert revisits_from(folded(PAIR, list(log), DEFAULTS, NOW), DEFAULTS) == []

    def test_avoided_and_planned_attempts_are_not_revisits(self) -> None:
        log = Log()
        _climb_at(log, ONLY1, local(2026, 11, 14))
        log.avoid(ONLY1, at=local(2026, 11, 21, 9))
        log.plan(ONLY1, at=local(2026, 11, 21, 10))
        r = _only_revisit(log)
        assert (r.due, r.interval_days) == (date(2026, 11, 21), 7)

    def test_asks_on_other_rungs_are_not_revisits(self) -> None:
        log = Log()
        _climb_at(log, ONLY1, local(2026, 11, 10))
        log.ask(ONLY2, at=local(2026, 11, 17), confidence=2)
        assert _only_revisit(log).due == date(2026, 11, 17)

    def test_days_are_local_dates(self) -> None:
        # Sunday 15 November, 23:30 in New York is already Monday 04:30 in UTC.
        now = local(2026, 11, 22, 10, tz=NEW_YORK)
        log = Log()
        for minute in (10, 20, 30):
            log.good(ONLY1, at=local(2026, 11, 15, 23, minute, tz=NEW_YORK))
        r = _only_revisit(log, now)
        assert r.due == date(2026, 11, 22)
        assert revisits_due_from(folded(PAIR, list(log), DEFAULTS, now), DEFAULTS, now) == (r,)

    def test_a_late_evening_revisit_counts_on_its_local_day(self) -> None:
        # Revisited on Sunday 22 November at 21:00 in New York (Monday 02:00 in UTC):
        # on time for a revisit due that Sunday, and the next one is due 14 days after it.
        log = Log()
        for minute in (10, 20, 30):
            log.good(ONLY1, at=local(2026, 11, 15, 9, minute, tz=NEW_YORK))
        log.ask(ONLY1, at=local(2026, 11, 22, 21, 0, tz=NEW_YORK))
        r = _only_revisit(log, local(2026, 11, 22, 22, tz=NEW_YORK))
        assert (r.interval_days, r.due) == (14, date(2026, 12, 6))

    def test_due_is_judged_by_the_local_date_today(self) -> None:
        # Due Saturday 21 November; at 21:00 on Friday 20 November in New York it is
        # already Saturday in UTC, but not yet due where the user is.
        log = Log()
        for minute in (10, 20, 30):
            log.good(ONLY1, at=local(2026, 11, 14, 9, minute, tz=NEW_YORK))
        friday_night = local(2026, 11, 20, 21, tz=NEW_YORK)
        assert friday_night.astimezone(UTC).date() == date(2026, 11, 21)
        assert (
            revisits_due_from(
                folded(PAIR, list(log), DEFAULTS, friday_night), DEFAULTS, friday_night
            )
            == ()
        )
        saturday = local(2026, 11, 21, 8, tz=NEW_YORK)
        assert [
            r.rung
            for r in revisits_due_from(
                folded(PAIR, list(log), DEFAULTS, saturday), DEFAULTS, saturday
            )
        ] == [1]

    def test_intervals_come_from_settings(self) -> None:
        settings = Settings(revisit_days=(3, 5))
        log = Log()
        _climb_at(log, ONLY1, local(2026, 11, 1))
        assert _only_revisit(log, settings=settings).due == date(2026, 11, 4)
        log.ask(ONLY1, at=local(2026, 11, 4))
        r = _only_revisit(log, settings=settings)
        assert (r.interval_days, r.due) == (5, date(2026, 11, 9))
        log.ask(ONLY1, at=local(2026, 11, 9))
        assert _only_revisit(log, settings=settings).interval_days == 5

    def test_no_intervals_no_revisits(self) -> None:
        settings = Settings(revisit_days=())
        log = Log()
        _climb_at(log, ONLY1, local(2026, 11, 1))
        assert revisits_from(folded(PAIR, list(log), settings, NOW), settings) == []

    def test_the_suggestion_lists_the_due_revisits(self) -> None:
        log = Log()
        _climb_at(log, ONLY1, days_ago(9))
        s = nxt(PAIR, log)
        assert s.challenge == ONLY2
        assert [r.rung for r in s.revisits_due] == [1]
        assert s.revisits_due[0].due == date(2026, 11, 20)

    def test_no_revisits_due_beside_a_fresh_climb(self) -> None:
        log = Log()
        _climb_at(log, ONLY1, days_ago(1))
        assert nxt(PAIR, log).revisits_due == ()


# --------------------------------------------------------------------------- top of the ladder


class TestTopOfTheLadder:
    def test_every_rung_climbed_suggests_the_least_practised_top_challenge(self) -> None:
        gone = challenge(8, rung=3, context=Context.ONLINE, archived=True)
        log = Log()
        log.climb(A1, B1)
        log.climb(A2, B2)
        log.climb(A3, B3)  # A3 twice, B3 once
        log.climb(A3, B3)  # A3 four times, B3 twice
        log.ask(C3, confidence=9)  # C3 once
        s = nxt([*BASIC, gone], log)
        assert s.all_climbed
        assert s.current_rung is None
        assert s.rung == 3
        assert s.challenge == C3
        assert not s.step_back
        assert "harder" in s.reason
        assert "1 ask" in s.reason
        assert "3" in s.reason

    def test_the_top_rung_is_the_highest_with_an_active_challenge(self) -> None:
        gone = challenge(8, rung=9, archived=True)
        log = Log()
        log.climb(A1, B1)
        log.climb(A2, B2)
        log.climb(A3, B3, C3)
        log.climb(gone)
        s = nxt([*BASIC, gone], log)
        assert s.all_climbed
        assert s.rung == 3

    def test_hard_tries_do_not_step_back_from_the_top(self) -> None:
        log = Log()
        log.climb(A1, B1)
        log.climb(A2, B2)
        log.climb(A3, B3, C3)
        log.avoid(A3)
        log.avoid(B3)
        s = nxt(BASIC, log)
        assert s.all_climbed
        assert s.rung == 3

    def test_an_empty_ladder_is_not_all_climbed(self) -> None:
        assert not state([], []).all_climbed
        assert not nxt([], []).all_climbed


# --------------------------------------------------------------------------- empty ladder


class TestEmptyLadder:
    @pytest.mark.parametrize(
        "challenges",
        [
            [],
            [challenge(1, archived=True), challenge(2, rung=4, archived=True)],
        ],
        ids=["no challenges", "all archived"],
    )
    def test_no_active_challenge(self, challenges: list[Challenge]) -> None:
        log = Log()
        for c in challenges:
            log.climb(c)
        s = nxt(challenges, log)
        assert s.challenge is None
        assert s.rung is None
        assert s.current_rung is None
        assert not s.step_back
        assert not s.all_climbed
        assert "add" in s.reason.lower()
        assert s.reason.strip()

    def test_the_empty_ladder_has_no_current_rung(self) -> None:
        lad = state([], [])
        assert lad.rungs == ()
        assert lad.current_rung is None


# --------------------------------------------------------------------------- reasons


class TestReasons:
    def test_the_design_example(self) -> None:
        log = _climbed_rung_one()
        log.climb(A2, B2)
        log.good(A3)
        log.ask(B3, confidence=5)
        s = nxt(BASIC, log)
        assert s.rung == 3
        assert s.reason.startswith("Rung 3: ")
        assert "2 of 3 asks done" in s.reason
        assert "your last ask's confidence was 5" in s.reason
        assert "7 or more" in s.reason

    def test_a_fresh_ladder(self) -> None:
        s = nxt(BASIC, [])
        assert s.challenge == A1
        assert s.reason.startswith("Rung 1: ")
        assert "3 asks" in s.reason
        assert "2 different challenges" in s.reason
        assert "7" in s.reason

    @staticmethod
    def _scenarios() -> dict[str, tuple[list[Challenge], Log]]:
        fresh = Log()
        some = Log()
        some.good(A1)
        low = Log()
        low.climb(A1, B1)
        low.ask(A2, confidence=2, rerated=80)
        back = _climbed_rung_one()
        back.avoid(A2)
        back.ask(B2, peak_distress=95)
        stay = Log()
        stay.avoid(A1)
        stay.avoid(B1)
        top = Log()
        top.climb(A1, B1)
        return {
            "fresh": (BASIC, fresh),
            "some": (BASIC, some),
            "low": (BASIC, low),
            "step back": (BASIC, back),
            "rung one stays": (BASIC, stay),
            "top": ([A1, B1], top),
        }

    @pytest.mark.parametrize("name", ["fresh", "some", "low", "step back", "rung one stays", "top"])
    def test_every_suggestion_has_a_one_line_reason_with_numbers(self, name: str) -> None:
        challenges, log = self._scenarios()[name]
        s = nxt(challenges, log)
        assert s.challenge is not None
        assert s.reason.strip()
        assert "\n" not in s.reason
        assert re.search(r"\d", s.reason)


# --------------------------------------------------------------------------- calibration


class TestCalibration:
    def test_overall_per_rung_and_per_context(self) -> None:
        log = Log()
        log.ask(A1, predicted=80, happened=False)  # rung 1, strangers
        log.ask(B1, predicted=60, happened=True)  # rung 1, services
        log.ask(A2, predicted=40, happened=False)  # rung 2, work
        log.ask(A1, predicted=20, happened=True)  # rung 1, strangers
        cal = calibration_from(folded(BASIC, log), BASIC)
        assert cal.overall.attempts == 4
        assert cal.overall.mean_predicted == 50.0
        assert cal.overall.happened_rate == 50.0
        assert set(cal.by_rung) == {1, 2}
        assert cal.by_rung[1].attempts == 3
        assert cal.by_rung[1].mean_predicted == pytest.approx(53.3)
        assert cal.by_rung[1].happened_rate == pytest.approx(66.7)
        assert (cal.by_rung[2].mean_predicted, cal.by_rung[2].happened_rate) == (40.0, 0.0)
        assert set(cal.by_context) == {Context.STRANGERS, Context.SERVICES, Context.WORK}
        strangers = cal.by_context[Context.STRANGERS]
        assert (strangers.attempts, strangers.mean_predicted, strangers.happened_rate) == (
            2,
            50.0,
            50.0,
        )
        assert cal.by_context[Context.SERVICES].happened_rate == 100.0

    def test_attempts_without_both_fields_are_left_out(self) -> None:
        log = Log()
        log.ask(A1, predicted=70, happened=None)
        log.ask(A1, predicted=None, happened=True)
        log.ask(A1)
        log.ask(B1, predicted=30, happened=False)
        cal = calibration_from(folded(BASIC, log), BASIC)
        assert cal.overall.attempts == 1
        assert cal.overall.mean_predicted == 30.0
        assert cal.overall.happened_rate == 0.0
        assert set(cal.by_context) == {Context.SERVICES}

    def test_planned_attempts_are_left_out(self) -> None:
        log = Log()
        log.plan(A1, predicted=90, happened=True)
        log.ask(B1, predicted=10, happened=False)
        cal = calibration_from(folded(BASIC, log), BASIC)
        assert cal.overall.attempts == 1
        assert cal.overall.mean_predicted == 10.0

    def test_zero_and_hundred_are_values_not_gaps(self) -> None:
        log = Log()
        log.ask(A1, predicted=0, happened=False)
        log.ask(A1, predicted=100, happened=True)
        cal = calibration_from(folded(BASIC, log), BASIC)
        assert cal.overall.attempts == 2
        assert cal.overall.mean_predicted == 50.0

    def test_nothing_to_compare(self) -> None:
        cal = calibration_from(folded(BASIC, []), BASIC)
        assert cal.overall.attempts == 0
        assert cal.overall.mean_predicted is None
        assert cal.overall.happened_rate is None
        assert cal.by_rung == {}
        assert cal.by_context == {}

    def test_a_moved_challenge_counts_on_its_current_rung(self) -> None:
        log = Log()
        log.ask(A1, predicted=50, happened=False)
        moved = replace(A1, rung=4)
        assert set(calibration_from(folded([moved], log), [moved]).by_rung) == {4}

    def test_an_unknown_challenge_counts_only_overall(self) -> None:
        log = Log()
        log.ask(999, predicted=50, happened=False)
        cal = calibration_from(folded(BASIC, log), BASIC)
        assert cal.overall.attempts == 1
        assert cal.by_rung == {}
        assert cal.by_context == {}


# --------------------------------------------------------------------------- week and streak


class TestWeek:
    def test_this_week_runs_monday_to_sunday_in_local_time(self) -> None:
        log = Log()
        log.ask(A1, at=local(2026, 11, 15, 23, 30))  # Sunday before: last week
        log.ask(A1, at=local(2026, 11, 16, 0, 30))  # Monday
        log.ask(A1, at=local(2026, 11, 22, 9, 0))  # Sunday (today)
        week = weeks_from(folded([], log, DEFAULTS, NOW), DEFAULTS, NOW, 1)[0]
        assert week.start == date(2026, 11, 16)
        assert week.asks == 2
        assert week.goal == 3
        assert not week.met

    def test_sunday_night_west_of_utc_belongs_to_sundays_week(self) -> None:
        # 23:30 on Sunday 15 November in New York is 04:30 on Monday 16 November in UTC.
        sunday_night = local(2026, 11, 15, 23, 30, tz=NEW_YORK)
        assert sunday_night.astimezone(UTC).weekday() == 0
        now = local(2026, 11, 18, 12, tz=NEW_YORK)
        log = [attempt(1, A1, sunday_night)]
        assert weeks_from(folded([], log, DEFAULTS, now), DEFAULTS, now, 1)[0].asks == 0
        last, current = weeks_from(folded([], log, DEFAULTS, now), DEFAULTS, now, 2)
        assert (last.start, last.asks) == (date(2026, 11, 9), 1)
        assert (current.start, current.asks) == (date(2026, 11, 16), 0)

    def test_monday_morning_east_of_utc_belongs_to_mondays_week(self) -> None:
        # 08:00 on Monday 16 November in Tokyo is still Sunday 15 November in UTC.
        monday_morning = local(2026, 11, 16, 8, 0, tz=TOKYO)
        assert monday_morning.astimezone(UTC).weekday() == 6
        now = local(2026, 11, 18, 12, tz=TOKYO)
        log = [attempt(1, A1, monday_morning)]
        assert weeks_from(folded([], log, DEFAULTS, now), DEFAULTS, now, 1)[0].asks == 1

    def test_only_asks_count(self) -> None:
        log = Log(start=local(2026, 11, 17, 9))
        for outcome in ASKS:
            log.ask(A1, outcome=outcome)
        log.avoid(A1)
        log.plan(A1)
        week = weeks_from(folded([], log, DEFAULTS, NOW), DEFAULTS, NOW, 1)[0]
        assert week.asks == 4
        assert week.met

    def test_weeks_are_oldest_first_and_use_the_goal(self) -> None:
        settings = Settings(weekly_goal=2)
        log = Log()
        log.ask(A1, at=local(2026, 11, 3))
        log.ask(A1, at=local(2026, 11, 4))
        log.ask(A1, at=local(2026, 11, 20))
        log.ask(A1, at=local(2026, 10, 1))  # outside the 3 weeks asked for
        got = weeks_from(folded([], log, settings, NOW), settings, NOW, 3)
        assert [w.start for w in got] == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
        assert [w.asks for w in got] == [2, 0, 1]
        assert [w.met for w in got] == [True, False, False]
        assert {w.goal for w in got} == {2}

    def test_week_start_is_the_monday(self) -> None:
        assert week_start(date(2026, 11, 22)) == date(2026, 11, 16)
        assert week_start(date(2026, 11, 16)) == date(2026, 11, 16)
        assert week_start(date(2026, 11, 15)) == date(2026, 11, 9)


def _asks_in_weeks(counts: list[int], now: datetime = NOW) -> list[Attempt]:
    """`counts[0]` asks this week, `counts[1]` last week, and so on (on Mondays, 12:00)."""
    monday = week_start(now.date())
    made: list[Attempt] = []
    for weeks_back, count in enumerate(counts):
        day = monday - timedelta(weeks=weeks_back)
        for i in range(count):
            at = datetime(day.year, day.month, day.day, 12, i, tzinfo=now.tzinfo)
            made.append(attempt(len(made) + 1, A1, at))
    return made


class TestStreak:
    @pytest.mark.parametrize(
        ("counts", "expected"),
        [
            ([], 0),
            ([0], 0),
            ([3], 1),  # this week already met the goal
            ([5, 3, 4], 3),
            ([1, 3, 3, 3], 3),  # the week in progress does not break it
            ([0, 3, 3, 3], 3),
            ([3, 3, 2, 3], 2),  # a past week below the goal breaks it
            ([0, 2, 3, 3], 0),
            ([0, 0, 3, 3], 0),
            ([3, 0, 3], 1),
        ],
    )
    def test_consecutive_weeks_meeting_the_goal(self, counts: list[int], expected: int) -> None:
        assert (
            streak_from(folded([], _asks_in_weeks(counts), DEFAULTS, NOW), DEFAULTS, NOW)
            == expected
        )

    def test_avoided_and_planned_do_not_count(self) -> None:
        made = _asks_in_weeks([0, 2])
        monday = local(2026, 11, 9, 18)
        made.append(attempt(100, A1, monday, Outcome.AVOIDED))
        made.append(attempt(101, A1, monday, None))
        assert streak_from(folded([], made, DEFAULTS, NOW), DEFAULTS, NOW) == 0
        made.append(attempt(102, A1, monday, Outcome.NO_ANSWER))
        assert streak_from(folded([], made, DEFAULTS, NOW), DEFAULTS, NOW) == 1

    def test_the_goal_comes_from_settings(self) -> None:
        made = _asks_in_weeks([1, 1, 1, 0, 1])
        assert (
            streak_from(
                folded([], made, Settings(weekly_goal=1), NOW), Settings(weekly_goal=1), NOW
            )
            == 3
        )
        assert streak_from(folded([], made, DEFAULTS, NOW), DEFAULTS, NOW) == 0

    def test_weeks_are_local(self) -> None:
        # Three asks late on Sunday 8 November in New York: locally they fall in the week
        # of 2 November, so the week of 9 November (past, empty) breaks the streak. By UTC
        # they would be Monday 9 November and count toward a streak of 1.
        now = local(2026, 11, 18, 12, tz=NEW_YORK)  # Wednesday
        made = [attempt(i, A1, local(2026, 11, 8, 23, 10 * i, tz=NEW_YORK)) for i in (1, 2, 3)]
        assert streak_from(folded([], made, DEFAULTS, now), DEFAULTS, now) == 0
        assert (
            streak_from(
                folded([], made, DEFAULTS, local(2026, 11, 12, 12, tz=NEW_YORK)),
                DEFAULTS,
                local(2026, 11, 12, 12, tz=NEW_YORK),
            )
            == 1
        )

    def test_the_streak_ends_in_the_past_when_now_is_later(self) -> None:
        made = _asks_in_weeks([3, 3])
        later = NOW + timedelta(weeks=2)
        assert streak_from(folded([], made, DEFAULTS, later), DEFAULTS, later) == 0


# --------------------------------------------------------------------------- settings


class TestSettings:
    def test_climbing_thresholds_come_from_settings(self) -> None:
        settings = Settings(
            climb_min_asks=2,
            climb_min_challenges=1,
            climb_recent=1,
            climb_confidence=5,
            climb_rerated=50,
        )
        log = Log()
        log.ask(A1, confidence=2)
        second = log.ask(A1, confidence=5, rerated=50)
        assert rung(state(BASIC, log), 1).state is RungState.CURRENT  # defaults
        r1 = rung(state(BASIC, log, settings), 1)
        assert r1.needed_challenges == 1
        assert r1.climbed_at == second.occurred_at

    def test_three_different_challenges_when_the_setting_asks_for_them(self) -> None:
        settings = Settings(climb_min_challenges=3)
        log = Log()
        log.climb(A3, B3)
        log.good(A3)
        r3 = rung(state(BASIC, log, settings), 3)
        assert r3.needed_challenges == 3
        assert r3.state is not RungState.CLIMBED
        log.good(C3)
        assert rung(state(BASIC, log, settings), 3).state is RungState.CLIMBED
        # ...but never more than the rung has: rung 1 has two.
        assert rung(state(BASIC, [], settings), 1).needed_challenges == 2

    def test_the_reason_quotes_the_settings(self) -> None:
        settings = Settings(climb_min_asks=5, climb_confidence=9)
        log = Log()
        log.ask(A1, confidence=8)
        s = nxt(BASIC, log, settings)
        assert "1 of 5 asks" in s.reason
        assert "confidence was 8" in s.reason
        assert "9" in s.reason
