"""What anyone but HR may see about leavers: released periods after suppression, and nothing else.

Pages, the API, the digest and the public page ask this module; none of them counts leavers on its
own. Every figure comes from one released period (`released.py`) with its suppression applied
(`suppression.py`); hidden figures are blanked here, so they never reach a template or a JSON body.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.caching import Memo
from actiontrack.disclosure.periods import PeriodSpan
from actiontrack.disclosure.pools import is_pool, pool_name
from actiontrack.disclosure.release import GroupFigures, ReleasedPeriod, period_table, read_released, released_spans
from actiontrack.disclosure.suppression import (
    GROUPINGS,
    PROMOTERS,
    TOTAL,
    WOULD_RETURN,
    Suppression,
    cell_key,
    extra_question_of,
    group_key,
    suppress_period,
    theme_key,
    would_return_bands,
)
from actiontrack.disclosure.tables import Cell, Group, Radar, ThemeRow
from actiontrack.models import Scope
from actiontrack.radar.rules import SCORE_NAMES, is_recurring


@dataclass(frozen=True)
class PoolRow:
    """A pool as a column of the radar: shown like a group, named after its members."""

    id: int
    name: str
    active: bool = True


@dataclass(frozen=True)
class Disclosed:
    """A released period and which of its figures are hidden: of leavers (source "exit"), of stay
    interviews ("stay"), or both added up ("both": a figure shows only where both its parts show)."""

    released: ReleasedPeriod
    suppression: Suppression
    threshold: int
    source: str = "exit"
    others: dict[str, Disclosed] = field(default_factory=dict, compare=False, repr=False)
    # Shown groups whose share who would come back reads as a band (suppression.would_return_bands).
    bands: dict[tuple[str, int], str] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def span(self) -> PeriodSpan:
        # Read for every period each time an effect picks its windows: kept once read (released is frozen).
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

    def cell(self, grouping: str, group_id: int | None, theme_id: int) -> tuple[int, int, bool]:
        """(raised, leavers, hidden) of a theme in a group (None: the whole organisation); 0, 0 when hidden.

        Hidden says nothing of why: a figure hidden for being small reads like one hidden to protect it."""
        # Called for every cell of every period an effect or a radar reads: plain lookups, no figures built.
        table, hidden = self.released.table, self.suppression.hidden
        if group_id is None:
            if TOTAL in hidden or theme_key(theme_id) in hidden:
                return 0, 0, True
            return table.theme_totals.get(theme_id, 0), table.total, False
        if (group_id in self.released.pools.get(grouping, ()) or group_key(grouping, group_id) in hidden
                or cell_key(grouping, group_id, theme_id) in hidden):
            return 0, 0, True
        figures = self.released.groups.get((grouping, group_id))
        return table.raised.get((grouping, group_id, theme_id), 0), figures.leavers if figures else 0, False

    def leavers(self, grouping: str, group_id: int | None) -> tuple[int, bool]:
        """A group's leavers (None: the whole organisation's), and whether they are hidden (then 0)."""
        hidden = self.suppression.hidden
        if group_id is None:
            return (0, True) if TOTAL in hidden else (self.released.table.total, False)
        if group_id in self.released.pools.get(grouping, ()) or group_key(grouping, group_id) in hidden:
            return 0, True
        figures = self.released.groups.get((grouping, group_id))
        return (figures.leavers if figures else 0), False

    def hidden_figures(self, grouping: str, group_id: int | None) -> frozenset[str]:
        """The rates and averages of a shown group (None: the whole organisation) that stay hidden.

        The share who would come back and the eNPS show only where the counts of every answer of their
        question show (suppression treats answers like themes, see suppression.ANSWERS): a rate with
        the group's leavers gives those counts, so it follows the rule for counts. A group's average
        score never shows: with its leavers it can pin how many gave a low or a high score, and no
        released count bounds that. The whole organisation's shows where some spread of scores in
        which every score is given by no one or by at least k people has the same sum (no other
        shown figure is about scores, so any such spread over the leavers is a witness).
        """
        hidden = set()
        for figure, answer in (("would_return", WOULD_RETURN), ("enps", PROMOTERS)):
            if answer not in self.released.table.answer_ids or self.cell(grouping, group_id, answer)[2]:
                hidden.add(figure)
        leavers, leavers_hidden = self.leavers(grouping, group_id)
        for name in self.score_names:
            if group_id is not None or leavers_hidden or not average_may_show(
                    self.figures_of_all(name), leavers, threshold=self.threshold):
                hidden.add(name)
        return frozenset(hidden)

    def extra_questions(self) -> list[int]:
        """The versions of extra questions with answers counted in this period (from the interviews of `source`)."""
        return [extra_question_of(answers) for answers in self.released.table.extra_linked]

    def extra_answers(self, grouping: str, group_id: int | None,
                      question_id: int) -> tuple[tuple[int, ...], int, bool]:
        """(the counts shown, answers, hidden) of an extra question in a group (None: the whole organisation):
        the first answers, or each option's of a choice of more than two; (), 0 when hidden. Its answers are
        counted like the recommendation's (suppression.extra_answer_ids), so they show only where the counts
        of all of them (first, second or each option, and none) could show."""
        linked = next(answers for answers in self.released.table.extra_linked
                      if extra_question_of(answers) == question_id)
        cells = [self.cell(grouping, group_id, answer) for answer in linked]
        if any(hidden for _raised, _leavers, hidden in cells):
            return (), 0, True
        given = tuple(raised for raised, _leavers, _hidden in cells[:-1])
        return (given if len(given) > 2 else given[:1]), sum(given), False

    def figures_of_all(self, score_name: str) -> int:
        """The whole organisation's sum of one score."""
        return sum(figures.score_sums.get(score_name, 0) for (grouping, _group), figures in self.released.groups.items()
                   if grouping == GROUPINGS[0])


