"""The public "What we changed" page and its Atom feed: content rules, anonymity, filters, caching."""

from __future__ import annotations

import asyncio
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, timedelta
from html import unescape
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import event, select, update

from actiontrack import clock
from actiontrack.app import create_app
from actiontrack.changes.cache import SharedValidatorQuery
from actiontrack.changes.queries import FEED_ENTRIES, PAGE_SIZE, PER_THEME
from actiontrack.clock import utcnow
from actiontrack.db import make_engine
from actiontrack.disclosure import release_due
from actiontrack.disclosure.periods import due_periods
from actiontrack.models import ActionEvidence, ActionItem, ActionUpdate, Role, Theme, User

from browser_checks import axe_violations
from conftest import LiveServer, Persona, make_client, off_loop, release_now, run, sign_in

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def author(make_user: Callable[..., User]) -> User:
    return make_user(Role.HR, "hera.hr@example.com", name="Hera Author")


@pytest.fixture
def publish(make_action: Callable[..., ActionItem], author: User) -> Callable[..., ActionItem]:
    """A published action with a public summary; any ActionItem field can be given."""

    def factory(title: str, **values: Any) -> ActionItem:
        values.setdefault("public_summary", f"Summary of {title}")
        values.setdefault("published", True)
        values.setdefault("published_at", utcnow())
        return make_action(owner=values.pop("owner", author), title=title, **values)

    return factory


def add_evidence(url: str, action: ActionItem, *, theme_id: int, raised: int, leavers: int,
                 period_end: date = date(2026, 2, 28)) -> None:
    async def create(session):
        session.add(ActionEvidence(action_id=action.id, theme_id=theme_id, period_start=date(2025, 9, 1),
                                   period_end=period_end, raised_count=raised, leavers_count=leavers))

    run(create, url)


def change_action(url: str, action_id: int, **values: Any) -> None:
    # `title` and `public_summary` are the English texts (the actions of these tests are in English).
    values = {f"{name}_en" if name in {"title", "public_summary"} else name: value for name, value in values.items()}

    async def change(session):
        await session.execute(update(ActionItem).where(ActionItem.id == action_id)
                              .values(**values, updated_at=utcnow()))

    run(change, url)


def feed_titles(response: Any) -> list[str]:
    root = ET.fromstring(response.content)
    return [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]


# --- who may read it --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anon", "hr", "leader", "owner", "other_owner"])
@pytest.mark.parametrize("path", ["/changes", "/changes.atom"])
def test_everyone_reads_the_changes_without_signing_in(request: pytest.FixtureRequest, who: str, path: str) -> None:
    person = request.getfixturevalue(who)
    client = person if who == "anon" else person.client
    assert client.get(path, follow_redirects=False).status_code == 200


