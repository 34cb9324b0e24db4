"""People, thank-yous, help given and what is waiting, as JSON-ready dicts and as words.

The JSON shapes are documented in docs/cli.md. The words read as warm sentences, never
a ledger: nothing here compares what someone gave with what was given back.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from tracker.domain.models import Outcome
from tracker.domain.people import Gift, PersonFigures, ThankDue, Thanks
from tracker.present import attempt_json, local_iso
from tracker.service import Overview, Waiting
from tracker.visible import visible


def person_json(f: PersonFigures, zone: tzinfo | None) -> dict[str, Any]:
    return {
        "who": f.person.label,
        "asks": f.asks,
        "outcomes": {o.value: f.outcomes.get(o, 0) for o in Outcome},
        "last_asked": local_iso(f.last_asked, zone) if f.last_asked else None,
        "thanks": f.thanks,
        "thanks_due": len(f.thanks_due),
        "gave": f.gave,
        "last_gave": local_iso(f.last_gave, zone) if f.last_gave else None,
    }


def people_json(figures: list[PersonFigures], zone: tzinfo | None) -> dict[str, Any]:
    return {"people": [person_json(f, zone) for f in figures]}


def thanks_json(t: Thanks, who: str | None, zone: tzinfo | None) -> dict[str, Any]:
    return {
        "attempt": t.attempt_id,
        "who": who,
        "kind": str(t.kind),
        "at": local_iso(t.at, zone),
        "note": t.note,
    }


def gift_json(g: Gift, zone: tzinfo | None) -> dict[str, Any]:
    return {"id": g.id, "who": g.who, "at": local_iso(g.at, zone), "what": g.what, "note": g.note}


def thank_due_json(d: ThankDue, view: Overview, zone: tzinfo | None) -> dict[str, Any]:
    c = view.challenge(d.attempt.challenge_id)
    return {
        "attempt": d.attempt.id,
        "who": d.attempt.who,
        "challenge": c.slug if c else None,
        "occurred_at": local_iso(d.attempt.occurred_at, zone),
        "until": d.until.isoformat(),
    }


def waiting_json(w: Waiting, zone: tzinfo | None) -> dict[str, Any]:
    view = w.overview
    return {
        "planned": [attempt_json(a, view.challenge(a.challenge_id), zone) for a in w.planned],
        "revisits": [{"rung": r.rung, "due": r.due.isoformat()} for r in w.revisits],
        "thanks": [thank_due_json(d, view, zone) for d in w.thanks],
        "week": {
            "start": view.week.start.isoformat(),
            "asks": view.week.asks,
            "goal": view.week.goal,
        },
    }


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def waiting_line(w: Waiting) -> str:
    """One line for a shell prompt or a cron job; "" when nothing is waiting."""
    parts = []
    if w.thanks:
        parts.append(_count(len(w.thanks), "thank-you", "thank-yous"))
    if w.planned:
        parts.append(_count(len(w.planned), "planned ask", "planned asks"))
    if w.revisits:
        parts.append(_count(len(w.revisits), "revisit", "revisits"))
    return ", ".join(parts)


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _day(moment: datetime, now: datetime) -> str:
    local = moment.astimezone(now.tzinfo)
    if local.date() == now.date():
        return "today"
    if local.year != now.year:
        return local.strftime("%a %d %b %Y")
    return local.strftime("%a %d %b")


def person_sentences(f: PersonFigures, now: datetime) -> list[str]:
    """A person in a few warm sentences (no tallies set against each other)."""
    lines: list[str] = []
    helped = f.outcomes.get(Outcome.HELPED, 0) + f.outcomes.get(Outcome.PARTLY, 0)
    if f.asks and f.last_asked is not None:
        line = f"You asked {_times(f.asks)}, most recently {_day(f.last_asked, now)}"
        line += f"; they helped {_times(helped)}." if helped else "."
        lines.append(line)
    elif not f.gave:
        lines.append("No asks logged with them yet.")
    if f.thanks and f.last_thanked is not None:
        lines.append(f"You thanked them {_times(f.thanks)}, last {_day(f.last_thanked, now)}.")
    for d in f.thanks_due:
        lines.append(
            f"A thank-you for {_day(d.attempt.occurred_at, now)}'s ask would land well until "
            f"{d.until:%a %d %b}: tracker thank {d.attempt.id}"
        )
    if f.gifts:
        latest = f.gifts[0]
        more = f" (and {_count(f.gave - 1, 'more time', 'more times')})" if f.gave > 1 else ""
        lines.append(f"You gave back: {visible(latest.what)}, {_day(latest.at, now)}{more}.")
    return lines
