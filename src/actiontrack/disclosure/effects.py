"""Did an action work? Its group's leavers before it started against those after it was done.

Both sides are pooled from released periods only, and only from what the radar shows of them: a
shown cell adds its count, and a hidden cell (or a hidden group) is left out, whatever the reason it
is hidden. A pooled figure is therefore a sum of what anyone may already read on the radar, and the
verdict a function of such sums: neither can be used to narrow a hidden figure.

The verdict compares the share of leavers raising the action's theme before and after; the
uncertainty of that comparison is given as 95 % intervals (Wilson for each share, Newcombe's
hybrid score interval for the difference). The verdict says nothing about cause.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from actiontrack.disclosure.periods import PeriodSpan, period_containing
from actiontrack.disclosure.views import Disclosed
from actiontrack.i18n import N_
from actiontrack.models import Scope

Z95 = 1.959963984540054
BEFORE_PERIODS = 2  # the released periods ending last before the action started
AFTER_PERIODS = 4  # the newest released periods starting after it was done
CHANGE = 0.05  # a difference of shares smaller than this is "no change yet"


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


class TooFew(StrEnum):
    NO_BEFORE = "no_before"  # no released period before the action started
    HIDDEN_BEFORE = "hidden_before"  # below the anonymity threshold before
    HIDDEN_AFTER = "hidden_after"  # below the anonymity threshold after
    FEW_BEFORE = "few_before"  # fewer leavers before than the minimum
    FEW_AFTER = "few_after"  # fewer leavers after than the minimum
    OPEN = "open"  # kept for the API: pools are exact now, so no verdict is left open


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

    A hidden cell (or a hidden group) is left out. The pool is exact; `raised_low` and `raised_high`
    stay for the API's sake and are equal.
    """

    periods: tuple[PeriodSpan, ...]  # the periods pooled
    hidden: tuple[PeriodSpan, ...]  # periods of the window left out: hidden group or cell
    raised_low: int
    raised_high: int
    leavers: int

    @property
    def exact(self) -> bool:
        return self.raised_low == self.raised_high

    @property
    def raised(self) -> int | None:
        return self.raised_low if self.exact else None

    @property
    def share(self) -> float | None:
        return self.raised_low / self.leavers if self.leavers and self.exact else None

    @property
    def share_low(self) -> float | None:
        return self.raised_low / self.leavers if self.leavers else None

    @property
    def share_high(self) -> float | None:
        return self.raised_high / self.leavers if self.leavers else None

    @property
    def interval(self) -> tuple[float, float]:
        """The 95 % interval of the share (for a range: from the lowest to the highest it could be)."""
        return wilson(self.raised_low, self.leavers)[0], wilson(self.raised_high, self.leavers)[1]

    @property
    def label(self) -> str:
        if not self.periods:
            return ""
        first, last = self.periods[0], self.periods[-1]
        return first.label if first == last else f"{first.label} – {last.label}"


@dataclass(frozen=True)
class Effect:
    verdict: Verdict
    before: Side | None
    after: Side | None
    target_share: float | None
    too_few: TooFew | None = None
    first_figures_on: date | None = None  # AWAITING: the day the first period after the action is released

    @property
    def compared(self) -> tuple[Side, Side] | None:
        before, after = self.before, self.after
        if before is None or after is None or not before.leavers or not after.leavers:
            return None
        return before, after

    @property
    def difference(self) -> float | None:
        """After minus before, when both shares are known exactly."""
        sides = self.compared
        if sides is None or not sides[0].exact or not sides[1].exact:
            return None
        return (sides[1].share or 0.0) - (sides[0].share or 0.0)

    @property
    def difference_range(self) -> tuple[float, float] | None:
        """The lowest and highest after minus before can be, given what the radar shows."""
        sides = self.compared
        if sides is None:
            return None
        before, after = sides
        return (after.raised_low / after.leavers - before.raised_high / before.leavers,
                after.raised_high / after.leavers - before.raised_low / before.leavers)

    @property
    def difference_interval(self) -> tuple[float, float] | None:
        """95 % interval of after minus before (Newcombe), widened over the ranges the radar leaves."""
        sides = self.compared
        if sides is None:
            return None
        before, after = sides
        return (newcombe((after.raised_low, after.leavers), (before.raised_high, before.leavers))[0],
                newcombe((after.raised_high, after.leavers), (before.raised_low, before.leavers))[1])

    @property
    def uncertain(self) -> bool:
        """Whether chance alone could explain the difference: its interval holds zero."""
        interval = self.difference_interval
        return interval is not None and interval[0] <= 0 <= interval[1]

    @property
    def measured(self) -> bool:
        return self.verdict in {Verdict.TARGET_MET, Verdict.IMPROVING, Verdict.NO_CHANGE, Verdict.WORSE}


