"""The disclosure rules of a running app, made once from its settings, with the worker's memo.

app.py makes one `Disclosure` per worker at start-up and hands it to handlers by injection
(`disclosure: NamedDependency[Disclosure]`); the CLI makes its own. Other modules ask it for
decisions (`hides`, `reaches`) and released periods, never for the threshold to compare
with: `threshold` is there to be said in words ("fewer than 5 leavers"), nothing else.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actiontrack.caching import Memo
from actiontrack.disclosure.lengths import (
    POOLINGS,
    LengthPreview,
    PoolingChange,
    period_length,
    pooling_change,
    pooling_in_force,
    preview,
)
from actiontrack.disclosure.pools import Pooling
from actiontrack.disclosure.release import ReleaseClock
from actiontrack.disclosure.suppression import is_hidden
from actiontrack.disclosure.views import Disclosed, disclosed_periods
from actiontrack.models import Role, User
from actiontrack.settings import Settings


async def pooling_for(session: AsyncSession, settings: Settings) -> Pooling:
    """How releases pool small groups: HR's choice, read on every release (a change shows on every
    worker at once), else ACTIONTRACK_POOL_SIZE."""
    return await pooling_in_force(session, default=settings.pool_size, threshold=settings.anonymity_threshold)


class Disclosure:
    """What may be shown outside HR under one app's settings, and the released periods to show."""

    def __init__(self, settings: Settings, *, sessionmaker: async_sessionmaker[AsyncSession] | None = None,
                 memo: Memo | None = None) -> None:
        self._threshold = settings.anonymity_threshold
        self.default_pooling = settings.pool_size
        self.default_length = settings.report_period
        self.delay_days = settings.release_delay_days
        self.memo = memo or Memo()  # the worker's, from app.py; the CLI's own otherwise
        self._sessionmaker = sessionmaker
        self._release_clock = ReleaseClock()

    @property
    def threshold(self) -> int:
        """The smallest group whose figures show, to say in words; decisions are `hides` and its twins."""
        return self._threshold

    def hides(self, count: int) -> bool:
        """Whether a figure counting `count` people is too small to show (`suppression.is_hidden`)."""
        return is_hidden(count, threshold=self._threshold)

    def reaches(self, count: int) -> bool:
        """Whether `count` people are enough to state something about them in words (a verdict, "raised
        by N"): some people, and not so few that their figure would be hidden."""
        return count > 0 and not self.hides(count)

    async def preview(self, session: AsyncSession, *, today: date,
                      poolings: tuple[str, ...] = POOLINGS) -> list[LengthPreview]:
        """What each period length and pooling would show under these settings (lengths.preview), for HR's choice."""
        return await preview(session, threshold=self._threshold, delay_days=self.delay_days, today=today,
                             poolings=poolings)

    async def pooling_change(self, session: AsyncSession, *, current: str, new: str,
                             length: str) -> PoolingChange | None:
        """What HR's change of pooling would do to what leadership sees (lengths.pooling_change)."""
        return await pooling_change(session, current=current, new=new, length=length, threshold=self._threshold)

    async def length(self, session: AsyncSession) -> str:
        """HR's choice of period length, read on every request: a change shows on every worker at once."""
        return await period_length(session, default=self.default_length)

    async def release_due(self, *, today: date) -> None:
        """Release the periods due by `today` (free between release days; see release.ReleaseClock): at
        worker start and by the worker's periodic check (app.py). Workers racing release each period once."""
        if self._sessionmaker is None:
            raise RuntimeError("this Disclosure was made without a sessionmaker: it reads, it cannot release")
        async with self._sessionmaker() as session:
            length = await self.length(session)
            pooling = await pooling_in_force(session, default=self.default_pooling, threshold=self._threshold)
        await self._release_clock.ensure_released(self._sessionmaker, length=length, delay_days=self.delay_days,
                                                  today=today, pooling=pooling)

    async def released(self, session: AsyncSession, *, last: int | None = None,
                       length: str | None = None) -> list[Disclosed]:
        """The released periods (the `last` newest, or all), oldest first, as anyone but HR may see them.
        Only reads: periods are released at worker start, by the worker's check and by `remind`."""
        length = length or await self.length(session)
        return await disclosed_periods(session, length=length, threshold=self._threshold,
                                       memo=self.memo, last=last)

    async def released_unless_hr(self, session: AsyncSession, *, viewer: User) -> list[Disclosed] | None:
        """None for HR, whose figures are live; the released periods for everyone else."""
        return None if viewer.role == Role.HR else await self.released(session)
