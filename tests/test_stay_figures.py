"""Stay interviews in the figures: released per reporting period with their own suppression, read on the
radar with a source filter (exit, stay, both), as early warnings on /status and as evidence for actions."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from test_actions import add_interviews, make_groups, theme_id
from test_disclosure_audit import audit
from test_disclosure_pages import read_cell
from test_effects import section, text_of

from actiontrack import clock
from actiontrack.disclosure.periods import due_periods
from actiontrack.disclosure.release import read_released, released_spans
from actiontrack.disclosure.suppression import suppress_period
from actiontrack.models import ActionEvidence, StayInterview, StayInterviewTheme, Theme
from actiontrack.settings import Settings

from conftest import Persona, release_now, rows, run

TODAY = clock.today()
RELEASED = due_periods(first_exit=TODAY - timedelta(days=800), today=TODAY, length="quarter", delay_days=30)
LATEST, BEFORE = RELEASED[-1], RELEASED[-2]


def add_stays(url: str, *, department_id: int, job_family_id: int, held_on: date, number: int, raising: int,
              theme_code: str = "workload_autonomy") -> None:
    """`number` stay interviews of a group, `raising` of which raised the theme."""

    async def create(session):
        theme = (await session.execute(select(Theme.id).where(Theme.code == theme_code))).scalar_one()
        for index in range(number):
            stay = StayInterview(department_id=department_id, job_family_id=job_family_id, tenure_band="2to5",
                                 held_on=held_on, channel="interview", language="en", growth_score=3,
                                 recognition_score=4, manager_support_score=4, workload_score=2)
            session.add(stay)
            await session.flush()
            if index < raising:
                session.add(StayInterviewTheme(stay_interview_id=stay.id, theme_id=theme))

    run(create, url)


def test_leadership_reads_stay_figures_per_released_period_with_their_own_suppression(
    settings: Settings, hr: Persona, leader: Persona, database_url: str, make_department: Any,
) -> None:
    retail, logistics, family = make_groups(database_url)
    day = LATEST.start + timedelta(days=10)
    # Production's 6 protect Logistics' hidden 3 (the smallest shown part is hidden too), so Retail shows.
    add_stays(database_url, department_id=make_department("Production").id, job_family_id=family, held_on=day,
              number=6, raising=5)
    add_interviews(database_url, department_id=retail, job_family_id=family, exit_date=day, number=10, raising=6,
                   theme_code="workload_autonomy")
    add_stays(database_url, department_id=retail, job_family_id=family, held_on=day, number=12, raising=7)
    add_stays(database_url, department_id=logistics, job_family_id=family, held_on=day, number=3, raising=2)
    workload = theme_id(database_url, "workload_autonomy")
    release_now(settings)
    stay = leader.client.get(f"/radar?period={LATEST.key}&source=stay&lang=en").text
    assert "Themes raised in stay interviews, per department" in stay
    assert read_cell(stay, f"leavers-{retail}") == 12 and read_cell(stay, f"cell-{workload}-{retail}") == 7
    assert read_cell(stay, f"leavers-{logistics}") is None  # 3 people: hidden
    assert "Would come back" not in stay and "People interviewed" in stay
    exits = leader.client.get(f"/radar?period={LATEST.key}&lang=en").text
    assert read_cell(exits, f"leavers-{retail}") == 10 and read_cell(exits, f"cell-{workload}-{retail}") == 6
    both = leader.client.get(f"/radar?period={LATEST.key}&source=both&lang=en").text
    assert read_cell(both, f"leavers-{retail}") == 22 and read_cell(both, f"cell-{workload}-{retail}") == 13
    # Logistics' stay figures are hidden, so its sum is too: both minus exits gives nothing away.
    assert read_cell(both, f"leavers-{logistics}") is None
    # A stay interview recorded after the release changes nothing leadership reads.
    add_stays(database_url, department_id=retail, job_family_id=family, held_on=day, number=1, raising=1)
    again = leader.client.get(f"/radar?period={LATEST.key}&source=stay&lang=en").text
    assert read_cell(again, f"leavers-{retail}") == 12
    # HR's live radar counts every stay interview, and links to them.
    live = hr.client.get(f"/radar?source=stay&start={LATEST.start}&end={LATEST.end}&lang=en").text
    assert read_cell(live, f"leavers-{retail}") == 13 and read_cell(live, f"leavers-{logistics}") == 3
    assert f'href="/stay-interviews?start={LATEST.start}' in live


def test_no_hidden_stay_figure_can_be_narrowed(settings: Settings, leader: Persona, database_url: str,
                                               make_department: Any,
                                              make_job_family: Any) -> None:
    """Random stay tables, released by the app: the attacker's linear program finds nothing to narrow."""
    rng = random.Random(7)
    departments = [make_department(f"Dept {index}").id for index in range(5)]
    families = [make_job_family(f"Family {index}").id for index in range(3)]
    for department in departments:
        for family in families:
            number = rng.choice((0, 1, 2, 3, 6, 9))
            if number:
                add_stays(database_url, department_id=department, job_family_id=family,
                          held_on=LATEST.start + timedelta(days=5), number=number, raising=rng.randint(0, number))
    release_now(settings)
    leader.client.get("/radar")  # releases the period

    async def released(session):
        period_id = next(found for found, span in await released_spans(session, length="quarter") if span == LATEST)
        return await read_released(session, period_id=period_id, span=LATEST, theme_ids=[])

    period = run(released, database_url)
    assert period.stay is not None and period.stay.table.total == sum(
        count for (grouping, _), count in period.stay.table.leavers.items() if grouping == "department") > 0
    suppression = suppress_period(period.stay.table, threshold=5)
    assert audit(period.stay.table, suppression, threshold=5) == []
    page = leader.client.get(f"/radar?period={LATEST.key}&source=stay&lang=en").text
    for department in departments:
        shown = read_cell(page, f"leavers-{department}")
        if ("department", department) in {key[1:] for key in suppression.hidden if key[0] == "group"}:
            assert shown is None


