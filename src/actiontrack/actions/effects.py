"""Did an action work: which actions are measured, against which theme and group, read from the database.

The measure itself (pooling released periods, the verdict, its uncertainty) lives in
`disclosure/effects.py`, the only place figures about leavers are made for anyone but HR.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.disclosure import Disclosed
from actiontrack.disclosure.effects import (
    CHANGE,
    EVIDENCE_LABELS,
    VERDICT_LABELS,
    Effect,
    EffectMeasure,
)
from actiontrack.disclosure.views import grouping_of
from actiontrack.models import (
    ActionEvidence,
    ActionItem,
    ActionStatus,
    ActionTheme,
    Department,
    JobFamily,
    Scope,
    Theme,
    User,
)
from actiontrack.settings import Settings
from actiontrack.texts import Texts


@dataclass(frozen=True)
class Measured:
    """A done action and the theme and group its effect is measured on."""

    id: int
    title: Texts  # every language: the digest shows each recipient theirs
    owner_name: str
    scope: str
    department_id: int | None
    job_family_id: int | None
    started_on: date
    completed_on: date | None
    target_share: float | None
    theme_id: int | None
    headcount: int | None = None  # the group's (its turnover may give the verdict); None: not read


def measured_theme() -> Any:
    """SQL: the theme an action's effect is measured on: its evidence's theme, else its first linked theme."""
    evidence_theme = (select(ActionEvidence.theme_id).where(ActionEvidence.action_id == ActionItem.id)
                      .correlate(ActionItem).scalar_subquery())
    first_theme = (select(func.min(ActionTheme.theme_id)).where(ActionTheme.action_id == ActionItem.id)
                   .correlate(ActionItem).scalar_subquery())
    return func.coalesce(evidence_theme, first_theme)


def group_headcount() -> Any:
    """SQL: the headcount of an action's department or job family (null for the whole organisation)."""
    department = (select(Department.headcount).where(Department.id == ActionItem.department_id)
                  .correlate(ActionItem).scalar_subquery())
    family = (select(JobFamily.headcount).where(JobFamily.id == ActionItem.job_family_id)
              .correlate(ActionItem).scalar_subquery())
    return case((ActionItem.scope == Scope.DEPARTMENT.value, department),
                (ActionItem.scope == Scope.JOB_FAMILY.value, family), else_=None)


def measured_query() -> Any:
    """SQL: done actions with what their effect needs (callers add conditions and an order)."""
    return (
        select(ActionItem.id, ActionItem.title_nl, ActionItem.title_fr, ActionItem.title_en, User.display_name,
               ActionItem.scope, ActionItem.department_id,
               ActionItem.job_family_id, ActionItem.created_at, ActionItem.completed_on, ActionItem.target_share,
               measured_theme(), group_headcount())
        .join(User, User.id == ActionItem.owner_id)
        .where(ActionItem.status == ActionStatus.DONE.value)
    )


def measured_rows(rows: Sequence[Any]) -> list[Measured]:
    return [Measured(id_, Texts(nl, fr, en), owner, scope, department_id, job_family_id,
                     clock.local_day(created_at), completed_on, target_share, theme_id, headcount)
            for id_, nl, fr, en, owner, scope, department_id, job_family_id, created_at, completed_on, target_share,
            theme_id, headcount in rows]


async def measured(session: AsyncSession, *conditions: Any) -> list[Measured]:
    """Done actions matching `conditions`, the latest done first."""
    query = measured_query().where(*conditions).order_by(ActionItem.completed_on.desc(), ActionItem.id.desc())
    return measured_rows((await session.execute(query)).all())


def effect_measure(released: Sequence[Disclosed], settings: Settings) -> EffectMeasure:
    """What measures the effects of actions against these released periods (one per request)."""
    return EffectMeasure(released, min_leavers=settings.effect_min_leavers, delay_days=settings.release_delay_days)


def effect_of(action: Measured, *, measure: EffectMeasure) -> Effect | None:
    """The effect of a done action (None: not done, or no theme to measure it on)."""
    if action.theme_id is None or action.completed_on is None:
        return None
    grouping, group_id = grouping_of(scope=action.scope, department_id=action.department_id,
                                     job_family_id=action.job_family_id)
    return measure.effect(grouping=grouping, group_id=group_id, theme_id=action.theme_id,
                          started_on=action.started_on, done_on=action.completed_on,
                          target_share=action.target_share, headcount=action.headcount)


async def effects_by_action(
    session: AsyncSession, *, action_ids: Sequence[int], released: Sequence[Disclosed], settings: Settings,
) -> dict[int, tuple[Effect, int]]:
    """The effects (with the theme measured) of those of these actions that are done and have a theme (one query)."""
    if not action_ids:
        return {}
    found = {}
    measure = effect_measure(released, settings)
    for action in await measured(session, ActionItem.id.in_(action_ids)):
        effect = effect_of(action, measure=measure)
        if effect is not None and action.theme_id is not None:
            found[action.id] = (effect, action.theme_id)
    return found


async def effect_with_theme(
    session: AsyncSession, *, action_id: int, released: Sequence[Disclosed], settings: Settings,
) -> tuple[Effect, Theme] | None:
    """One done action's effect and the theme it is measured on (None: not done, or no theme)."""
    found = await measured(session, ActionItem.id == action_id)
    effect = effect_of(found[0], measure=effect_measure(released, settings)) if found else None
    if effect is None or found[0].theme_id is None:
        return None
    theme = await session.get(Theme, found[0].theme_id)
    return (effect, theme) if theme is not None else None


def template_context(settings: Settings) -> dict[str, Any]:
    """What the effect templates need besides the effect."""
    return {"verdict_labels": VERDICT_LABELS, "effect_min_leavers": settings.effect_min_leavers,
            "change_points": round(CHANGE * 100),
            "evidence_labels": EVIDENCE_LABELS}