def grouping_of(*, scope: str, department_id: int | None, job_family_id: int | None) -> tuple[str, int | None]:
    """The released grouping and group an action's scope reads (None: the whole organisation)."""
    if scope == Scope.JOB_FAMILY:
        return "job_family", job_family_id
    return "department", department_id if scope == Scope.DEPARTMENT else None


def _side(periods: Sequence[Disclosed], *, grouping: str, group_id: int | None, theme_id: int) -> Side:
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
    return Side(tuple(pooled), tuple(hidden), raised, raised, leavers)


def action_effect(
    released: Sequence[Disclosed], *, grouping: str, group_id: int | None, theme_id: int, started_on: date,
    done_on: date, target_share: float | None, min_leavers: int, delay_days: int,
    sides: dict[tuple[object, ...], Side] | None = None,
) -> Effect:
    """The effect of a done action on its group's leavers raising its theme, from released periods.

    `released` are the released periods, oldest first, with their suppression; hidden cells are left out.
    """
    before_periods = [item for item in released if item.span.end < started_on][-BEFORE_PERIODS:]
    after_periods = [item for item in released if item.span.start > done_on][-AFTER_PERIODS:]
    before = _pooled_side(before_periods, grouping=grouping, group_id=group_id, theme_id=theme_id, sides=sides)
    after = _pooled_side(after_periods, grouping=grouping, group_id=group_id, theme_id=theme_id, sides=sides)

    def effect(verdict: Verdict, too_few: TooFew | None = None, first_figures_on: date | None = None) -> Effect:
        return Effect(verdict, before, after, target_share, too_few, first_figures_on)

    if before is None:
        return effect(Verdict.TOO_FEW, TooFew.NO_BEFORE)
    too_few = _too_few(before, min_leavers=min_leavers, hidden=TooFew.HIDDEN_BEFORE, few=TooFew.FEW_BEFORE)
    if too_few is not None:
        return effect(Verdict.TOO_FEW, too_few)
    if after is None:
        first = period_containing(done_on, length=before.periods[0].length).next()
        return effect(Verdict.AWAITING, first_figures_on=first.release_day(delay_days=delay_days))
    too_few = _too_few(after, min_leavers=min_leavers, hidden=TooFew.HIDDEN_AFTER, few=TooFew.FEW_AFTER)
    if too_few is not None:
        return effect(Verdict.TOO_FEW, too_few)
    verdict = _compared_verdict(after, effect(Verdict.NO_CHANGE).difference_range, target_share=target_share)
    return effect(Verdict.TOO_FEW, TooFew.OPEN) if verdict is None else effect(verdict)


def _pooled_side(periods: list[Disclosed], *, grouping: str, group_id: int | None, theme_id: int,
                 sides: dict[tuple[object, ...], Side] | None) -> Side | None:
    """The side pooled from `periods` (None without any), from `sides` when an earlier action pooled it."""
    # `sides` (one per list of released periods) shares a window's pool between actions of one group and theme.
    if not periods:
        return None
    key = (grouping, group_id, theme_id, periods[0].span, periods[-1].span)
    found = sides.get(key) if sides is not None else None
    if found is None:
        found = _side(periods, grouping=grouping, group_id=group_id, theme_id=theme_id)
        if sides is not None:
            sides[key] = found
    return found


def _too_few(side: Side, *, min_leavers: int, hidden: TooFew, few: TooFew) -> TooFew | None:
    """Why a side cannot be compared: all its periods hidden, or fewer leavers than the minimum."""
    if not side.periods:
        return hidden
    if side.leavers < min_leavers:
        return few
    return None


def _compared_verdict(after: Side, difference_range: tuple[float, float] | None, *,
                      target_share: float | None) -> Verdict | None:
    """The verdict on two comparable sides (after minus before within `difference_range`), or None when
    the ranges the radar leaves allow more than one."""
    after_high = after.raised_high / after.leavers
    if target_share is not None and after_high < target_share:
        return Verdict.TARGET_MET
    # Rounded: 0.30 - 0.25 is a change of exactly CHANGE.
    lowest, highest = (round(bound, 9) for bound in difference_range or (0.0, 0.0))
    if highest <= -CHANGE:
        return Verdict.IMPROVING
    if lowest >= CHANGE:
        return Verdict.WORSE
    if lowest > -CHANGE and highest < CHANGE:
        return Verdict.NO_CHANGE
    return None
