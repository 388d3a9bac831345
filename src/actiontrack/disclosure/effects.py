"""Did an action work? Its group's leavers before it started against those after it was done.

Both sides are pooled from released periods only, and only from what the radar shows of them: a
shown cell adds its count, and a hidden cell (or a hidden group) is left out, whatever the reason it
is hidden. A pooled figure is therefore a sum of what anyone may already read on the radar, and the
verdict a function of such sums: neither can be used to narrow a hidden figure.

The verdict compares the share of leavers raising the action's theme before and after; the
uncertainty of that comparison is given as 95 % intervals (Wilson for each share, Newcombe's
hybrid score interval for the difference). The verdict says nothing about cause.

A small group rarely has enough leavers raising a theme for that. Then the verdict may rest on other
evidence, each read from the same released figures under the same rule (`Evidence`):

- the share of the group's stay interviews raising the theme, pooled from the stay figures shown;
- the group's turnover: its leavers against its headcount. A turnover rate with a known headcount
  gives the leaver count away, so no hidden count enters it: a period whose count is hidden adds
  the range the shown figures and the public rules leave for it (`leaver_bounds`). The verdict is
  given only where every value in those ranges gives it, and where chance is unlikely to explain it;
  it is then a function of shown figures alone, like every other figure here.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from actiontrack.disclosure.periods import PeriodSpan, period_containing, period_months
from actiontrack.disclosure.views import Disclosed
from actiontrack.i18n import N_

Z95 = 1.959963984540054
BEFORE_PERIODS = 2  # the released periods ending last before the action started
AFTER_PERIODS = 4  # the newest released periods starting after it was done
CHANGE = 0.05  # a difference of shares smaller than this is "no change yet"
TURNOVER_CHANGE = 0.2  # turnover a fifth lower (or higher) than before is a change
SIGNIFICANCE = 0.05  # a turnover verdict needs chance to explain it less often than this (two-sided)


class Verdict(StrEnum):
    TARGET_MET = "target_met"
    IMPROVING = "improving"
    NO_CHANGE = "no_change"
    WORSE = "worse"
    TOO_FEW = "too_few"
    AWAITING = "awaiting"  # done, but no released period after it yet


VERDICTS = tuple(verdict.value for verdict in Verdict)
VERDICT_LABELS = {
    Verdict.TARGET_MET.value: N_("Target met"),
    Verdict.IMPROVING.value: N_("Improving"),
    Verdict.NO_CHANGE.value: N_("No change yet"),
    Verdict.WORSE.value: N_("Worse"),
    Verdict.TOO_FEW.value: N_("Too few leavers to tell"),
    Verdict.AWAITING.value: N_("Waiting for figures"),
}


class Evidence(StrEnum):
    """What a verdict rests on: the first that can give one."""

    EXIT_THEMES = "exit_themes"  # the share of the group's leavers raising the theme
    STAY_THEMES = "stay_themes"  # the share of the group's stay interviews raising the theme
    TURNOVER = "turnover"  # the group's leavers against its headcount


EVIDENCE_LABELS = {
    Evidence.EXIT_THEMES.value: N_("leavers raising the theme"),
    Evidence.STAY_THEMES.value: N_("stay interviews raising the theme"),
    Evidence.TURNOVER.value: N_("the group's turnover"),
}


class TooFew(StrEnum):
    NO_BEFORE = "no_before"  # no released period before the action started
    HIDDEN_BEFORE = "hidden_before"  # below the anonymity threshold before
    HIDDEN_AFTER = "hidden_after"  # below the anonymity threshold after
    FEW_BEFORE = "few_before"  # fewer leavers before than the minimum
    FEW_AFTER = "few_after"  # fewer leavers after than the minimum


def wilson(raised: int, leavers: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of a share."""
    if not leavers:
        return 0.0, 1.0
    share = raised / leavers
    denominator = 1 + Z95 ** 2 / leavers
    centre = (share + Z95 ** 2 / (2 * leavers)) / denominator
    margin = Z95 * math.sqrt(share * (1 - share) / leavers + Z95 ** 2 / (4 * leavers ** 2)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)


