"""The status page's "Did it work?" table: the done actions of the view with their effect, filterable by verdict."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.actions.effects import (
    Measured,
    effect_measure,
    effect_of,
    measured_query,
    measured_rows,
)
from actiontrack.actions.queries import ActionFilters
from actiontrack.disclosure import Disclosed
from actiontrack.disclosure.effects import VERDICTS, Effect
from actiontrack.i18n import gettext as _
from actiontrack.models import ActionItem, Scope, Theme
from actiontrack.radar.rules import Period, add_months
from actiontrack.settings import Settings
from actiontrack.status.figures import LIST_LIMIT, filtered

# "Did it work" looks back at least this far, whatever the period chosen: a verdict needs released
# reporting periods after an action is done, so the actions done in the page's default six months rarely
# have one yet, and a reader asking whether the done actions worked means those done a while ago too.
EFFECT_WINDOW_MONTHS = 24


def effect_period(period: Period) -> Period:
    """The actions "did it work" lists: those of the chosen period, reaching back at least EFFECT_WINDOW_MONTHS."""
    earliest = add_months(period.end, -EFFECT_WINDOW_MONTHS) + timedelta(days=1)
    return Period(min(period.start, earliest), period.end)


@dataclass(frozen=True)
class EffectRow:
    action: Measured
    effect: Effect
    theme: Theme
    group_name: str


@dataclass(frozen=True)
class EffectTable:
    rows: list[EffectRow]  # the rows shown (at most LIST_LIMIT), of the chosen verdict if any
    matching: int  # rows of the chosen verdict (or all), shown or not
    counts: Mapping[str, int] = field(default_factory=dict)  # verdict -> done actions with it
    verdict: str | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def more(self) -> int:
        return self.matching - len(self.rows)


def parse_verdict(raw: str | None) -> tuple[str | None, str | None]:
    """The verdict a `?effect=` names, and a message when it names none."""
    value = (raw or "").strip()
    if not value:
        return None, None
    if value in VERDICTS:
        return value, None
    return None, _("Choose a verdict from the list.")


async def effect_table(
    session: AsyncSession, *, period: Period, filters: ActionFilters, today: date, released: Sequence[Disclosed],
    settings: Settings, themes: Mapping[int, Theme], group_names: Mapping[tuple[str, int], str],
    verdict: str | None, limit: int | None = LIST_LIMIT,
) -> EffectTable:
    """Every done action of the view with its effect (one query), the latest done first."""
    query = filtered(measured_query(), period=effect_period(period), filters=filters, today=today)
    done = measured_rows((await session.execute(
        query.order_by(ActionItem.completed_on.desc(), ActionItem.id.desc()))).all())
    rows = []
    measure = effect_measure(released, settings)
    for action in done:
        effect = effect_of(action, measure=measure)
        if effect is None or action.theme_id not in themes:
            continue
        if action.scope == Scope.COMPANY:
            group_name = _("Company-wide")
        else:
            group_id = action.department_id if action.scope == Scope.DEPARTMENT else action.job_family_id
            group_name = group_names.get((action.scope, group_id or 0), "")
        rows.append(EffectRow(action, effect, themes[action.theme_id], group_name))
    counts = Counter(row.effect.verdict.value for row in rows)
    chosen = [row for row in rows if verdict is None or row.effect.verdict == verdict]
    return EffectTable(rows=chosen if limit is None else chosen[:limit], matching=len(chosen),
                       counts={name: counts[name] for name in VERDICTS if counts[name]}, verdict=verdict)
