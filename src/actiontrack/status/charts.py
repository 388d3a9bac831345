"""The status page's two charts, drawn on the server as SVG: the numbers and the geometry, no JavaScript.

Both read without colour (dash patterns, marker shapes, labels written next to the lines) and on
paper; the template adds a title, a description and the numbers as a table for screen readers.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from babel.dates import format_date

from actiontrack.disclosure import Disclosed
from actiontrack.i18n import BABEL_LOCALES, current_language
from actiontrack.i18n import gettext as _
from actiontrack.status.recurring import LeaverCounts, month_end, month_of, month_start

QUARTERS = 8
MAX_MONTHS = 36


def nice_step(top: float, *, ticks: int = 4, whole: bool = False) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that divides 0..top into at most `ticks` steps."""
    raw = max(top, 1e-9) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if raw <= step and not (whole and step != int(step)):
            return step
    return 10 * magnitude


def axis_top(top: float, *, ticks: int = 4, whole: bool = False, least: float) -> tuple[float, float]:
    """The axis maximum (a multiple of a nice step, at least `least`) and its step."""
    step = nice_step(max(top, least), ticks=ticks, whole=whole)
    if whole:
        step = max(1, step)
    return step * math.ceil(max(top, least) / step), step


def path(points: Sequence[tuple[float, float] | None]) -> str:
    """An SVG path through the points, lifted over the gaps (None)."""
    parts, pen_down = [], False
    for point in points:
        if point is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{point[0]:.1f},{point[1]:.1f}")
        pen_down = True
    return " ".join(parts)


def month_label(month: int) -> str:
    return _month_format(month, "MMM yy", current_language())


def month_name(month: int) -> str:
    return _month_format(month, "MMMM y", current_language())


@lru_cache(maxsize=1024)
def _month_format(month: int, pattern: str, language: str) -> str:
    # A chart names the same few months hundreds of times; Babel is slow to ask each time.
    return format_date(month_start(month), pattern, locale=BABEL_LOCALES[language])


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    sub: str = ""  # a second line under an x-axis label


