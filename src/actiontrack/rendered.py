"""Pages that leadership and HR reload all day, rendered once per version of the data they show.

`data_version` is one cheap query: every change made through the app is audited, and the other
parts notice new rows and edited actions written by anything else. A worker keeps what it rendered
under that version (and everything else the page depends on); when any worker changes anything,
the version moves for every worker at its next request, with no signal between them.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.models import ActionItem, ActionUpdate, AuditEvent, ExitInterview, ReportingPeriod

# What HR does with interviews, survey invitations and interview imports, in the audit trail.
INTERVIEW_ENTITIES = ("exit_interview", "stay_interview", "survey_invitation", "import_upload")

DATA_VERSION = select(
    select(func.max(AuditEvent.id)).scalar_subquery(),
    select(func.max(ExitInterview.id)).scalar_subquery(),
    select(func.max(ExitInterview.updated_at)).scalar_subquery(),
    select(func.max(ActionItem.id)).scalar_subquery(),
    select(func.max(ActionItem.updated_at)).scalar_subquery(),
    select(func.max(ActionUpdate.id)).scalar_subquery(),
    select(func.max(ReportingPeriod.id)).scalar_subquery(),
)


# The same for pages shown outside HR, whose figures about leavers come from released periods: it
# leaves out interviews and HR's work on them, or the first view after HR records an interview, slower
# than a cached one, would tell leadership when HR is at work.
SHOWN_DATA_VERSION = select(
    select(AuditEvent.id).where(AuditEvent.entity.not_in(INTERVIEW_ENTITIES))
    .order_by(AuditEvent.id.desc()).limit(1).scalar_subquery(),
    select(func.max(ActionItem.id)).scalar_subquery(),
    select(func.max(ActionItem.updated_at)).scalar_subquery(),
    select(func.max(ActionUpdate.id)).scalar_subquery(),
    select(func.max(ReportingPeriod.id)).scalar_subquery(),
)


async def data_version(session: AsyncSession, *, live: bool = True) -> tuple[Any, ...]:
    """What changes whenever interviews, actions, their history, names or released periods change;
    with `live` false, the same but for interviews and HR's work on them (pages shown outside HR)."""
    return tuple((await session.execute(DATA_VERSION if live else SHOWN_DATA_VERSION)).one())


class Rendered:
    """A small LRU of rendered pieces per worker (entries of an old data version just fall out)."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> Any:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        self.entries[key] = value
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


class RenderedCaches:
    """The worker's caches of rendered pieces, by name (one set per app: each test's app has a database of its own)."""

    def __init__(self) -> None:
        self._caches: dict[str, Rendered] = {}

    def of(self, name: str) -> Rendered:
        found = self._caches.get(name)
        if found is None:
            found = self._caches[name] = Rendered()
        return found
