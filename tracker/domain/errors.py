"""Errors the pure layer raises for bad input (kept light: the CLI imports it at start)."""

from __future__ import annotations


class WhenError(ValueError):
    """Text that is not understood as a time, or a time in the future.

    ``str()`` is a one-line, friendly message suitable for ``error: <message>``.
    """