@dataclass(frozen=True)
class Frame:
    """The plotting area inside the SVG, with the axes' ticks."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    x_ticks: list[Tick]
    y_ticks: list[Tick]

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom


def _x_positions(count: int, *, left: float, right: float) -> list[float]:
    if count == 1:
        return [round((left + right) / 2, 1)]
    return [round(left + index * (right - left) / (count - 1), 1) for index in range(count)]


# --- chart 1: actions completed and due per month ---------------------------------------------


@dataclass(frozen=True)
class Line:
    key: str  # "completed", "due": the CSS class and the legend
    label: str
    dash: str | None
    points: list[tuple[float, float]]
    values: list[int]
    path: str
    label_y: float


@dataclass(frozen=True)
class MonthlyChart:
    frame: Frame
    months: list[int]
    month_labels: list[str]
    completed: Line
    due: Line

    @property
    def lines(self) -> list[Line]:
        return [self.completed, self.due]

    def rows(self) -> list[tuple[str, int, int]]:
        return [(month_name(month), done, due)
                for month, done, due in zip(self.months, self.completed.values, self.due.values, strict=True)]


def chart_months(*, period_start: date, period_end: date) -> list[int]:
    """The months of the period, and at least the twelve ending with its last month (at most MAX_MONTHS)."""
    last = month_of(period_end)
    first = max(min(month_of(period_start), last - 11), last - MAX_MONTHS + 1)
    return list(range(first, last + 1))


def monthly_chart(*, months: Sequence[int], completed: Mapping[int, int], due: Mapping[int, int]) -> MonthlyChart:
    """Completed against due per month: a solid line with circles and a dashed line with squares."""
    width, height, left, right, top, bottom = 640, 240, 44, 118, 12, 34
    done_values = [completed.get(month, 0) for month in months]
    due_values = [due.get(month, 0) for month in months]
    y_max, step = axis_top(max([*done_values, *due_values, 0]), whole=True, least=4)
    xs = _x_positions(len(months), left=left + 8, right=width - right - 8)

    def y(value: float) -> float:
        return round(top + (height - top - bottom) * (1 - value / y_max), 1)

    # A label every other month (every third past a year): "août 26" is wider than a month's room.
    every = 2 if len(months) <= 13 else 3
    x_ticks = [Tick(x, month_label(month)) for index, (x, month) in enumerate(zip(xs, months, strict=True))
               if (len(months) - 1 - index) % every == 0]
    y_ticks = [Tick(y(step * index), str(int(step * index))) for index in range(round(y_max / step) + 1)]
    frame = Frame(width, height, left, right, top, bottom, x_ticks, y_ticks)

    lines = []
    for key, label, dash, values in (("completed", _("Completed"), None, done_values),
                                     ("due", _("Due"), "6 4", due_values)):
        points = [(x, y(value)) for x, value in zip(xs, values, strict=True)]
        lines.append(Line(key, label, dash, points, values, path(points), points[-1][1] if points else top))
    # Direct labels at the end of the lines: keep them apart when the lines end close together.
    completed, due_line = lines
    if abs(completed.label_y - due_line.label_y) < 14:
        upper, lower = sorted(lines, key=lambda item: item.label_y)
        middle = (upper.label_y + lower.label_y) / 2
        lines = [Line(**{**item.__dict__, "label_y": middle + (-8 if item is upper else 8)}) for item in lines]
    # (label_y is where the label's middle goes; the template shifts the baseline)
    return MonthlyChart(frame, list(months), [month_name(month) for month in months], lines[0], lines[1])


# --- chart 2: a recurring theme's share of leavers per quarter --------------------------------


def on_line(points: Sequence[QuarterPoint], *, x: float, baseline: float) -> float:
    """The height of the line at x: between two shown neighbours, or level with an end point; else the axis."""
    for before, after in itertools.pairwise(points):
        if before.x <= x <= after.x:
            if before.y is not None and after.y is not None:
                return round(before.y + (after.y - before.y) * (x - before.x) / (after.x - before.x), 1)
            return baseline
    end = points[0] if x < points[0].x else points[-1]
    return end.y if end.y is not None else baseline


def chart_quarters(*, last_month: int, quarters: int = QUARTERS) -> list[int]:
    """The first month of each of the last `quarters` calendar quarters, the one holding `last_month` last."""
    last_quarter = last_month - last_month % 3
    return [last_quarter - 3 * back for back in range(quarters - 1, -1, -1)]


def quarter_label(first_month: int) -> str:
    return _("Q%(quarter)d %(year)d") % {"quarter": first_month % 12 // 3 + 1, "year": first_month // 12}


@dataclass(frozen=True)
class QuarterPoint:
    label: str
    raised: int
    leavers: int
    hidden: bool  # fewer leavers, or fewer raising it, than the threshold (for someone other than HR)
    x: float
    y: float | None  # None: no point (hidden, or nobody left)

    @property
    def share(self) -> float | None:
        return None if self.hidden or not self.leavers else self.raised / self.leavers


@dataclass(frozen=True)
class Completion:
    """Actions on the theme completed in one month, marked on the line where that month falls."""

    month: int
    count: int
    x: float
    y: float  # on the line, or on the axis where the line has a gap

    @property
    def label(self) -> str:
        return month_name(self.month)


@dataclass(frozen=True)
class ThemeTrend:
    theme_id: int
    points: list[QuarterPoint]
    completions: list[Completion]
    path: str

    @property
    def hidden_labels(self) -> list[str]:
        return [point.label for point in self.points if point.hidden]

    @property
    def last_point(self) -> QuarterPoint | None:
        shown = [point for point in self.points if point.y is not None]
        return shown[-1] if shown else None


@dataclass(frozen=True)
class TrendCharts:
    frame: Frame
    quarters: list[str]
    trends: list[ThemeTrend]  # the themes with at least one quarter to show
    blank: list[int]  # themes none of whose quarters may be shown: named, not drawn
    until: date  # the last day counted (the end of the last complete month)
    quarter_width: float


@dataclass(frozen=True)
class ChartColumn:
    """One period on the x axis: its first month, its length in months and its labels."""

    first_month: int
    months: int
    label: str
    tick: str
    sub: str = ""


def quarter_columns(*, last_month: int) -> list[ChartColumn]:
    """The last QUARTERS calendar quarters, the one holding `last_month` last."""
    quarters = chart_quarters(last_month=last_month)
    return [ChartColumn(start, 3, quarter_label(start), _("Q%(quarter)d") % {"quarter": start % 12 // 3 + 1},
                        str(start // 12) if start % 12 == 0 or index == 0 else "")
            for index, start in enumerate(quarters)]


# A theme's (raised, leavers) per column, then the same with whether the figure is hidden.
Counts = tuple[int, int]
Figure = tuple[int, int, bool]


def trend_charts(
    *, counts: LeaverCounts, theme_ids: Sequence[int], completions: Mapping[tuple[int, int], int],
) -> TrendCharts:
    """HR's live charts: each theme's share of all leavers in the counts (the whole organisation, or the
    department filtered on) per quarter, up to the last complete month."""
    columns = quarter_columns(last_month=counts.last_month)
    rows = live_rows(column_counts(counts, columns=columns, theme_ids=theme_ids))
    return draw_trends(columns=columns, rows=rows, completions=completions, last_month=counts.last_month)


# --- the counts: per month, then per column ---------------------------------------------------


def counts_per_month(counts: LeaverCounts) -> tuple[dict[int, int], dict[tuple[int, int], int]]:
    """Leavers per month, and leavers raising each theme per (theme, month), over the departments counted."""
    leavers_per_month: dict[int, int] = {}
    for (_department, month), count in counts.leavers.items():
        leavers_per_month[month] = leavers_per_month.get(month, 0) + count
    raised_per_month: dict[tuple[int, int], int] = {}
    for (theme, _department, month), count in counts.raised.items():
        raised_per_month[theme, month] = raised_per_month.get((theme, month), 0) + count
    return leavers_per_month, raised_per_month


def column_counts(counts: LeaverCounts, *, columns: Sequence[ChartColumn],
                  theme_ids: Sequence[int]) -> list[tuple[int, list[Counts]]]:
    """Each theme's (raised, leavers) per column, counting the months up to the last complete one."""
    leavers_per_month, raised_per_month = counts_per_month(counts)

    def months_of(column: ChartColumn) -> range:
        return range(column.first_month, min(column.first_month + column.months, counts.last_month + 1))

    return [(theme, [(sum(raised_per_month.get((theme, month), 0) for month in months_of(column)),
                      sum(leavers_per_month.get(month, 0) for month in months_of(column)))
                     for column in columns])
            for theme in theme_ids]


