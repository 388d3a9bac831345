"""The worker's one cache: what a page worked out, kept under the version of the data it shows.

Each use is named (`PIECES`, with the bench figure that earns it its place, see README "Caching")
and keyed by a data version, one cheap query that moves whenever what the piece shows moves:
`data_version` for HR's and leadership's pages, /changes' VALIDATOR_QUERY (changes/cache.py) for
the public page, a released period's id for its disclosed figures (released figures never
change). The app runs as several stateless workers, each with its own `Memo`: a change committed
by any of them moves the version for all at their next request, with no signal between them, and
entries of an old version just fall out. Correctness never depends on an entry being there.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.models import ActionItem, ActionUpdate, AuditEvent, ExitInterview, ReportingPeriod

# Each use of the cache, with how many entries it keeps (least recently used first out) and what it saves:
# `bench pages` at 100,000 interviews and 10,000 actions, median CPU ms per request without -> with it. A
# piece not listed here cannot be kept: a new use comes with its figure (README, "Caching").
PIECES = {
    # /changes content, HTMX list, embed and feeds: 22-38 -> 5-8 ms; under `bench load`, 65 -> 233 req/s.
    "changes": 128,
    # Whole /changes pages replayed to visitors without a cookie (changes/cache.py): 233 -> 1,621 req/s under
    # `bench load`, 1.18 -> 0.19 ms of CPU each. Apart from "changes", so odd query strings never push it out.
    "new_visitors": 64,
    # Released periods after suppression, all read by every page shown outside HR: 2,100 -> 8-13 ms.
    "disclosed": 256,
    "status": 64,  # /status figures and their tables: 232-245 -> 9-13 ms
    "radar": 32,  # HR's live radar tables: 74 -> 7 ms
    "reporting_preview": 8,  # what each period length and pooling would show (/settings/reporting): 366 -> 9 ms
}


class Memo:
    """Per-worker values by (piece, data version, key), each piece a small LRU of its own: the pages of one
    piece (many /changes filters, say) never push out those of another. Safe from threads and tasks alike."""

    def __init__(self, sizes: dict[str, int] | None = None) -> None:
        self.sizes = dict(PIECES if sizes is None else sizes)
        self._entries: dict[str, OrderedDict[tuple[Hashable, Hashable], Any]] = {name: OrderedDict()
                                                                                 for name in self.sizes}
        self._lock = threading.Lock()

    def get(self, piece: str, version: Hashable, key: Hashable) -> Any:
        """The value kept for `key` under this data version, or None."""
        entries = self._entries[piece]
        with self._lock:
            found = entries.get((version, key))
            if found is not None:
                entries.move_to_end((version, key))
        return found

    def put(self, piece: str, version: Hashable, key: Hashable, value: Any) -> None:
        """Keep `value`, dropping the piece's least recently used entries beyond its size."""
        entries = self._entries[piece]
        with self._lock:
            entries[version, key] = value
            entries.move_to_end((version, key))
            while len(entries) > self.sizes[piece]:
                entries.popitem(last=False)

    def clear(self, *pieces: str) -> None:
        """Forget the pieces named (all, with none named), as after a change of the data."""
        with self._lock:
            for piece in pieces or tuple(self._entries):
                self._entries[piece].clear()


# What HR does with interviews, survey invitations and interview imports, in the audit trail.
INTERVIEW_ENTITIES = ("exit_interview", "stay_interview", "survey_invitation", "import_upload")

# Every change made through the app is audited; the other parts notice new rows and edited actions
# written by anything else (an import, another tool on the database).
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
