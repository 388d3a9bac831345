"""The leadership status page: figures against a hand-computed fixture, filters, CSV, access."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from html import unescape
from typing import Any

import pytest
from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import event, update
from test_interviews import valid_form

from actiontrack import caching, clock, retention
from actiontrack.disclosure.periods import due_periods
from actiontrack.models import ActionStatus, ActionUpdate, Role, User
from actiontrack.radar.links import action_link
from actiontrack.radar.rules import Period
from actiontrack.settings import Settings
from actiontrack.status.charts import (
    chart_months,
    chart_quarters,
    draw_trends,
    monthly_chart,
    quarter_columns,
    trend_charts,
)
from actiontrack.status.figures import LIST_LIMIT
from actiontrack.status.recurring import (
    Episode,
    LeaverCounts,
    current_onset,
    days_to_first_action,
    first_covering_action,
    month_end,
    month_of,
    month_start,
    onset_months,
    recurring_by_month,
    response_times,
)
from actiontrack.surveys import rules as survey_rules

from browser_checks import sign_in_page
from conftest import LiveServer, Persona, release_now, run

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def fixture(owner: Persona, other_owner: Persona, make_action, make_department, database_url: str) -> dict[str, Any]:
    """Charlie (Retail) and Dana (HQ) own these actions; the comments give what each one counts as."""
    today = clock.today()
    retail, hq = make_department("Retail"), make_department("HQ")
    charlie, dana = owner.user, other_owner.user

    def action(who: User, department: Any, status: ActionStatus, deadline_days: int, **values: Any) -> Any:
        return make_action(owner=who, department_id=department.id, scope="department", status=status.value,
                           deadline=today + timedelta(days=deadline_days), **values)

    action(charlie, retail, ActionStatus.DONE, -10, completed_on=today - timedelta(days=12))  # done on time
    action(charlie, retail, ActionStatus.DONE, -20, completed_on=today - timedelta(days=5))  # done late
    action(charlie, retail, ActionStatus.IN_PROGRESS, -3, title="Exit survey in Dutch")  # overdue 3 days
    action(dana, hq, ActionStatus.BLOCKED, 10)  # open, blocked
    stale = action(dana, hq, ActionStatus.PLANNED, -1, title="Career paths")  # overdue 1 day, no update in 40 days
    action(dana, hq, ActionStatus.CANCELLED, 5)  # owned, nothing else
    action(dana, hq, ActionStatus.IN_PROGRESS, -30, title=SCRIPT)  # overdue 30 days
    # Done long before the period: not counted at all.
    action(charlie, retail, ActionStatus.DONE, -390, completed_on=today - timedelta(days=395),
           created_at=clock.utcnow() - timedelta(days=400))

    async def age(session: Any) -> None:
        await session.execute(update(ActionUpdate).where(ActionUpdate.action_id == stale.id)
                              .values(created_at=clock.utcnow() - timedelta(days=40)))

    run(age, database_url)
    return {"retail": retail, "hq": hq, "charlie": charlie, "dana": dana, "stale": stale}


def figure(page: str, name: str) -> str:
    match = re.search(rf'<dd id="figure-{name}">([^<]*)</dd>', page)
    assert match, name
    return match.group(1)


def owner_row(page: str, user: User) -> list[str]:
    row = re.search(rf'<tr id="owner-{user.id}"[^>]*>(.*?)</tr>', page, re.S)
    assert row
    return re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row.group(1))


def test_headline_figures_match_the_hand_computed_fixture(leader: Persona, fixture: dict[str, Any]) -> None:
    page = leader.client.get("/status").text
    assert figure(page, "open") == "4"
    assert figure(page, "done") == "2"
    assert figure(page, "overdue") == "3"
    assert figure(page, "blocked") == "1"
    assert figure(page, "on-time").replace("\xa0", " ") in {"50%", "50 %"}


def test_on_time_rate_is_a_dash_when_nothing_is_done(hr: Persona, fixture: dict[str, Any]) -> None:
    page = hr.client.get(f"/status?department={fixture['hq'].id}").text
    assert figure(page, "done") == "0"
    assert figure(page, "on-time") == "—"


def test_filter_by_department_changes_the_figures(hr: Persona, fixture: dict[str, Any]) -> None:
    retail = hr.client.get(f"/status?department={fixture['retail'].id}").text
    assert [figure(retail, name) for name in ("open", "done", "overdue", "blocked")] == ["1", "2", "1", "0"]
    hq = hr.client.get(f"/status?department={fixture['hq'].id}").text
    assert [figure(hq, name) for name in ("open", "done", "overdue", "blocked")] == ["3", "0", "2", "1"]
    assert f'<option value="{fixture["hq"].id}" selected>HQ</option>' in hq


def test_per_owner_rows_sorted_by_overdue(leader: Persona, fixture: dict[str, Any]) -> None:
    page = leader.client.get("/status").text
    # owner, owned, done, done on time, overdue, days since last update
    assert owner_row(page, fixture["dana"]) == ["Dana Owner", "4", "0", "0", "2", "0"]
    assert owner_row(page, fixture["charlie"]) == ["Charlie Owner", "3", "2", "1", "1", "0"]
    assert page.index(f'id="owner-{fixture["dana"].id}"') < page.index(f'id="owner-{fixture["charlie"].id}"')


def test_overdue_and_stale_lists(leader: Persona, fixture: dict[str, Any]) -> None:
    page = leader.client.get("/status").text
    overdue = page.split('id="overdue-list"')[1].split("</table>")[0]
    titles = re.findall(r'<a href="/actions/\d+"(?: lang="[a-z]{2}")?>([^<]*)</a></td>'
                        r'<td>[^<]*</td><td>(\d+)</td>', overdue)
    assert titles == [("&lt;script&gt;alert(1)&lt;/script&gt;", "30"), ("Exit survey in Dutch", "3"),
                      ("Career paths", "1")]
    stale = page.split('id="stale-list"')[1].split("</table>")[0]
    assert re.findall(r'<a href="/actions/(\d+)"(?: lang="[a-z]{2}")?>', stale) == [str(fixture["stale"].id)]


def test_user_text_is_escaped(leader: Persona, fixture: dict[str, Any]) -> None:
    page = leader.client.get("/status").text
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def section_rows(rows: list[list[str]], header: int) -> list[list[str]]:
    """The rows of a CSV section: from after its header to the blank row that ends it."""
    end = next((index for index in range(header + 1, len(rows)) if not rows[index]), len(rows))
    return rows[header + 1:end]


def test_csv_export_of_the_current_view(hr: Persona, fixture: dict[str, Any]) -> None:
    response = hr.client.get(f"/status?department={fixture['retail'].id}&format=csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][0] == "Action owner"
    assert rows[1] == ["Charlie Owner", "3", "2", "1", "1", "0"]
    assert rows[2] == []
    assert rows[3][0] == "Overdue action"
    assert rows[4][:4] == ["Exit survey in Dutch", "Charlie Owner",
                           (clock.today() - timedelta(days=3)).isoformat(), "3"]
    assert rows[5] == []
    # Progress by theme (none of these actions has one), then by department: the filtered department only.
    assert rows[6] == ["Theme", "Planned", "In progress", "Blocked", "Done", "Cancelled", "Actions"]
    assert rows[7] == []
    assert rows[8] == ["Department", "Planned", "In progress", "Blocked", "Done", "Cancelled", "Actions"]
    assert rows[9] == ["Retail", "0", "1", "0", "2", "0", "3"]
    assert rows[10] == []
    assert rows[11][0] == "Recurring theme without an action"
    # Did it work: the done actions of the view that have a theme (none here).
    assert rows[12] == []
    assert rows[13][0] == "Done action"
    assert len(rows) == 14


def test_htmx_gets_the_figures_partial_that_refreshes_with_its_filters(hr: Persona, fixture: dict[str, Any]) -> None:
    department = fixture["retail"].id
    response = hr.client.get(f"/status?department={department}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["vary"] == "HX-Request"
    assert "<html" not in response.text
    poll = re.search(r'<div id="status-figures" data-hx-get="([^"]*)" data-hx-trigger="every 60s"', response.text)
    assert poll and f"department={department}" in poll.group(1)
    full = hr.client.get(f"/status?department={department}")
    assert full.headers["vary"] == "HX-Request"
    assert 'data-hx-push-url="true"' in full.text and "<html" in full.text


def test_bad_filter_values_show_a_message_and_the_default(hr: Persona, fixture: dict[str, Any]) -> None:
    page = hr.client.get("/status?department=abc&start=nonsense").text
    assert "Use a number." in page
    assert "year-month-day" in page
    assert figure(page, "open") == "4"


@pytest.mark.parametrize(("who", "expected"), [("hr", 200), ("leader", 200), ("owner", 403)])
def test_who_may_open_the_status_page(request: pytest.FixtureRequest, who: str, expected: int) -> None:
    persona: Persona = request.getfixturevalue(who)
    assert persona.client.get("/status").status_code == expected
    assert persona.client.get("/status?format=csv").status_code == expected


def test_anonymous_visitor_is_sent_to_sign_in(anon: TestClient) -> None:
    response = anon.get("/status?format=csv", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/status%3Fformat%3Dcsv"


def test_status_is_in_the_navigation_of_hr_and_leadership_only(hr: Persona, leader: Persona, owner: Persona) -> None:
    for persona, shown in ((hr, True), (leader, True), (owner, False)):
        nav = persona.client.get("/").text.split("<nav")[1].split("</nav>")[0]
        assert ('href="/status"' in nav) is shown


def test_rendered_figures_follow_a_change_made_by_anyone(hr: Persona, leader: Persona, owner: Persona,
                                                         make_action) -> None:
    make_action(owner=owner.user, deadline=clock.today() + timedelta(days=9))
    assert figure(leader.client.get("/status").text, "open") == "1"
    assert figure(leader.client.get("/status").text, "open") == "1"  # from the cache
    # HR adds an action through the app (another client, possibly another worker): leadership sees it.
    response = hr.post("/actions/new", {
        "title": "Exit survey in French", "scope": "company", "owner_id": str(owner.user.id),
        "deadline": (clock.today() + timedelta(days=30)).isoformat(), "description": "", "success_measure": "",
        "public_summary": ""}, follow_redirects=False)
    assert response.status_code == 303
    assert figure(leader.client.get("/status").text, "open") == "2"
    # The owner marks one done in place: the next look has it.
    action_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert owner.post(f"/actions/{action_id}/progress", {"version": "1", "status": "done", "progress": "100",
                                                         "note": ""}).status_code in (200, 303)
    assert figure(leader.client.get("/status").text, "open") == "1"


def status_queries(persona: Persona) -> Callable[[], int]:
    """A function that opens /status as `persona` and says how many SQL statements it took."""
    statements: list[str] = []
    event.listen(persona.client.app.state.engine.sync_engine, "before_cursor_execute",
                 lambda *args: statements.append(args[2]))

    def queries_for_status() -> int:
        statements.clear()
        assert persona.client.get("/status").status_code == 200
        return len(statements)

    return queries_for_status


def test_the_page_runs_a_constant_number_of_queries(
    hr: Persona, owner: Persona, make_action, make_department, make_interview, make_job_family,
) -> None:
    queries_for_status = status_queries(hr)
    retail, family = make_department("Retail"), make_job_family("Store")
    make_action(owner=owner.user, theme_codes=("pay_benefits",))
    make_interview(department=retail, job_family=family, themes=["pay_benefits"])
    queries_for_status()  # the worker's first look also checks whether a reporting period fell due
    make_action(owner=owner.user, theme_codes=("growth_career",))
    few = queries_for_status()
    # Until anything changes the figures come rendered from the worker's memo: the user and the data version.
    assert queries_for_status() == 2
    for number in range(6):
        make_action(owner=hr.user if number % 2 else owner.user, deadline=clock.today() - timedelta(days=number + 1),
                    theme_codes=("management", "pay_benefits"), scope="department", department_id=retail.id)
        make_interview(department=make_department(f"Department {number}"), job_family=family,
                       themes=["management"], exit_date=clock.today() - timedelta(days=40 * number + 20))
    queries_for_status()  # a newly released period is read once per worker, then kept
    make_action(owner=owner.user, theme_codes=("recognition",))
    assert queries_for_status() == few
    # the user, the data version, two leaver counts, the first actions, the action figures, choices
    assert 15 <= few <= 23


def test_print_stylesheet_hides_the_filters_and_navigation() -> None:
    from actiontrack.settings import PROJECT_ROOT

    css = (PROJECT_ROOT / "static" / "app.css").read_text()
    print_block = css.split("@media print", 1)[1]
    assert ".site-header nav, form.filters { display: none; }" in print_block


# --- recurring themes: a hand-computed fixture ------------------------------------------------
#
# M0 is the last complete month. Retail's only leavers (3, month A = M0-3) all raise pay, management
# and training, so the three become recurring in Retail on the last day of A. Logistics' 5 leavers of
# month B = M0-1 all raise workload and growth (recurring from the end of B); 3 earlier leavers
# (M0-8) raised recognition, recurring from the end of M0-8 to M0-3 and not any more.
#
#   theme / department        became recurring   first covering action             days
#   pay / Retail              end of A           Retail action created 10 days on    10 (done 20 days on)
#   management / Retail       end of A           company-wide action, 40 days on     40
#   training / Retail         end of A           only a cancelled one                 -  (no action)
#   workload / Logistics      end of B           Logistics action 100 days before     0
#   growth / Logistics        end of B           none                                 -  (no action)
#   recognition / Logistics   end of M0-8        (before the default period: not counted)
#
# In the default period: median of 10, 40, 0 = 10 days; within 28 days: pay and workload, 2 of 5 = 40 %.
# Recurring now: the first five; with an action: 3 of 5 = 60 %; without: training/Retail, growth/Logistics.


def months_back(count: int) -> date:
    """The last day of the month `count` months before the last complete one."""
    return month_end(month_of(clock.today()) - 1 - count)


def noon(day: date) -> datetime:
    return datetime.combine(day, dt_time(12), tzinfo=UTC)


@pytest.fixture
def recurring_fixture(hr: Persona, make_department, make_job_family, make_interview, make_action,
                      theme_ids: dict[str, int]) -> dict[str, Any]:
    retail, logistics, family = make_department("Retail"), make_department("Logistics"), make_job_family("Store")
    onset_a, onset_b = months_back(3), months_back(1)
    for _ in range(3):
        make_interview(department=retail, job_family=family, exit_date=onset_a.replace(day=10),
                       themes=["pay_benefits", "management", "training_onboarding"])
    for _ in range(5):
        make_interview(department=logistics, job_family=family, exit_date=onset_b.replace(day=10),
                       themes=["workload_autonomy", "growth_career"])
    for _ in range(3):
        make_interview(department=logistics, job_family=family, exit_date=months_back(8).replace(day=3),
                       themes=["recognition"])
    who = hr.user
    pay = make_action(owner=who, title="Pay review", scope="department", department_id=retail.id,
                      theme_codes=("pay_benefits",), created_at=noon(onset_a + timedelta(days=10)),
                      status=ActionStatus.DONE.value, completed_on=onset_a + timedelta(days=20))
    make_action(owner=who, title="Manager training", scope="company", theme_codes=("management",),
                created_at=noon(onset_a + timedelta(days=40)))
    make_action(owner=who, title="Onboarding buddy", scope="department", department_id=retail.id,
                theme_codes=("training_onboarding",), created_at=noon(onset_a + timedelta(days=5)),
                status=ActionStatus.CANCELLED.value)
    make_action(owner=who, title="Staffing plan", scope="department", department_id=logistics.id,
                theme_codes=("workload_autonomy",), created_at=noon(onset_b - timedelta(days=100)))
    return {"retail": retail, "logistics": logistics, "onset_a": onset_a, "onset_b": onset_b, "themes": theme_ids,
            "pay": pay}


def without_action_rows(page: str) -> list[tuple[str, str, str]]:
    """(theme, department, link or "") per row of the themes-without-an-action list."""
    table = page.split('id="without-action-list"')[1].split("</table>")[0] if 'id="without-action-list"' in page else ""
    rows = re.findall(r'<tr id="without-[^>]*>(.*?)</tr>', table, re.S)
    found = []
    for row in rows:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        link = re.search(r'href="([^"]*)"', row)
        found.append((cells[0].strip(), cells[1].strip(), unescape(link.group(1)) if link else ""))
    return found


def test_a_long_list_of_themes_without_an_action_is_cut_short_on_screen(
    hr: Persona, make_department, make_job_family, make_interview, theme_ids: dict[str, int],
) -> None:
    family = make_job_family("Store")
    for name in ("North", "South", "East"):
        department = make_department(name)
        for _ in range(3):
            make_interview(department=department, job_family=family, exit_date=months_back(2).replace(day=10),
                           themes=list(theme_ids))
    total = 3 * len(theme_ids)
    assert total > LIST_LIMIT
    page = hr.client.get("/status?lang=en").text
    assert len(without_action_rows(page)) == LIST_LIMIT
    assert f"The first {LIST_LIMIT} of {total}; the CSV has them all." in page
    csv = hr.client.get("/status?format=csv&lang=en").text
    assert all(csv.count(name) >= len(theme_ids) for name in ("North", "South", "East"))


def test_recurring_figures_match_the_hand_computed_fixture(hr: Persona, recurring_fixture: dict[str, Any]) -> None:
    page = hr.client.get("/status").text
    assert figure(page, "median-days") == "10"
    assert figure(page, "within").replace("\xa0", " ") == "40 %"
    assert figure(page, "with-action").replace("\xa0", " ") == "60 %"
    rows = without_action_rows(page)
    assert [(theme, department) for theme, department, _ in rows] == [
        ("Training and onboarding", "Retail"), ("Growth and career", "Logistics")]


def test_hr_creates_an_action_from_a_theme_without_one(hr: Persona, recurring_fixture: dict[str, Any]) -> None:
    page = hr.client.get("/status").text
    _theme, _department, link = without_action_rows(page)[0]
    window_start = month_start(month_of(clock.today()) - 6)
    assert link == action_link(paths=hr.client.app.route_reverse, by="department",
                               theme_id=recurring_fixture["themes"]["training_onboarding"],
                               group_id=recurring_fixture["retail"].id,
                               period=Period(window_start, months_back(0)))
    form = hr.client.get(link)
    assert form.status_code == 200
    assert "The link to the evidence was incomplete" not in form.text


def latest_released_quarter() -> Any:
    """The newest quarter released by today (30 days' grace), and the one before."""
    latest = due_periods(first_exit=clock.today() - timedelta(days=400), today=clock.today(), length="quarter",
                         delay_days=30)[-1]
    return latest, latest.previous()


@pytest.fixture
def released_fixture(hr: Persona, make_department, make_job_family, make_interview, make_action,
                     theme_ids: dict[str, int]) -> dict[str, Any]:
    """Released quarters as leadership sees them.

    Latest quarter: Logistics 10 leavers (workload 6, growth 5), Retail 3 (all raise training: a small
    group), Finance 6 (hidden to protect Retail). The quarter before: Logistics 10, workload 1.
    A Logistics action on workload follows 10 days after the quarter ended; growth has none.
    """
    latest, before = latest_released_quarter()
    logistics, retail, finance = make_department("Logistics"), make_department("Retail"), make_department("Finance")
    family = make_job_family("Store")
    day = latest.start + timedelta(days=10)
    for index in range(10):
        themes = [code for code, raised in (("workload_autonomy", index < 6), ("growth_career", index >= 5)) if raised]
        make_interview(department=logistics, job_family=family, exit_date=day, themes=themes)
        make_interview(department=logistics, job_family=family, exit_date=before.start + timedelta(days=5),
                       themes=["workload_autonomy"] if index == 0 else [])
    for _ in range(3):
        make_interview(department=retail, job_family=family, exit_date=day, themes=["training_onboarding"])
    for _ in range(6):
        make_interview(department=finance, job_family=family, exit_date=day)
    make_action(owner=hr.user, title="Staffing plan", scope="department", department_id=logistics.id,
                theme_codes=("workload_autonomy",), created_at=noon(latest.end + timedelta(days=10)))
    return {"logistics": logistics, "retail": retail, "latest": latest, "themes": theme_ids}


def test_leadership_counts_and_names_only_what_the_released_radar_shows(
    settings: Settings, leader: Persona, released_fixture: dict[str, Any],
) -> None:
    release_now(settings)
    page = leader.client.get(f"/status?start={(clock.today() - timedelta(days=400)).isoformat()}&lang=en").text
    themes = released_fixture["themes"]
    # Workload and growth recur in Logistics; Retail's training rests on 3 leavers: not counted, not named.
    assert figure(page, "with-action").replace("\xa0", " ") == "50 %"
    assert figure(page, "median-days") == "10"
    assert [(theme, department) for theme, department, _ in without_action_rows(page)] == [
        ("Growth and career", "Logistics")]
    assert all(link == "" for *_, link in without_action_rows(page))
    assert 'id="without-action-unnamed"' not in page and "not named" not in page
    assert "/actions/new" not in page
    assert released_fixture["latest"].label in page
    # Charts: only themes that recur in a shown figure; nothing about training, not even "also recurring".
    drawn = [int(theme) for theme in re.findall(r'<figure class="chart trend" id="trend-(\d+)">', page)]
    assert drawn == [themes["growth_career"], themes["workload_autonomy"]]
    assert 'id="trends-blank"' not in page
    retail = leader.client.get(f"/status?department={released_fixture['retail'].id}&lang=en").text
    assert 'id="without-action-list"' not in retail and "trend-" not in retail.split('id="theme-trends"')[1]
    rows = list(csv.reader(io.StringIO(leader.client.get("/status?format=csv&lang=en").text)))
    start = rows.index(["Recurring theme without an action", "Department", "Recurring since",
                        "Leavers raising it", "Leavers"])
    assert section_rows(rows, start) == [
        ["Growth and career", "Logistics", released_fixture["latest"].end.isoformat(), "5", "10"]]


def test_leadership_figures_ignore_interviews_recorded_after_release(
    leader: Persona, hr: Persona, released_fixture: dict[str, Any], make_interview, make_job_family,
) -> None:
    first = leader.client.get("/status?lang=en").text
    # Two late Retail records of training would make it visible for HR; leadership's figures stay frozen.
    for _ in range(2):
        make_interview(department=released_fixture["retail"], job_family=make_job_family(f"Late {_}"),
                       exit_date=released_fixture["latest"].start + timedelta(days=20),
                       themes=["training_onboarding"])
    second = leader.client.get("/status?lang=en").text
    for key in ("with-action", "median-days", "within"):
        assert figure(second, key) == figure(first, key)
    assert without_action_rows(second) == without_action_rows(first)


def test_recurring_figures_follow_the_department_and_theme_filters(
    hr: Persona, recurring_fixture: dict[str, Any],
) -> None:
    logistics = hr.client.get(f"/status?department={recurring_fixture['logistics'].id}").text
    assert figure(logistics, "median-days") == "0"
    assert figure(logistics, "within").replace("\xa0", " ") == "50 %"
    assert figure(logistics, "with-action").replace("\xa0", " ") == "50 %"
    assert [row[:2] for row in without_action_rows(logistics)] == [("Growth and career", "Logistics")]
    pay = hr.client.get(f"/status?theme={recurring_fixture['themes']['pay_benefits']}").text
    assert figure(pay, "median-days") == "10"
    assert figure(pay, "within").replace("\xa0", " ") == "100 %"
    assert figure(pay, "with-action").replace("\xa0", " ") == "100 %"
    assert without_action_rows(pay) == []
    assert 'id="without-action-none"' in pay


def test_a_longer_period_counts_the_theme_that_became_recurring_earlier(
    hr: Persona, recurring_fixture: dict[str, Any],
) -> None:
    start = months_back(8).isoformat()
    page = hr.client.get(f"/status?start={start}").text
    # recognition/Logistics joins the episodes without an action: within 28 days 2 of 6.
    assert figure(page, "median-days") == "10"
    assert figure(page, "within").replace("\xa0", " ") == "33 %"
    # It does not recur now, so the list stays the same.
    assert len(without_action_rows(page)) == 2


# --- the rules, fed by hand -------------------------------------------------------------------


def test_a_theme_becomes_recurring_at_the_end_of_the_first_month_meeting_the_rule() -> None:
    # One department: 4 leavers a month from month 100; the theme raised by 1, then 2 a month from 104.
    leavers = {month: 4 for month in range(100, 112)}
    raised = {**{month: 1 for month in range(100, 104)}, **{month: 2 for month in range(104, 112)}}
    judged = recurring_by_month(raised=raised, leavers=leavers, months=range(105, 112), window=6,
                                min_leavers=3, min_share=0.4)
    # Window shares: 105: 8/24, 106: 9/24, 107: 10/24 (>= 40 %) ...
    assert [judged[month] for month in range(105, 112)] == [False, False, True, True, True, True, True]
    assert onset_months(recurring=judged) == [107]
    assert current_onset(recurring=judged, latest=111) == month_end(107)
    assert current_onset(recurring={110: True, 111: True}, latest=111) is None  # began before the months judged


def test_days_to_a_first_action_count_an_existing_action_as_zero() -> None:
    onset = date(2026, 3, 31)
    assert days_to_first_action(became_recurring=onset, first_action=date(2026, 4, 14)) == 14
    assert days_to_first_action(became_recurring=onset, first_action=date(2025, 12, 1)) == 0
    assert days_to_first_action(became_recurring=onset, first_action=None) is None
    first = {(1, 7): date(2026, 5, 1), (1, None): date(2026, 4, 2), (2, 8): date(2026, 1, 1)}
    assert first_covering_action(theme_id=1, department_id=7, first_created=first) == date(2026, 4, 2)
    assert first_covering_action(theme_id=1, department_id=9, first_created=first) == date(2026, 4, 2)
    assert first_covering_action(theme_id=2, department_id=7, first_created=first) is None


def test_response_times_leave_out_themes_that_still_have_time() -> None:
    today = date(2026, 6, 15)
    episodes = [
        Episode(1, 1, date(2026, 1, 31), 5), Episode(2, 1, date(2026, 1, 31), 30),
        Episode(3, 1, date(2026, 2, 28), None),  # no action after 107 days: counts against
        Episode(4, 1, date(2026, 5, 31), None),  # 15 days ago, no action yet: still has time
        Episode(5, 1, date(2026, 5, 31), 2),
    ]
    result = response_times(episodes=episodes, today=today)
    assert result.median_days == 5
    assert (result.within, result.decided) == (2, 4)
    assert result.within_share == 0.5
    assert response_times(episodes=[], today=today).within_share is None


def counts(*, leavers: dict[tuple[int, int], int], raised: dict[tuple[int, int, int], int], last: int) -> LeaverCounts:
    return LeaverCounts(first_month=last - 40, last_month=last, leavers=leavers, raised=raised)


def test_trend_chart_leaves_hidden_periods_out_and_marks_completions() -> None:
    last = 2026 * 12 + 9  # October 2026: the last quarter holds one complete month
    quarters = chart_quarters(last_month=last)
    assert len(quarters) == 8 and quarters[-1] == 2026 * 12 + 9
    # Quarter 0: 10 leavers, 4 raise theme 1; quarter 1: 3 leavers; quarter 2: 20, 6 raise it.
    leavers = {(1, quarters[0]): 10, (1, quarters[1]): 3, (1, quarters[2] + 1): 20}
    raised = {(1, 1, quarters[0]): 4, (1, 1, quarters[1]): 3, (1, 1, quarters[2] + 1): 6}
    completions = {(1, quarters[2] + 2): 2, (1, quarters[5]): 1}
    data = counts(leavers=leavers, raised=raised, last=last)
    for_hr = trend_charts(counts=data, theme_ids=[1], completions=completions).trends[0]
    assert [point.share for point in for_hr.points[:3]] == [pytest.approx(0.4), 1.0, pytest.approx(0.3)]
    assert for_hr.hidden_labels == []
    assert [(mark.month, mark.count) for mark in for_hr.completions] == [(quarters[2] + 2, 2), (quarters[5], 1)]
    # Released periods outside HR: a hidden point is a gap, and its numbers never reach the chart.
    columns = quarter_columns(last_month=last)
    rows = [(1, [(0, 0, True), (0, 0, True), (6, 20, False)] + [(0, 0, False)] * 5)]
    trend = draw_trends(columns=columns, rows=rows, completions=completions, last_month=last).trends[0]
    assert [point.y is None for point in trend.points] == [True, True, False, True, True, True, True, True]
    assert trend.points[2].share == pytest.approx(0.3)
    assert trend.hidden_labels == ["Q1 2025", "Q2 2025"]


def test_monthly_chart_has_a_point_per_month_and_series() -> None:
    months = chart_months(period_start=date(2026, 5, 26), period_end=date(2026, 11, 25))
    assert len(months) == 12 and months[-1] == 2026 * 12 + 10
    chart = monthly_chart(months=months, completed={months[-1]: 3}, due={months[-1]: 5, months[0]: 1})
    assert [len(line.points) for line in chart.lines] == [12, 12]
    assert chart.completed.values[-1] == 3 and chart.due.values[0] == 1
    assert chart.completed.dash is None and chart.due.dash  # told apart without colour
    assert chart.rows()[-1][1:] == (3, 5)
    # Labels every other month, the last month always labelled, so that they never overlap.
    assert len(chart.frame.x_ticks) == 6 and chart.frame.x_ticks[-1].position == chart.completed.points[-1][0]
    gaps = [b.position - a.position for a, b in itertools.pairwise(chart.frame.x_ticks)]
    assert min(gaps) >= 70


def test_charts_on_the_page(hr: Persona, leader: Persona, recurring_fixture: dict[str, Any]) -> None:
    page = hr.client.get("/status").text
    monthly = page.split('id="chart-monthly"')[1].split("</figure>")[0]
    assert '<title id="chart-monthly-title">' in monthly and '<desc id="chart-monthly-desc">' in monthly
    assert monthly.count('class="point"') == 24  # 12 months x (completed, due)
    assert len(re.findall('<tr><th scope="row">', monthly)) == 12
    trends = re.findall(r'<figure class="chart trend" id="trend-(\d+)">', page)
    themes = recurring_fixture["themes"]
    # Every theme that recurred in the quarters shown, in taxonomy order.
    assert [int(theme) for theme in trends] == [themes[code] for code in (
        "pay_benefits", "management", "growth_career", "recognition", "training_onboarding", "workload_autonomy")]
    pay = page.split(f'id="trend-{themes["pay_benefits"]}"')[1].split("</figure>")[0]
    assert pay.count('class="completion"') == 1  # the pay review, done 20 days after pay recurred
    assert 'class="hidden-point"' not in page  # HR sees every quarter
    # Leadership sees released quarters only: the 3 leavers of M0-8 never make a chart there.
    assert f'id="trend-{themes["recognition"]}"' not in leader.client.get("/status").text


def test_progress_rows_drill_down_to_the_actions(leader: Persona, recurring_fixture: dict[str, Any]) -> None:
    page = leader.client.get("/status?lang=en").text
    themes = recurring_fixture["themes"]
    row = re.search(rf'<tr id="progress-theme-{themes["pay_benefits"]}">(.*?)</tr>', page, re.S)
    assert row
    link = unescape(re.search(r'href="([^"]*)"', row.group(1)).group(1))
    assert link == f"/actions?theme={themes['pay_benefits']}"
    assert "<progress" in row.group(1) and "1 of 1" in row.group(1)
    listed = leader.client.get(link)
    assert listed.status_code == 200
    assert "Pay review" in listed.text and "Staffing plan" not in listed.text
    retail = re.search(rf'<tr id="progress-department-{recurring_fixture["retail"].id}">(.*?)</tr>', page, re.S)
    assert retail
    cells = re.findall(r"<td>([^<]*)</td>", retail.group(1))
    # planned, in progress, blocked, done, cancelled, actions
    assert cells[:6] == ["0", "0", "0", "1", "1", "2"]
    company = re.search(r'<tr id="progress-company">.*?href="([^"]*)"', page, re.S)
    assert company and unescape(company.group(1)) == "/actions?scope=company"
    assert "Manager training" in leader.client.get("/actions?scope=company").text


def test_drill_down_links_keep_the_other_filters(hr: Persona, recurring_fixture: dict[str, Any]) -> None:
    page = hr.client.get(f"/status?status=done&department={recurring_fixture['retail'].id}").text
    row = re.search(rf'<tr id="progress-theme-{recurring_fixture["themes"]["pay_benefits"]}">.*?href="([^"]*)"',
                    page, re.S)
    assert row
    assert unescape(row.group(1)) == (f"/actions?status=done&theme={recurring_fixture['themes']['pay_benefits']}"
                                      f"&department={recurring_fixture['retail'].id}")


def test_csv_lists_the_themes_without_an_action(hr: Persona, leader: Persona,
                                                 recurring_fixture: dict[str, Any]) -> None:
    rows = list(csv.reader(io.StringIO(hr.client.get("/status?format=csv").text)))
    start = rows.index(["Recurring theme without an action", "Department", "Recurring since",
                        "Leavers raising it", "Leavers"])
    assert section_rows(rows, start) == [
        ["Training and onboarding", "Retail", recurring_fixture["onset_a"].isoformat(), "3", "3"],
        ["Growth and career", "Logistics", recurring_fixture["onset_b"].isoformat(), "5", "5"],
    ]
    theirs = list(csv.reader(io.StringIO(leader.client.get("/status?format=csv&lang=en").text)))
    start = theirs.index(rows[start])
    assert section_rows(theirs, start) == []  # those months are not in a released quarter yet


def test_htmx_partial_is_for_hr_and_leadership_only(owner: Persona, anon: TestClient) -> None:
    assert owner.client.get("/status", headers={"HX-Request": "true"}).status_code == 403
    response = anon.get("/status?theme=1", headers={"HX-Request": "true"}, follow_redirects=False)
    assert response.status_code == 401
    assert response.headers["hx-redirect"] == "/login?next=/status%3Ftheme%3D1"


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_leadership_filters_by_department_in_place(
    page: Page, live_server: LiveServer, make_user: Callable[..., User], make_action, make_department,
) -> None:
    leila = make_user(Role.LEADERSHIP, "leila@example.com", name="Leila Lead")
    retail, hq = make_department("Retail"), make_department("HQ")
    for department in (retail, hq, hq):
        make_action(owner=leila, department_id=department.id, scope="department")
    sign_in_page(page, live_server, "leila@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Status").click()
    expect(page.locator("#figure-open")).to_have_text("3")
    page.evaluate("window.stillHere = 'yes'")
    expect(page.locator("#progress-by-department tbody tr")).to_have_count(2)
    page.get_by_label("Department", exact=True).select_option(str(hq.id))
    expect(page.locator("#figure-open")).to_have_text("2")
    expect(page).to_have_url(re.compile(rf"department={hq.id}"))
    # The new tables follow the filter too, and each row still leads to its actions.
    expect(page.locator("#progress-by-department tbody tr")).to_have_count(1)
    assert page.evaluate("window.stillHere") == "yes"
    page.locator(f"#progress-department-{hq.id} a").click()
    expect(page).to_have_url(re.compile(rf"/actions\?department={hq.id}$"))
    expect(page.locator("#actions-results tbody tr")).to_have_count(2)


def test_hr_recording_an_interview_does_not_make_leaderships_next_status_slower(
    hr: Persona, leader: Persona, owner: Persona, make_action, make_department, make_interview, make_job_family,
) -> None:
    # A page re-rendered after HR records an interview takes several times longer than a cached one:
    # leadership, whose figures come from released periods only, would see when HR is at work.
    queries_for_status = status_queries(leader)
    retail, family = make_department("Retail"), make_job_family("Store")
    make_action(owner=owner.user, theme_codes=("pay_benefits",))
    queries_for_status()
    cached = queries_for_status()
    # HR records an interview through the app, and imports nothing else: leadership's page stays cached.
    recorded = hr.post("/interviews/new", valid_form(retail, family), follow_redirects=False)
    assert recorded.status_code == 303
    make_interview(department=retail, job_family=family, themes=["pay_benefits"])
    assert queries_for_status() == cached
    # A change leadership sees (an action) renders the page anew.
    make_action(owner=owner.user, theme_codes=("growth_career",))
    assert queries_for_status() > cached
    # The audit trail's names for interviews, stay interviews and survey invitations are the ones left out.
    assert {retention.ENTITY, retention.STAY_ENTITY, survey_rules.ENTITY} <= set(caching.INTERVIEW_ENTITIES)
