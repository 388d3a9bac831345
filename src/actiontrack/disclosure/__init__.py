"""Every figure about leavers shown outside HR comes from here.

periods.py      the fixed partition of time into quarters, half-years or years, and when each is due
lengths.py      HR's choice of period length and pooling, what each choice would show, what a change costs
release.py      releasing due periods (their figures counted once and frozen) and reading them back
suppression.py  which figures of a released period are hidden: threshold and complementary suppression
tables.py       the shape of a radar table (HR's live radar fills it too)
views.py        released periods as anyone but HR may see them: the radar, single cells, recurring cells,
                rates and averages (which of them may show)
effects.py      did an action work: verdicts pooled from shown figures only (leavers or stay interviews raising
                its theme, or for a small group its turnover, bounded by shown figures)

Outside HR a hidden figure reads the same whatever hid it (one word, "hidden"): the reason (too few
leavers, or protecting another figure) stays inside this package, since telling the two apart lets
anyone narrow hidden figures by arithmetic. A rate or average shows only where the counts it gives
away could be shown (see views.Disclosed.hidden_figures).

HR keeps live views over any dates. Everyone else (leadership pages, owners' evidence, the API for
non-HR tokens, the digest, /changes) sees released periods only, through `released_for`.
"""

from __future__ import annotations

from litestar.datastructures import State
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.disclosure.lengths import period_length, pooling_in_force
from actiontrack.disclosure.periods import PeriodSpan, parse_key, period_containing
from actiontrack.disclosure.pools import Pooling, is_pool
from actiontrack.disclosure.release import ReleaseClock, release_due
from actiontrack.disclosure.suppression import is_hidden
from actiontrack.disclosure.views import (
    Disclosed,
    DisclosureCache,
    QuestionRow,
    RecurringCell,
    disclosed_periods,
    evidence_cell,
    recurring_cells,
    released_questions,
    released_radar,
)
from actiontrack.models import Role, User
from actiontrack.settings import Settings

__all__ = [
    "Disclosed", "DisclosureCache", "PeriodSpan", "Pooling", "QuestionRow", "RecurringCell", "ReleaseClock",
    "disclosed_periods",
    "evidence_cell", "is_hidden", "is_pool", "parse_key", "period_containing", "period_length", "pooling_for",
    "pooling_in_force",
    "recurring_cells", "release_due", "released_for", "released_questions", "released_radar", "released_unless_hr",
]


async def pooling_for(session: AsyncSession, settings: Settings) -> Pooling:
    """How releases pool small groups: HR's choice, read on every release (a change shows on every
    worker at once), else ACTIONTRACK_POOL_SIZE."""
    return await pooling_in_force(session, default=settings.pool_size, threshold=settings.anonymity_threshold)


async def released_unless_hr(state: State, session: AsyncSession, *, viewer: User) -> list[Disclosed] | None:
    """None for HR, whose figures are live; the released periods for everyone else."""
    return None if viewer.role == Role.HR else await released_for(state, session)


async def released_for(state: State, session: AsyncSession, *, last: int | None = None,
                       release: bool = True) -> list[Disclosed]:
    """The released periods (oldest first) an app may show outside HR, releasing any that fell due
    (unless `release` is false: the public page reads what is released and never writes)."""
    settings = state.settings
    release_clock = getattr(state, "release_clock", None)
    if release_clock is None:
        release_clock = state.release_clock = ReleaseClock()
    cache = getattr(state, "disclosure_cache", None)
    if cache is None:
        cache = state.disclosure_cache = DisclosureCache()
    # HR's choice, read on every request: a change shows on every worker at once.
    length = await period_length(session, default=settings.report_period)
    if release:
        await release_clock.ensure_released(state.sessionmaker, length=length,
                                            delay_days=settings.release_delay_days, today=clock.today(),
                                            pooling=await pooling_for(session, settings))
    return await disclosed_periods(session, length=length, threshold=settings.anonymity_threshold, cache=cache,
                                   last=last)
