"""The command line. A bare `tracker` opens the app; subcommands log and report.

SQLAlchemy and Textual are imported only by the commands that need them (the imports
left inside functions say so): `tracker --help`, `--version` and the reading commands
load neither. Every error is one line on stderr starting `error:`; exit 2 for bad input,
1 for an unusable database, and nothing is written when a command fails.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tracker import __version__, clock
from tracker.cli_options import (
    PLAN_WHEN_HELP,
    after_options,
    attempt_fields,
    before_options,
    choices,
    json_option,
    outcome_option,
    score,
    when_option,
)
from tracker.cli_output import emit_json, fail, note
from tracker.cli_people import COMMANDS as PEOPLE_COMMANDS
from tracker.cli_people import forget_who
from tracker.cli_sources import SharedOptions, database, located, opened, reading, whole
from tracker.crash import EXIT_BUG, report
from tracker.domain.errors import WhenError
from tracker.domain.models import SETTING_SPECS, Barrier, Challenge, Context
from tracker.domain.plans import plan_times
from tracker.domain.rules import ladder_from, newly_climbed
from tracker.domain.when import describe_when, parse_when
from tracker.present import attempt_json, challenge_json, ladder_json, next_json, progress_json
from tracker.service import Overview, overview
from tracker.store.backup import backup_file, backups_dir, own_backups_dir
from tracker.store.errors import StoreError, UnusableDatabase
from tracker.store.files import needs_creating, write_private_text
from tracker.store.filters import HistoryFilter
from tracker.store.reader import read_support_contact
from tracker.store.server_backup import backup_server
from tracker.visible import visible
from tracker.words import (
    ANYTIME_HEADING,
    ANYTIME_NOTE,
    CLIMBED_WORDS,
    RUNG_STATE_WORDS,
    SUPPORT_TEXT,
    after_log,
    climbed_title,
    outcome_words,
    revisit_lines,
    streak_words,
    support_contact_line,
    week_words,
)

if TYPE_CHECKING:
    from tracker.domain.models import Attempt
    from tracker.domain.rules import ChallengeProgress, Ladder
    from tracker.store.repository import Store

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _place(c: Challenge) -> str:
    return "any time" if c.rung is None else f"rung {c.rung}"


def print_attempt(
    store: Store,
    attempt_id: int,
    as_json: bool,
    verb: str,
    climbed: tuple[int, ...] | None = None,
    kind: bool = True,
) -> None:
    """An attempt just written: as JSON (with `climbed` when given), or in words (with
    a kind word after a new ask when `kind`)."""
    attempt = store.attempt(attempt_id)
    challenge = store.challenge(attempt.challenge_id)
    at = clock.now()
    if as_json:
        extra = {} if climbed is None else {"climbed": list(climbed)}
        emit_json(attempt_json(attempt, challenge, at.tzinfo) | extra)
        return
    click.echo(f"{verb} #{attempt.id}: {describe_attempt(attempt, challenge, at)}.")
    if attempt.planned:
        click.echo(f"When you have asked: tracker complete {attempt.id} --outcome ...")
        return
    for rung in climbed or ():
        click.echo(click.style(f"{climbed_title(rung)}.", bold=True) + f" {CLIMBED_WORDS}")
    if not kind:
        return
    for line in after_log(attempt):
        click.echo(line)
    click.echo("See what's next: tracker next")


def describe_attempt(attempt: Attempt, challenge: Challenge, at: datetime) -> str:
    """An attempt in a line: its challenge, rung, time, and outcome or planned time."""
    place = _place(challenge)
    if attempt.planned:
        if attempt.planned_for is None:
            when = describe_when(attempt.occurred_at.astimezone(at.tzinfo), at)
            return f"{visible(challenge.title)} ({place}), saved {when}"
        when = describe_when(attempt.planned_for.astimezone(at.tzinfo), at)
        return f"{visible(challenge.title)} ({place}), planned for {when}"
    when = describe_when(attempt.occurred_at.astimezone(at.tzinfo), at)
    return f"{visible(challenge.title)} ({place}), {when}: {outcome_words(attempt.outcome)}"


def ladder_of(store: Store) -> Ladder:
    """The ladder as the store holds it now, to tell what a write climbed."""
    summary, challenges, settings = store.state()
    return ladder_from(summary, challenges, settings)


@contextmanager
def climbing(store: Store) -> Iterator[list[int]]:
    """Around a write: the rungs it climbed (tracker.domain.rules.newly_climbed) are in
    the list once the block ends."""
    before = ladder_of(store)
    found: list[int] = []
    yield found
    found.extend(newly_climbed(before, ladder_of(store)))


# -- the group -------------------------------------------------------------------------


@click.group(
    invoke_without_command=True,
    context_settings=CONTEXT_SETTINGS,
    epilog="Need support now? Run `tracker support` (in the app, press !).",
)
@click.option(
    "--db",
    metavar="PATH|URL",
    help="Database file, or a postgresql://user@host/dbname URL (see docs/sync.md). "
    "Default: $TRACKER_DB, else tracker.db in your user data folder.",
)
@click.version_option(__version__, "-V", "--version", prog_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """tracker: practise asking for help, one rung at a time.

    Run it bare to open the app. Log each practice ask, see your progress up the
    ladder, and get the next challenge with the reason for it.
    """
    ctx.obj = SharedOptions(db)
    if ctx.invoked_subcommand is None:
        open_app(ctx)


def open_app(ctx: click.Context, demo: bool = False) -> None:
    at = clock.now()  # a malformed TRACKER_NOW is an error line before the app takes the screen
    # The app's first read begins now, on a thread, while Textual is imported (see
    # tracker.ui.first): that module imports no Textual.
    from tracker.ui.first import FirstRead

    first = None if demo else FirstRead(ctx.obj.db, at)
    from tracker.ui.app import run_app  # Textual: only the app loads it

    run_app(ctx.obj.db, demo=demo, first=first)


# -- reading ---------------------------------------------------------------------------


def load_overview(ctx: click.Context) -> Overview:
    with reading(ctx) as source:
        return overview(source, clock.now())


@cli.command("next")
@json_option
@click.pass_context
def next_(ctx: click.Context, as_json: bool = False) -> None:
    """The challenge to try next, why, and any rungs due for a revisit."""
    view = load_overview(ctx)
    if as_json:
        emit_json(next_json(view))
        return
    s = view.suggestion
    if s.challenge is None:
        click.echo(visible(s.reason))
        return
    c = s.challenge
    click.echo(click.style(f"Next: {visible(c.title)}", bold=True) + f"  ({_place(c)}, {c.slug})")
    if c.description:
        click.echo(f"  {visible(c.description, multiline=True)}")
    click.echo(f"  Why: {visible(s.reason)}")
    if c.tip:
        click.echo(f"  Tip: {visible(c.tip, multiline=True)}")
    for line in revisit_lines([(r.rung, r.due) for r in s.revisits_due]):
        click.echo(f"  {line}")
    click.echo(f"  Log it: tracker log {c.slug} --outcome OUTCOME  (tracker log --help lists them)")


@cli.command()
@json_option
@click.option("--all", "show_all", is_flag=True, help="Show archived challenges too.")
@click.pass_context
def ladder(ctx: click.Context, as_json: bool, show_all: bool) -> None:
    """Every rung, top to bottom, with its challenges and whether it is climbed."""
    view = load_overview(ctx)
    if as_json:
        emit_json(ladder_json(view))
        return

    def line(p: ChallengeProgress) -> None:
        if p.challenge.archived and not show_all:
            return
        mark = " (archived)" if p.challenge.archived else ""
        asks = f"{p.asks} ask" + ("" if p.asks == 1 else "s")
        click.echo(f"    {p.challenge.slug:<44} {asks:>8}  {visible(p.challenge.title)}{mark}")

    if any(show_all or not p.challenge.archived for p in view.ladder.anytime):
        click.echo(click.style(ANYTIME_HEADING, bold=True) + f"  {ANYTIME_NOTE}")
        for p in view.ladder.anytime:
            line(p)
    for r in reversed(view.ladder.rungs):
        if not (show_all or r.listed):
            continue
        label = RUNG_STATE_WORDS[r.state]
        if r.state == "current":
            label += " (you are here)"
        click.echo(click.style(f"Rung {r.rung:>2}  {label}", bold=r.state == "current"))
        if r.needed and r.state == "current":
            click.echo(f"          {r.needed}")
        for p in r.challenges:
            line(p)


@cli.command()
@json_option
@click.pass_context
def progress(ctx: click.Context, as_json: bool) -> None:
    """Where you are: rungs, this week against your goal, streak, predictions vs reality."""
    view = load_overview(ctx)
    if as_json:
        emit_json(progress_json(view))
        return
    lad = view.ladder
    if lad.all_climbed:
        click.echo("Every rung is climbed. Add a harder challenge of your own to keep growing.")
    elif lad.current_rung is not None:
        click.echo(click.style(f"You are on rung {lad.current_rung}.", bold=True))
    for r in lad.rungs:
        if not r.listed:
            continue
        detail = r.needed if r.state == "current" else ""
        asks = f"{r.asks} ask" + ("" if r.asks == 1 else "s")
        state = RUNG_STATE_WORDS[r.state]
        click.echo(f"  rung {r.rung:>2}: {asks:>8}  {state:<8} {detail}".rstrip())
    if view.anytime_asks or lad.anytime:
        asks = f"{view.anytime_asks} ask" + ("" if view.anytime_asks == 1 else "s")
        click.echo(f"  any time: {asks:>6}  support asks count for your week, on no rung")
    w = view.week
    click.echo(f"This week (from {w.start:%a %d %b}): {week_words(w.asks, w.goal)}.")
    click.echo(f"Streak: {streak_words(view.streak, w.goal)}")
    cal = view.calibration.overall
    if cal.attempts:
        click.echo(
            f"Predictions: you expected your fear to come true {cal.mean_predicted:.0f}% of the "
            f"time; it happened {cal.happened_rate:.0f}% ({cal.attempts} asks)."
        )
    click.echo(f"Total asks: {view.total_asks}.")


@cli.command()
@json_option
@click.option("--since", metavar="TEXT", help='Only attempts since then, e.g. "last monday".')
@click.option("--limit", type=click.IntRange(1, 100_000), default=20, show_default=True)
@click.option("--planned", is_flag=True, help="Only planned asks waiting to be completed.")
@click.pass_context
def history(
    ctx: click.Context, as_json: bool, since: str | None, limit: int, planned: bool
) -> None:
    """Your attempts, newest first."""
    at = clock.now()
    where = HistoryFilter(
        since=parse_when(since, at) if since else None, planned=True if planned else None
    )
    with reading(ctx) as source:
        attempts = source.attempts(where, limit=limit)
        by_id = {c.id: c for c in source.challenges()}
    if as_json:
        emit_json(
            {"attempts": [attempt_json(a, by_id.get(a.challenge_id), at.tzinfo) for a in attempts]}
        )
        return
    if not attempts:
        click.echo("No attempts yet. Your first: tracker next")
        return
    for a in attempts:
        c = by_id[a.challenge_id]
        when = a.occurred_at.astimezone(at.tzinfo).strftime("%a %d %b %Y %H:%M")
        outcome = outcome_words(a.outcome)
        extra = f"  confidence {a.confidence}" if a.confidence is not None else ""
        if a.planned_for is not None:
            extra += a.planned_for.astimezone(at.tzinfo).strftime("  for %a %d %b %Y %H:%M")
        rung = "any" if c.rung is None else f"r{c.rung}"
        click.echo(f"#{a.id:<5} {when}  {outcome:<13} {rung:<3} {visible(c.title)}{extra}")


# -- writing attempts ------------------------------------------------------------------


@cli.command()
@click.argument("challenge")
@outcome_option(required=True)
@when_option("now")
@before_options
@after_options
@json_option
@click.pass_context
def log(ctx: click.Context, /, challenge: str, when: str, as_json: bool, **options: Any) -> None:
    """Log a practice ask. CHALLENGE is a slug or an id (see `tracker ladder`)."""
    add_attempt(ctx, challenge, when, options, as_json, "Logged")


@cli.command()
@click.argument("challenge")
@when_option(None, PLAN_WHEN_HELP)
@before_options
@json_option
@click.pass_context
def plan(
    ctx: click.Context, /, challenge: str, when: str | None, as_json: bool, **options: Any
) -> None:
    """Save an ask before you make it, for now or later (--when); complete it afterwards
    with `tracker complete`."""
    add_attempt(ctx, challenge, when, options, as_json, "Planned")


def add_attempt(
    ctx: click.Context,
    challenge: str,
    when: str | None,
    options: dict[str, Any],
    as_json: bool,
    verb: str,
) -> None:
    """Log (with an outcome) or plan (without) an attempt at CHALLENGE, then show it."""
    at = clock.now()
    planning = not options.get("outcome")
    if planning:
        given = parse_when(when, at, future_ok=True) if when else None
        occurred, planned_for = plan_times(given, at)
    else:
        occurred, planned_for = parse_when(when or "now", at), None
    with opened(ctx) as store:
        c = store.challenge(challenge)
        fields = attempt_fields(options) | {"challenge_id": c.id, "occurred_at": occurred}
        if planned_for is not None:
            fields["planned_for"] = planned_for
        with climbing(store) as climbed:
            attempt = store.add_attempt(fields)
        print_attempt(store, attempt.id, as_json, verb, None if planning else tuple(climbed))


@cli.command()
@click.argument("attempt_id", metavar="ID", type=click.IntRange(min=1, max=2**63 - 1))
@outcome_option(required=True)
@when_option(
    None,
    'When you asked: "now", "an hour ago", "yesterday 17:30". Default: the plan\'s '
    "planned time once it has passed, else now.",
)
@before_options
@after_options
@json_option
@click.pass_context
def complete(
    ctx: click.Context, /, attempt_id: int, when: str | None, as_json: bool, **options: Any
) -> None:
    """Complete a planned ask with what happened.

    The ask is logged at its planned time when that has passed, else now, unless --when
    says otherwise: a plan is saved before the ask, so the moment of planning is not
    when it happened.
    """
    fields = attempt_fields(options)
    if when is not None:
        fields["occurred_at"] = parse_when(when, clock.now())
    with opened(ctx) as store:
        with climbing(store) as climbed:
            store.complete_attempt(attempt_id, fields)
        print_attempt(store, attempt_id, as_json, "Completed", tuple(climbed))


@cli.command()
@click.argument("attempt_id", metavar="ID", type=click.IntRange(min=1, max=2**63 - 1))
@outcome_option(required=False)
@when_option(
    None,
    'A new time: when it happened ("yesterday 17:30"), or for a plan, when you mean to '
    'ask ("tomorrow 9am").',
)
@before_options
@after_options
@json_option
@click.pass_context
def edit(
    ctx: click.Context, /, attempt_id: int, when: str | None, as_json: bool, **options: Any
) -> None:
    """Change an attempt, logged or planned: give only what changes (any option of
    `tracker log`; --note "" clears a note). An --outcome completes a plan."""
    fields = attempt_fields(options)
    if not fields and when is None:
        raise click.UsageError(
            "nothing to change: give what changes, e.g. --note TEXT or --outcome helped "
            "(`tracker edit --help` lists every option)"
        )
    at = clock.now()
    with opened(ctx) as store:
        current = store.attempt(attempt_id)
        completing = current.planned and bool(fields.get("outcome"))
        if when is not None and current.planned and not completing:
            occurred, planned_for = plan_times(parse_when(when, at, future_ok=True), at)
            fields |= {"occurred_at": occurred, "planned_for": planned_for}
        elif when is not None:
            fields["occurred_at"] = parse_when(when, at)
        with climbing(store) as climbed:
            if completing:
                store.complete_attempt(attempt_id, fields)
            else:
                store.update_attempt(attempt_id, fields)
        verb = "Completed" if completing else "Changed"
        print_attempt(store, attempt_id, as_json, verb, tuple(climbed), kind=completing)


@cli.command()
@click.argument("attempt_id", metavar="ID", type=click.IntRange(min=1, max=2**63 - 1))
@json_option
@click.pass_context
def delete(ctx: click.Context, attempt_id: int, as_json: bool) -> None:
    """Delete an attempt. Changed your mind? `tracker undo` brings it back."""
    at = clock.now()
    with opened(ctx) as store:
        gone = store.delete_attempt(attempt_id)
        challenge = store.challenge(gone.challenge_id)
    if as_json:
        emit_json(attempt_json(gone, challenge, at.tzinfo))
        return
    click.echo(f"Deleted #{gone.id}: {describe_attempt(gone, challenge, at)}.")
    click.echo("Changed your mind? tracker undo brings it back, just as it was.")


@cli.command()
@json_option
@click.pass_context
def undo(ctx: click.Context, as_json: bool) -> None:
    """Bring back the last deleted attempt (deleted here or in the app), just as it was."""
    with opened(ctx) as store:
        with climbing(store) as climbed:
            back = store.undo_last()
        print_attempt(store, back.id, as_json, "Restored", tuple(climbed), kind=False)


# -- challenges and settings -----------------------------------------------------------


@cli.group()
def challenge() -> None:
    """Add your own challenges, edit or move any challenge, archive one."""


def _challenge_fields(**options: Any) -> dict[str, Any]:
    return {k: v for k, v in options.items() if v is not None}


@challenge.command("add")
@click.argument("title")
@click.option("--rung", type=score("rung"), help="1 (easy) to 10 (hard).")
@click.option(
    "--anytime",
    is_flag=True,
    default=None,
    help="An ask for support, on no rung: never locked, never suggested as practice.",
)
@click.option(
    "--context", "context_", type=choices(Context), default="community", show_default=True
)
@click.option("--barrier", type=choices(Barrier), default="rejection", show_default=True)
@click.option("--tip", metavar="TEXT", help="One concrete way to ask well.")
@click.option("--description", metavar="TEXT", help="What to do, in a sentence or two.")
@click.option(
    "--slug", metavar="SLUG", help="Its name on the command line (default: from the title)."
)
@json_option
@click.pass_context
def challenge_add(
    ctx: click.Context, /, title: str, context_: str, as_json: bool, **options: Any
) -> None:
    """Add a challenge of your own: on a rung (--rung N) or any time (--anytime)."""
    if (options.get("rung") is None) == (not options.get("anytime")):
        raise click.UsageError("give either --rung N (1-10) or --anytime")
    fields = _challenge_fields(title=title, context=context_, **options)
    with opened(ctx) as store:
        c = store.add_challenge(fields)
    print_challenge(c, as_json, f"Added {c.slug!r} {_on(c)}: {visible(c.title)}")


@challenge.command("edit")
@click.argument("ref", metavar="CHALLENGE")
@click.option("--title", metavar="TEXT")
@click.option("--rung", type=score("rung"), help="Move it to another rung (or onto the ladder).")
@click.option(
    "--anytime", is_flag=True, default=None, help="Take it off the ladder: an any-time ask."
)
@click.option("--context", "context_", type=choices(Context))
@click.option("--barrier", type=choices(Barrier))
@click.option("--tip", metavar="TEXT")
@click.option("--description", metavar="TEXT")
@json_option
@click.pass_context
def challenge_edit(
    ctx: click.Context, /, ref: str, context_: str | None, as_json: bool, **options: Any
) -> None:
    """Change or move a challenge (its slug stays the same)."""
    fields = _challenge_fields(context=context_, **options)
    if not fields:
        raise click.UsageError(
            "nothing to change: give --title, --rung, --anytime, --context, --barrier, --tip "
            "or --description"
        )
    if fields.get("rung") is not None and fields.get("anytime"):
        raise click.UsageError("give --rung N or --anytime, not both")
    with opened(ctx) as store:
        c = store.update_challenge(store.challenge(ref).id, fields)
    print_challenge(c, as_json, f"Updated {c.slug!r}: {_place(c)}, {visible(c.title)}")


@challenge.command("archive")
@click.argument("ref", metavar="CHALLENGE")
@click.option("--undo", is_flag=True, help="Bring an archived challenge back.")
@json_option
@click.pass_context
def challenge_archive(ctx: click.Context, ref: str, undo: bool, as_json: bool) -> None:
    """Stop suggesting a challenge; its history stays."""
    with opened(ctx) as store:
        c = store.update_challenge(store.challenge(ref).id, {"archived": not undo})
    print_challenge(c, as_json, f"{'Restored' if undo else 'Archived'} {c.slug!r}.")


# -- support ---------------------------------------------------------------------------


@cli.command()
@json_option
@click.pass_context
def support(ctx: click.Context, as_json: bool) -> None:
    """Where to turn in a hard moment. Works even when the database cannot be opened."""
    contact = _saved_support_contact(ctx)
    if as_json:
        emit_json({"text": list(SUPPORT_TEXT), "support_contact": contact or None})
        return
    click.echo(click.style("Support", bold=True))
    for paragraph in SUPPORT_TEXT:
        click.echo()
        click.echo(textwrap.fill(paragraph, width=78, break_on_hyphens=False))
    click.echo()
    click.echo(textwrap.fill(support_contact_line(contact), width=78, break_on_hyphens=False))
    if contact:
        click.echo('(Change it: tracker settings support_contact "..."; clear it with "".)')


def _saved_support_contact(ctx: click.Context) -> str:
    return read_support_contact(database(ctx))


def _on(c: Challenge) -> str:
    return "as an any-time ask" if c.rung is None else f"on rung {c.rung}"


def print_challenge(c: Challenge, as_json: bool, done: str) -> None:
    """A changed challenge: as JSON, or one line saying what was done."""
    if as_json:
        emit_json(challenge_json(c))
    else:
        click.echo(visible(done))


@cli.command()
@click.argument("changes", nargs=-1, metavar="[NAME VALUE]...")
@json_option
@click.pass_context
def settings(ctx: click.Context, changes: tuple[str, ...], as_json: bool) -> None:
    """Show the weekly goal and thresholds, or set them: tracker settings weekly_goal 4"""
    if len(changes) % 2:
        raise click.UsageError(
            "give settings as NAME VALUE pairs, e.g. `tracker settings weekly_goal 4`"
        )
    pairs = dict(zip(changes[::2], changes[1::2], strict=True))
    with opened(ctx) as store:
        current = store.update_settings(pairs) if pairs else store.settings()
    if as_json:
        values = asdict(current)
        values["revisit_days"] = list(current.revisit_days)
        emit_json(values)
        return
    for spec in SETTING_SPECS:
        value = getattr(current, spec.name)
        click.echo(f"{spec.name:<22} {value:>4}  {spec.help} ({spec.low}-{spec.high})")

    contact = visible(current.support_contact) if current.support_contact else "(none)"
    click.echo(
        f"{'support_contact':<22} {contact}  shown in Support (`tracker support`, ! in the app)"
    )


# -- moving data -----------------------------------------------------------------------


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Write to FILE (mode 0600, replaced whole; its folder must exist) instead of stdout.",
)
@click.pass_context
def export(ctx: click.Context, fmt: str, output: str | None) -> None:
    """Everything, as JSON (to import again) or CSV (one attempt a row)."""
    from tracker.store.transfer import export_csv, export_json  # brings SQLAlchemy

    with whole(ctx) as source:
        text = export_json(source, clock.now()) if fmt == "json" else export_csv(source)
    if output:
        write_private_text(Path(output).expanduser(), text, overwrite=True)
        click.echo(f"Exported to {visible(output)}.", err=True)
    else:
        click.echo(text, nl=False)


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@json_option
@click.pass_context
def import_(ctx: click.Context, file: str, as_json: bool) -> None:
    """Import a JSON export, all or nothing. Challenges are matched by slug."""
    from tracker.store.transfer import (  # brings SQLAlchemy
        import_parsed,
        parse_document,
        read_import,
    )

    parsed = parse_document(read_import(file), clock.now())  # checked before the database opens
    with opened(ctx) as store:
        report = import_parsed(store, parsed)
    if as_json:
        emit_json(
            {
                "challenges_added": report.challenges_added,
                "challenges_updated": report.challenges_updated,
                "attempts_added": report.attempts_added,
                "attempts_skipped": report.attempts_skipped,
            }
        )
    else:
        click.echo(
            f"Imported {report.attempts_added} attempts ({report.attempts_skipped} already here), "
            f"{report.challenges_added} new challenges, {report.challenges_updated} updated."
        )


@cli.command()
@click.argument("dest", required=False, metavar="[DEST]")
@click.pass_context
def backup(ctx: click.Context, dest: str | None) -> None:
    """A consistent copy of the database (safe while the app is open).

    On PostgreSQL, a complete JSON export that `tracker import` restores.
    """
    location = located(ctx)
    if location.path is None:
        with opened(ctx) as store:
            saved = backup_server(store, dest, clock.now())
        click.echo(f"Backed up to {saved} (restore with `tracker import {saved}`).")
        return
    path = location.path
    if needs_creating(path):
        raise UnusableDatabase(f"there is no database at {path} yet; nothing to back up")
    with opened(ctx) as store:  # checked, and upgraded if need be, before it is copied
        path = store.location.path or path
    if dest is None:
        target = own_backups_dir(path) / f"{path.stem}-{clock.now():%Y%m%d-%H%M%S}.db"
    else:
        target = Path(dest).expanduser()
        if target.is_dir():
            target = target / f"{path.stem}-{clock.now():%Y%m%d-%H%M%S}.db"
    backup_file(path, target)
    click.echo(f"Backed up to {visible(str(target))}.")


@cli.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """The app on a throwaway database with eight weeks of sample history."""
    open_app(ctx, demo=True)


# -- looking after the file ------------------------------------------------------------


@cli.command()
@json_option
@click.pass_context
def check(ctx: click.Context, as_json: bool) -> None:
    """Check the database file for damage. Reads only; exit 1 when it is damaged."""
    from tracker.store.maintenance import check_database, check_server  # brings SQLAlchemy

    location = located(ctx)
    path = location.path
    if path is not None and needs_creating(path):
        note(f"nothing is saved at {path} yet, so there is nothing to check")
        if as_json:
            emit_json(
                {"ok": True, "integrity": [], "foreign_keys": [], "summary": [], "path": str(path)}
            )
        return
    report = check_database(path) if path is not None else check_server(location)
    if as_json:
        emit_json(report.as_json())
    elif report.ok:
        pages = "every page and index checks out, " if path is not None else ""
        click.echo(
            f"{visible(str(report.path))} is healthy: {pages}every attempt points at its "
            "challenge, and the stored summary matches the log."
        )
    else:
        found = "What SQLite found" if path is not None else "What tracker found"
        click.echo(f"{visible(str(report.path))} is damaged. {found}:")
        for problem in report.integrity[:20] + report.summary:
            click.echo(f"  - {visible(problem)}")
        for row in report.foreign_keys[:20]:
            click.echo(f"  - {row['table']} row {row['rowid']} points at a missing {row['parent']}")
        if path is None:
            click.echo(
                "Nothing was changed. Restore from your server's backup, or from a "
                "`tracker backup` export with `tracker import`."
            )
        else:
            click.echo(
                f"Nothing was changed. Copy your latest backup from "
                f"{visible(str(backups_dir(path)))} over it (tracker keeps one a day there), "
                "or start a new file with --db."
            )
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.option("--all", "everything", is_flag=True, help="Every attempt and custom challenge.")
@click.option("--who", metavar="LABEL", help="One person: their label, thank-yous, help given.")
@click.option("--yes", is_flag=True, help="Do it without asking: it cannot be undone.")
@click.pass_context
def forget(ctx: click.Context, everything: bool, who: str | None, yes: bool) -> None:
    """Delete your history for good: every attempt, your own challenges, tracker's backups.

    The built-in ladder goes back as shipped (moved and archived challenges return);
    settings stay. Deleted text is wiped from the file, not just unlinked. With --who,
    only that person: their label leaves every ask, and their thank-yous and help
    given are deleted, here and in tracker's backups.
    """
    if who is not None:
        if everything:
            raise click.UsageError("give --all or --who, not both")
        forget_who(ctx, who, yes)
        return
    if not everything:
        raise click.UsageError(
            "say what to forget: `tracker forget --all --yes` forgets it all, "
            "`tracker forget --who LABEL --yes` one person"
        )
    location = located(ctx)
    if not yes:
        raise click.UsageError(
            f"this deletes every attempt, your own challenges and tracker's backups of "
            f"{location.label} for good; run `tracker forget --all --yes` to go on"
        )
    if location.path is not None and not location.path.exists():
        click.echo(f"Nothing to forget: there is no database at {visible(str(location.path))}.")
        return
    from tracker.store.maintenance import forget_all  # brings SQLAlchemy

    with opened(ctx) as store:
        report = forget_all(store)

    def count(n: int, noun: str) -> str:
        return f"{n} {noun}{'' if n == 1 else 's'}"

    click.echo(
        f"Forgot {count(report.attempts, 'attempt')} and "
        f"{count(report.custom_challenges, 'custom challenge')}, and removed "
        f"{count(len(report.backups_removed), 'backup')}. The ladder is as shipped."
    )
    if not report.log_cleared:
        raise UnusableDatabase(
            f"another program (the app?) has {location.label} open, so its -wal file may still "
            "hold old text; close it and run `tracker forget --all --yes` again"
        )


for _command in PEOPLE_COMMANDS:  # people, thank, gave, due: tracker.cli_people
    cli.add_command(_command)


# -- entry point -----------------------------------------------------------------------


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code; every error becomes one line."""
    stdout = sys.stdout
    try:
        cli.main(args=argv, prog_name="tracker", standalone_mode=False)
    except click.exceptions.Exit as e:
        return e.exit_code
    except SystemExit as e:
        if sys.stdout is not stdout:  # click swaps stdout when the reader went away (`| head`)
            return 0
        return e.code if isinstance(e.code, int) else 1
    except click.exceptions.Abort:
        return fail("interrupted; nothing was saved", 130)
    except click.ClickException as e:
        return fail(e.format_message(), 2)
    except WhenError as e:
        return fail(str(e), 2)
    except StoreError as e:
        return fail(str(e), e.exit_code)
    except KeyboardInterrupt:
        return fail("interrupted; nothing was saved", 130)
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug: one line, and a report without the user's data
        if isinstance(e, ValueError) and "null byte" in str(e):  # the OS's word for a NUL
            return fail("a file name holds a NUL character (\\x00), which no file name can", 2)
        command = next((a for a in argv or sys.argv[1:] if a in cli.commands), None)
        return fail(report(e, command), EXIT_BUG)
    return 0


def main(argv: list[str] | None = None) -> None:
    sys.exit(run(argv))
