"""Insights: predictions against reality, distress and confidence over time, asks per
week, and outcomes by context. Plots where a glance beats reading, numbers beside them."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from tracker.domain.models import Outcome
from tracker.domain.rules import CalibrationRow
from tracker.ui.data import WEEKS_SHOWN, Snapshot
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.stats import (
    WeekTrend,
    early_and_late,
    expectancy_change,
    outcomes_by_context,
    weekly_trend,
)
from tracker.ui.text import OUTCOME_LABELS, bar, plain, plural
from tracker.ui.widgets.plot import StablePlot
from tracker.words import expectancy_change as words_for_change

BAR = 14
#: Below this many columns the cards stand one under another (the predictions table
#: needs about 60 cells), so that every label and bar stays whole from 80 columns up.
NARROW = 120


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


def bar_widths(width: int) -> tuple[int, int]:
    """(predictions' bars, contexts' bars) for a screen `width` cells wide: as long as
    their cards leave room for (the predictions card is 3/5 of the row unless narrow;
    each table needs about 32 and 76 cells besides its bars), within BAR to 30 and 8
    to 40 cells."""
    card = width - 8 if width < NARROW else (width - 8) * 3 // 5 - 4
    predictions = max(BAR, min(30, (card - 32) // 2))
    contexts = max(8, min(40, width - 8 - 76))
    return predictions, contexts


def _calibration_row(table: Table, label: str, row: CalibrationRow, width: int) -> None:
    expected = row.mean_predicted or 0.0
    happened = row.happened_rate or 0.0
    table.add_row(
        label,
        Text(bar(expected, 100, width), style="bold"),
        _percent(row.mean_predicted),
        Text(bar(happened, 100, width)),
        _percent(row.happened_rate),
        str(row.attempts),
    )


class InsightsScreen(TrackerScreen):
    MODE = "insights"

    def __init__(self) -> None:
        super().__init__()
        self._bars = (BAR, 16)

    def body(self) -> ComposeResult:
        with VerticalScroll(id="insights"):
            with Horizontal(classes="row"):
                with Vertical(id="predictions-card", classes="card wide"):
                    yield Static(id="predictions-summary")
                    yield Static(id="predictions")
                with Vertical(id="weeks-card", classes="card narrow"):
                    yield Static(id="weeks")
            with Vertical(id="trend-card", classes="card"), Horizontal():
                yield StablePlot(id="trend-plot")
                yield Static(id="trend-numbers")
            with Vertical(id="expectancy-card", classes="card"):
                yield Static(id="expectancy")
            with Vertical(id="contexts-card", classes="card"):
                yield Static(id="contexts")
            with Vertical(id="people-months-card", classes="card"):
                yield Static(id="people-months")

    def on_mount(self) -> None:
        self.query_one("#predictions-card").border_title = "Predictions against reality"
        self.query_one("#weeks-card").border_title = "Asks per week"
        self.query_one("#trend-card").border_title = "Peak distress and confidence, week by week"
        self.query_one("#contexts-card").border_title = "Outcomes by context"
        self.query_one("#expectancy-card").border_title = "How likely it felt, before and after"
        self.query_one("#people-months-card").border_title = "Different people you asked"

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        bars = bar_widths(event.size.width)
        if narrow != self.has_class("-narrow") or bars != self._bars:
            self.set_class(narrow, "-narrow")
            self._bars = bars
            if self.tracker.snapshot is not None:
                self.show(self.tracker.snapshot)

    def show(self, snapshot: Snapshot) -> None:
        self._show_predictions(snapshot)
        self._show_weeks(snapshot)
        self._show_trend(snapshot)
        self._show_contexts(snapshot)
        self._show_expectancy(snapshot)
        self._show_people_months(snapshot)

    def _show_expectancy(self, snapshot: Snapshot) -> None:
        change = expectancy_change(snapshot.window)
        widget = self.query_one("#expectancy", Static)
        if change.before is None or change.after is None:
            widget.update(
                "After an ask where you noted how likely your fear felt before and how likely "
                "it seems for next time, this shows how far each expectation moved."
            )
            return
        lines: list[RenderableType] = [
            Text(
                f"Over {plural(change.asks, 'ask')} in the last {WEEKS_SHOWN} weeks: "
                f"{change.before:.0f}% before, {change.after:.0f}% after, on average."
            )
        ]
        for a in change.latest:  # a long line wraps under its title, not the card's edge
            words = words_for_change(a.predicted, a.rerated) or ""
            line = plain(snapshot.title(a.challenge_id), "bold")
            line.append(f"  {words}", style="dim")
            lines.append(Padding(line, (0, 0, 0, 2)))
        lines.append(
            Text(
                "The change in your expectation is what tends to go with asking getting easier.",
                style="italic",
            )
        )
        widget.update(Group(*lines))

    def _show_people_months(self, snapshot: Snapshot) -> None:
        months = snapshot.people_months
        widget = self.query_one("#people-months", Static)
        if not any(n for _, n in months):
            widget.update(
                "Say who you asked in the log form, and you'll see here how many different "
                "people you turned to each month: a support network grows one person at a time."
            )
            return
        high = max(n for _, n in months)
        text = Text()
        for i, (first, n) in enumerate(months):
            if i:
                text.append("\n")
            text.append(f"{first:%b %Y}  ", "bold")
            text.append(bar(n, high, self._bars[0]))
            text.append(f"  {plural(n, 'person', 'people')}")
        widget.update(text)

    def _show_predictions(self, snapshot: Snapshot) -> None:
        cal = snapshot.overview.calibration
        summary = self.query_one("#predictions-summary", Static)
        table_widget = self.query_one("#predictions", Static)
        overall = cal.overall
        if not overall.attempts:
            summary.update(
                "After an ask where you noted how likely your fear felt and whether it came "
                "true, you'll see here how your predictions compare with what happened."
            )
            table_widget.update("")
            return
        summary.update(
            f"Before asking, you expected your fear to come true {_percent(overall.mean_predicted)}"
            f" of the time. It happened {_percent(overall.happened_rate)} of the time "
            f"({plural(overall.attempts, 'ask')})."
        )
        width = self._bars[0]
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        for name, justify in (
            ("", "left"),
            ("expected", "left"),
            ("", "right"),
            ("happened", "left"),
            ("", "right"),
            ("asks", "right"),
        ):
            bars = {"min_width": width} if name in ("expected", "happened") else {}
            table.add_column(name, justify=justify, no_wrap=True, **bars)  # type: ignore[arg-type]
        _calibration_row(table, "All", overall, width)
        for rung, row in cal.by_rung.items():
            _calibration_row(table, f"Rung {rung}", row, width)
        table_widget.update(table)

    def _show_weeks(self, snapshot: Snapshot) -> None:
        weeks = snapshot.weeks
        goal = snapshot.overview.settings.weekly_goal
        high = max([goal, *(w.asks for w in weeks)])
        text = Text(f"Goal: {plural(goal, 'ask')} a week\n\n")
        for w in weeks:
            current = w is weeks[-1]
            text.append(f"{w.start:%d %b}  ", style="dim")
            text.append(bar(w.asks, high, 10), style="bold" if w.met else "")
            text.append(f" {w.asks:>2}")
            text.append("  goal met" if w.met else ("  this week" if current else ""), "italic")
            text.append("\n")
        met = sum(1 for w in weeks if w.met)
        if met:
            text.append(f"\nGoal met in {met} of the last {plural(len(weeks), 'week')}.")
        else:
            text.append("\nEvery ask counts toward this week's goal.")
        self.query_one("#weeks", Static).update(text)

    def _show_trend(self, snapshot: Snapshot) -> None:
        trend = weekly_trend(snapshot.window, snapshot.now, WEEKS_SHOWN)
        plot = self.query_one("#trend-plot", StablePlot)
        numbers = self.query_one("#trend-numbers", Static)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        peaks = [(i, t.peak_distress) for i, t in enumerate(trend) if t.peak_distress is not None]
        confs = [(i, t.confidence * 10) for i, t in enumerate(trend) if t.confidence is not None]
        card = self.query_one("#trend-card")
        card.set_class(not peaks and not confs, "-empty")
        if not peaks and not confs:
            plot.display = False
            numbers.update(
                "After a few asks with peak distress and confidence noted, this shows how "
                "they change from week to week."
            )
            return
        plot.display = True
        if peaks:
            plt.plot([p[0] for p in peaks], [p[1] for p in peaks], label="peak distress (0-100)")
        if confs:
            plt.plot([c[0] for c in confs], [c[1] for c in confs], label="confidence (0-10) x10")
        plt.ylim(0, 100)
        plt.xticks(list(range(len(trend))), [f"{t.start:%d %b}" for t in trend])
        plt.yticks([0, 25, 50, 75, 100])
        plot.refresh()
        numbers.update(self._trend_words(trend))

    def _trend_words(self, weeks: list[WeekTrend]) -> Text:
        text = Text()
        peak = early_and_late([t.peak_distress for t in weeks])
        conf = early_and_late([t.confidence for t in weeks])
        text.append("Peak distress (0-100)\n", style="bold")
        if peak:
            text.append(f"  earlier weeks  {peak[0]:.0f}\n  latest weeks   {peak[1]:.0f}\n")
        else:
            text.append("  not enough yet\n")
        text.append("\nConfidence (0-10)\n", style="bold")
        if conf:
            text.append(f"  earlier weeks  {conf[0]:.1f}\n  latest weeks   {conf[1]:.1f}\n")
        else:
            text.append("  not enough yet\n")
        text.append("\nDistress is worth noting, but it needn't fall for an ask to count.")
        return text

    def _show_contexts(self, snapshot: Snapshot) -> None:
        tally = outcomes_by_context(snapshot.overview.summary, snapshot.overview.challenges)
        widget = self.query_one("#contexts", Static)
        if not tally:
            widget.update("How asks turn out in each part of life (work, friends, family…).")
            return
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        table.add_column("", no_wrap=True)
        for outcome in Outcome:
            table.add_column(OUTCOME_LABELS[outcome], justify="right")
        table.add_column("asks", justify="right")
        table.add_column("", no_wrap=True, min_width=self._bars[1])  # the bar, kept whole
        most = max(sum(c[o] for o in Outcome if o.is_ask) for c in tally.values())
        for context, counts in tally.items():
            asks = sum(counts[o] for o in Outcome if o.is_ask)
            table.add_row(
                str(context),
                *(str(counts[o]) if counts[o] else "·" for o in Outcome),
                str(asks),
                Text(bar(asks, most, self._bars[1])),
            )
        widget.update(table)
