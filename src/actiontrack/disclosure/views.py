"""What anyone but HR may see about leavers: released periods after suppression, and nothing else.

Pages, the API, the digest and the public page ask this module; none of them counts leavers on its
own. Every figure comes from one released period (`released.py`) with its suppression applied
(`suppression.py`); hidden figures are blanked here, so they never reach a template or a JSON body.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.disclosure.periods import PeriodSpan
from actiontrack.disclosure.pools import is_pool, pool_name
from actiontrack.disclosure.release import GroupFigures, ReleasedPeriod, period_table, read_released, released_spans
from actiontrack.disclosure.suppression import Hidden, Suppression, suppress_period
from actiontrack.disclosure.tables import Cell, Group, Radar, ThemeRow
from actiontrack.models import Scope
from actiontrack.radar.rules import SCORE_NAMES, is_recurring


@dataclass(frozen=True)
class PoolRow:
    """A pool as a column of the radar: shown like a group, named after its members."""

    id: int
    name: str
    active: bool = True
    headcount: int | None = None


@dataclass(frozen=True)
class Disclosed:
    """A released period and which of its figures are hidden: of leavers (source "exit"), of stay
    interviews ("stay"), or both added up ("both": a figure shows only where both its parts show)."""

    released: ReleasedPeriod
    suppression: Suppression
    threshold: int
    source: str = "exit"
    others: dict[str, Disclosed] = field(default_factory=dict, compare=False, repr=False)

    @property
    def span(self) -> PeriodSpan:
        return self.released.span

    @property
    def score_names(self) -> tuple[str, ...]:
        return SCORE_NAMES[self.source]

    def of_source(self, source: str) -> Disclosed:
        """The same period counted from another source (exit, stay or both)."""
        return self if source == self.source else self.others[source]

    def pooled(self, grouping: str, group_id: int | None) -> bool:
        """Whether the group is shown only within a pool (so never on its own)."""
        return group_id is not None and group_id in self.released.pools.get(grouping, {})

    def pool_members(self, grouping: str) -> dict[int, list[int]]:
        """Each pool of the grouping with its members' ids."""
        found: dict[int, list[int]] = {}
        for group_id, pool in sorted(self.released.pools.get(grouping, {}).items()):
            found.setdefault(pool, []).append(group_id)
        return found

    def figures(self, grouping: str, group_id: int) -> GroupFigures:
        return self.released.groups.get((grouping, group_id)) or GroupFigures(
            leavers=0, headcount=None, score_sums=dict.fromkeys(self.score_names, 0), would_return=0, promoters=0,
            detractors=0)

    def cell(self, grouping: str, group_id: int | None, theme_id: int) -> tuple[int, int, Hidden | None]:
        """(raised, leavers, hidden) of a theme in a group (None: the whole organisation); 0, 0 when hidden."""
        table = self.released.table
        if group_id is None:
            hidden = self.suppression.total() or self.suppression.theme(theme_id)
            raised, leavers = table.theme_totals.get(theme_id, 0), table.total
        elif self.pooled(grouping, group_id):
            hidden, raised, leavers = Hidden.SMALL, 0, 0
        else:
            hidden = self.suppression.group(grouping, group_id) or self.suppression.cell(grouping, group_id, theme_id)
            raised, leavers = table.raised.get((grouping, group_id, theme_id), 0), self.figures(grouping, group_id).leavers
        return (0, 0, hidden) if hidden else (raised, leavers, None)

    def leavers(self, grouping: str, group_id: int | None) -> tuple[int, Hidden | None]:
        if group_id is None:
            hidden = self.suppression.total()
            return (0, hidden) if hidden else (self.released.table.total, None)
        if self.pooled(grouping, group_id):
            return 0, Hidden.SMALL
        hidden = self.suppression.group(grouping, group_id)
        return (0, hidden) if hidden else (self.figures(grouping, group_id).leavers, None)


