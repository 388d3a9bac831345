"""How long HR waits for /settings/reporting the first time after the data changed: the preview counts
about a year of live periods for each period length, with and without pools, and suppresses each one.

    .venv/bin/python -m bench reporting [--database-url URL] [--sizes demo,large] [--rounds 3]

For each size: the page's first view (the worker's rendered preview emptied before each request),
median of `--rounds` (wall clock and this process's CPU time: on a shared machine the CPU time is
the steadier figure), then the preview alone per (length, pooling), with the periods it suppresses and
what leadership would see, as HR reads it on the page.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

from litestar.testing import TestClient
from sqlalchemy import func, select

from actiontrack import clock
from actiontrack.app import create_app
from actiontrack.db import make_engine, make_sessionmaker
from actiontrack.demo.organisation import DEMO_PASSWORD
from actiontrack.disclosure.lengths import POOLINGS, LengthPreview, preview, recommend
from actiontrack.models import Department, ExitInterview
from actiontrack.settings import Settings


@dataclass(frozen=True)
class ReportingTiming:
    people: int
    interviews: int
    first_view_ms: float
    first_view_cpu_ms: float
    preview_seconds: float
    previews: list[LengthPreview]
    recommended: LengthPreview | None


def measure_reporting(url: str, *, rounds: int) -> ReportingTiming:
    app = create_app(Settings(database_url=url, secret_key="benchmark-secret-key-123", cookie_secure=True,
                              changes_max_stale_seconds=0))
    timings, cpu = [], []
    with TestClient(app=app, base_url="https://bench.local") as client:
        client.get("/login")
        client.post("/login", data={"email": "hr@example.com", "password": DEMO_PASSWORD,
                                    "_csrf_token": client.cookies["csrftoken"]})
        for _ in range(rounds):
            app.state.rendered_reporting_preview = None
            started, used = time.perf_counter(), time.process_time()
            response = client.get("/settings/reporting")
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
            assert response.status_code == 200, response.status_code

    async def run() -> tuple[int, int, float, list[LengthPreview]]:
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine)() as session:
                people = await session.scalar(select(func.sum(Department.headcount))) or 0
                interviews = await session.scalar(select(func.count()).select_from(ExitInterview)) or 0
                started = time.perf_counter()
                previews = await preview(session, threshold=5, delay_days=30, today=clock.today(), poolings=POOLINGS)
                return int(people), interviews, time.perf_counter() - started, previews
        finally:
            await engine.dispose()

    people, interviews, seconds, previews = asyncio.run(run())
    return ReportingTiming(people, interviews, statistics.median(timings), statistics.median(cpu), seconds, previews,
                           recommend(previews))


def report_reporting(size: str, timing: ReportingTiming) -> None:
    print(f"{size}: {timing.people:,} people, {timing.interviews:,} interviews; first view of /settings/reporting "
          f"{timing.first_view_ms:,.0f} ms (median; CPU {timing.first_view_cpu_ms:,.0f} ms); "
          f"preview alone {timing.preview_seconds:.2f} s")
    print(f"  {'period':<9}{'pools':<7}{'periods':>8}{'leavers/period':>16}{'pooled groups':>15}"
          f"{'org-wide theme figures shown':>30}{'mentions in group columns':>28}")
    for item in timing.previews:
        mark = "  <- recommended" if item is timing.recommended else ""
        totals = f"{item.totals_share:.0%}" if item.totals_share is not None else "-"
        mentions = f"{item.mentions_share:.0%}" if item.mentions_share is not None else "-"
        print(f"  {item.length:<9}{item.pooling:<7}{len(item.periods):>8}{item.leavers_per_period:>16,.1f}"
              f"{item.pooled:>15}{totals:>30}{mentions:>28}{mark}")
