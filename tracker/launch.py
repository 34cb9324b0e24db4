"""The `tracker` entry point: answers --version at once, then runs the command line.

Start-up is most of what a quick command costs (docs/performance.md): so `--version`
imports nothing, the garbage collector is paused while the libraries load (they make
many long-lived objects and collecting them early is wasted work), and the process
ends with os._exit once output is flushed and the database closed, skipping the
interpreter's slow tear-down of those same objects.
"""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    args = sys.argv[1:]
    if args in (["--version"], ["-V"]):
        from tracker import __version__  # nothing else: --version answers at once

        print(f"tracker, version {__version__}")
        return
    gc.disable()
    try:
        from tracker.cli import run  # click and the commands: not for --version

        code = run(args)
    except Exception as e:  # the last guard (tracker.cli.run has its own): see tracker.crash
        from tracker.crash import EXIT_BUG, report

        print(f"error: {report(e)}", file=sys.stderr)
        code = EXIT_BUG
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