def test_status_warns_of_a_theme_rising_in_stay_interviews_before_leavers_raise_it(
    settings: Settings, hr: Persona, leader: Persona, database_url: str, make_department: Any,
) -> None:
    _retail, _logistics, family = make_groups(database_url)
    rising, recurring = make_department("Production").id, make_department("Warehouse").id
    for department, exit_raising in ((rising, 0), (recurring, 6)):
        add_stays(database_url, department_id=department, job_family_id=family,
                  held_on=BEFORE.start + timedelta(days=3), number=10, raising=0)
        add_stays(database_url, department_id=department, job_family_id=family,
                  held_on=LATEST.start + timedelta(days=3), number=10, raising=6)
        add_interviews(database_url, department_id=department, job_family_id=family,
                       exit_date=LATEST.start + timedelta(days=3), number=10, raising=exit_raising,
                       theme_code="workload_autonomy")
    workload = theme_id(database_url, "workload_autonomy")
    release_now(settings)
    for person in (hr, leader):
        page = person.client.get("/status?lang=en").text
        found = re.search(rf'<tr id="warning-department-{rising}-{workload}">.*?</tr>', page, re.S)
        assert found and "6 of 10 (60 %)" in text_of(found.group(0)) and "0 %" in text_of(found.group(0))
        # Warehouse's leavers already raise it as a recurring theme: the status page shows it there instead.
        assert f'id="warning-department-{recurring}-{workload}"' not in page
    french = leader.client.get("/status?lang=fr").text
    assert "Alerte précoce" in french
    # Filtered by department or theme, the warnings follow the filter.
    row = f'id="warning-department-{rising}-{workload}"'
    assert row in leader.client.get(f"/status?department={rising}&theme={workload}&lang=en").text
    assert row not in leader.client.get(f"/status?department={recurring}&lang=en").text
    assert row not in leader.client.get(f"/status?theme={theme_id(database_url, 'management')}&lang=en").text