def newcombe(after: tuple[int, int], before: tuple[int, int]) -> tuple[float, float]:
    """95 % interval of the difference of two shares (raised, leavers), after minus before (Newcombe's
    hybrid score method, his method 10)."""
    after_share, before_share = after[0] / after[1], before[0] / before[1]
    (after_low, after_high), (before_low, before_high) = wilson(*after), wilson(*before)
    difference = after_share - before_share
    return (difference - math.sqrt((after_share - after_low) ** 2 + (before_high - before_share) ** 2),
            difference + math.sqrt((after_high - after_share) ** 2 + (before_share - before_low) ** 2))


@dataclass(frozen=True)
class Side:
    """Leavers of the action's group in some released periods, pooled from what the radar shows.

    A hidden cell (or a hidden group) is left out, so the pool is exact: a sum of shown figures.
    """

    periods: tuple[PeriodSpan, ...]  # the periods pooled
    hidden: tuple[PeriodSpan, ...]  # periods of the window left out: hidden group or cell
    raised: int
    leavers: int

    @property
    def share(self) -> float | None:
        return self.raised / self.leavers if self.leavers else None

    @property
    def interval(self) -> tuple[float, float]:
        """The 95 % interval of the share."""
        return wilson(self.raised, self.leavers)

    @property
    def label(self) -> str:
        if not self.periods:
            return ""
        first, last = self.periods[0], self.periods[-1]
        return first.label if first == last else f"{first.label} – {last.label}"


@dataclass(frozen=True)
class TurnoverSide:
    """A group's leavers in some released periods against its headcount, as far as the shown figures tell:
    from `leavers_low` to `leavers_high` (None: the shown figures set no upper bound)."""

    periods: tuple[PeriodSpan, ...]
    leavers_low: int
    leavers_high: int | None
    person_years: float  # the headcount times the years the periods span

    @property
    def exact(self) -> bool:
        return self.leavers_low == self.leavers_high

    @property
    def rate_low(self) -> float:
        """The lowest yearly turnover the shown figures allow."""
        return self.leavers_low / self.person_years

    @property
    def rate_high(self) -> float | None:
        return None if self.leavers_high is None else self.leavers_high / self.person_years

    @property
    def label(self) -> str:
        first, last = self.periods[0], self.periods[-1]
        return first.label if first == last else f"{first.label} – {last.label}"


@dataclass(frozen=True)
class Effect:
    verdict: Verdict
    before: Side | None  # with stay evidence: the stay interviews' sides
    after: Side | None
    target_share: float | None
    too_few: TooFew | None = None
    first_figures_on: date | None = None  # AWAITING: the day the first period after the action is released
    evidence: Evidence = Evidence.EXIT_THEMES
    turnover: tuple[TurnoverSide, TurnoverSide] | None = None  # with turnover evidence: before, after
    themes_too_few: TooFew | None = None  # with other evidence: why leavers' themes gave no verdict

    @property
    def compared(self) -> tuple[Side, Side] | None:
        before, after = self.before, self.after
        if before is None or after is None or not before.leavers or not after.leavers:
            return None
        return before, after

    @property
    def difference(self) -> float | None:
        """After minus before."""
        sides = self.compared
        if sides is None:
            return None
        before, after = sides
        return after.raised / after.leavers - before.raised / before.leavers

    @property
    def difference_interval(self) -> tuple[float, float] | None:
        """95 % interval of after minus before (Newcombe)."""
        sides = self.compared
        if sides is None:
            return None
        before, after = sides
        return newcombe((after.raised, after.leavers), (before.raised, before.leavers))

    @property
    def uncertain(self) -> bool:
        """Whether chance alone could explain the difference: its interval holds zero (a verdict on
        turnover is given only where chance is unlikely to explain it)."""
        if self.evidence == Evidence.TURNOVER:
            return False
        interval = self.difference_interval
        return interval is not None and interval[0] <= 0 <= interval[1]

    @property
    def measured(self) -> bool:
        return self.verdict in {Verdict.TARGET_MET, Verdict.IMPROVING, Verdict.NO_CHANGE, Verdict.WORSE}

    @property
    def by_leavers_themes(self) -> bool:
        """Measured on the share of leavers raising the theme (what the digest and /changes word)."""
        return self.measured and self.evidence == Evidence.EXIT_THEMES

    @property
    def by_shares(self) -> bool:
        """Measured on a share raising the theme, of leavers or of stay interviews (with its interval)."""
        return self.measured and self.evidence != Evidence.TURNOVER


