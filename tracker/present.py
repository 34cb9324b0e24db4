"""Domain values as JSON-ready dicts (the `--json` output, documented in docs/cli.md)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from tracker.domain import rules
from tracker.domain.models import Attempt, Challenge
from tracker.service import Overview


def challenge_brief(c: Challenge) -> dict[str, Any]:
    """`rung` is null for an any-time challenge, and `anytime` true."""
    return {"id": c.id, "slug": c.slug, "title": c.title, "rung": c.rung, "anytime": c.anytime}


def challenge_json(c: Challenge) -> dict[str, Any]:
    return challenge_brief(c) | {
        "context": str(c.context),
        "barrier": str(c.barrier),
        "tip": c.tip,
        "description": c.description,
        "builtin": c.builtin,
        "archived": c.archived,
    }


def local_iso(moment: datetime, zone: tzinfo | None) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds")


def attempt_json(a: Attempt, challenge: Challenge | None, zone: tzinfo | None) -> dict[str, Any]:
    return {
        "id": a.id,
        "challenge": challenge_brief(challenge) if challenge else {"id": a.challenge_id},
        "occurred_at": local_iso(a.occurred_at, zone),
        "planned": a.planned,
        "outcome": str(a.outcome) if a.outcome else None,
        "predicted": a.predicted,
        "feared": a.feared,
        "happened": a.happened,
        "expected_distress": a.expected_distress,
        "peak_distress": a.peak_distress,
        "confidence": a.confidence,
        "rerated": a.rerated,
        "who": a.who,
        "channel": str(a.channel) if a.channel else None,
        "strategies": [str(s) for s in a.strategies],
        "learned": a.learned,
        "note": a.note,
        "evidence": a.evidence,
        "kinder": a.kinder,
        "planned_for": local_iso(a.planned_for, zone) if a.planned_for else None,
    }


def next_json(view: Overview) -> dict[str, Any]:
    s = view.suggestion
    return {
        "rung": s.rung,
        "current_rung": s.current_rung,
        "challenge": challenge_json(s.challenge) if s.challenge else None,
        "reason": s.reason,
        "step_back": s.step_back,
        "revisits_due": [{"rung": r.rung, "due": r.due.isoformat()} for r in s.revisits_due],
        "all_climbed": s.all_climbed,
    }


def ladder_json(view: Overview) -> dict[str, Any]:
    return {
        "current_rung": view.ladder.current_rung,
        "all_climbed": view.ladder.all_climbed,
        "rungs": [
            {
                "rung": r.rung,
                "state": str(r.state),
                "needed": r.needed,
                "challenges": [
                    challenge_json(p.challenge) | {"asks": p.asks} for p in r.challenges
                ],
            }
            for r in view.ladder.rungs
        ],
        "anytime": [challenge_json(p.challenge) | {"asks": p.asks} for p in view.ladder.anytime],
    }


def _calibration_row(row: rules.CalibrationRow) -> dict[str, Any]:
    return {
        "attempts": row.attempts,
        "mean_predicted": row.mean_predicted,
        "happened_rate": row.happened_rate,
    }


def progress_json(view: Overview) -> dict[str, Any]:
    cal = view.calibration
    return {
        "current_rung": view.ladder.current_rung,
        "all_climbed": view.ladder.all_climbed,
        "rungs": [
            {
                "rung": r.rung,
                "state": str(r.state),
                "asks": r.asks,
                "distinct_challenges": r.distinct_challenges,
                "needed": r.needed,
                "climbed_at": local_iso(r.climbed_at, view.now.tzinfo) if r.climbed_at else None,
            }
            for r in view.ladder.rungs
        ],
        "week": {
            "start": view.week.start.isoformat(),
            "asks": view.week.asks,
            "goal": view.week.goal,
        },
        "streak_weeks": view.streak,
        "calibration": _calibration_row(cal.overall)
        | {
            "by_rung": {str(k): _calibration_row(v) for k, v in cal.by_rung.items()},
            "by_context": {str(k): _calibration_row(v) for k, v in cal.by_context.items()},
        },
        "total_asks": view.total_asks,
        "anytime_asks": view.anytime_asks,
    }