@pytest.mark.parametrize("path", ["/changes", "/changes.atom"])
def test_signed_in_setting_sends_anonymous_visitors_to_login(settings: Any, path: str,
                                                              make_user: Callable[..., User]) -> None:
    intranet = settings.model_copy(update={"changes_access": "signed_in"})
    with make_client(create_app(intranet)) as client:
        response = client.get(f"{path}?lang=fr", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
    make_user(Role.OWNER, "olga.owner@example.com")
    with make_client(create_app(intranet)) as client:
        assert sign_in(client, "olga.owner@example.com").status_code == 303
        assert client.get(path, follow_redirects=False).status_code == 200


def test_every_role_sees_the_nav_item_and_the_login_page_links_to_changes(
    anon: TestClient, owner: Persona, leader: Persona,
) -> None:
    assert 'href="/changes"' in anon.get("/login?lang=en").text
    for person in (owner, leader):
        home = person.client.get("/?lang=en")
        assert 'href="/changes"' in home.text


# --- content rules ----------------------------------------------------------------------------


def test_anonymous_visitor_sees_published_actions_only(anon: TestClient, publish: Callable[..., ActionItem]) -> None:
    publish("Published planned", status="planned", theme_codes=("management",))
    publish("Published under way", status="in_progress", theme_codes=("management",))
    publish("Published blocked", status="blocked")
    publish("Published done", status="done", completed_on=date(2026, 3, 12), theme_codes=("pay_benefits",))
    publish("Cancelled one", status="cancelled")
    publish("Draft one", published=False, published_at=None)
    page = anon.get("/changes?lang=en")
    assert page.status_code == 200
    for title in ("Published planned", "Published under way", "Published blocked", "Published done"):
        assert title in page.text
    assert "Cancelled one" not in page.text and "Draft one" not in page.text
    assert "Done in March 2026" in page.text
    assert page.text.count("Under way") == 1
    assert "Delayed. The work is held up for now." in page.text  # blocked, as staff read it
    assert "Planned" in page.text and "Company-wide" in page.text
    assert "Other changes" in page.text  # the action without a theme
    titles = feed_titles(anon.get("/changes.atom?lang=en"))
    assert sorted(titles) == sorted(["Published planned", "Published under way", "Published blocked", "Published done"])


def test_an_action_with_two_themes_is_listed_under_each(anon: TestClient, publish: Callable[..., ActionItem]) -> None:
    publish("Two themed", theme_codes=("management", "pay_benefits"))
    page = anon.get("/changes?lang=en").text
    assert page.count("<h3>Two themed</h3>") == 2
    assert len(feed_titles(anon.get("/changes.atom"))) == 1


def test_no_secret_field_reaches_the_page_or_the_feed(
    anon: TestClient, publish: Callable[..., ActionItem], make_user: Callable[..., User],
    make_department: Callable[..., Any], make_job_family: Callable[..., Any], make_interview: Callable[..., Any],
    theme_ids: dict[str, int], database_url: str,
) -> None:
    owner = make_user(Role.OWNER, "secret.owner@example.com", name="SECRET-OWNER-NAME")
    department, family = make_department("Retail stores"), make_job_family("Sales")
    action = publish("Public title", owner=owner, description="SECRET-DESCRIPTION", success_measure="SECRET-MEASURE",
                     scope="department", department_id=department.id, target_share=0.1234,
                     theme_codes=("management",))
    publish("SECRET-UNPUBLISHED-TITLE", published=False, published_at=None, public_summary="SECRET-UNPUBLISHED-SUMMARY",
            theme_codes=("management",))
    publish("SECRET-CANCELLED-TITLE", status="cancelled")
    make_interview(department=department, job_family=family, themes=["management"], notes="SECRET-INTERVIEW-NOTES",
                   reason_for_leaving="SECRET-REASON", improvement_suggestion="SECRET-SUGGESTION")
    add_evidence(database_url, action, theme_id=theme_ids["management"], raised=2, leavers=3)

    async def note(session):
        session.add(ActionUpdate(action_id=action.id, author_id=owner.id, status_after="in_progress",
                                 progress_after=40, note="SECRET-UPDATE-NOTE"))

    run(note, database_url)
    for lang in ("en", "fr", "nl"):
        page = anon.get(f"/changes?lang={lang}").text
        feed = anon.get(f"/changes.atom?lang={lang}").text
        for body in (page, feed):
            assert "Public title" in body and "Summary of Public title" in body
            assert "SECRET" not in body
            assert "secret.owner" not in body and "12.34" not in body and "0.1234" not in body


def test_evidence_is_counted_only_at_or_above_the_threshold(
    anon: TestClient, publish: Callable[..., ActionItem], make_department: Callable[..., Any],
    make_job_family: Callable[..., Any], make_interview: Callable[..., Any], theme_ids: dict[str, int],
    database_url: str,
) -> None:
    today = clock.today()
    quarter = due_periods(first_exit=today - timedelta(days=400), today=today, length="quarter", delay_days=30)[-1]
    retail, tiny, office = make_department("Retail stores"), make_department("Tiny shop"), make_department("Office")
    family = make_job_family("Sales")
    for index in range(20):
        make_interview(department=retail, job_family=family, exit_date=quarter.start,
                       themes=["management"] if index < 12 else ["recognition"] if index < 14 else [])
    for index in range(4):
        make_interview(department=tiny, job_family=family, exit_date=quarter.start,
                       themes=["management"] if index < 3 else ["recognition"])
    for _ in range(8):
        make_interview(department=office, job_family=family, exit_date=quarter.start)
    # Depot's 5 of 10 is the second figure hidden so that Tiny's 3 cannot be read off the total.
    depot = make_department("Depot")
    for index in range(10):
        make_interview(department=depot, job_family=family,
                       exit_date=quarter.start, themes=["management"] if index < 5 else [])
    run(lambda session: release_due(session, length="quarter", delay_days=30, today=today), database_url)
    big = publish("Big group", scope="department", department_id=retail.id)
    small_group = publish("Small group", scope="department", department_id=tiny.id)
    few_raised = publish("Few raised")
    # HR's stored counts are not what the public page reads: the released quarter is.
    add_evidence(database_url, big, theme_id=theme_ids["management"], raised=99, leavers=99, period_end=today)
    add_evidence(database_url, small_group, theme_id=theme_ids["management"], raised=3, leavers=4, period_end=today)
    add_evidence(database_url, few_raised, theme_id=theme_ids["recognition"], raised=3, leavers=32, period_end=today)
    page = anon.get("/changes?lang=en").text
    assert f"Raised by 12 leavers from the Retail stores department in {quarter.label}" in page
    # Tiny shop's 4 leavers are named one level up: the company, whose 20 mentions are shown to leadership.
    assert f"Raised by 20 leavers across the company in {quarter.label}" in page
    assert "Tiny shop" not in page.split("</form>")[-1]  # only in the filter's list of departments
    assert page.count("Raised by several colleagues") == 1  # recognition: 3 in all
    assert "Raised by 3 " not in page and "Raised by 99" not in page
    feed = anon.get("/changes.atom?lang=en").text
    assert "Raised by 12 leavers" in feed and feed.count("Raised by several colleagues") == 1


def test_a_group_is_named_exactly_where_leaderships_released_figures_show_its_leavers(
    anon: TestClient, hr: Persona, publish: Callable[..., ActionItem], make_department: Callable[..., Any],
    make_job_family: Callable[..., Any], make_interview: Callable[..., Any], theme_ids: dict[str, int],
    database_url: str, settings: Any,
) -> None:
    """/changes names an action's group, and HR's page warns that it will not, by one rule: the released
    period of the evidence shows the group's leavers. HR's live count stored with the evidence plays no
    part: a group hidden in the released figures is never named, and a group they show is named."""
    today = clock.today()
    quarter = due_periods(first_exit=today - timedelta(days=400), today=today, length="quarter", delay_days=30)[-1]
    family = make_job_family("Sales")
    sizes = {"Retail stores": 20, "Tiny shop": 4, "Office": 8, "Depot": 10}
    departments = {name: make_department(name) for name in sizes}
    for name, size in sizes.items():
        for index in range(size):
            make_interview(department=departments[name], job_family=family, exit_date=quarter.start,
                           themes=["management"] if index % 2 else [])
    release_now(settings)
    shown = publish("Shown action", scope="department", department_id=departments["Retail stores"].id)
    hidden = publish("Hidden action", scope="department", department_id=departments["Tiny shop"].id)
    pending = publish("Pending action", scope="department", department_id=departments["Depot"].id)
    # HR's stored counts say the opposite of the released quarter each time.
    add_evidence(database_url, shown, theme_id=theme_ids["management"], raised=1, leavers=2, period_end=today)
    add_evidence(database_url, hidden, theme_id=theme_ids["management"], raised=9, leavers=9, period_end=today)
    # No released period ends by the evidence's end yet: nothing tells what leadership will see.
    add_evidence(database_url, pending, theme_id=theme_ids["management"], raised=30, leavers=30,
                 period_end=quarter.start)
    listing = anon.get("/changes?lang=en").text.split("</form>")[-1]
    assert "Retail stores" in listing
    assert "Tiny shop" not in listing and "Depot" not in listing
    office = anon.get(f"/changes?lang=en&department={departments['Office'].id}").text
    # An unnamed group's action is company-wide, so it is listed under every department.
    assert "Hidden action" in office and "Pending action" in office and "Shown action" not in office
    warnings = {action.title_en: hr.client.get(f"/actions/{action.id}?lang=en").text
                for action in (shown, hidden, pending)}
    assert 'id="small-group-' not in warnings["Shown action"]
    assert f"hide how many leavers Tiny shop had in {quarter.label}" in warnings["Hidden action"]
    assert "has not been released to leadership yet" in warnings["Pending action"]


def test_a_release_names_the_group_at_the_next_request(
    anon: TestClient, publish: Callable[..., ActionItem], make_department: Callable[..., Any],
    make_job_family: Callable[..., Any], make_interview: Callable[..., Any], theme_ids: dict[str, int],
    database_url: str, settings: Any,
) -> None:
    """The page's validators move when a period is released: a page cached while the evidence's period
    was pending is not served once it is released."""
    today = clock.today()
    quarter = due_periods(first_exit=today - timedelta(days=400), today=today, length="quarter", delay_days=30)[-1]
    family = make_job_family("Sales")
    departments = [make_department(name) for name in ("Retail stores", "Office")]
    for department in departments:
        for index in range(12):
            make_interview(department=department, job_family=family, exit_date=quarter.start,
                           themes=["management"] if index % 2 else [])
    action = publish("Shown action", scope="department", department_id=departments[0].id)
    add_evidence(database_url, action, theme_id=theme_ids["management"], raised=6, leavers=12, period_end=today)
    before = anon.get("/changes?lang=en")
    assert "Retail stores" not in before.text.split("</form>")[-1]
    release_now(settings)
    after = anon.get("/changes?lang=en", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert "Retail stores" in after.text.split("</form>")[-1]


def test_a_script_in_a_public_summary_is_escaped(anon: TestClient, publish: Callable[..., ActionItem]) -> None:
    publish("<script>alert('t')</script>", public_summary="<script>alert('x')</script>")
    page = anon.get("/changes").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(" in page
    feed = anon.get("/changes.atom")
    assert "<script>" not in feed.text
    root = ET.fromstring(feed.content)
    assert "<script>alert('x')</script>" in root.find(f"{ATOM}entry/{ATOM}content").text


# --- filters and language ---------------------------------------------------------------------


def test_filter_by_theme_by_id_or_code(anon: TestClient, publish: Callable[..., ActionItem],
                                       theme_ids: dict[str, int]) -> None:
    publish("About managers", theme_codes=("management",))
    publish("About pay", theme_codes=("pay_benefits",))
    for value in (theme_ids["management"], "management"):
        page = anon.get(f"/changes?theme={value}").text
        assert "About managers" in page and "About pay" not in page
        assert feed_titles(anon.get(f"/changes.atom?theme={value}")) == ["About managers"]
    both = anon.get("/changes?theme=no-such-theme").text
    assert "About managers" in both and "About pay" in both


def test_filter_by_department_keeps_company_wide_changes(
    anon: TestClient, publish: Callable[..., ActionItem], make_department: Callable[..., Any],
) -> None:
    retail, finance = make_department("Retail stores"), make_department("Finance")
    publish("For retail", scope="department", department_id=retail.id)
    publish("For finance", scope="department", department_id=finance.id)
    publish("For everyone")
    page = anon.get(f"/changes?department={retail.id}").text
    assert "For retail" in page and "For everyone" in page and "For finance" not in page
    assert f'<option value="{retail.id}" selected>' in page
    assert sorted(feed_titles(anon.get(f"/changes.atom?department={retail.id}"))) == ["For everyone", "For retail"]


def test_htmx_gets_the_list_alone(anon: TestClient, publish: Callable[..., ActionItem]) -> None:
    publish("Listed")
    response = anon.get("/changes", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response.headers["vary"]
    assert response.text.lstrip().startswith('<div id="changes-list"')
    assert "<html" not in response.text and "Listed" in response.text


def test_french_page_and_feed(anon: TestClient, publish: Callable[..., ActionItem], database_url: str) -> None:
    publish("Fait", status="done", completed_on=date(2026, 3, 2), theme_codes=("management",))

    async def french_name(session):
        return (await session.execute(select(Theme.name_fr).where(Theme.code == "management"))).scalar_one()

    theme_fr = run(french_name, database_url)
    page = anon.get("/changes?lang=fr")
    assert '<html lang="fr">' in page.text
    assert theme_fr in page.text
    assert "Réalisée en mars 2026" in page.text and "Ce que nous avons changé" in page.text
    feed = anon.get("/changes.atom?lang=fr")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert "Réalisée en mars 2026" in root.find(f"{ATOM}entry/{ATOM}content").text


def test_pages_stay_small_however_much_has_changed(
    anon: TestClient, publish: Callable[..., ActionItem], theme_ids: dict[str, int],
) -> None:
    many = FEED_ENTRIES + 2
    started = utcnow() - timedelta(days=many)
    for number in range(many):
        publish(f"Change {number:02d}", theme_codes=("management",), published_at=started + timedelta(days=number))
    publish("Pay change", theme_codes=("pay_benefits",))

    overview = anon.get("/changes?lang=en").text
    assert overview.count('class="card change"') == PER_THEME + 1
    assert f"Change {many - 1:02d}" in overview and f"Change {many - 1 - PER_THEME:02d}" not in overview  # newest first
    link = unescape(re.search(r'<a href="(/changes\?[^"]*)">All (\d+) changes about ', overview).group(1))
    assert f"All {many} changes about " in overview and f"theme={theme_ids['management']}" in link

    first_page = anon.get(link).text
    assert first_page.count('class="card change"') == PAGE_SIZE and "Pay change" not in first_page
    assert "Page 1 of 2" in first_page and 'rel="next"' in first_page
    second_page = anon.get(f"{link}&page=2").text
    assert second_page.count('class="card change"') == many - PAGE_SIZE and "Change 00" in second_page
    assert anon.get(f"{link}&page=99").text.count('class="card change"') == many - PAGE_SIZE  # the last page
    assert anon.get(f"{link}&page=2147483647").text.count('class="card change"') == many - PAGE_SIZE
    assert anon.get(f"{link}&page=nonsense").text.count('class="card change"') == PAGE_SIZE

    assert len(feed_titles(anon.get("/changes.atom?lang=en"))) == FEED_ENTRIES


def test_feed_is_newest_first_by_publication_or_completion(
    anon: TestClient, publish: Callable[..., ActionItem],
) -> None:
    now = utcnow()
    publish("Old, done today", status="done", published_at=now - timedelta(days=300),
            completed_on=(now + timedelta(days=1)).date())
    publish("Published last week", published_at=now - timedelta(days=7))
    publish("Published last month", published_at=now - timedelta(days=30))
    assert feed_titles(anon.get("/changes.atom")) == ["Old, done today", "Published last week", "Published last month"]


def test_the_page_runs_a_constant_number_of_queries(
    app: Litestar, anon: TestClient, publish: Callable[..., ActionItem], make_department: Callable[..., Any],
    theme_ids: dict[str, int], database_url: str,
) -> None:
    statements: list[str] = []
    event.listen(app.state.engine.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    def queries(path: str) -> int:
        statements.clear()
        assert anon.get(path).status_code == 200
        return len(statements)

    publish("First", theme_codes=("management",))
    small = (queries("/changes"), queries("/changes.atom"))
    for number in range(6):
        department = make_department(f"Dept {number}")
        action = publish(f"Action {number}", scope="department", department_id=department.id,
                         theme_codes=("management", "pay_benefits"))
        add_evidence(database_url, action, theme_id=theme_ids["management"], raised=9, leavers=20)
    assert (queries("/changes"), queries("/changes.atom")) == small
    # version, choices (2), the period length HR chose, released periods (1), the ordered list, the shown
    # changes read whole
    assert small[0] <= 7


# --- HTTP caching -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/changes?lang=en", "/changes.atom?lang=en"])
def test_etag_gives_304_until_an_action_changes(anon: TestClient, publish: Callable[..., ActionItem],
                                                database_url: str, path: str) -> None:
    action = publish("Cached")
    first = anon.get(path)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    again = anon.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert anon.get(path, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert anon.get(path.replace("lang=en", "lang=nl"), headers={"If-None-Match": etag}).status_code == 200

    change_action(database_url, action.id, public_summary="A new summary")
    changed = anon.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert "A new summary" in changed.text

    etag = changed.headers["etag"]
    change_action(database_url, action.id, published=False, published_at=None)
    unpublished = anon.get(path, headers={"If-None-Match": etag})
    assert unpublished.status_code == 200 and "Cached" not in unpublished.text


def test_publishing_a_new_action_changes_the_etag(anon: TestClient, publish: Callable[..., ActionItem]) -> None:
    publish("First")
    etag = anon.get("/changes").headers["etag"]
    publish("Second")
    response = anon.get("/changes", headers={"If-None-Match": etag})
    assert response.status_code == 200 and "Second" in response.text


def test_hr_choosing_another_period_length_changes_the_etag(
    anon: TestClient, hr: Persona, publish: Callable[..., ActionItem],
) -> None:
    """The evidence /changes shows comes from the periods of the chosen length: a recorded page must not outlive it."""
    publish("Shown")
    etag = anon.get("/changes").headers["etag"]
    assert anon.get("/changes", headers={"If-None-Match": etag}).status_code == 304
    assert hr.post("/settings/reporting", {"length": "year"}, follow_redirects=False).status_code == 303
    assert anon.get("/changes", headers={"If-None-Match": etag}).status_code == 200


# --- in the browser ---------------------------------------------------------------------------


def test_anonymous_visitor_reads_the_changes_in_french(
    page: Page, live_server: LiveServer, make_action: Callable[..., ActionItem], make_user: Callable[..., User],
    make_department: Callable[..., Any],
) -> None:
    author = make_user(Role.HR, "hera.hr@example.com")
    retail, finance = make_department("Magasins"), make_department("Finances")
    make_action(owner=author, title="Accueil des nouveaux", public_summary="Un parrain pour chaque nouveau.",
                status="done", completed_on=date(2026, 3, 2), published=True, published_at=utcnow(),
                scope="department", department_id=retail.id, theme_codes=("management",))
    make_action(owner=author, title="Budget formation", public_summary="Plus de formations.", published=True,
                published_at=utcnow(), scope="department", department_id=finance.id, theme_codes=("growth_career",))
    page.goto(f"{live_server.url}/login")
    page.get_by_role("link", name="See what we changed after listening to leavers").click()
    page.goto(f"{live_server.url}/changes?lang=fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_text("Accueil des nouveaux")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce que nous avons changé")
    expect(page.get_by_text("Réalisée en mars 2026")).to_be_visible()
    page.locator("#changes-department").select_option(label="Finances")
    expect(page.get_by_text("Accueil des nouveaux")).to_have_count(0)
    expect(page.get_by_text("Budget formation")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/changes?lang=fr&theme=&department={finance.id}")
    expect(page.get_by_role("main")).to_be_visible()


# --- the server-side cache --------------------------------------------------------------------


def count_queries(app: Litestar) -> list[str]:
    """The SQL statements the app runs from now on (the list fills as requests are served)."""
    statements: list[str] = []
    event.listen(app.state.engine.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    return statements


def body_token(html: str) -> str:
    return re.search(r'data-hx-headers=\'\{"x-csrftoken": "([^"]+)"\}\'', html).group(1)


def test_repeat_requests_are_served_from_the_cache(app: Litestar, anon: TestClient,
                                                    publish: Callable[..., ActionItem]) -> None:
    publish("Cached change", theme_codes=("management",))
    statements = count_queries(app)
    for path, headers in (("/changes?lang=en", {}), ("/changes?lang=en", {"HX-Request": "true"}),
                          ("/changes.atom?lang=en", {}), ("/changes?lang=fr&theme=management", {})):
        statements.clear()
        first = anon.get(path, headers=headers)
        rendering = len(statements)
        statements.clear()
        again = anon.get(path, headers=headers)
        assert first.status_code == again.status_code == 200
        assert again.content == first.content and "Cached change" in again.text
        assert rendering >= 4, path
        assert len(statements) == 1, (path, statements)  # only the validator


def test_cached_page_keeps_each_persons_token_and_navigation(
    app: Litestar, anon: TestClient, make_user: Callable[..., User], publish: Callable[..., ActionItem],
) -> None:
    publish("Shared change")
    make_user(Role.OWNER, "olga.owner@example.com", name="Olga Owner")
    make_user(Role.LEADERSHIP, "leo.lead@example.com", name="Leo Leader")
    statements = count_queries(app)
    # One client (one event loop per app, as in a worker) whose cookie jar is swapped per person.
    jars = {"anon": httpx.Cookies()}
    for name, email in (("olga", "olga.owner@example.com"), ("leo", "leo.lead@example.com")):
        anon.cookies = httpx.Cookies()
        assert sign_in(anon, email).status_code == 303
        jars[name] = httpx.Cookies(anon.cookies)
    pages = {}
    for name, jar in (("olga", "olga"), ("leo", "leo"), ("anon", "anon"), ("olga again", "olga")):
        anon.cookies = jars[jar]
        statements.clear()
        response = anon.get("/changes?lang=en")
        pages[name] = (response.text, anon.cookies["csrftoken"], len(statements))
    olga_page, olga_token, olga_queries = pages["olga"]
    leo_page, leo_token, leo_queries = pages["leo"]
    anon_page, anon_token, anon_queries = pages["anon"]
    assert olga_queries > leo_queries  # Olga filled the cache; Leo and the visitor were served from it
    assert leo_queries == 2 and anon_queries == 1  # Leo's user, then the validator
    assert len({olga_token, leo_token, anon_token}) == 3
    for page, token in ((olga_page, olga_token), (leo_page, leo_token), (anon_page, anon_token),
                        (pages["olga again"][0], olga_token)):
        assert "Shared change" in page
        assert body_token(page) == token
        assert ({olga_token, leo_token, anon_token} - {token}).isdisjoint(re.findall(r"[0-9a-f]{64,}", page))
    assert "Olga Owner" in olga_page and "Leo Leader" not in olga_page and "Olga Owner" in pages["olga again"][0]
    assert "Leo Leader" in leo_page and "Olga Owner" not in leo_page
    assert 'href="/status"' in leo_page and 'href="/status"' not in olga_page
    assert "Olga Owner" not in anon_page and "Leo Leader" not in anon_page
    assert 'action="/logout"' not in anon_page and 'aria-label="Main"' not in anon_page


def test_new_visitors_share_one_recorded_page_each_with_a_token_of_their_own(
    app: Litestar, publish: Callable[..., ActionItem], database_url: str,
) -> None:
    action = publish("Burst change")
    statements = count_queries(app)

    def new_visitor() -> tuple[httpx.Response, str, int]:
        with make_client(app) as visitor:  # no cookie yet
            statements.clear()
            response = visitor.get("/changes?lang=en")
            queries = len(statements)
            token = visitor.cookies["csrftoken"]
            assert response.status_code == 200
            assert body_token(response.text) == token and response.text.count(token) == 2  # header, language form
            # The language switcher works with the visitor's own token, put into the recorded page.
            switched = visitor.post("/language", data={"_csrf_token": token, "lang": "fr", "next": "/changes"},
                                    follow_redirects=False)
            assert switched.status_code == 303
            return response, token, queries

    (first, first_token, recording), (second, second_token, replayed), (_, third_token, _) = (
        new_visitor(), new_visitor(), new_visitor())
    assert recording == 7 and replayed == 1  # a replayed page costs the validator query alone
    assert len({first_token, second_token, third_token}) == 3
    assert second.text.replace(second_token, first_token) == first.text
    same = {"content-type", "content-length", "etag", "last-modified", "cache-control", "vary",
            "content-security-policy", "x-frame-options", "referrer-policy", "x-content-type-options"}
    assert {name: first.headers.get(name) for name in same} == {name: second.headers.get(name) for name in same}
    assert first.headers["content-security-policy"]

    change_action(database_url, action.id, title="Changed for the next visitor")
    changed, _, _ = new_visitor()
    assert "Changed for the next visitor" in changed.text and changed.headers["etag"] != first.headers["etag"]

    # Filters, languages and browsers get recordings of their own.
    with make_client(app) as visitor:
        assert "Wat we veranderd hebben" in visitor.get("/changes", headers={"accept-language": "nl"}).text
    with make_client(app) as visitor:
        assert "Changed for the next visitor" not in visitor.get("/changes?theme=management&lang=en").text


@pytest.mark.parametrize("query", ["page=%C2%B2", "department=%C2%B2", "page=" + "9" * 5000,
                                   "department=99999999999999999999", "theme=%00"])
@pytest.mark.parametrize("path", ["/changes", "/changes.atom"])
def test_odd_query_values_mean_all_or_the_first_page(anon: TestClient, publish: Callable[..., ActionItem],
                                                     path: str, query: str) -> None:
    publish("Still listed")
    response = anon.get(f"{path}?{query}&lang=en")
    assert response.status_code == 200 and "Still listed" in response.text


def test_a_repeated_accept_language_cannot_file_a_page_under_another_language(
    app: Litestar, publish: Callable[..., ActionItem],
) -> None:
    publish("Multilingual change")

    async def visit(headers: Any) -> str:  # a new visitor each time: no cookie
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="https://testserver.local") as client:
            return (await client.get("/changes", headers=headers)).text

    async def visits() -> tuple[str, str]:
        tricky = await visit([("accept-language", "fr"), ("accept-language", "en")])
        return tricky, await visit({"accept-language": "en"})

    tricky, english = off_loop(lambda: asyncio.run(visits()))
    assert '<html lang="fr">' in tricky and '<html lang="en">' in english


def test_a_worker_reuses_its_look_at_the_data_for_max_stale_seconds(
    settings: Any, publish: Callable[..., ActionItem], database_url: str,
) -> None:
    """With the production setting, a burst costs no query at all; a change shows once the window ends."""
    action = publish("Before")
    app = create_app(settings.model_copy(update={"changes_max_stale_seconds": 60}))
    statements = count_queries(app)
    with make_client(app) as visitor:
        assert "Before" in visitor.get("/changes?lang=en").text
        change_action(database_url, action.id, title="After")
        statements.clear()
        assert "Before" in visitor.get("/changes?lang=en").text  # within the window: the page as it was
        assert statements == []
        app.state.changes_validator.max_age = 0  # the window is over
        assert "After" in visitor.get("/changes?lang=en").text


def test_the_shared_validator_query_asks_again_once_its_answer_is_too_old(
    publish: Callable[..., ActionItem], database_url: str,
) -> None:
    action = publish("Watched")
    now = [100.0]

    async def look() -> list[Any]:
        engine = make_engine(database_url)
        query = SharedValidatorQuery(engine, max_age=1.0, clock=lambda: now[0])
        try:
            rows = [await query.row()]
            change_action(database_url, action.id, title="Changed")
            now[0] += 0.5
            rows.append(await query.row())
            now[0] += 0.6
            rows.append(await query.row())
            return rows
        finally:
            await engine.dispose()

    first, reused, fresh = off_loop(lambda: asyncio.run(look()))
    assert reused == first and fresh != first


def current_version(url: str, action_id: int) -> int:
    async def version(session):
        return (await session.execute(select(ActionItem.version).where(ActionItem.id == action_id))).scalar_one()

    return run(version, url)


def test_next_request_shows_what_another_worker_published_edited_or_unpublished(
    app: Litestar, anon: TestClient, hr: Persona, make_action: Callable[..., ActionItem],
    make_department: Callable[..., Any], theme_ids: dict[str, int], database_url: str,
) -> None:
    """`hr` has an app of its own: a second worker, whose changes this app learns only from the database."""
    retail = make_department("Retail stores")
    action = make_action(owner=hr.user, title="Buddy programme", public_summary="First summary", published=False,
                         scope="department", department_id=retail.id, theme_codes=("management",))
    statements = count_queries(app)

    def pages() -> tuple[str, str, str]:
        """The page, the HTMX list and the feed, each asked twice: the second answer comes from the cache."""
        answers = []
        for path, headers in (("/changes", {}), ("/changes", {"HX-Request": "true"}), ("/changes.atom", {})):
            anon.get(path, headers=headers)
            statements.clear()
            answers.append(anon.get(path, headers=headers).text)
            assert len(statements) == 1
        return answers[0], answers[1], answers[2]

    assert all("Buddy programme" not in text for text in pages())
    published = hr.post(f"/actions/{action.id}/publish", {"published": "yes",
                                                          "version": current_version(database_url, action.id)},
                        follow_redirects=False)
    assert published.status_code == 303
    assert all("Buddy programme" in text and "First summary" in text for text in pages())

    edited = hr.post(f"/actions/{action.id}/edit", {
        "title": "Buddy programme", "description": "", "public_summary": "Second summary", "scope": "department",
        "department_id": retail.id, "job_family_id": "", "success_measure": "", "target_percent": "",
        "themes": theme_ids["management"], "version": current_version(database_url, action.id),
    }, follow_redirects=False)
    assert edited.status_code == 303
    assert all("Second summary" in text and "First summary" not in text for text in pages())

    renamed = hr.post(f"/organisation/department/{retail.id}", {"name": "Shops", "headcount": "300", "active": "on"},
                      follow_redirects=False)
    assert renamed.status_code == 303
    page, fragment, feed = pages()
    assert "Shops" in page and "Shops" in fragment and "Shops" in feed and "Retail stores" not in page

    unpublished = hr.post(f"/actions/{action.id}/publish", {"published": "no",
                                                            "version": current_version(database_url, action.id)},
                          follow_redirects=False)
    assert unpublished.status_code == 303
    assert all("Buddy programme" not in text for text in pages())


def test_a_renamed_theme_shows_at_the_next_request(app: Litestar, anon: TestClient,
                                                    publish: Callable[..., ActionItem], database_url: str) -> None:
    publish("Themed", theme_codes=("management",))
    assert "Management and communication" in anon.get("/changes?lang=en").text

    async def rename(session):
        await session.execute(update(Theme).where(Theme.code == "management").values(name_en="Leading people"))

    run(rename, database_url)
    page = anon.get("/changes?lang=en").text
    assert "Leading people" in page and "Management and communication" not in page


# --- accessibility (axe-core, installed by `npm ci`) ------------------------------------------

def test_changes_and_login_pages_pass_the_accessibility_check(
    browser: Browser, live_server: LiveServer, publish: Callable[..., ActionItem],
    make_department: Callable[..., Any], theme_ids: dict[str, int],
) -> None:
    retail = make_department("Retail stores")
    done = publish("Buddy programme", status="done", completed_on=date(2026, 3, 2), scope="department",
                   department_id=retail.id, theme_codes=("training_onboarding",))
    add_evidence(live_server.database_url, done, theme_id=theme_ids["training_onboarding"], raised=12, leavers=40)
    finance = make_department("Finance")
    publish("Salary bands", status="in_progress", scope="department", department_id=finance.id,
            theme_codes=("pay_benefits", "management"))
    publish("Exit survey", status="planned")
    violations: list[str] = []
    # The CSP forbids inline scripts, which is how Playwright injects axe: bypass it for the check.
    for viewport in ({"width": 1280, "height": 900}, {"width": 375, "height": 740}):
        context = browser.new_context(bypass_csp=True, viewport=viewport)
        page = context.new_page()
        for lang in ("en", "fr", "nl"):
            page.goto(f"{live_server.url}/changes?lang={lang}")
            expect(page.get_by_role("heading", name="Buddy programme")).to_have_count(1)
            violations += axe_violations(page)
        page.locator("#changes-department").select_option(label="Retail stores")  # HTMX swaps the list
        expect(page.get_by_role("heading", name="Salary bands")).to_have_count(0)
        violations += axe_violations(page)
        page.goto(f"{live_server.url}/login?lang=fr")
        violations += axe_violations(page)
        context.close()
    assert not violations, "\n".join(violations)


def test_a_burst_of_visitors_shares_the_validator_queries(app: Litestar, publish: Callable[..., ActionItem]) -> None:
    publish("Popular change")
    statements = count_queries(app)

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver.local") as client:
            await client.get("/changes")  # fills the cache
            statements.clear()
            return await asyncio.gather(*(client.get("/changes") for _ in range(30)))

    responses = off_loop(lambda: asyncio.run(burst()))
    assert all(response.status_code == 200 and "Popular change" in response.text for response in responses)
    assert 1 <= len(statements) <= 5, len(statements)  # not one per visitor