Window = tuple[int, int]  # released periods from the first index up to the second (left out), oldest first


class EffectMeasure:
    """The effects of done actions against one list of released periods, oldest first (make one per request).

    Released periods of one length never overlap, so an action's windows are found by bisection. Each side
    is pooled once per source, group, theme and window, each turnover side once per group and window (and their
    verdict once per pair of windows), and the first release after a day once, however many actions share them.
    """

    def __init__(self, released: Sequence[Disclosed], *, min_leavers: int, delay_days: int) -> None:
        self.released = list(released)
        self.min_leavers, self.delay_days = min_leavers, delay_days
        self._ends = [period.span.end for period in self.released]
        self._starts = [period.span.start for period in self.released]
        self._stay: list[Disclosed] | None = None
        self._sides: dict[tuple[Evidence, str, int | None, int, int, int], Side] = {}
        self._turnovers: dict[tuple[str, int, int, int, int], TurnoverSide] = {}
        self._turnover_verdicts: dict[tuple[str, int, int, int, int, int, int], Verdict | None] = {}
        self._first_figures: dict[tuple[date, str], date] = {}

    def windows(self, *, started_on: date, done_on: date) -> tuple[Window, Window]:
        """The released periods before an action started (the BEFORE_PERIODS ending last before it) and after
        it was done (the newest AFTER_PERIODS starting after it)."""
        before_end = bisect_left(self._ends, started_on)
        after_start = bisect_right(self._starts, done_on)
        count = len(self.released)
        return (max(0, before_end - BEFORE_PERIODS), before_end), (max(after_start, count - AFTER_PERIODS), count)

    def effect(self, *, grouping: str, group_id: int | None, theme_id: int, started_on: date, done_on: date,
               target_share: float | None, headcount: int | None = None) -> Effect:
        """The effect of a done action on its group's leavers raising its theme; hidden cells are left out.

        When the leavers raising the theme are too few to tell, the verdict may rest on the group's stay
        interviews raising it, else on its turnover against `headcount` (see the module's docstring).
        """
        before, after = self.windows(started_on=started_on, done_on=done_on)
        found = self._themes_effect(Evidence.EXIT_THEMES, before, after, grouping=grouping, group_id=group_id,
                                    theme_id=theme_id, done_on=done_on, target_share=target_share)
        if found.verdict != Verdict.TOO_FEW or found.too_few == TooFew.NO_BEFORE or after[0] == after[1]:
            return found
        stay = self._themes_effect(Evidence.STAY_THEMES, before, after, grouping=grouping, group_id=group_id,
                                   theme_id=theme_id, done_on=done_on, target_share=None)
        if stay.measured:
            return replace(stay, target_share=target_share, evidence=Evidence.STAY_THEMES, themes_too_few=found.too_few)
        if group_id is None or not headcount:
            return found
        turnover = (self._turnover(before, grouping=grouping, group_id=group_id, headcount=headcount),
                    self._turnover(after, grouping=grouping, group_id=group_id, headcount=headcount))
        verdict_key = (grouping, group_id, headcount, *before, *after)
        if verdict_key in self._turnover_verdicts:
            verdict = self._turnover_verdicts[verdict_key]
        else:
            verdict = self._turnover_verdicts[verdict_key] = _turnover_verdict(*turnover)
        if verdict is None:
            return found
        return replace(found, verdict=verdict, too_few=None, evidence=Evidence.TURNOVER, turnover=turnover,
                       themes_too_few=found.too_few)

    def _themes_effect(self, evidence: Evidence, before_window: Window, after_window: Window, *, grouping: str,
                       group_id: int | None, theme_id: int, done_on: date, target_share: float | None) -> Effect:
        """The effect on the share raising the theme, of leavers or (stay evidence) of stay interviews."""
        before = self._side(evidence, before_window, grouping=grouping, group_id=group_id, theme_id=theme_id)
        after = self._side(evidence, after_window, grouping=grouping, group_id=group_id, theme_id=theme_id)
        if before is None:
            return Effect(Verdict.TOO_FEW, before, after, target_share, TooFew.NO_BEFORE)
        too_few = self._too_few(before, hidden=TooFew.HIDDEN_BEFORE, few=TooFew.FEW_BEFORE)
        if too_few is not None:
            return Effect(Verdict.TOO_FEW, before, after, target_share, too_few)
        if after is None:
            return Effect(Verdict.AWAITING, before, after, target_share,
                          first_figures_on=self._first_figures_on(done_on, length=before.periods[0].length))
        too_few = self._too_few(after, hidden=TooFew.HIDDEN_AFTER, few=TooFew.FEW_AFTER)
        if too_few is not None:
            return Effect(Verdict.TOO_FEW, before, after, target_share, too_few)
        return Effect(_compared_verdict(before, after, target_share=target_share), before, after, target_share)

    def _side(self, evidence: Evidence, window: Window, *, grouping: str, group_id: int | None,
              theme_id: int) -> Side | None:
        """The side pooled from the window's periods (None without any), of leavers or of stay interviews."""
        low, high = window
        if low == high:
            return None
        key = (evidence, grouping, group_id, theme_id, low, high)
        found = self._sides.get(key)
        if found is None:
            periods = self.released if evidence == Evidence.EXIT_THEMES else self._stay_periods()
            found = self._sides[key] = _pooled_side(periods[low:high], grouping=grouping, group_id=group_id,
                                                    theme_id=theme_id)
        return found

    def _stay_periods(self) -> list[Disclosed]:
        if self._stay is None:
            self._stay = [period.of_source("stay") for period in self.released]
        return self._stay

    def _too_few(self, side: Side, *, hidden: TooFew, few: TooFew) -> TooFew | None:
        """Why a side cannot be compared: all its periods hidden, or fewer leavers than the minimum."""
        if not side.periods:
            return hidden
        if side.leavers < self.min_leavers:
            return few
        return None

    def _first_figures_on(self, done_on: date, *, length: str) -> date:
        """The day the first period after `done_on` is released."""
        key = (done_on, length)
        found = self._first_figures.get(key)
        if found is None:
            first = period_containing(done_on, length=length).next()
            found = self._first_figures[key] = first.release_day(delay_days=self.delay_days)
        return found

    def _turnover(self, window: Window, *, grouping: str, group_id: int, headcount: int) -> TurnoverSide:
        key = (grouping, group_id, headcount, *window)
        found = self._turnovers.get(key)
        if found is None:
            found = self._turnovers[key] = _turnover_side(self.released[window[0]:window[1]], grouping=grouping,
                                                          group_id=group_id, headcount=headcount)
        return found


