"""The command line for people: `people`, `thank`, `gave`, `due`, and `forget --who`.

tracker.cli adds COMMANDS to its group (and runs forget_who for `forget --who`); this
module needs nothing from it: options, output and the database come from
tracker.cli_options, tracker.cli_output and tracker.cli_sources.
"""

from __future__ import annotations

import click

from tracker import clock
from tracker.cli_options import check_label, json_option, when_option
from tracker.cli_output import emit_json
from tracker.cli_sources import located, opened, reading
from tracker.domain.when import parse_when
from tracker.present_people import (
    gift_json,
    people_json,
    person_sentences,
    thanks_json,
    waiting_json,
    waiting_line,
)
from tracker.service import waiting
from tracker.store.errors import NotFound, UnusableDatabase
from tracker.visible import visible
from tracker.words import week_words


@click.command()
@json_option
@click.pass_context
def people(ctx: click.Context, as_json: bool) -> None:
    """The people you ask: most recently in touch first, with thank-yous and help given."""
    at = clock.now()
    with opened(ctx) as store:
        figures = store.people_figures(at)
    if as_json:
        emit_json(people_json(figures, at.tzinfo))
        return
    if not figures:
        click.echo(
            "Nobody yet. Say who you asked with --who (a relationship, like 'my sister' or "
            "'a colleague'), and they will appear here."
        )
        return
    for n, f in enumerate(figures):
        if n:
            click.echo()
        click.echo(click.style(visible(f.person.label), bold=True))
        for line in person_sentences(f, at):
            click.echo(f"  {line}")


@click.command()
@click.argument("attempt_id", metavar="ATTEMPT_ID", type=click.IntRange(min=1, max=2**63 - 1))
@when_option("now")
@click.option("--note", metavar="TEXT", help="How you said it, or anything worth keeping.")
@click.option("--skip", is_flag=True, help="No thank-you is needed for this ask.")
@json_option
@click.pass_context
def thank(
    ctx: click.Context, attempt_id: int, when: str, note: str | None, skip: bool, as_json: bool
) -> None:
    """Record that you thanked someone again for an ask (or, with --skip, that it is not
    needed). One for each ask that helped or partly helped."""
    at = clock.now()
    moment = parse_when(when, at)
    with opened(ctx) as store:
        thanks = store.thank(attempt_id, moment, note, skip=skip)
        who = store.attempt(attempt_id).who
    if as_json:
        emit_json(thanks_json(thanks, who, at.tzinfo))
    elif skip:
        click.echo(f"Noted: no thank-you needed for ask #{attempt_id}.")
    else:
        click.echo(
            f"Thank-you noted for ask #{attempt_id} ({visible(who or '')}). Saying so again helps "
            "keep the door open for next time."
        )


@click.command()
@click.argument("what", required=False)
@click.option("--who", metavar="LABEL", callback=check_label, help="Whom you helped.")
@when_option("now")
@click.option("--note", metavar="TEXT", help="Anything else worth keeping.")
@click.option("--list", "show_list", is_flag=True, help="List the help you have given.")
@json_option
@click.pass_context
def gave(
    ctx: click.Context,
    what: str | None,
    who: str | None,
    when: str,
    note: str | None,
    show_list: bool,
    as_json: bool,
) -> None:
    """Record help you offered or gave: tracker gave --who "my sister" "helped her move".

    It is not a practice ask and counts in no rule; it is there to remember.
    """
    at = clock.now()
    if show_list:
        if what is not None or who is not None:
            raise click.UsageError("--list takes no WHAT or --who")
        with opened(ctx) as store:
            gifts = store.gifts()
        if as_json:
            emit_json({"gave": [gift_json(g, at.tzinfo) for g in gifts]})
        elif not gifts:
            click.echo('Nothing yet. When you help someone: tracker gave --who LABEL "what"')
        for g in gifts if not as_json else ():
            day = g.at.astimezone(at.tzinfo).strftime("%a %d %b %Y")
            click.echo(f"{day}  {visible(g.who)}: {visible(g.what)}")
        return
    if who is None:
        raise click.UsageError('say whom you helped: tracker gave --who LABEL "what you did"')
    if what is None or not what.strip():
        raise click.UsageError('say what you did: tracker gave --who LABEL "what you did"')
    moment = parse_when(when, at)
    with opened(ctx) as store:
        gift = store.give(who, what, moment, note)
    if as_json:
        emit_json(gift_json(gift, at.tzinfo))
    else:
        click.echo(f"Noted: {visible(gift.what)}, for {visible(gift.who)}.")