# The scores are answers from 1 to 5.
SCORES = range(1, 6)


def average_may_show(score_sum: int, leavers: int, *, threshold: int) -> bool:
    """Whether an average score of `leavers` pins no count of people giving a score (or a set of scores).

    It may show when some spread of whole scores in which each score is given by nobody or by at
    least `threshold` people has the same sum (so the same average, however it is rounded): then
    every such count could be 0 or at least the threshold. Spreads over consecutive scores suffice to
    find one: with each count at least k, the other leavers can take any score in the range, so every
    sum between the lowest and the highest is reached.
    """
    if leavers < threshold:
        return False
    for low in SCORES:
        for high in SCORES[SCORES.index(low):]:
            given = high - low + 1
            if leavers < given * threshold:
                continue
            base, extra = threshold * sum(range(low, high + 1)), leavers - given * threshold
            if base + low * extra <= score_sum <= base + high * extra:
                return True
    return False


def disclosed_sources(released: ReleasedPeriod, *, threshold: int) -> Disclosed:
    """A released period as disclosed, its exit figures first, with its stay and both-sources views.
    Pools are counted first: a pooled group's figures never reach suppression on their own."""
    released = released.pooled()
    exit_suppression = suppress_period(released.table, threshold=threshold)
    exit_view = Disclosed(released, exit_suppression, threshold,
                          bands=would_return_bands(released.table, exit_suppression, threshold=threshold))
    stay = released.stay or ReleasedPeriod(id=released.id, span=released.span, table=period_table({}, {}, []),
                                            pools=released.pools)
    stay_view = Disclosed(stay, suppress_period(stay.table, threshold=threshold), threshold, "stay")
    groups = {}
    for key in {*released.groups, *stay.groups}:
        parts = [part for part in (released.groups.get(key), stay.groups.get(key)) if part is not None]
        groups[key] = GroupFigures(leavers=sum(part.leavers for part in parts), headcount=parts[0].headcount,
                                   score_sums={}, would_return=0, promoters=0, detractors=0)
    raised = {key: count for key, count in released.table.raised.items() if key[2] in released.table.theme_ids}
    for cell, count in stay.table.raised.items():
        raised[cell] = raised.get(cell, 0) + count
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
    session: AsyncSession, *, length: str, threshold: int, memo: Memo, last: int | None = None,
) -> list[Disclosed]:
    """The released periods (the `last` newest, or all), oldest first, as anyone but HR may see them.

    Each is read and suppressed once per worker (the memo's "disclosed"): released figures never change,
    so a period's id and span are its version; only the list of released periods is read every time."""
    spans = await released_spans(session, length=length)
    if last is not None:
        spans = spans[-last:] if last else []
    found = []
    for period_id, span in spans:
        disclosed: Disclosed | None = memo.get("disclosed", (period_id, span), threshold)
        if disclosed is None:
            released = await read_released(session, period_id=period_id, span=span, theme_ids=[])
            disclosed = disclosed_sources(released, threshold=threshold)
            memo.put("disclosed", (period_id, span), threshold, disclosed)
        found.append(disclosed)
    return found