def _pooled_side(periods: Sequence[Disclosed], *, grouping: str, group_id: int | None, theme_id: int) -> Side:
    """The leavers of a group (None: the whole organisation) raising a theme over `periods`, from shown figures:
    a period whose group or cell is hidden is left out."""
    pooled, hidden, raised, leavers = [], [], 0, 0
    for period in periods:
        group_leavers, group_hidden = period.leavers(grouping, group_id)
        cell_raised, _cell_leavers, cell_hidden = period.cell(grouping, group_id, theme_id)
        if group_hidden or cell_hidden:
            hidden.append(period.span)
            continue
        pooled.append(period.span)
        leavers += group_leavers
        raised += cell_raised
    return Side(tuple(pooled), tuple(hidden), raised, leavers)


def action_effect(
    released: Sequence[Disclosed], *, grouping: str, group_id: int | None, theme_id: int, started_on: date,
    done_on: date, target_share: float | None, min_leavers: int, delay_days: int, headcount: int | None = None,
) -> Effect:
    """The effect of one done action, from the released periods (oldest first); for many actions against the
    same periods, ask one `EffectMeasure`."""
    return EffectMeasure(released, min_leavers=min_leavers, delay_days=delay_days).effect(
        grouping=grouping, group_id=group_id, theme_id=theme_id, started_on=started_on, done_on=done_on,
        target_share=target_share, headcount=headcount)


