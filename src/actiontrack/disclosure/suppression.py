"""Which figures of a released period may be shown outside HR: primary and complementary suppression.

A released period is one table per grouping (themes x departments, themes x job families) plus the
leavers of every group. Both tables share their totals: the whole organisation's leavers and each
theme's leavers. The rules, applied to both tables at once:

- a figure of 1 to k-1 leavers is hidden ("small"); a hidden group hides every figure of its column;
- wherever a total can be known (shown, or the sum of parts that are all shown), the hidden parts of
  each sum it is the total of must add up to 0 or to at least k; otherwise the smallest shown
  non-zero part is hidden too ("protected"), or the total when there is none;
- a theme's hidden part of 1 to k-1 must be able to be 0: the other hidden parts of that theme's
  known sum must have room for the whole hidden sum. A part can hold at most its group's leavers
  when the group is shown, and the hidden groups together at most the leavers of all hidden groups
  (the total minus the shown groups). A protector whose group all raised the theme holds nothing
  more, so without room the smallest shown part with room (a zero counts) is hidden too, or else
  the total as above.

The loop ends because every round hides one more figure. tests/test_disclosure_audit.py checks the
result with a linear program: no hidden figure can be narrowed to 1..k-1 from what is shown, except
in the leaks across the two groupings it lists as KNOWN_LEAKS, which these rules do not yet catch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

GROUPINGS = ("department", "job_family")

# Keys of the figures of a period.
TOTAL = ("total",)


def group_key(grouping: str, group_id: int) -> tuple[str, str, int]:
    return ("group", grouping, group_id)


def theme_key(theme_id: int) -> tuple[str, int]:
    return ("theme", theme_id)


def cell_key(grouping: str, group_id: int, theme_id: int) -> tuple[str, str, int, int]:
    return ("cell", grouping, group_id, theme_id)


class Hidden(StrEnum):
    SMALL = "small"  # fewer leavers than the threshold
    PROTECTED = "protected"  # hidden so that a small figure cannot be worked out from a total


def is_hidden(group_size: int, *, threshold: int) -> bool:
    """A group smaller than the threshold (but not empty) could point at a person."""
    return 0 < group_size < threshold


@dataclass(frozen=True)
class PeriodTable:
    """The raw counts of one period: leavers per group and leavers raising each theme per group.

    `groups[grouping]` lists every group shown in that grouping (in display order); counts missing
    from `leavers` and `raised` are 0. `total` and `theme_totals` are the same in both groupings.
    """

    groups: Mapping[str, Sequence[int]]
    theme_ids: Sequence[int]
    leavers: Mapping[tuple[str, int], int]
    raised: Mapping[tuple[str, int, int], int]
    total: int
    theme_totals: Mapping[int, int]

    def values(self) -> dict[tuple, int]:
        """Every figure of the period by key."""
        found: dict[tuple, int] = {TOTAL: self.total}
        for theme in self.theme_ids:
            found[theme_key(theme)] = self.theme_totals.get(theme, 0)
        for grouping, group_ids in self.groups.items():
            for group in group_ids:
                found[group_key(grouping, group)] = self.leavers.get((grouping, group), 0)
                for theme in self.theme_ids:
                    found[cell_key(grouping, group, theme)] = self.raised.get((grouping, group, theme), 0)
        return found

    def sums(self) -> list[tuple[tuple, list[tuple]]]:
        """Every (total, parts) that the figures satisfy."""
        found = []
        for grouping, group_ids in self.groups.items():
            found.append((TOTAL, [group_key(grouping, group) for group in group_ids]))
            for theme in self.theme_ids:
                found.append((theme_key(theme), [cell_key(grouping, group, theme) for group in group_ids]))
        return found


@dataclass(frozen=True)
class Suppression:
    """The hidden figures of a period, each with why."""

    hidden: dict[tuple, Hidden] = field(default_factory=dict)

    def total(self) -> Hidden | None:
        return self.hidden.get(TOTAL)

    def group(self, grouping: str, group_id: int) -> Hidden | None:
        return self.hidden.get(group_key(grouping, group_id))

    def theme(self, theme_id: int) -> Hidden | None:
        return self.hidden.get(theme_key(theme_id))

    def cell(self, grouping: str, group_id: int, theme_id: int) -> Hidden | None:
        return self.hidden.get(cell_key(grouping, group_id, theme_id))


def suppress_period(table: PeriodTable, *, threshold: int) -> Suppression:
    """The figures of `table` to hide from everyone but HR (see the module's rules)."""
    values = table.values()
    order = {key: index for index, key in enumerate(values)}
    sums = table.sums()
    hidden = {key: Hidden.SMALL for key, value in values.items() if is_hidden(value, threshold=threshold)}
    group_of = {
        cell_key(grouping, group, theme): group_key(grouping, group)
        for grouping, group_ids in table.groups.items() for group in group_ids for theme in table.theme_ids
    }

    def hide_columns() -> None:
        for grouping, group_ids in table.groups.items():
            for group in group_ids:
                if group_key(grouping, group) in hidden:
                    for theme in table.theme_ids:
                        hidden.setdefault(cell_key(grouping, group, theme), Hidden.PROTECTED)

    def derivations(total: tuple) -> list[list[tuple]]:
        return [parts for sum_total, parts in sums if sum_total == total]

    def known(total: tuple) -> bool:
        return total not in hidden or any(all(part not in hidden for part in parts) for parts in derivations(total))

    def smallest_shown(parts: Sequence[tuple]) -> tuple | None:
        shown = [part for part in parts if part not in hidden and values[part] > 0]
        return min(shown, key=lambda part: (values[part], order[part])) if shown else None

    def room(part: tuple) -> int:
        # What a theme's figure of a shown group could hold beyond its own value: the group's other
        # leavers. Protecting with a figure its whole group raised gives nothing to hide in.
        return values[group_of[part]] - values[part]

    def short_of_room(total: tuple, parts: Sequence[tuple]) -> bool:
        if total == TOTAL or not parts:
            return False  # groups are bounded only by the total, which is the sum itself
        hidden_parts = [part for part in parts if part in hidden]
        hidden_sum = sum(values[part] for part in hidden_parts)
        bounded = [part for part in hidden_parts if group_of[part] not in hidden]
        unbounded = [part for part in hidden_parts if group_of[part] in hidden]
        groups = [group_of[part] for part in parts]
        hidden_groups = (
            values[TOTAL] - sum(values[group] for group in groups if group not in hidden)
            if known(TOTAL) else math.inf
        )
        for part in hidden_parts:
            if is_hidden(values[part], threshold=threshold):
                others = sum(values[group_of[other]] for other in bounded if other != part)
                if any(other != part for other in unbounded):
                    others += hidden_groups
                if others < hidden_sum:
                    return True
        return False

    def smallest_with_room(parts: Sequence[tuple]) -> tuple | None:
        shown = [part for part in parts if part not in hidden and room(part) > 0]
        return min(shown, key=lambda part: (values[part], order[part])) if shown else None

    hide_columns()
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            if not known(total):
                continue
            hidden_sum = sum(values[part] for part in parts if part in hidden)
            if is_hidden(hidden_sum, threshold=threshold):
                second = smallest_shown(parts)
            elif short_of_room(total, parts):
                second = smallest_with_room(parts)
            else:
                continue
            if second is not None:
                hidden[second] = Hidden.PROTECTED
            elif total not in hidden:
                hidden[total] = Hidden.PROTECTED
            else:
                # The total is hidden but another sum gives it away: hide a part of that sum as well.
                for other in derivations(total):
                    extra = smallest_shown(other)
                    if extra is not None:
                        hidden[extra] = Hidden.PROTECTED
                        break
                else:  # every part of every derivation is zero or hidden: nothing can be known
                    continue
            hide_columns()
            changed = True
    return Suppression(hidden=dict(hidden))
