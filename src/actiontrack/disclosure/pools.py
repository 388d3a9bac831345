"""Groups too small to show on their own, shown together in pools ("Finance + Legal + HR").

In a company of a few hundred people most departments and job families have a handful of leavers a
year: each of their columns would be hidden, and leadership would see almost nothing by group. So a
group with fewer people than the pooling size never shows on its own outside HR: the small groups
of a grouping are put together, largest first, into pools of at least the pooling size, and each
pool is shown or hidden like any other group (at least k leavers, complementary suppression, the
audit).

Which groups are pooled, and with whom, depends only on their headcounts and the pooling size, never
on who left, and it is fixed when a period is released. Were it to depend on leavers (a group pooled
because it had 1 to k-1 of them), a pool's members and its total could pin a member's count; were
it to change after release, two views of one period would differ by a group. A pool is never made of
a single group (that group under another name) nor of every group (the whole organisation).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from actiontrack.disclosure.periods import MONTHS, period_months
from actiontrack.disclosure.suppression import PeriodTable


@dataclass(frozen=True)
class Pooling:
    """How a release pools small groups: groups of fewer than `size` people (None: the size recommended
    for the organisation's volume; 0: no pools), for the anonymity threshold `threshold`."""

    size: int | None
    threshold: int


# Pools take ids below 1 (database ids start at 1): -1, -2, ... in each grouping.
Pools = Mapping[int, int]  # group id -> pool id, for the pooled groups of one grouping


def pools_of(headcounts: Mapping[int, int], *, min_headcount: int) -> dict[int, int]:
    """Which groups go in which pool: groups smaller than `min_headcount`, largest first, fill pools
    of at least that many people; what is left joins the last pool. Empty when nothing is pooled."""
    if min_headcount <= 0:
        return {}
    # A headcount of 0 is one nobody entered: such a group is left as it is.
    small = sorted((group for group, headcount in headcounts.items() if 0 < headcount < min_headcount),
                   key=lambda group: (-headcounts[group], group))
    if len(small) < 2:
        return {}
    pools: list[list[int]] = [[]]
    for group in small:
        if sum(headcounts[member] for member in pools[-1]) >= min_headcount:
            pools.append([])
        pools[-1].append(group)
    if len(pools) > 1 and sum(headcounts[member] for member in pools[-1]) < min_headcount:
        pools[-2].extend(pools.pop())
    if len(pools[0]) < 2 or (len(pools) == 1 and len(small) == len(headcounts)):
        return {}
    found: dict[int, int] = {}
    for number, members in enumerate(pools, start=1):
        if len(members) == 1:  # a pool of one: the group stays itself
            continue
        found |= dict.fromkeys(members, -number)
    return found


def is_pool(group_id: int) -> bool:
    return group_id < 1


def pool_name(member_names: list[str]) -> str:
    """A pool reads as its members: "Finance + Legal + HR"."""
    return " + ".join(member_names)


def pool_id(group_id: int, pools: Pools) -> int:
    return pools.get(group_id, group_id)


def pool_table(table: PeriodTable, *, pools: Mapping[str, Pools]) -> PeriodTable:
    """The period's table with the members of each pool counted as one group."""
    if not any(pools.values()):
        return table
    leavers: dict[tuple[str, int], int] = {}
    for (grouping, group), count in table.leavers.items():
        key = (grouping, pool_id(group, pools.get(grouping, {})))
        leavers[key] = leavers.get(key, 0) + count
    raised: dict[tuple[str, int, int], int] = {}
    for (grouping, group, theme), count in table.raised.items():
        cell = (grouping, pool_id(group, pools.get(grouping, {})), theme)
        raised[cell] = raised.get(cell, 0) + count
    groups = {grouping: sorted({pool_id(group, pools.get(grouping, {})) for group in group_ids}, key=_display_order)
              for grouping, group_ids in table.groups.items()}
    return PeriodTable(groups=groups, theme_ids=table.theme_ids, leavers=leavers, raised=raised, total=table.total,
                       theme_totals=table.theme_totals, answer_ids=table.answer_ids,
                       extra_linked=table.extra_linked)


def _display_order(group_id: int) -> tuple[int, int]:
    # Groups first, then pools -1, -2, ...
    return (1, -group_id) if group_id < 1 else (0, group_id)


def recommended_min_headcount(*, yearly_leavers: int, headcount: int, months: int, threshold: int) -> int:
    """The pooling size for an organisation's volume: a group expected to have fewer than 4k leavers
    in a period is pooled (below that most of its theme figures would be hidden anyway)."""
    if not yearly_leavers or not headcount:
        return 0
    return math.ceil(4 * threshold / (yearly_leavers / headcount * months / 12))


def recommended_size(periods: Sequence[tuple[date, date, int]], *, headcount: int, length: str, threshold: int) -> int:
    """The pooling size for periods of `length`: the organisation's leavers in `periods` (start, end, leavers),
    a year's worth, against its headcount (recommended_min_headcount); 0 (no pools) without periods."""
    months = sum(period_months(start, end) for start, end, _ in periods)
    if not months:
        return 0
    yearly_leavers = round(sum(leavers for _, _, leavers in periods) * 12 / months)
    return recommended_min_headcount(yearly_leavers=yearly_leavers, headcount=headcount, months=MONTHS[length],
                                     threshold=threshold)