def test_an_action_can_cite_stay_interviews_as_its_evidence(
    settings: Settings, hr: Persona, leader: Persona, owner: Persona, database_url: str,
) -> None:
    retail, _logistics, family = make_groups(database_url)
    add_stays(database_url, department_id=retail, job_family_id=family, held_on=LATEST.start + timedelta(days=3),
              number=10, raising=6)
    workload = theme_id(database_url, "workload_autonomy")
    cell = f"theme={workload}&scope=department&group={retail}&start={LATEST.start}&end={LATEST.end}&source=stay"
    release_now(settings)
    form = hr.client.get(f"/actions/new?{cell}&lang=en").text
    assert "6 of 10 people interviewed to stay raised “Workload and autonomy”" in text_of(form)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form).group(1)
    response = hr.client.post("/actions/new", data={
        "_csrf_token": token, "title": "Staff the peaks", "description": "", "public_summary": "",
        "scope": "department", "department_id": str(retail), "owner_id": str(owner.user.id),
        "deadline": (TODAY + timedelta(days=60)).isoformat(),
        "success_measure": "", "themes": str(workload), "evidence_theme": str(workload),
        "evidence_start": LATEST.start.isoformat(), "evidence_end": LATEST.end.isoformat(), "evidence_source": "stay",
    }, follow_redirects=False)
    assert response.status_code == 303, response.text
    [evidence] = rows(database_url, ActionEvidence)
    assert (evidence.source, evidence.raised_count, evidence.leavers_count) == ("stay", 6, 10)
    page = section(leader.client.get(response.headers["location"] + "?lang=en").text, "evidence-heading")
    assert f"Released reporting period {LATEST.label}" in page
    assert "6 of 10 people interviewed to stay raised" in page


def test_changes_names_stay_interviews_as_the_reason_in_words(
    settings: Settings, anon: Any, hr: Persona, leader: Persona, owner: Persona, database_url: str, make_action: Any,
) -> None:
    retail, _logistics, family = make_groups(database_url)
    add_stays(database_url, department_id=retail, job_family_id=family, held_on=LATEST.start + timedelta(days=3),
              number=10, raising=6)
    workload = theme_id(database_url, "workload_autonomy")
    action = make_action(owner=owner.user, title="Staff the peaks", theme_codes=("workload_autonomy",),
                         scope="department", department_id=retail, published=True,
                         public_summary="Extra hands at the busiest hours.", published_at=clock.utcnow())

    async def cite(session):
        session.add(ActionEvidence(action_id=action.id, theme_id=workload, period_start=LATEST.start,
                                   period_end=LATEST.end, raised_count=6, leavers_count=10, source="stay"))

    run(cite, database_url)
    release_now(settings)
    leader.client.get("/radar")  # releases the period
    card = text_of(re.search(rf'<article[^>]*id="change-{action.id}".*?</article>', anon.get("/changes?lang=en").text,
                             re.S).group(0))
    assert f"Raised by 6 colleagues from the Retail department in stay interviews in {LATEST.label}" in card


def test_the_api_takes_and_gives_stay_evidence(
    hr: Persona, owner: Persona, make_api_token: Any, database_url: str,
) -> None:
    retail, _logistics, family = make_groups(database_url)
    add_stays(database_url, department_id=retail, job_family_id=family, held_on=LATEST.start + timedelta(days=3),
              number=10, raising=6)
    workload = theme_id(database_url, "workload_autonomy")
    headers = {"Authorization": f"Bearer {make_api_token(hr.user)}"}
    body = {"title": "Staff the peaks", "scope": "department", "department_id": retail, "owner_id": owner.user.id,
            "deadline": (TODAY + timedelta(days=60)).isoformat(), "theme_ids": [workload],
            "evidence": {"theme_id": workload, "period_start": LATEST.start.isoformat(),
                         "period_end": LATEST.end.isoformat(), "source": "stay"}}
    created = hr.client.post("/api/v1/actions", json=body, headers=headers)
    assert created.status_code == 201, created.text
    evidence = created.json()["evidence"]
    assert (evidence["source"], evidence["raised_count"], evidence["leavers_count"]) == ("stay", 6, 10)
    wrong = hr.client.post("/api/v1/actions", json={**body, "evidence": {**body["evidence"], "source": "rumour"}},
                           headers=headers)
    assert wrong.status_code == 400