# --- what may be shown --------------------------------------------------------------------------


def live_rows(rows: Sequence[tuple[int, Sequence[Counts]]]) -> list[tuple[int, list[Figure]]]:
    """HR's figures as they are: HR sees every figure live (anyone else reads released periods)."""
    return [(theme, [(raised, leavers, False) for raised, leavers in row]) for theme, row in rows]


def released_columns(shown: Sequence[Disclosed]) -> list[ChartColumn]:
    """One column per released period, labelled with the period (the year under its first one and under January)."""
    return [
        ChartColumn(month_of(item.span.start), month_of(item.span.end) - month_of(item.span.start) + 1,
                    item.span.label, item.span.label.split(" ")[0] if item.span.length != "year" else "",
                    str(item.span.start.year) if item.span.start.month == 1 or index == 0 else "")
        for index, item in enumerate(shown)
    ]


def released_rows(shown: Sequence[Disclosed], *, theme_ids: Sequence[int],
                  department_id: int | None) -> list[tuple[int, list[Figure]]]:
    """Each theme's released figures per period, for the department (None: the whole organisation);
    a hidden figure comes blanked from the disclosure package and is drawn as a gap."""
    rows = [(theme_id, [item.cell("department", department_id, theme_id) for item in shown])
            for theme_id in theme_ids]
    return [(theme_id, [(raised, leavers, hidden) for raised, leavers, hidden in row])
            for theme_id, row in rows]


# --- the geometry: shown figures to SVG coordinates and labels ---------------------------------

TREND_WIDTH, TREND_HEIGHT = 300, 170
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 40, 46, 14, 34
TREND_PLOT_LEFT, TREND_PLOT_RIGHT = TREND_LEFT + 6, TREND_WIDTH - TREND_RIGHT


