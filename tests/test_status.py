"""The leadership status page: figures against a hand-computed fixture, filters, CSV, access."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import event, update

from actiontrack import clock
from actiontrack.models import ActionStatus, ActionUpdate, Role, User
from conftest import PERSONA_PASSWORD, LiveServer, Persona, run

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
    titles = re.findall(r'<a href="/actions/\d+">([^<]*)</a></td><td>[^<]*</td><td>(\d+)</td>', overdue)
    assert titles == [("&lt;script&gt;alert(1)&lt;/script&gt;", "30"), ("Exit survey in Dutch", "3"),
                      ("Career paths", "1")]
    stale = page.split('id="stale-list"')[1].split("</table>")[0]
    assert re.findall(r'<a href="/actions/(\d+)">', stale) == [str(fixture["stale"].id)]


def test_user_text_is_escaped(leader: Persona, fixture: dict[str, Any]) -> None:
    page = leader.client.get("/status").text
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


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
    assert len(rows) == 5


def test_htmx_gets_the_figures_partial_that_refreshes_with_its_filters(hr: Persona, fixture: dict[str, Any]) -> None:
    department = fixture["retail"].id
    response = hr.client.get(f"/status?department={department}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["vary"] == "HX-Request"
    assert "<html" not in response.text
    poll = re.search(r'<div id="status-figures" hx-get="([^"]*)" hx-trigger="every 60s"', response.text)
    assert poll and f"department={department}" in poll.group(1)
    full = hr.client.get(f"/status?department={department}")
    assert full.headers["vary"] == "HX-Request"
    assert 'hx-push-url="true"' in full.text and "<html" in full.text


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


def test_the_page_runs_a_constant_number_of_queries(hr: Persona, owner: Persona, make_action) -> None:
    statements: list[str] = []
    event.listen(hr.client.app.state.engine.sync_engine, "before_cursor_execute",
                 lambda *args: statements.append(args[2]))

    def queries_for_status() -> int:
        statements.clear()
        assert hr.client.get("/status").status_code == 200
        return len(statements)

    make_action(owner=owner.user)
    few = queries_for_status()
    for number in range(6):
        make_action(owner=hr.user if number % 2 else owner.user, deadline=clock.today() - timedelta(days=number + 1))
    assert queries_for_status() == few
    assert 5 <= few <= 12  # the user, four figures, four lists of choices


def test_print_stylesheet_hides_the_filters_and_navigation() -> None:
    from actiontrack.settings import PROJECT_ROOT

    css = (PROJECT_ROOT / "static" / "app.css").read_text()
    print_block = css.split("@media print", 1)[1]
    assert ".site-header nav, form.filters { display: none; }" in print_block


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_leadership_filters_by_department_in_place(
    page: Page, live_server: LiveServer, make_user: Callable[..., User], make_action, make_department,
) -> None:
    leila = make_user(Role.LEADERSHIP, "leila@example.com", name="Leila Lead")
    retail, hq = make_department("Retail"), make_department("HQ")
    for department in (retail, hq, hq):
        make_action(owner=leila, department_id=department.id, scope="department")
    page.set_extra_http_headers({"accept-language": "en"})
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill("leila@example.com")
    page.get_by_label("Password").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Status").click()
    expect(page.locator("#figure-open")).to_have_text("3")
    page.evaluate("window.stillHere = 'yes'")
    page.get_by_label("Department").select_option(str(hq.id))
    expect(page.locator("#figure-open")).to_have_text("2")
    expect(page).to_have_url(re.compile(rf"department={hq.id}"))
    assert page.evaluate("window.stillHere") == "yes"