class DisclosureCache:
    """Released periods with their suppression, per worker. Released figures never change, so an entry
    stays right for ever; only the list of released periods is read on every request (one query)."""

    SIZE = 64

    def __init__(self) -> None:
        self._entries: dict[tuple[int, int], Disclosed] = {}

    async def get(self, session: AsyncSession, *, period_id: int, span: PeriodSpan, threshold: int) -> Disclosed:
        key = (period_id, threshold)
        found = self._entries.get(key)
        if found is None or found.span != span:
            released = await read_released(session, period_id=period_id, span=span, theme_ids=[])
            found = disclosed_sources(released, threshold=threshold)
            if len(self._entries) >= self.SIZE:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = found
        return found


def disclosed_sources(released: ReleasedPeriod, *, threshold: int) -> Disclosed:
    """A released period as disclosed, its exit figures first, with its stay and both-sources views.
    Pools are counted first: a pooled group's figures never reach suppression on their own."""
    released = released.pooled()
    exit_view = Disclosed(released, suppress_period(released.table, threshold=threshold), threshold)
    stay = released.stay or ReleasedPeriod(id=released.id, span=released.span, table=period_table({}, {}, []),
                                            pools=released.pools)
    stay_view = Disclosed(stay, suppress_period(stay.table, threshold=threshold), threshold, "stay")
    groups = {}
    for key in {*released.groups, *stay.groups}:
        parts = [part for part in (released.groups.get(key), stay.groups.get(key)) if part is not None]
        groups[key] = GroupFigures(leavers=sum(part.leavers for part in parts), headcount=parts[0].headcount,
                                   score_sums={}, would_return=0, promoters=0, detractors=0)
    raised = dict(released.table.raised)
    for key, count in stay.table.raised.items():
        raised[key] = raised.get(key, 0) + count
    both = ReleasedPeriod(id=released.id, span=released.span,
                          table=period_table(groups, raised, list(released.table.theme_ids)), groups=groups,
                          pools=released.pools)
    # A sum shows only where both its parts show: it then tells nothing the two views do not.
    both_view = Disclosed(both, Suppression(hidden={**stay_view.suppression.hidden, **exit_view.suppression.hidden}),
                          threshold, "both")
    views = {"exit": exit_view, "stay": stay_view, "both": both_view}
    for view in views.values():
        view.others.update(views)
    return exit_view


async def disclosed_periods(
    session: AsyncSession, *, length: str, threshold: int, cache: DisclosureCache, last: int | None = None,
) -> list[Disclosed]:
    """The released periods (the `last` newest, or all), oldest first, as anyone but HR may see them."""
    spans = await released_spans(session, length=length)
    if last is not None:
        spans = spans[-last:] if last else []
    return [await cache.get(session, period_id=period_id, span=span, threshold=threshold)
            for period_id, span in spans]