@dataclass(frozen=True)
class TrendScale:
    """The scale every theme's small chart shares: months across, shares of leavers up."""

    first_month: int
    span: int  # months across the plot
    y_max: float
    step: float

    def x(self, month_offset: float) -> float:
        """Where a point `month_offset` months after the first month goes across."""
        return round(TREND_PLOT_LEFT + (TREND_PLOT_RIGHT - TREND_PLOT_LEFT) * month_offset / max(self.span, 1), 1)

    def y(self, share: float) -> float:
        """Where a share goes up."""
        return round(TREND_TOP + (TREND_HEIGHT - TREND_TOP - TREND_BOTTOM) * (1 - share / self.y_max), 1)


def trend_scale(*, columns: Sequence[ChartColumn], rows: Sequence[tuple[int, Sequence[Figure]]],
                last_month: int) -> TrendScale:
    """The columns across, and up to a round share above every shown one (at least 10 %)."""
    first_month = columns[0].first_month if columns else last_month
    span = sum(column.months for column in columns) or 1  # the last period keeps its full width while under way
    shown = [raised / leavers for _theme, row in rows for raised, leavers, hidden in row if leavers and not hidden]
    y_max, step = axis_top(max(shown, default=0), least=0.1)
    return TrendScale(first_month, span, y_max, step)


def theme_points(row: Sequence[Figure], *, columns: Sequence[ChartColumn], scale: TrendScale) -> list[QuarterPoint]:
    """A theme's point in the middle of each column; a gap where the figure is hidden or nobody left."""
    return [
        QuarterPoint(column.label, raised, leavers, hidden,
                     scale.x(column.first_month - scale.first_month + column.months / 2),
                     None if hidden or not leavers else scale.y(raised / leavers))
        for (raised, leavers, hidden), column in zip(row, columns, strict=True)
    ]


def completion_marks(theme: int, points: Sequence[QuarterPoint], *, completions: Mapping[tuple[int, int], int],
                     scale: TrendScale, last_month: int) -> list[Completion]:
    """The months actions on the theme were completed, each marked on the line mid-month."""
    marks = []
    for month in range(scale.first_month, last_month + 1):
        if completions.get((theme, month)):
            x = scale.x(month - scale.first_month + 0.5)
            marks.append(Completion(month, completions[theme, month], x,
                                    on_line(points, x=x, baseline=TREND_HEIGHT - TREND_BOTTOM)))
    return marks


def trend_frame(trends: Sequence[ThemeTrend], *, columns: Sequence[ChartColumn], scale: TrendScale) -> Frame:
    """The axes: shares in whole percents up, the columns' labels across under the points."""
    y_ticks = [Tick(scale.y(scale.step * index), f"{round(scale.step * index * 100):d} %")
               for index in range(round(scale.y_max / scale.step) + 1)]
    x_ticks = [Tick(point.x, column.tick, column.sub)
               for point, column in zip(trends[0].points, columns, strict=True)] if trends else []
    return Frame(TREND_WIDTH, TREND_HEIGHT, TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM, x_ticks, y_ticks)


def draw_trends(
    *, columns: Sequence[ChartColumn], rows: Sequence[tuple[int, Sequence[Figure]]],
    completions: Mapping[tuple[int, int], int], last_month: int,
) -> TrendCharts:
    """One small chart per theme, sharing one scale: its share of leavers per period, completions marked.

    `rows` hold, per theme, (raised, leavers, hidden) for each column; a hidden point is a gap.
    """
    scale = trend_scale(columns=columns, rows=rows, last_month=last_month)
    trends = []
    for theme, row in rows:
        points = theme_points(row, columns=columns, scale=scale)
        marks = completion_marks(theme, points, completions=completions, scale=scale, last_month=last_month)
        trends.append(ThemeTrend(theme, points, marks,
                                 path([None if point.y is None else (point.x, point.y) for point in points])))
    drawn = [trend for trend in trends if trend.last_point is not None]
    blank = [trend.theme_id for trend in trends if trend.last_point is None]
    quarter_width = round((columns[0].months if columns else 3) * (TREND_PLOT_RIGHT - TREND_PLOT_LEFT) / scale.span, 1)
    return TrendCharts(trend_frame(trends, columns=columns, scale=scale), [column.label for column in columns],
                       drawn, blank, month_end(last_month), quarter_width)
