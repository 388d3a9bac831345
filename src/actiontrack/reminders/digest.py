"""The weekly digest for HR and leadership: what slipped, what got done, what is stuck, what nobody took on.

The digest of day D covers the week before it, D-7 to D-1, so consecutive digests neither overlap
nor leave a gap. It goes to leadership and chat channels too, so its figures about leavers are the
ones leadership may see on the radar: the latest released reporting period, with hidden cells left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.actions.effects import effect_measure, effect_of, measured
from actiontrack.actions.rules import OPEN_STATUSES
from actiontrack.disclosure import (
    Disclosed,
    Disclosure,
    recurring_cells,
)
from actiontrack.disclosure.effects import Effect
from actiontrack.models import (
    ActionItem,
    ActionStatus,
    ActionTheme,
    Department,
    JobFamily,
    ReportingPeriod,
    Scope,
    Theme,
    User,
)
from actiontrack.settings import Settings
from actiontrack.texts import Texts

GROUPINGS = ("department", "job_family")


@dataclass(frozen=True)
class DigestAction:
    id: int
    title: Texts  # shown in each recipient's language
    owner_name: str
    deadline: date
    completed_on: date | None


@dataclass(frozen=True)
class UncoveredTheme:
    """A theme recurring in a department or job family that no action (of that group or the company) takes on."""

    theme: Theme
    by: str  # "department" or "job_family"
    group_id: int
    group_name: Texts
    raised: int
    leavers: int

    @property
    def share(self) -> float:
        return self.raised / self.leavers


@dataclass(frozen=True)
class MeasuredAction:
    """A done action whose effect a period released this week measures for the first time or anew."""

    id: int
    title: Texts
    owner_name: str
    effect: Effect


@dataclass(frozen=True)
class Digest:
    week_start: date
    week_end: date
    newly_overdue: list[DigestAction]
    completed: list[DigestAction]
    blocked: list[DigestAction]
    uncovered: list[UncoveredTheme]
    measured: list[MeasuredAction] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.newly_overdue or self.completed or self.blocked or self.uncovered or self.measured)


async def _actions(session: AsyncSession, *conditions: object) -> list[DigestAction]:
    rows = (await session.execute(
        select(ActionItem.id, ActionItem.title_nl, ActionItem.title_fr, ActionItem.title_en, User.display_name,
               ActionItem.deadline, ActionItem.completed_on)
        .join(User, User.id == ActionItem.owner_id)
        .where(*conditions)
        .order_by(ActionItem.deadline, ActionItem.id)
    )).all()
    return [DigestAction(id_, Texts(nl, fr, en), *rest) for id_, nl, fr, en, *rest in rows]


async def _measured(session: AsyncSession, *, settings: Settings, length: str, released: list[Disclosed],
                    week_start: date, week_end: date) -> list[MeasuredAction]:
    """Done actions whose "after" side holds a period released during the week: their verdict is new."""
    released_at = (await session.execute(
        select(ReportingPeriod.period_start, ReportingPeriod.released_at)
        .where(ReportingPeriod.length == length))).all()
    new_starts = {start for start, moment in released_at if week_start <= clock.local_day(moment) <= week_end}
    if not new_starts:
        return []
    found = []
    measure = effect_measure(released, settings)
    for action in await measured(session):
        effect = effect_of(action, measure=measure)
        after = effect.after if effect is not None else None
        if effect is not None and after is not None and any(
                span.start in new_starts for span in (*after.periods, *after.hidden)):
            found.append(MeasuredAction(action.id, action.title, action.owner_name, effect))
    return found


def _group_names(group: Department | JobFamily | None) -> Texts:
    """Each recipient reads the group's name in their language, else its key name."""
    if group is None:
        return Texts()
    return Texts(**{language: name or group.name for language, name in group.names().items()})


async def _groups(session: AsyncSession) -> dict[tuple[str, int], Department | JobFamily]:
    groups: dict[tuple[str, int], Department | JobFamily] = {
        ("department", group.id): group for group in (await session.execute(select(Department))).scalars()}
    groups |= {("job_family", group.id): group for group in (await session.execute(select(JobFamily))).scalars()}
    return groups


async def _uncovered(session: AsyncSession, *, settings: Settings, released: list[Disclosed]) -> list[UncoveredTheme]:
    # The latest released period as leadership sees it: released figures never move, so a weekly
    # digest cannot be compared with the next one to single out a leaver.
    if not released:
        return []
    covered_rows = (await session.execute(
        select(ActionTheme.theme_id, ActionItem.scope, ActionItem.department_id, ActionItem.job_family_id)
        .join(ActionItem, ActionItem.id == ActionTheme.action_id)
        .where(ActionItem.status != ActionStatus.CANCELLED.value)
    )).all()
    company = {theme_id for theme_id, scope, _, _ in covered_rows if scope == Scope.COMPANY}
    covered = {(theme_id, scope, department_id if scope == Scope.DEPARTMENT else job_family_id)
               for theme_id, scope, department_id, job_family_id in covered_rows}
    themes = {theme.id: theme for theme in (await session.execute(select(Theme))).scalars()}
    groups = await _groups(session)
    cells = [cell for cell in recurring_cells(released[-1], groupings=GROUPINGS,
                                              min_leavers=settings.recurring_min_leavers,
                                              min_share=settings.recurring_min_share)
             if cell.theme_id not in company and (cell.theme_id, cell.grouping, cell.group_id) not in covered]
    # The radar's order: groups by key name, then the taxonomy. The digest is built once for readers
    # of three languages, so it sorts by the one name they share (never by a Texts, which has no order).
    cells.sort(key=lambda cell: (GROUPINGS.index(cell.grouping), _key_name(groups, cell.grouping, cell.group_id),
                                 themes[cell.theme_id].position, cell.theme_id))
    return [
        UncoveredTheme(theme=themes[cell.theme_id], by=cell.grouping, group_id=cell.group_id,
                       group_name=_group_names(groups.get((cell.grouping, cell.group_id))), raised=cell.raised,
                       leavers=cell.leavers)
        for cell in cells
    ]


def _key_name(groups: dict[tuple[str, int], Department | JobFamily], grouping: str, group_id: int) -> str:
    group = groups.get((grouping, group_id))
    return group.name if group is not None else ""


async def build_digest(session: AsyncSession, *, settings: Settings, disclosure: Disclosure, day: date) -> Digest:
    """The digest sent on `day` (a constant number of queries), from the released periods as `disclosure` (the
    worker's, or the `remind` run's) shows them: periods it already read are not read again."""
    week_start, week_end = day - timedelta(days=7), day - timedelta(days=1)
    open_statuses = [status.value for status in OPEN_STATUSES]
    # Became overdue during the week: the first overdue day (deadline + 1) fell in it, and still open.
    newly_overdue = await _actions(session, ActionItem.status.in_(open_statuses),
                                   ActionItem.deadline.between(week_start - timedelta(days=1),
                                                               week_end - timedelta(days=1)))
    completed = await _actions(session, ActionItem.status == ActionStatus.DONE.value,
                               ActionItem.completed_on.between(week_start, week_end))
    blocked = await _actions(session, ActionItem.status == ActionStatus.BLOCKED.value)
    length = await disclosure.length(session)
    released = await disclosure.released(session, length=length)
    return Digest(week_start=week_start, week_end=week_end, newly_overdue=newly_overdue, completed=completed,
                  blocked=blocked, uncovered=await _uncovered(session, settings=settings, released=released),
                  measured=await _measured(session, settings=settings, length=length, released=released,
                                           week_start=week_start, week_end=week_end))
