"""Figures for Insights that the rules don't already give: pure functions of the log."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean

from tracker.domain.models import Attempt, Challenge, Context, Outcome
from tracker.domain.summary import Summary, week_start


@dataclass(frozen=True, slots=True)
class WeekTrend:
    start: date
    asks: int
    peak_distress: float | None  # mean over the week's attempts that recorded it
    confidence: float | None


def weekly_trend(done: Iterable[Attempt], now: datetime, count: int) -> list[WeekTrend]:
    """Mean peak distress and confidence for each of the last `count` weeks, oldest first."""
    this_week = week_start(now.date())
    starts = [this_week - timedelta(weeks=i) for i in range(count - 1, -1, -1)]
    peaks: dict[date, list[int]] = {s: [] for s in starts}
    confidence: dict[date, list[int]] = {s: [] for s in starts}
    asks: Counter[date] = Counter()
    for a in done:
        start = week_start(a.occurred_at.astimezone(now.tzinfo).date())
        if start not in peaks:
            continue
        if a.is_ask:
            asks[start] += 1
        if a.peak_distress is not None:
            peaks[start].append(a.peak_distress)
        if a.confidence is not None:
            confidence[start].append(a.confidence)
    return [
        WeekTrend(
            start=s,
            asks=asks[s],
            peak_distress=fmean(peaks[s]) if peaks[s] else None,
            confidence=fmean(confidence[s]) if confidence[s] else None,
        )
        for s in starts
    ]


def early_and_late(values: Sequence[float | None], span: int = 2) -> tuple[float, float] | None:
    """The mean of the first `span` recorded values and of the last `span`, if enough exist."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return None
    span = min(span, len(known) // 2)
    return fmean(known[:span]), fmean(known[-span:])


def outcomes_by_context(
    summary: Summary, challenges: Iterable[Challenge]
) -> dict[Context, Counter[Outcome]]:
    """How each context's attempts turned out, all time, contexts in their usual order.

    Read from the log's summary (per-challenge outcome counts), so it costs the same at
    any history size; a challenge counts under the context it has now.
    """
    context_of = {c.id: c.context for c in challenges}
    tally: dict[Context, Counter[Outcome]] = {}
    for challenge_id, counts in summary.challenges.items():
        context = context_of.get(challenge_id)
        if context is None:
            continue
        for outcome, n in counts.outcomes.items():
            tally.setdefault(context, Counter())[Outcome(outcome)] += n
    return {c: tally[c] for c in Context if c in tally}


@dataclass(frozen=True, slots=True)
class ExpectancyChange:
    asks: int  # asks with both a prediction before and a re-rating after
    before: float | None  # mean predicted likelihood, percent
    after: float | None  # mean re-rated likelihood, percent
    latest: tuple[Attempt, ...]  # the most recent of them, newest first


def expectancy_change(done: Iterable[Attempt], latest: int = 4) -> ExpectancyChange:
    """How far expectations moved from before an ask (predicted) to after it (re-rated).

    Pittig et al. 2023 found the change in expectancy, not the violation itself, went
    with better outcomes; this shows the user their own change, ask by ask."""
    both = [a for a in done if a.is_ask and a.predicted is not None and a.rerated is not None]
    if not both:
        return ExpectancyChange(0, None, None, ())
    return ExpectancyChange(
        asks=len(both),
        before=fmean(a.predicted for a in both if a.predicted is not None),
        after=fmean(a.rerated for a in both if a.rerated is not None),
        latest=tuple(reversed(both[-latest:])),
    )
