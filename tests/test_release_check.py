"""Periods are released at worker start, by `actiontrack remind` and by the worker's periodic check,
never inside a reader's request (issue 25): a page only reads what is released."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from actiontrack import clock
from actiontrack.app import create_app
from actiontrack.disclosure.periods import period_containing
from actiontrack.models import ReportingPeriod, Role
from actiontrack.settings import Settings

from conftest import count, make_client, sign_in

QUARTER = period_containing(date(2025, 2, 1), length="quarter")  # 2025-Q1, released 30 days after it ends
RELEASE_DAY = QUARTER.release_day(delay_days=30)


def leavers_in_the_quarter(make_department: Callable[..., Any], make_job_family: Callable[..., Any],
                           make_interview: Callable[..., Any]) -> None:
    retail, sales = make_department("Retail"), make_job_family("Sales")
    for _ in range(6):
        make_interview(department=retail, job_family=sales, exit_date=QUARTER.start + timedelta(days=10))


def test_a_period_falling_due_is_released_by_the_workers_check_without_any_page_view(
    settings: Settings, database_url: str, monkeypatch: pytest.MonkeyPatch, make_department: Callable[..., Any],
    make_job_family: Callable[..., Any], make_interview: Callable[..., Any],
) -> None:
    leavers_in_the_quarter(make_department, make_job_family, make_interview)
    monkeypatch.setattr(clock, "today", lambda: RELEASE_DAY - timedelta(days=1))
    app = create_app(settings.model_copy(update={"release_check_seconds": 0.05}))
    with make_client(app):
        assert count(database_url, ReportingPeriod) == 0  # not due at start
        monkeypatch.setattr(clock, "today", lambda: RELEASE_DAY)  # midnight passes; nobody reads a page
        deadline = time.monotonic() + 10
        while count(database_url, ReportingPeriod) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert count(database_url, ReportingPeriod) == 1


def test_a_worker_releases_what_fell_due_while_none_ran_when_it_starts(
    settings: Settings, database_url: str, monkeypatch: pytest.MonkeyPatch, make_department: Callable[..., Any],
    make_job_family: Callable[..., Any], make_interview: Callable[..., Any],
) -> None:
    leavers_in_the_quarter(make_department, make_job_family, make_interview)
    monkeypatch.setattr(clock, "today", lambda: RELEASE_DAY)
    with make_client(create_app(settings.model_copy(update={"release_check_seconds": 3600}))):
        assert count(database_url, ReportingPeriod) == 1


def test_a_readers_page_never_releases_a_period(
    settings: Settings, database_url: str, monkeypatch: pytest.MonkeyPatch, make_user: Callable[..., Any],
    make_department: Callable[..., Any], make_job_family: Callable[..., Any], make_interview: Callable[..., Any],
) -> None:
    """A period falls due between two checks: leadership's pages show the period before it until the
    check runs, and their GETs write nothing."""
    monkeypatch.setattr(clock, "today", lambda: RELEASE_DAY)
    app = create_app(settings.model_copy(update={"release_check_seconds": 3600}))
    make_user(Role.LEADERSHIP, "leader@example.com")
    with make_client(app) as client:  # started with no interview: nothing to release yet
        leavers_in_the_quarter(make_department, make_job_family, make_interview)
        assert sign_in(client, "leader@example.com").status_code == 303
        for path in ("/radar?lang=en", "/status?lang=en", "/changes?lang=en", "/"):
            client.get(path)
        assert 'id="leavers-all"' not in client.get("/radar?lang=en").text  # no released table yet
        assert count(database_url, ReportingPeriod) == 0
