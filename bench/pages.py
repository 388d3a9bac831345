"""Server time (median, p95) and SQL queries per page, measured in-process through the ASGI app."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from litestar.testing import TestClient
from sqlalchemy import event

from actiontrack.app import create_app, freeze_startup_objects
from actiontrack.caching import PIECES
from actiontrack.demo.organisation import DEMO_PASSWORD
from actiontrack.settings import Settings


@dataclass(frozen=True)
class Page:
    email: str | None  # None: an anonymous visitor
    path: str
    # False: the worker's memo of pages is emptied before each request (the first visit after the
    # data changed: an action published, an interview recorded, ...); released periods never change.
    cached: bool = True

    @property
    def label(self) -> str:
        return self.path if self.cached else f"{self.path} (uncached)"


PAGES = [
    Page("hr@example.com", "/"),
    Page("leadership@example.com", "/"),
    Page("owner@example.com", "/"),
    Page("hr@example.com", "/interviews"),
    Page("hr@example.com", "/radar"),
    Page("hr@example.com", "/radar", cached=False),
    Page("leadership@example.com", "/radar"),
    Page("leadership@example.com", "/radar?by=job_family"),
    Page("hr@example.com", "/radar?view=released"),
    Page("hr@example.com", "/actions"),
    Page("owner@example.com", "/my/actions"),
    Page("leadership@example.com", "/status"),
    Page("leadership@example.com", "/status", cached=False),
    Page("hr@example.com", "/status"),
    Page(None, "/changes"),
    Page(None, "/changes", cached=False),
    Page(None, "/changes.atom"),
    Page(None, "/changes/embed"),
    Page(None, "/changes/embed", cached=False),
    Page(None, "/changes.json"),
    Page("owner@example.com", "/changes"),
    # What each period length would show: live figures of about a year, suppressed once per length.
    Page("hr@example.com", "/settings/reporting"),
    Page("hr@example.com", "/settings/reporting", cached=False),
]
# The pages with a speed target: /status, /changes, the radar and HR's action list.
KEY_PAGES = [page for page in PAGES if page.path.startswith(("/status", "/changes", "/radar", "/actions"))]
# The first visit after a change of leadership's /status and HR's radar (target: p95 under 100 ms at the large size).
FIRST_VISITS = [Page("leadership@example.com", "/status", cached=False), Page("hr@example.com", "/radar", cached=False)]


PAGE_PIECES = [piece for piece in PIECES if piece != "disclosed"]


@dataclass(frozen=True)
class Timing:
    page: Page
    median_ms: float
    p95_ms: float
    queries: int
    # The process's CPU time per request (the app, its template work and SQLite's, whichever thread):
    # steadier than the server time when other work weighs on the machine.
    cpu_ms: float = 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def measure(url: str, pages: list[Page], rounds: int) -> list[Timing]:
    # Every request asks the database (no reuse window), so the counts show each page's true cost.
    app = create_app(Settings(database_url=url, secret_key="benchmark-secret-key-123", cookie_secure=True,
                              changes_max_stale_seconds=0))
    queries = 0

    def count(*_args: object) -> None:
        nonlocal queries
        queries += 1

    event.listen(app.state.engine.sync_engine, "before_cursor_execute", count)
    results = []
    for page in pages:
        with TestClient(app=app, base_url="https://bench.local") as client:
            if page.email:
                client.get("/login")
                client.post("/login", data={"email": page.email, "password": DEMO_PASSWORD,
                                            "_csrf_token": client.cookies["csrftoken"]})
            client.get(page.path)  # warm-up (and, for cached pages, fills the cache)
            freeze_startup_objects()  # as each worker of `actiontrack serve` does once started
            timings, cpu = [], []
            for _ in range(rounds):
                if not page.cached:
                    app.state.memo.clear(*PAGE_PIECES)
                queries = 0
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(page.path)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
                assert response.status_code == 200, (page.path, response.status_code)
            results.append(Timing(page, statistics.median(timings), percentile(timings, 0.95), queries,
                                  statistics.median(cpu)))
    return results


@dataclass(frozen=True)
class ReleaseTiming:
    interviews: int
    periods: int
    release_seconds: float
    read_seconds: float
    hidden: int
    figures: int


def measure_release(url: str) -> ReleaseTiming:
    """Release every due period from scratch (the first start after an upgrade), then read them back."""
    import asyncio

    from sqlalchemy import delete, func, select

    from actiontrack import clock
    from actiontrack.caching import Memo
    from actiontrack.db import make_engine, make_sessionmaker
    from actiontrack.disclosure import disclosed_periods, release_due
    from actiontrack.models import ExitInterview, ReportingPeriod

    async def run() -> ReleaseTiming:
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        try:
            async with sessions() as session, session.begin():
                await session.execute(delete(ReportingPeriod))
                interviews = await session.scalar(select(func.count()).select_from(ExitInterview)) or 0
            started = time.perf_counter()
            async with sessions() as session, session.begin():
                spans = await release_due(session, length="quarter", delay_days=30, today=clock.today())
            released = time.perf_counter() - started
            started = time.perf_counter()
            async with sessions() as session:
                periods = await disclosed_periods(session, length="quarter", threshold=5, memo=Memo())
            read = time.perf_counter() - started
            latest = periods[-1] if periods else None
            return ReleaseTiming(interviews, len(spans), released, read,
                                 len(latest.suppression.hidden) if latest else 0,
                                 len(latest.released.table.values()) if latest else 0)
        finally:
            await engine.dispose()

    return asyncio.run(run())
