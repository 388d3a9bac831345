"""HR chooses the reporting period length in the app: what each length would show, a confirmation before
a change that costs a series, and every worker following the choice at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from actiontrack import clock
from actiontrack.app import create_app
from actiontrack.disclosure import release_due
from actiontrack.disclosure.lengths import preview, recommend
from actiontrack.disclosure.periods import due_periods, period_containing
from actiontrack.i18n import translations
from actiontrack.models import AuditEvent, Department, ExitInterview, JobFamily, ReportingChoice, ReportingPeriod
from actiontrack.settings import Settings

from conftest import Persona, count, make_client, post_form, rows, run, sign_in


@pytest.fixture
def org(make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily]) -> dict[str, Any]:
    return {"department": make_department("Retail", headcount=80), "job_family": make_job_family("Store staff")}


def release(url: str, *, length: str, today: date | None = None) -> list[Any]:
    return run(lambda session: release_due(session, length=length, delay_days=30, today=today or clock.today()), url)


# --- who may do what --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who, expected", [("hr", "allowed"), ("leader", 403), ("owner", 403), ("anon", "login")])
def test_only_hr_sees_and_chooses_the_period_length(
    request: pytest.FixtureRequest, database_url: str, method: str, who: str, expected: Any
) -> None:
    if who == "anon":
        client: TestClient = request.getfixturevalue("anon")
    else:
        client = request.getfixturevalue(who).client
    response = client.get("/settings/reporting", follow_redirects=False) if method == "get" else \
        post_form(client, "/settings/reporting", {"length": "year"}, follow_redirects=False)
    if expected == "allowed":
        assert response.status_code == (200 if method == "get" else 303)
    elif expected == "login":
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    else:
        assert response.status_code == expected
    assert count(database_url, ReportingChoice) == (1 if who == "hr" and method == "post" else 0)


def test_a_choice_without_the_csrf_token_is_refused(hr: Persona, database_url: str) -> None:
    response = hr.client.post("/settings/reporting", data={"length": "year"})
    assert response.status_code == 403
    assert count(database_url, ReportingChoice) == 0


@pytest.mark.parametrize("length", ["", "month", "quarter' OR 1=1", "x" * 500])
def test_an_unknown_length_is_explained_and_nothing_is_saved(hr: Persona, database_url: str, length: str) -> None:
    response = hr.post("/settings/reporting", {"length": length})
    assert response.status_code == 400
    assert re.search(r'<p class="error" id="length-error">Choose one of the answers.</p>', response.text)
    assert count(database_url, ReportingChoice) == 0
    assert count(database_url, AuditEvent, AuditEvent.entity == "reporting_choice") == 0


# --- the choice -------------------------------------------------------------------------------


def test_the_environment_variable_is_the_length_until_hr_chooses_and_then_the_choice_stays(
    settings: Settings, make_user: Callable[..., Any], database_url: str
) -> None:
    make_user("hr", "chooser.hr@example.com", name="Chooser")
    app = create_app(settings.model_copy(update={"report_period": "year"}))
    with make_client(app) as client:
        sign_in(client, "chooser.hr@example.com")
        page = unescape(client.get("/settings/reporting").text)
        assert "Periods are years, as set in ACTIONTRACK_REPORT_PERIOD, until HR chooses here." in page
        assert re.search(r'value="year" checked', page)
        # Nothing released yet: the change costs nothing and is saved at once.
        saved = post_form(client, "/settings/reporting", {"length": "half"}, follow_redirects=False)
        assert saved.status_code == 303 and saved.headers["location"] == "/settings/reporting"
        page = unescape(client.get("/settings/reporting").text)
        assert f"Periods are half-years, chosen by Chooser on {clock.today():%B} " in page or \
            "Periods are half-years, chosen by Chooser on" in page
        assert re.search(r'value="half" checked', page)
    [choice] = rows(database_url, ReportingChoice)
    assert choice.length == "half"
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "reporting_choice")
    assert (event.verb, event.changes, event.ip) == ("update", {"length": ["year", "half"]}, "testclient")
    # Another worker started with the same environment follows the choice.
    other = create_app(settings.model_copy(update={"report_period": "year"}))
    with make_client(other) as client:
        sign_in(client, "chooser.hr@example.com")
        assert re.search(r'value="half" checked', client.get("/settings/reporting").text)


def quarters_released_with_a_late_leaver(url: str, org: dict[str, Any],
                                         make_interview: Callable[..., ExitInterview]) -> list[Any]:
    """Six leavers a month over the quarters that are due, released; then a leaver of the first, recorded late."""
    due = due_periods(first_exit=clock.today() - timedelta(days=400), today=clock.today(), length="quarter",
                      delay_days=30)
    for span in due:
        for _ in range(6):
            make_interview(**org, exit_date=span.start + timedelta(days=10), themes=["pay_benefits"])
    released = release(url, length="quarter")
    assert [span.key for span in released] == [span.key for span in due]
    make_interview(**org, exit_date=due[0].start + timedelta(days=20), themes=["management"])
    return due


def test_a_change_mid_series_says_what_leadership_loses_and_gains_and_waits_for_confirmation(
    hr: Persona, leader: Persona, org: dict[str, Any], database_url: str,
    make_interview: Callable[..., ExitInterview],
) -> None:
    due = quarters_released_with_a_late_leaver(database_url, org, make_interview)
    radar = leader.client.get("/radar").text
    assert f'value="{due[-1].key}"' in radar

    asked = hr.post("/settings/reporting", {"length": "half"})
    assert asked.status_code == 200
    page = unescape(asked.text)
    assert "Change the reporting period from quarters to half-years?" in page
    assert f"released periods of the current series ({due[0].label} – {due[-1].label}) are no longer shown" in page
    first = period_containing(due[-1].end, length="half").next()
    assert f"The new series starts with {first.label}, released on" in page
    if first.start > due[-1].end + timedelta(days=1):  # quarters up to Q3 or Q1: a quarter no half-year starts
        assert "are never shown outside HR: those months start no period of the new series." in page
    assert 'name="confirm" value="yes"' in page
    # Nothing changed yet.
    assert count(database_url, ReportingChoice) == 0
    assert f'value="{due[-1].key}"' in leader.client.get("/radar").text

    assert hr.post("/settings/reporting", {"length": "half", "confirm": "yes"},
                   follow_redirects=False).status_code == 303
    assert [choice.length for choice in rows(database_url, ReportingChoice)] == ["half"]
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "reporting_choice")
    assert event.changes == {"length": ["quarter", "half"]} and event.actor_id == hr.user.id
    # The old series is no longer shown, and no half-year is built over the released quarters.
    radar = unescape(leader.client.get("/radar").text)
    assert f'value="{due[-1].key}"' not in radar
    first = period_containing(due[-1].end, length="half").next()
    # The first half-year of the new series is announced (the leader reads French).
    half_year = translations("fr").ugettext("H%(number)d %(year)d") % {"number": 2 if first.start.month == 7 else 1,
                                                                       "year": first.start.year}
    assert f"{half_year} " in radar
    for span in due:
        assert period_containing(span.start, length="half").key not in radar
    assert [period.length for period in rows(database_url, ReportingPeriod)] == ["quarter"] * len(due)


def test_the_late_leaver_never_shows_as_the_difference_of_two_series(
    hr: Persona, leader: Persona, org: dict[str, Any], database_url: str,
    make_interview: Callable[..., ExitInterview],
) -> None:
    """Release the quarters, record a leaver of the first one late, switch to half-years (and to years): no
    released figure is built over released months, so none differs from the quarters by the late leaver."""
    due = quarters_released_with_a_late_leaver(database_url, org, make_interview)
    for length in ("half", "year"):
        assert hr.post("/settings/reporting", {"length": length, "confirm": "yes"},
                       follow_redirects=False).status_code == 303
        leader.client.get("/radar")  # the release clock runs with the new length
        release(database_url, length=length, today=clock.today() + timedelta(days=800))
    periods = rows(database_url, ReportingPeriod)
    for first in periods:
        for second in periods:
            overlap = first.period_start <= second.period_end and second.period_start <= first.period_end
            assert first.id == second.id or not overlap, (first, second)
    assert min(period.period_start for period in periods if period.length != "quarter") > due[-1].end


# --- what each length would show --------------------------------------------------------------


def test_the_preview_counts_the_organisations_own_leavers_through_suppression(
    hr: Persona, database_url: str, make_department: Callable[..., Department],
    make_job_family: Callable[..., JobFamily], make_interview: Callable[..., ExitInterview],
) -> None:
    """Two departments with 3 leavers a quarter each: a quarter shows no group column (3 < 5), a half-year does."""
    today = clock.today()
    quarters = due_periods(first_exit=today - timedelta(days=800), today=today, length="quarter", delay_days=30)[-4:]
    halves = due_periods(first_exit=today - timedelta(days=800), today=today, length="half", delay_days=30)[-2:]
    family = make_job_family("Everyone")
    departments = [make_department("North"), make_department("South")]
    for department, theme in zip(departments, ("pay_benefits", "management"), strict=True):
        for start in sorted({span.start for span in quarters} | {span.start for span in halves}):
            for _ in range(3):
                make_interview(department=department, job_family=family, exit_date=start + timedelta(days=5),
                               themes=[theme])
    previews = run(lambda session: preview(session, threshold=5, delay_days=30, today=today), database_url)
    by_length = {item.length: item for item in previews if item.pooling == "off"}
    quarter, half = by_length["quarter"], by_length["half"]
    assert [span.key for span in quarter.periods] == [span.key for span in quarters]
    assert [span.key for span in half.periods] == [span.key for span in halves]
    assert quarter.mentions_share == 0  # every group column of a quarter holds 3 leavers
    assert half.mentions_share is not None and half.mentions_share > 0.5
    assert half.leavers_per_period > quarter.leavers_per_period
    assert (recommend(previews).length, recommend(previews).pooling) == ("half", "off")
    page = unescape(hr.client.get("/settings/reporting").text)
    assert re.search(r'<th scope="row">Half-year</th>\s*<td>On their own <small>\(recommended\)</small>', page)
    assert "Recommended: half-years, every group on its own, the shortest setting" in page


def test_with_no_leavers_the_page_recommends_nothing(hr: Persona) -> None:
    page = unescape(hr.client.get("/settings/reporting").text)
    assert "No leaver has raised a theme yet: there is nothing to recommend from." in page
    assert "(recommended)" not in page


def test_every_worker_follows_a_change_at_once(
    settings: Settings, hr: Persona, org: dict[str, Any], database_url: str, make_user: Callable[..., Any],
    make_interview: Callable[..., ExitInterview],
) -> None:
    """Two app instances stand for two workers: the second one's leader sees the change on the next request."""
    due = quarters_released_with_a_late_leaver(database_url, org, make_interview)
    make_user("leadership", "second.worker@example.com")
    other: Litestar = create_app(settings)
    with make_client(other) as client:
        sign_in(client, "second.worker@example.com")
        assert f'value="{due[-1].key}"' in client.get("/radar").text
        assert hr.post("/settings/reporting", {"length": "year", "confirm": "yes"},
                       follow_redirects=False).status_code == 303
        assert f'value="{due[-1].key}"' not in client.get("/radar").text
