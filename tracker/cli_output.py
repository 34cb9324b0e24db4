"""What the command line prints besides a command's own lines: JSON documents, notes,
and the one error line. Text from a person or a file goes through tracker.visible."""

from __future__ import annotations

from typing import Any

import click

from tracker.visible import json_text, visible


def emit_json(data: Any) -> None:
    """One JSON document on stdout."""
    click.echo(json_text(data))


def note(text: str) -> None:
    """One line on stderr that is not an error."""
    click.echo(f"note: {text}", err=True)


def fail(message: str, code: int) -> int:
    """The one `error:` line on stderr for a failed command; its exit code."""
    text = " ".join(visible(message, multiline=True).split())  # it may echo what was typed
    click.echo(f"error: {text}", err=True)
    return code