def released_radar(
    *, chosen: Disclosed, previous: Disclosed | None, by: str, group_rows: Sequence[Any], themes: Sequence[Any],
    total_name: str, min_leavers: int, min_share: float,
) -> Radar:
    """The radar of one released period for anyone but HR, compared with the released period before it.

    `group_rows` are the departments or job families (id, name, active[, headcount]); retired ones
    show while they have leavers shown in either period, and retired themes while a shown figure
    has someone raising them: a column or row there only because of hidden figures would say that
    a hidden figure is not 0.
    """
    periods = [period for period in (chosen, previous) if period is not None]

    def has_leavers(group_id: int) -> bool:
        return any(period.leavers(by, group_id)[0] for period in periods)

    shown_groups = [row for row in group_rows
                    if not chosen.pooled(by, row.id) and (row.active or has_leavers(row.id))]
    names = {row.id: row.name for row in group_rows}
    pools = chosen.pool_members(by)
    shown_groups += [PoolRow(id=pool, name=pool_name([names.get(member, "") for member in members]))
                     for pool, members in pools.items()]
    mentioned = {theme_id for period in periods for (grouping, group, theme_id) in period.released.table.raised
                 if grouping == by and period.cell(by, group, theme_id)[0]}
    mentioned |= {theme_id for period in periods for theme_id in period.released.table.theme_ids
                  if period.cell(by, None, theme_id)[0]}
    shown_themes = [theme for theme in themes if theme.active or theme.id in mentioned]

    def group(group_id: int | None, name: str, active: bool) -> Group:
        leavers, hidden = chosen.leavers(by, group_id)
        previous_leavers = previous.leavers(by, group_id)[0] if previous is not None and comparable(group_id) else 0
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
        if hidden:
            return built.blanked()
        built = built.without(chosen.hidden_figures(by, group_id))
        band = chosen.bands.get((by, group_id)) if group_id is not None else None
        return replace(built, would_return_band=band) if band and not built.shows("would_return") else built

    def comparable(group_id: int | None) -> bool:
        # A pool is compared with the period before only when it held the same groups then.
        return previous is not None and (
            group_id not in pools or previous.pool_members(by).get(group_id) == pools[group_id])

    def cell(group_id: int | None, theme_id: int) -> Cell:
        raised, leavers, hidden = chosen.cell(by, group_id, theme_id)
        before_raised, before_leavers, before_hidden = (
            previous.cell(by, group_id, theme_id) if previous is not None and comparable(group_id) else (0, 0, False))
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
) -> tuple[Disclosed | None, int, int, bool]:
    """An action's evidence outside HR: the released period ending last on or before the evidence
    does (None: none yet), and its cell (raised, leavers, hidden) for the action's group and theme."""
    period = evidence_period(released, period_end=period_end)
    if period is None:
        return None, 0, 0, False
    grouping, group_id = grouping_of(scope=scope, department_id=department_id, job_family_id=job_family_id)
    return (period, *period.cell(grouping, group_id, theme_id))


def evidence_period(released: Sequence[Disclosed], *, period_end: Any) -> Disclosed | None:
    """The released period that speaks for evidence ending on `period_end`: the one ending last on or
    before it (None: none yet)."""
    return next((item for item in reversed(released) if item.span.end <= period_end), None)


def grouping_of(*, scope: str, department_id: int | None, job_family_id: int | None) -> tuple[str, int | None]:
    """The released grouping and group an action's scope reads (None: the whole organisation)."""
    if scope == Scope.JOB_FAMILY:
        return "job_family", job_family_id
    return "department", department_id if scope == Scope.DEPARTMENT else None


@dataclass(frozen=True)
class GroupNaming:
    """Whether staff may read which group an action with evidence is for: only where the released period
    behind the evidence shows the group's leavers (`period`: that period, None while none is released)."""

    period: Disclosed | None
    named: bool


def group_naming(
    released: Sequence[Disclosed], *, period_end: Any, source: str, scope: str, department_id: int | None,
    job_family_id: int | None,
) -> GroupNaming:
    """The released figures decide, never HR's live counts: a group whose leavers are hidden (or pooled)
    in that period, or whose period is not released yet, stays unnamed."""
    grouping, group_id = grouping_of(scope=scope, department_id=department_id, job_family_id=job_family_id)
    period = evidence_period(released, period_end=period_end)
    if group_id is None:
        return GroupNaming(period, named=True)
    if period is None:
        return GroupNaming(None, named=False)
    _, hidden = period.of_source(source).leavers(grouping, group_id)
    return GroupNaming(period, named=not hidden)


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


@dataclass(frozen=True)
class QuestionRow:
    """An extra question's figures on the radar: per shown group (in the radar's order), then the whole
    organisation: (the counts shown, answers, hidden) as `Disclosed.extra_answers` gives them."""

    question_id: int
    cells: list[tuple[tuple[int, ...], int, bool]]
    total: tuple[tuple[int, ...], int, bool]


def released_questions(chosen: Disclosed, *, by: str, group_ids: Sequence[int]) -> list[QuestionRow]:
    """The extra questions of a released period (from the interviews of its source), as anyone but HR may see them.

    A question is listed only where a shown figure has someone answering it, as a retired theme on the radar:
    a row there only because of hidden figures would say that a hidden figure is not 0."""
    rows = [QuestionRow(question_id=question_id,
                        cells=[chosen.extra_answers(by, group_id, question_id) for group_id in group_ids],
                        total=chosen.extra_answers(by, None, question_id))
            for question_id in chosen.extra_questions()]
    return [row for row in rows if any(answers and not hidden for _first, answers, hidden in (*row.cells, row.total))]
