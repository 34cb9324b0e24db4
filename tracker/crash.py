"""When tracker hits a bug: one line for the person, the details in a private file.

The command line (tracker.cli.run), the console script (tracker.launch) and the app
(tracker.ui.app, whose unexpected exceptions are handed back to the command line) all
end an unexpected exception here: exit 70 (EX_SOFTWARE) after `error: tracker hit a
bug ...` naming a report in the user's log folder (platformdirs' user_log_path, e.g.
~/.local/state/tracker/log), mode 0600 in folders 0700.

The report holds what a developer needs and nothing a person wrote: the version, the
command's name, each frame (file, line, function, source line), and each exception's
type. Never local variables, and never exception messages or notes, which may echo a
note, a name or a path.
"""

from __future__ import annotations

import errno
import os
import sys
import traceback
from contextlib import suppress
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_path

from tracker import __version__
from tracker.clock import real_now

EXIT_BUG = 70
#: How many reports are kept (the oldest go first).
KEEP_REPORTS = 20


def log_dir() -> Path:

    return user_log_path("tracker", appauthor=False)


def report(error: BaseException, command: str | None = None) -> str:
    """Write a report of `error` and return the one line to show (without `error: `)."""
    kind = type(error).__name__
    try:
        path = write_report(error, command)
    except Exception as e:  # no folder, a full disk: the line still goes out
        where = f"its report could not be saved ({_brief(e)})"
    else:
        where = f"a report without your data is in {path}"
    return (
        f"tracker hit a bug ({kind}) and stopped; {where}. What was saved before is kept. "
        "Please send the report to tracker's developers"
    )


def _brief(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return type(error).__name__


def write_report(error: BaseException, command: str | None = None) -> Path:
    """The report of `error` in a new private file; returns its path."""

    folder = log_dir()
    _private_dirs(folder)
    stamp = real_now()
    name = f"crash-{stamp:%Y%m%d-%H%M%S}-{os.getpid()}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for n in range(100):
        path = folder / (f"{name}.txt" if n == 0 else f"{name}-{n}.txt")
        try:
            fd = os.open(path, flags, 0o600)
        except FileExistsError:
            continue
        break
    else:  # pragma: no cover - a hundred reports from one process in one second
        raise FileExistsError(name)
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as f:
        os.fchmod(f.fileno(), 0o600)
        f.write(f"tracker {__version__} hit a bug at {stamp:%Y-%m-%d %H:%M:%S} UTC\n")
        f.write(f"python {sys.version.split()[0]} on {sys.platform}\n")
        f.write(f"command: {command or '(none)'}\n\n")
        f.writelines(format_error(error))
    _prune(folder)
    return path


def _private_dirs(folder: Path) -> None:
    """Make `folder` and any missing parents 0700; tracker's own folders are made 0700."""
    missing: list[Path] = []
    here = folder
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for made in reversed(missing):
        with suppress(FileExistsError):
            made.mkdir(mode=0o700)
        os.chmod(made, 0o700)
    for own in (folder, folder.parent):
        if own.name in ("log", "tracker") and own.is_dir() and not own.is_symlink():
            os.chmod(own, 0o700)


def _prune(folder: Path) -> None:
    """Keep the newest KEEP_REPORTS reports (their names sort by time)."""
    for old in sorted(folder.glob("crash-*.txt"))[:-KEEP_REPORTS]:
        with suppress(OSError):
            old.unlink()


def format_error(error: BaseException) -> list[str]:
    """The traceback of `error` and the exceptions before it: frames and types only."""
    return _format(error, set())


def _format(error: BaseException, seen: set[int]) -> list[str]:
    seen.add(id(error))
    lines: list[str] = []
    cause, context = error.__cause__, error.__context__
    if cause is not None and id(cause) not in seen:
        lines += _format(cause, seen)
        lines.append("\nThe above exception was the direct cause of the following exception:\n\n")
    elif context is not None and not error.__suppress_context__ and id(context) not in seen:
        lines += _format(context, seen)
        lines.append("\nDuring handling of the above exception, another exception occurred:\n\n")
    lines += _frames(error.__traceback__)
    lines.append(_kind(error) + "\n")
    for inner in getattr(error, "exceptions", None) or ():  # an exception group's members
        if isinstance(inner, BaseException) and id(inner) not in seen:
            lines.append("\nWithin that group:\n\n")
            lines += _format(inner, seen)
    return lines


def _frames(tb: TracebackType | None) -> list[str]:
    if tb is None:
        return []
    stack = traceback.StackSummary.extract(traceback.walk_tb(tb), capture_locals=False)
    for frame in stack:
        frame.filename = _short(frame.filename)
    return ["Traceback (most recent call last):\n", *stack.format()]


def _short(filename: str) -> str:
    """A frame's file, from its import root (no home folder, so no user name)."""
    roots = sorted((p for p in sys.path if p), key=len, reverse=True)
    for root in roots:
        prefix = root.rstrip(os.sep) + os.sep
        if filename.startswith(prefix):
            return filename[len(prefix) :]
    return Path(filename).name


def _kind(error: BaseException) -> str:
    """The exception's type (and an OS error's errno name, which holds nothing private)."""
    kind = type(error)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    if isinstance(error, OSError) and error.errno is not None:
        name += f" [{errno.errorcode.get(error.errno, error.errno)}]"
    return f"{name} (its message is left out: it may hold your text)"