@click.command()
@json_option
@click.option("--short", is_flag=True, help="One line (nothing when nothing is waiting).")
@click.pass_context
def due(ctx: click.Context, as_json: bool, short: bool) -> None:
    """What is waiting: planned asks, revisits, thank-yous, and this week."""
    at = clock.now()
    with reading(ctx) as source:
        w = waiting(source, at)
    if as_json:
        emit_json(waiting_json(w, at.tzinfo))
        return
    if short:
        line = waiting_line(w)
        if line:
            click.echo(line)
        return
    view = w.overview
    if w.empty:
        click.echo("Nothing is waiting.")
    for d in w.thanks:
        c = view.challenge(d.attempt.challenge_id)
        title = c.title if c else "an ask"
        day = d.attempt.occurred_at.astimezone(at.tzinfo).strftime("%a %d %b")
        click.echo(
            f"Thank-you: {visible(d.attempt.who or '')} helped with {visible(title)} on {day}; "
            f"saying so again would land well until {d.until:%a %d %b} "
            f"(tracker thank {d.attempt.id})."
        )
    for a in w.planned:
        c = view.challenge(a.challenge_id)
        title = c.title if c else "an ask"
        if a.planned_for is None:
            day = a.occurred_at.astimezone(at.tzinfo).strftime("saved %a %d %b %H:%M")
        else:
            day = a.planned_for.astimezone(at.tzinfo).strftime("for %a %d %b %H:%M")
        click.echo(
            f"Planned: {visible(title)} ({day}); when you have asked: "
            f"tracker complete {a.id} --outcome ..."
        )
    for r in w.revisits:
        click.echo(f"Revisit: rung {r.rung}, due since {r.due:%a %d %b}.")
    week = view.week
    click.echo(f"This week (from {week.start:%a %d %b}): {week_words(week.asks, week.goal)}.")


def forget_who(ctx: click.Context, who: str, yes: bool) -> None:
    """`tracker forget --who LABEL --yes`: one person, wiped everywhere."""
    from tracker.store.forgetting import forget_person, refuse_if_open  # brings SQLAlchemy

    location = located(ctx)
    if not yes:
        raise click.UsageError(
            f"this removes {who!r} from every ask and deletes their thank-yous and help "
            f"given, in {location.label} and tracker's backups, for good; run "
            f"`tracker forget --who {who!r} --yes` to go on"
        )
    if location.path is not None and not location.path.exists():
        raise NotFound(f"no person {who!r}: there is no database at {location.path}")
    refuse_if_open(location, "tracker forget --who LABEL --yes")
    with opened(ctx) as store:
        report = forget_person(store, who)

    def count(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    click.echo(
        f"Forgot {visible(report.label)!r}: removed from {count(report.attempts, 'ask', 'asks')} "
        f"(the asks stay), with {count(report.thanks, 'thank-you', 'thank-yous')} and "
        f"{count(report.gifts, 'help-given entry', 'help-given entries')}; wiped from "
        f"{count(len(report.backups_cleaned), 'backup', 'backups')}."
    )
    if not report.log_cleared:
        raise UnusableDatabase(
            f"another program (the app?) has {location.label} open, so its -wal file may still "
            "hold the label; close it and run the same forget again"
        )


COMMANDS = (people, thank, gave, due)
