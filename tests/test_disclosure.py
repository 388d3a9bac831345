"""Released reporting periods: the partition of time, when a period is released, and that a release
happens once and is frozen."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from actiontrack.caching import Memo
from actiontrack.db import make_engine, make_sessionmaker
from actiontrack.disclosure import disclosed_periods, release_due
from actiontrack.disclosure.periods import due_periods, next_release_day, parse_key, period_containing
from actiontrack.models import ExitInterview, ReleasedGroup, ReleasedTheme, ReportingPeriod
from actiontrack.settings import Settings

from conftest import count, rows, run


def test_periods_partition_time_and_are_named_in_urls() -> None:
    q3 = period_containing(date(2026, 8, 15), length="quarter")
    assert (q3.start, q3.end, q3.key) == (date(2026, 7, 1), date(2026, 9, 30), "2026-Q3")
    assert q3.previous() == period_containing(date(2026, 6, 30), length="quarter")
    assert q3.next().start == date(2026, 10, 1)
    h2 = period_containing(date(2026, 12, 31), length="half")
    assert (h2.start, h2.end, h2.key) == (date(2026, 7, 1), date(2026, 12, 31), "2026-H2")
    year = period_containing(date(2025, 2, 1), length="year")
    assert (year.start, year.end, year.key) == (date(2025, 1, 1), date(2025, 12, 31), "2025")
    for length, day in (("quarter", date(2024, 2, 29)), ("half", date(2025, 5, 5)), ("year", date(2023, 1, 1))):
        period = period_containing(day, length=length)
        assert parse_key(period.key, length=length) == period
        assert period.next().previous() == period
    for key in ("2026-Q5", "2026-Q0", "2026-H1", "26-Q1", "2026-Q1x", "²²²²-Q1", "", None, "9" * 40):
        assert parse_key(key, length="quarter") is None


def test_a_period_is_released_the_given_days_after_it_ends() -> None:
    first = date(2025, 2, 10)
    assert [p.key for p in due_periods(first_exit=first, today=date(2025, 4, 29), length="quarter",
                                       delay_days=30)] == []
    assert [p.key for p in due_periods(first_exit=first, today=date(2025, 4, 30), length="quarter",
                                       delay_days=30)] == ["2025-Q1"]
    assert [p.key for p in due_periods(first_exit=first, today=date(2025, 10, 30), length="quarter",
                                       delay_days=30)] == ["2025-Q1", "2025-Q2", "2025-Q3"]
    assert next_release_day(today=date(2025, 4, 30), length="quarter", delay_days=30) == date(2025, 7, 30)
    assert next_release_day(today=date(2025, 4, 29), length="quarter", delay_days=30) == date(2025, 4, 30)
    assert next_release_day(today=date(2025, 4, 29), length="year", delay_days=0) == date(2025, 12, 31)


@pytest.mark.parametrize("variable, value, message", [
    ("ACTIONTRACK_REPORT_PERIOD", "month", "report_period"),
    ("ACTIONTRACK_RELEASE_DELAY_DAYS", "-1", "release_delay_days"),
    ("ACTIONTRACK_RETENTION_FREE_TEXT_MONTHS", "70", "must not exceed"),
])
def test_settings_are_checked_at_start_up(monkeypatch: pytest.MonkeyPatch, variable: str, value: str,
                                          message: str) -> None:
    monkeypatch.setenv("ACTIONTRACK_ENV", "development")
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=message):
        Settings()


def test_release_freezes_both_groupings_once(
    database_url: str, make_department: Callable[..., Any], make_job_family: Callable[..., Any],
    make_interview: Callable[..., ExitInterview],
) -> None:
    retail, office = make_department("Retail", headcount=40), make_department("Office", headcount=10)
    sales, admin = make_job_family("Sales"), make_job_family("Admin")
    for index in range(6):
        make_interview(department=retail, job_family=sales if index < 4 else admin, exit_date=date(2025, 2, 1),
                       themes=["pay_benefits"] if index < 3 else [], recommend_score=10 if index else 0)
    make_interview(department=office, job_family=admin, exit_date=date(2025, 5, 1), themes=["management"])
    today = date(2025, 8, 15)
    released = run(lambda session: release_due(session, length="quarter", delay_days=30, today=today), database_url)
    assert [span.key for span in released] == ["2025-Q1", "2025-Q2"]
    assert run(lambda session: release_due(session, length="quarter", delay_days=30, today=today), database_url) == []
    [q1, q2] = rows(database_url, ReportingPeriod)
    assert (q1.interviews, q2.interviews) == (6, 1)
    groups = {(row.period_id, row.grouping, row.group_id): row for row in rows(database_url, ReleasedGroup)}
    assert groups[q1.id, "department", retail.id].leavers == 6
    assert groups[q1.id, "department", retail.id].headcount == 40
    assert (groups[q1.id, "department", retail.id].promoters,
            groups[q1.id, "department", retail.id].detractors) == (5, 1)
    assert groups[q1.id, "job_family", sales.id].leavers == 4 and groups[q1.id, "job_family", admin.id].leavers == 2
    assert (q1.id, "department", office.id) not in groups and (q2.id, "department", office.id) in groups
    themes = {(row.period_id, row.grouping, row.group_id): row.raised for row in rows(database_url, ReleasedTheme)}
    assert themes[q1.id, "department", retail.id] == 3 and themes[q1.id, "job_family", sales.id] == 3
    assert themes[q2.id, "job_family", admin.id] == 1
    # Later records for a released quarter never change it; the next quarter counts them.
    make_interview(department=office, job_family=admin, exit_date=date(2025, 2, 2), themes=["management"])
    assert run(lambda session: release_due(session, length="quarter", delay_days=30, today=today), database_url) == []
    assert count(database_url, ReleasedGroup, ReleasedGroup.period_id == q1.id, ReleasedGroup.grouping == "department",
                 ReleasedGroup.group_id == office.id) == 0


def test_two_workers_releasing_at_once_freeze_each_period_once(
    database_url: str, make_department: Callable[..., Any], make_job_family: Callable[..., Any],
    make_interview: Callable[..., ExitInterview],
) -> None:
    department, family = make_department("Retail"), make_job_family("Sales")
    for month in range(1, 13):
        make_interview(department=department, job_family=family, exit_date=date(2024, month, 5))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        async def main() -> None:
            engine = make_engine(database_url)  # each worker its own engine, like two processes
            try:
                barrier.wait()
                async with make_sessionmaker(engine)() as session, session.begin():
                    await release_due(session, length="quarter", delay_days=30, today=date(2025, 6, 1))
            finally:
                await engine.dispose()

        try:
            asyncio.run(main())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert [period.period_start for period in rows(database_url, ReportingPeriod)] == [
        date(2024, 1, 1), date(2024, 4, 1), date(2024, 7, 1), date(2024, 10, 1), date(2025, 1, 1)]
    assert count(database_url, ReleasedGroup, ReleasedGroup.grouping == "department") == 4  # Q1 2025 is empty
    periods = run(lambda session: disclosed_periods(session, length="quarter", threshold=2, memo=Memo()),
                  database_url)
    assert [item.released.table.total for item in periods] == [3, 3, 3, 3, 0]


def test_a_new_period_length_never_releases_months_already_released(
    database_url: str, make_department: Callable[..., Any], make_job_family: Callable[..., Any],
    make_interview: Callable[..., ExitInterview],
) -> None:
    """The attack: release Q1 and Q2, record a leaver of Q1 late, switch to half-years; H1 minus Q1 minus Q2
    would be that one leaver. The half-year series starts after the last released month instead."""
    retail, sales = make_department("Retail", headcount=40), make_job_family("Sales")
    for month in (1, 2, 4, 5, 7, 8, 10, 11):
        for _ in range(3):
            make_interview(department=retail, job_family=sales, exit_date=date(2025, month, 10),
                           themes=["pay_benefits"])
    quarters = run(lambda session: release_due(session, length="quarter", delay_days=30, today=date(2025, 8, 15)),
                   database_url)
    assert [span.key for span in quarters] == ["2025-Q1", "2025-Q2"]
    late = make_interview(department=retail, job_family=sales, exit_date=date(2025, 2, 20), themes=["management"])

    halves = run(lambda session: release_due(session, length="half", delay_days=30, today=date(2026, 2, 1)),
                 database_url)
    assert [span.key for span in halves] == ["2025-H2"]
    periods = rows(database_url, ReportingPeriod)
    for first in periods:
        for second in periods:
            overlap = first.period_start <= second.period_end and second.period_start <= first.period_end
            assert first.id == second.id or not overlap, (first, second)
    # What leadership can read in either series never counts the late leaver.
    released_leavers = sum(row.leavers
                           for row in rows(database_url, ReleasedGroup, ReleasedGroup.grouping == "department"))
    assert released_leavers == 3 * 8  # Q1, Q2 and H2: every leaver but the late one
    assert count(database_url, ExitInterview) == 3 * 8 + 1 and late.exit_date < date(2025, 7, 1)
    # Switching back to quarters does not fill the months the half-year series released either.
    back = run(lambda session: release_due(session, length="quarter", delay_days=30, today=date(2026, 5, 1)),
               database_url)
    assert [span.key for span in back] == ["2026-Q1"]
