"""HR turns pools of small groups on or off in the app, beside the period length: stored, audited, asked
again once periods are released, and never changing a period already released."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from html import unescape
from typing import Any

import pytest
from litestar.testing import TestClient

from actiontrack.app import create_app
from actiontrack.disclosure.lengths import LengthPreview, preview, recommend
from actiontrack.models import AuditEvent, Department, ExitInterview, JobFamily, ReleasedPool, ReportingChoice
from actiontrack.settings import Settings
from tests.test_pools import cell_text, small_departments  # noqa: F401 (a fixture)

from conftest import Persona, count, make_client, post_form, release_now, rows, run, sign_in

RADAR_2025 = "/radar?period=2025&by=department&lang=en"


def audited(url: str) -> list[AuditEvent]:
    return rows(url, AuditEvent, AuditEvent.entity == "reporting_choice")


def test_hr_turns_pools_on_in_the_app_and_leadership_then_sees_them(
    settings: Settings, hr: Persona, leader: Persona, small_departments: dict[str, Department], database_url: str,  # noqa: F811
) -> None:
    page = unescape(hr.client.get("/settings/reporting").text)
    assert "Every group is shown on its own, as set in ACTIONTRACK_POOL_SIZE, until HR chooses here." in page
    assert re.search(r'name="pooling" value="off" checked', page)
    assert re.search(r'name="pooling" value="auto"[ >]', page)

    saved = hr.post("/settings/reporting", {"length": "year", "pooling": "auto"}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/settings/reporting"
    [stored] = rows(database_url, ReportingChoice)
    assert (stored.length, stored.pooling) == ("year", "auto")
    [event] = audited(database_url)
    assert event.changes == {"length": ["quarter", "year"], "pooling": ["off", "auto"]}
    assert (event.verb, event.actor_id, event.ip) == ("update", hr.user.id, "testclient")

    release_now(settings)  # as the workers' check does
    radar = leader.client.get(RADAR_2025).text
    assert "Finance + Legal + IT" in radar
    assert cell_text(radar, "leavers--1") == "6"
    for name in ("Finance", "Legal", "IT"):
        assert f'id="leavers-{small_departments[name].id}"' not in radar
    page = unescape(hr.client.get("/settings/reporting").text)
    assert re.search(r'name="pooling" value="auto" checked', page)
    assert "Groups too small for the organisation's volume are shown together in pools, chosen by" in page


def test_the_choice_stays_for_every_worker_whatever_the_environment_says(
    settings: Settings, hr: Persona, small_departments: dict[str, Department],  # noqa: F811
) -> None:
    assert hr.post("/settings/reporting", {"length": "year", "pooling": "auto"},
                   follow_redirects=False).status_code == 303
    # Another worker, started with pools off in its environment, releases with HR's choice.
    other = create_app(settings.model_copy(update={"pool_size": 0}))
    with make_client(other) as client:
        assert sign_in(client, "pool.lead@example.com").status_code == 303
        assert "Finance + Legal + IT" in client.get(RADAR_2025).text


@pytest.mark.parametrize("who", ["leader", "owner"])
def test_only_hr_chooses_pooling(request: pytest.FixtureRequest, database_url: str, who: str) -> None:
    persona: Persona = request.getfixturevalue(who)
    response = persona.post("/settings/reporting", {"length": "year", "pooling": "auto", "confirm": "yes"},
                            follow_redirects=False)
    assert response.status_code == 403
    assert count(database_url, ReportingChoice) == 0
    assert audited(database_url) == []


def test_a_pooling_choice_without_the_csrf_token_is_refused(hr: Persona, database_url: str) -> None:
    client: TestClient = hr.client
    assert client.post("/settings/reporting", data={"length": "year", "pooling": "auto"}).status_code == 403
    assert count(database_url, ReportingChoice) == 0


@pytest.mark.parametrize("pooling", ["on", "0", "-5", "auto' OR 1=1", "x" * 500, "250"])
def test_an_unknown_pooling_is_explained_and_nothing_is_saved(hr: Persona, database_url: str, pooling: str) -> None:
    response = hr.post("/settings/reporting", {"length": "year", "pooling": pooling})
    assert response.status_code == 400
    assert re.search(r'<p class="error" id="pooling-error">Choose one of the answers.</p>', response.text)
    # The form comes back with what was in force, the length as sent.
    assert re.search(r'name="length" value="year" checked', response.text)
    assert count(database_url, ReportingChoice) == 0
    assert audited(database_url) == []


def test_turning_pools_on_after_a_release_asks_first_and_never_changes_a_released_period(
    settings: Settings, hr: Persona, leader: Persona, small_departments: dict[str, Department], database_url: str,  # noqa: F811
    make_interview: Callable[..., ExitInterview],
) -> None:
    assert hr.post("/settings/reporting", {"length": "year", "pooling": "off"},
                   follow_redirects=False).status_code == 303
    release_now(settings)
    before = leader.client.get(RADAR_2025).text  # 2025 is released, without pools
    assert "Finance + Legal + IT" not in before

    asked = hr.post("/settings/reporting", {"length": "year", "pooling": "auto"})
    assert asked.status_code == 200
    page = unescape(asked.text)
    assert "Show small groups together in pools?" in page
    assert "What leadership loses" in page and "What leadership gains" in page
    assert "Nothing has changed yet. Periods already released keep the groups they were released with." in page
    assert "From 2026 on, these groups are no longer shown on their own, only together in pools: Finance, IT, Legal." \
        in page
    assert 'name="confirm" value="yes"' in page and 'name="pooling" value="auto"' in page
    # Nothing changed yet.
    assert [row.pooling for row in rows(database_url, ReportingChoice)] == ["off"]
    assert len(audited(database_url)) == 1

    confirmed = hr.post("/settings/reporting", {"length": "year", "pooling": "auto", "confirm": "yes"},
                        follow_redirects=False)
    assert confirmed.status_code == 303
    assert [row.pooling for row in rows(database_url, ReportingChoice)] == ["auto"]
    assert audited(database_url)[-1].changes == {"length": ["year", "year"], "pooling": ["off", "auto"]}
    # The released year keeps its columns: no pool is built over it from live data.
    after = leader.client.get(RADAR_2025).text
    assert "Finance + Legal + IT" not in after
    for department in small_departments.values():
        assert cell_text(after, f"leavers-{department.id}") == cell_text(before, f"leavers-{department.id}")
    assert count(database_url, ReleasedPool) == 0

    # The next year is released with pools (HR's choice, as every release reads it).
    from actiontrack.disclosure import pooling_in_force, release_due

    family = rows(database_url, JobFamily)[0]
    for name, leavers in (("Stores", 40), ("Finance", 2), ("Legal", 1), ("IT", 3)):
        for _ in range(leavers):
            make_interview(department=small_departments[name], job_family=family, exit_date=date(2026, 3, 1),
                           themes=["pay_benefits"])

    async def release_next(session: Any) -> None:
        pooling = await pooling_in_force(session, default=0, threshold=5)
        await release_due(session, length="year", delay_days=30, today=date(2027, 2, 15), pooling=pooling)

    run(release_next, database_url)
    assert {row.group_id for row in rows(database_url, ReleasedPool)} == {
        small_departments[name].id for name in ("Finance", "Legal", "IT")}


def test_turning_pools_off_after_a_release_says_the_pools_go(
    settings: Settings, hr: Persona, leader: Persona, small_departments: dict[str, Department], database_url: str,  # noqa: F811
) -> None:
    assert hr.post("/settings/reporting", {"length": "year", "pooling": "auto"},
                   follow_redirects=False).status_code == 303
    release_now(settings)
    assert "Finance + Legal + IT" in leader.client.get(RADAR_2025).text
    page = unescape(hr.post("/settings/reporting", {"length": "year", "pooling": "off"}).text)
    assert "Show every group on its own?" in page
    assert "From 2026 on, no group is shown in a pool: groups with fewer than 5 leavers in a period are hidden." in page
    assert hr.post("/settings/reporting", {"length": "year", "pooling": "off", "confirm": "yes"},
                   follow_redirects=False).status_code == 303
    # The released year keeps its pool.
    assert "Finance + Legal + IT" in leader.client.get(RADAR_2025).text


def test_the_preview_shows_each_length_with_and_without_pools_and_recommends_what_meets_the_goal(
    hr: Persona, small_departments: dict[str, Department], database_url: str,  # noqa: F811
) -> None:
    previews = run(lambda session: preview(session, threshold=5, delay_days=30, today=date(2026, 3, 1)), database_url)
    assert [(item.length, item.pooling) for item in previews] == [
        (length, pooling) for length in ("quarter", "half", "year") for pooling in ("off", "auto")]
    by_choice = {(item.length, item.pooling): item for item in previews}
    # The year 2025: Finance, Legal and IT (6 leavers together) are hidden alone, shown in their pool.
    alone, pooled = by_choice["year", "off"], by_choice["year", "auto"]
    assert alone.mentions_shown < pooled.mentions_shown
    assert pooled.mentions_share == 1
    page = unescape(hr.client.get("/settings/reporting").text)
    assert '<th scope="col">Small groups</th>' in page
    assert re.search(r'<th scope="row">Year</th>\s*<td>In pools</td>', page)


def test_the_recommendation_is_the_shortest_setting_meeting_the_goal_alone_before_pooled() -> None:
    def item(length: str, pooling: str, totals: int, mentions: int) -> LengthPreview:
        return LengthPreview(length, (), 10, 100, totals, 100, mentions, pooling=pooling)

    def best(*shares: tuple[int, int]) -> tuple[str, str] | None:
        settings = [(length, pooling) for length in ("quarter", "half", "year") for pooling in ("off", "auto")]
        found = recommend([item(length, pooling, *share) for (length, pooling), share in zip(settings, shares,
                                                                                             strict=True)])
        return None if found is None else (found.length, found.pooling)

    # 90 % of the whole-organisation figures and 30 % of the mentions in group columns.
    assert best((95, 35), (95, 60), (99, 70), (99, 80), (100, 90), (100, 95)) == ("quarter", "off")
    assert best((80, 10), (95, 20), (92, 25), (95, 31), (100, 40), (100, 60)) == ("half", "auto")
    # None meets the goal: most mentions at 90 %.
    assert best((60, 5), (70, 10), (80, 20), (88, 40), (91, 28), (93, 29)) == ("year", "auto")
    assert recommend([LengthPreview(length, (), 0, 0, 0, 0, 0, pooling=pooling)
                      for length in ("quarter", "half", "year") for pooling in ("off", "auto")]) is None


def test_a_size_set_in_the_environment_is_kept_as_a_choice_until_hr_picks_another(
    settings: Settings, make_user: Callable[..., Any], small_departments: dict[str, Department],  # noqa: F811
    database_url: str,
) -> None:
    make_user("hr", "size.hr@example.com")
    app = create_app(settings.model_copy(update={"pool_size": 100, "report_period": "year"}))
    with make_client(app) as client:
        sign_in(client, "size.hr@example.com")
        page = unescape(client.get("/settings/reporting?lang=en").text)
        assert "Groups of fewer than 100 people are shown together in pools, as set in ACTIONTRACK_POOL_SIZE" in page
        assert re.search(r'name="pooling" value="100" checked', page)
        assert "In pools of 100 people" in page  # previewed too
        assert post_form(client, "/settings/reporting", {"length": "year", "pooling": "100"},
                         follow_redirects=False).status_code == 303
        assert post_form(client, "/settings/reporting", {"length": "year", "pooling": "150"}).status_code == 400
    assert [row.pooling for row in rows(database_url, ReportingChoice)] == ["100"]


def test_right_after_a_length_change_the_confirmation_names_the_pools_the_next_release_makes(
    settings: Settings, hr: Persona, make_department: Callable[..., Department],
    make_job_family: Callable[..., JobFamily], make_interview: Callable[..., ExitInterview], database_url: str,
) -> None:
    """Quarters of 2025 released with one leaver, then half-years at the volume that stays (92 a year):
    the size asked about is the one the release works out, from the released periods of its length."""
    departments = {name: make_department(name, headcount=headcount)
                   for name, headcount in (("Stores", 300), ("Finance", 30), ("Legal", 20), ("IT", 60))}
    family = make_job_family("Everyone", headcount=410)

    def leavers(day: date) -> None:
        for name, number in (("Stores", 40), ("Finance", 2), ("Legal", 1), ("IT", 3)):
            for _ in range(number):
                make_interview(department=departments[name], job_family=family, exit_date=day)

    def release(length: str, today: date) -> None:
        from actiontrack.disclosure import pooling_in_force, release_due

        async def released(session: Any) -> None:
            pooling = await pooling_in_force(session, default=0, threshold=settings.anonymity_threshold)
            await release_due(session, length=length, delay_days=30, today=today, pooling=pooling)

        run(released, database_url)

    make_interview(department=departments["Stores"], job_family=family, exit_date=date(2025, 1, 15))
    release("quarter", date(2025, 8, 15))  # Q1 and Q2 2025
    assert hr.post("/settings/reporting", {"length": "half", "pooling": "off", "confirm": "yes"},
                   follow_redirects=False).status_code == 303
    leavers(date(2025, 9, 1))
    release("half", date(2026, 2, 15))  # H2 2025, the first half-year

    page = unescape(hr.post("/settings/reporting", {"length": "half", "pooling": "auto"}).text)
    assert "From H1 2026 on, these groups are no longer shown on their own, only together in pools: " \
           "Finance, IT, Legal." in page
    assert "in pools of at least 179 people" in page
    assert hr.post("/settings/reporting", {"length": "half", "pooling": "auto", "confirm": "yes"},
                   follow_redirects=False).status_code == 303
    leavers(date(2026, 3, 1))
    release("half", date(2026, 8, 15))  # H1 2026
    assert {row.group_id for row in rows(database_url, ReleasedPool)} == {
        departments[name].id for name in ("Finance", "Legal", "IT")}