def released_radar(
    *, chosen: Disclosed, previous: Disclosed | None, by: str, group_rows: Sequence[Any], themes: Sequence[Any],
    total_name: str, min_leavers: int, min_share: float,
) -> Radar:
    """The radar of one released period for anyone but HR, compared with the released period before it.

    `group_rows` are the departments or job families (id, name, active[, headcount]); retired ones
    show while they have leavers in either period.
    """
    def has_leavers(group_id: int) -> bool:
        return bool(chosen.figures(by, group_id).leavers or (previous and previous.figures(by, group_id).leavers))

    shown_groups = [row for row in group_rows
                    if not chosen.pooled(by, row.id) and (row.active or has_leavers(row.id))]
    names = {row.id: row.name for row in group_rows}
    pools = chosen.pool_members(by)
    shown_groups += [PoolRow(id=pool, name=pool_name([names.get(member, "") for member in members]))
                     for pool, members in pools.items()]
    mentioned = {theme_id for (grouping, _group, theme_id), raised in chosen.released.table.raised.items()
                 if grouping == by and raised}
    if previous is not None:
        mentioned |= {theme_id for (grouping, _group, theme_id), raised in previous.released.table.raised.items()
                      if grouping == by and raised}
    shown_themes = [theme for theme in themes if theme.active or theme.id in mentioned]

    def group(group_id: int | None, name: str, active: bool) -> Group:
        leavers, hidden = chosen.leavers(by, group_id)
        previous_leavers = previous.leavers(by, group_id)[0] if comparable(group_id) else 0
        if group_id is None:
            parts = [chosen.figures(by, key[1]) for key in chosen.released.groups if key[0] == by]
            figures = GroupFigures(
                leavers=leavers, headcount=sum(part.headcount or 0 for part in parts) or None,
                score_sums={name: sum(part.score_sums.get(name, 0) for part in parts) for name in chosen.score_names},
                would_return=sum(part.would_return for part in parts),
                promoters=sum(part.promoters for part in parts), detractors=sum(part.detractors for part in parts))
        else:
            figures = chosen.figures(by, group_id)
        built = Group(id=group_id, name=name, active=active, leavers=leavers, previous_leavers=previous_leavers,
                      headcount=figures.headcount if by == "department" else None, score_sums=figures.score_sums,
                      would_return=figures.would_return, promoters=figures.promoters, detractors=figures.detractors)
        return built.blanked(hidden) if hidden else built

    def comparable(group_id: int | None) -> bool:
        # A pool is compared with the period before only when it held the same groups then.
        return previous is not None and (
            group_id not in pools or previous.pool_members(by).get(group_id) == pools[group_id])

    def cell(group_id: int | None, theme_id: int) -> Cell:
        raised, leavers, hidden = chosen.cell(by, group_id, theme_id)
        before_raised, before_leavers, before_hidden = (
            previous.cell(by, group_id, theme_id) if comparable(group_id) else (0, 0, None))
        return Cell(raised=raised, leavers=leavers, previous_raised=before_raised, previous_leavers=before_leavers,
                    recurring=not hidden and is_recurring(raised, leavers, min_leavers=min_leavers,
                                                          min_share=min_share),
                    hidden=hidden, previous_hidden=before_hidden)

    groups = [group(row.id, row.name, row.active) for row in shown_groups]
    rows = [ThemeRow(theme=theme, cells=[cell(row.id, theme.id) for row in shown_groups], total=cell(None, theme.id))
            for theme in shown_themes]
    previous_span = previous.span if previous is not None else chosen.span.previous()
    return Radar(by=by, period=chosen.span, previous=previous_span, groups=groups,
                 total=group(None, total_name, True), rows=rows, threshold=chosen.threshold, suppressed=True,
                 released=chosen.span)


def evidence_cell(
    released: Sequence[Disclosed], *, period_end: Any, scope: str, department_id: int | None,
    job_family_id: int | None, theme_id: int,
) -> tuple[Disclosed | None, int, int, Hidden | None]:
    """An action's evidence outside HR: the released period ending last on or before the evidence
    does (None: none yet), and its cell (raised, leavers, hidden) for the action's group and theme."""
    period = next((item for item in reversed(released) if item.span.end <= period_end), None)
    if period is None:
        return None, 0, 0, None
    grouping, group_id = (("job_family", job_family_id) if scope == Scope.JOB_FAMILY
                          else ("department", department_id if scope == Scope.DEPARTMENT else None))
    return (period, *period.cell(grouping, group_id, theme_id))


@dataclass(frozen=True)
class RecurringCell:
    """A theme recurring in a group in a released period, with figures that may be shown."""

    theme_id: int
    grouping: str
    group_id: int
    raised: int
    leavers: int


def recurring_cells(
    disclosed: Disclosed, *, groupings: Sequence[str], min_leavers: int, min_share: float,
    group_id: int | None = None, theme_id: int | None = None,
) -> list[RecurringCell]:
    """The shown cells of a released period that meet the recurring rule; hidden cells never count."""
    found = []
    table = disclosed.released.table
    for grouping in groupings:
        for group in table.groups.get(grouping, []):
            # A pool is no group an action can be for: its figures show on the radar only.
            if is_pool(group) or (group_id is not None and group != group_id):
                continue
            for theme in table.theme_ids:
                if theme_id is not None and theme != theme_id:
                    continue
                raised, leavers, hidden = disclosed.cell(grouping, group, theme)
                if not hidden and is_recurring(raised, leavers, min_leavers=min_leavers, min_share=min_share):
                    found.append(RecurringCell(theme, grouping, group, raised, leavers))
    return found
