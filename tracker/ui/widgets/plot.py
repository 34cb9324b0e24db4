"""A Plotext line plot that draws the same picture on every run.

Plotext removes duplicate points with `list(set(...))`, whose order follows Python's
per-process string hashing, so tick labels could shift by a cell from one run to the
next (and snapshot tests would flicker). We swap in the order-keeping version that
Plotext itself has commented out beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import plotext._utility as _plotext_utility
from textual_plotext import PlotextPlot


def _no_duplicates(data: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(data))


_plotext_utility.no_duplicates = _no_duplicates


class StablePlot(PlotextPlot):
    """PlotextPlot with deterministic output (see the module docstring)."""