def leaver_bounds(period: Disclosed, grouping: str, group_id: int) -> tuple[int, int | None]:
    """The fewest and the most leavers a group can have had in a released period, from shown figures and
    the public rules alone.

    Its own count where shown. Hidden on its own: at least 1 (a group with nobody shows 0, as the rules
    say), at most what the shown total leaves beside the shown groups of its grouping and one for each
    other hidden group. Shown only in a pool: at least 0, at most the pool (bounded the same way when
    the pool is hidden). None: no shown figure bounds it.
    """
    count, hidden = period.leavers(grouping, group_id)
    if not hidden:
        return count, count
    pooled = period.pooled(grouping, group_id)
    column = period.released.pools[grouping][group_id] if pooled else group_id  # where it is counted
    low = 0 if pooled else 1
    column_count, column_hidden = period.leavers(grouping, column)
    if not column_hidden:
        return low, column_count
    total, total_hidden = period.leavers(grouping, None)
    if total_hidden:
        return low, None
    groups = period.released.table.groups.get(grouping, ())
    shown = sum(period.leavers(grouping, other)[0] for other in groups)
    others_hidden = sum(1 for other in groups if other != column and period.leavers(grouping, other)[1])
    return low, total - shown - others_hidden


def _turnover_side(periods: Sequence[Disclosed], *, grouping: str, group_id: int, headcount: int) -> TurnoverSide:
    low = 0
    high_sum: int | None = 0
    for period in periods:
        period_low, period_high = leaver_bounds(period, grouping, group_id)
        low += period_low
        high_sum = None if high_sum is None or period_high is None else high_sum + period_high
    years = sum(period_months(period.span.start, period.span.end) for period in periods) / 12
    return TurnoverSide(tuple(period.span for period in periods), low, high_sum, headcount * years)


def _turnover_verdict(before: TurnoverSide, after: TurnoverSide) -> Verdict | None:
    """Improving or worse when every turnover the shown figures allow says so, by at least TURNOVER_CHANGE,
    and chance explains it seldom; None otherwise (no "no change" on turnover: small counts cannot show it)."""
    if (after.rate_high is not None and before.leavers_low
            and after.rate_high <= before.rate_low * (1 - TURNOVER_CHANGE)
            and _unlikely(before.leavers_low, before.person_years, after.leavers_high or 0, after.person_years)):
        return Verdict.IMPROVING
    if (before.rate_high is not None and after.leavers_low
            and after.rate_low >= before.rate_high * (1 + TURNOVER_CHANGE)
            and _unlikely(after.leavers_low, after.person_years, before.leavers_high or 0, before.person_years)):
        return Verdict.WORSE
    return None


def _unlikely(more: int, more_years: float, fewer: int, fewer_years: float) -> bool:
    """Whether `more` leavers against `fewer` is unlikely under one rate for both (exact conditional
    binomial test, two-sided at SIGNIFICANCE): of the `more + fewer` leavers, each falls on the first
    side with the share of its person-years."""
    leavers, share = more + fewer, more_years / (more_years + fewer_years)
    tail = sum(math.comb(leavers, count) * share ** count * (1 - share) ** (leavers - count)
               for count in range(more, leavers + 1))
    return tail <= SIGNIFICANCE / 2


def _compared_verdict(before: Side, after: Side, *, target_share: float | None) -> Verdict:
    """The verdict on two comparable sides (each with leavers): the target, else after minus before against CHANGE."""
    after_share = after.raised / after.leavers
    if target_share is not None and after_share < target_share:
        return Verdict.TARGET_MET
    # Rounded: 0.30 - 0.25 is a change of exactly CHANGE.
    difference = round(after_share - before.raised / before.leavers, 9)
    if difference <= -CHANGE:
        return Verdict.IMPROVING
    if difference >= CHANGE:
        return Verdict.WORSE
    return Verdict.NO_CHANGE
