"""Every page, for every role, on the demo organisation: valid HTML and no accessibility violations.

The pages come from the app's route table, so a new page is checked without anyone adding it here;
path parameters are filled from the demo data. Each role (anonymous, HR, leadership, owner) fetches
every GET route; the HTML answers (pages, and the error pages of routes the role may not open) go
once through the W3C Nu HTML checker (`vnu-jar`, one JVM for all of them) and, in Chromium, through
axe-core, one browser session per role, in the role's own language and in a second one.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from playwright.sync_api import Browser, expect
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit, clock
from actiontrack.accounts.invitations import SET_PASSWORD
from actiontrack.app import create_app
from actiontrack.auth.passwords import hash_password
from actiontrack.auth.tokens import new_secret
from actiontrack.demo.load import load_demo
from actiontrack.imports import queries as import_queries
from actiontrack.imports.tabular import read_table, table_json
from actiontrack.models import (
    ActionItem,
    Department,
    ExitInterview,
    ExtraQuestion,
    JobFamily,
    QuestionAnswer,
    Role,
    StayInterview,
    SurveyInvitation,
    Theme,
    ThemeSuggestion,
    User,
    UserToken,
    Webhook,
)
from actiontrack.org_import import store as org_store
from actiontrack.password_reset import RESET_PASSWORD
from actiontrack.settings import PROJECT_ROOT, Settings

from browser_checks import (
    AXE,
    axe_violations,
    overflowing,
    overlapping,
    wider_than_window,
)
from conftest import (
    PERSONA_PASSWORD,
    SECRET,
    DatabaseFactory,
    LiveServer,
    make_client,
    run,
    sign_in,
)

VNU = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The demo's sign-ins, one per role, each in its own profile language (nl, fr, en).
ROLES: dict[str, str | None] = {
    "anonymous": None, "hr": "hr@example.com", "leadership": "leadership@example.com", "owner": "owner@example.com",
}
SECOND_LANGUAGE = {"anonymous": "fr", "hr": "fr", "leadership": "nl", "owner": "nl"}
# Routes that serve no page, by path prefix; anything else under GET must be an HTML page for some role.
NOT_PAGES = ("/api/", "/static/", "/vendor/", "/schema")
# GET routes that answer no role with a page here, and why.
NO_PAGE_HERE = {
    "/login/sso": "single sign-on is off in this configuration",
    "/login/sso/callback": "single sign-on is off in this configuration",
    "/calendar/{filename:str}": "an iCalendar feed, not a page",
}
# HTMX attributes in their valid HTML form (data-hx-*); a bare hx-* attribute is refused by the checker.
BARE_HTMX = re.compile(r"(?<![\w-])hx-[a-z]+(?:-[a-z]+)*\s*=")


@dataclass
class Answer:
    role: str
    url: str
    status: int
    html: str


@dataclass
class Site:
    database_url: str
    answers: list[Answer] = field(default_factory=list)
    served: dict[str, list[str]] = field(default_factory=dict)  # route template: roles answered 200

    def pages(self, role: str) -> list[str]:
        """The URLs the role may open (200, HTML)."""
        return [answer.url for answer in self.answers if answer.role == role and answer.status == 200]


@pytest.fixture(scope="module")
def database_url(databases: DatabaseFactory) -> Iterator[str]:
    """One demo organisation for the whole module: every test here only reads."""
    url = databases.migrated()
    run(lambda session: seed(session), url)
    yield url
    databases.drop(url)


async def seed(session: AsyncSession) -> None:
    await load_demo(session, today=clock.today())
    # The personas' password rather than the demo's: same argon2 cost, known to conftest's sign_in.
    emails = [email for email in ROLES.values() if email]
    await session.execute(update(User).where(User.email.in_(emails))
                          .values(password_hash=hash_password(PERSONA_PASSWORD)))


def path_values(session_values: dict[str, Any], path: str) -> dict[str, Any]:
    """Real values for the path parameters of a route template, from the demo data."""
    values = dict(session_values)
    if path.startswith("/stay-interviews/"):
        values["interview_id"] = session_values["stay_interview_id"]
    values["token"] = session_values["tokens"].get(path.split("/")[1], "unknown-token")
    return values


async def demo_ids(session: AsyncSession) -> dict[str, Any]:
    """Ids of rows every role's pages can be opened with, and one-time links that work."""
    owner = (await session.execute(select(User).where(User.email == ROLES["owner"]))).scalar_one()
    hr = (await session.execute(select(User).where(User.email == ROLES["hr"]))).scalar_one()
    def first(statement: Any) -> Any:
        return session.scalar(statement.limit(1))

    theme_id = await first(select(Theme.id).order_by(Theme.id))
    hook = Webhook(name="Team chat", url="https://chat.example/hook", style="generic", secret="s" * 32,
                   created_by_id=hr.id)
    invited = User(email="invited.owner@example.com", display_name="Invited Owner", role=Role.OWNER, language="en")
    session.add_all([hook, invited])
    await session.flush()
    invitation, invitation_hash = new_secret()
    reset, reset_hash = new_secret()
    survey, survey_hash = new_secret()
    expires = clock.utcnow() + timedelta(days=2)
    department_id = await first(select(Department.id).order_by(Department.id))
    sample = PROJECT_ROOT / "tests" / "samples" / "spreadsheet-en.csv"
    upload = await import_queries.stage_upload(
        session, user=hr, filename=sample.name, kind=import_queries.EXIT_INTERVIEWS,
        content=table_json(read_table(sample.read_bytes(), filename=sample.name)))
    organisation_import = audit.record(session, actor=hr, verb=org_store.IMPORT_VERB, entity="department",
                                       entity_id=None, changes={"file": "departments.csv", "rows": 2,
                                                                "created": ["Webshop"],
                                                                "updated": {"Retail": [60, 64]}})
    await session.flush()
    session.add_all([
        UserToken(user_id=invited.id, purpose=SET_PASSWORD, token_hash=invitation_hash, expires_at=expires),
        UserToken(user_id=owner.id, purpose=RESET_PASSWORD, token_hash=reset_hash, expires_at=expires),
        SurveyInvitation(token_hash=survey_hash, department_id=department_id,
                         job_family_id=await first(select(JobFamily.id).order_by(JobFamily.id)), language="en",
                         created_by_id=hr.id, expires_at=expires),
    ])
    interview_id = await first(select(ExitInterview.id).order_by(ExitInterview.id))
    question = ExtraQuestion(kind="choice", text_nl="Wat remde je werk?",
                             text_fr="Qu’est-ce qui freinait votre travail\u00a0?",
                             text_en="What slowed your work down?", options_nl="Tools\nVergaderingen",
                             options_fr="Outils\nRéunions", options_en="Tools\nMeetings",
                             department_ids=[department_id])
    session.add(question)
    await session.flush()
    question.series_id = question.id
    session.add(QuestionAnswer(interview_id=interview_id, question_id=question.id, value=1))
    return {
        "action_id": await first(select(ActionItem.id).where(ActionItem.owner_id == owner.id).order_by(ActionItem.id)),
        "interview_id": interview_id, "question_id": question.id,
        "stay_interview_id": await first(select(StayInterview.id).order_by(StayInterview.id)),
        "theme_id": theme_id,
        "suggestion_id": await first(select(ThemeSuggestion.id).where(ThemeSuggestion.theme_id == theme_id)),
        "user_id": owner.id, "webhook_id": hook.id, "kind": "department", "group_id": department_id,
        "upload_id": upload.id, "event_id": organisation_import.id,
        "filename": "none.ics", "tokens": {"welcome": invitation, "password": reset, "survey": survey},
    }


def page_routes(app: Litestar) -> list[str]:
    """Every GET route that may serve a page, from the app's route table."""
    return sorted(route.path for route in app.routes
                  if "GET" in getattr(route, "route_handler_map", {}) and not route.path.startswith(NOT_PAGES))


def concrete(template: str, values: dict[str, Any]) -> str:
    """The route's path with its parameters filled; one demo_ids does not know gets 1 (the route then
    likely answers 404 to everyone, and test_every_route_answers_some_role names it)."""
    return re.sub(r"\{(\w+):\w+\}", lambda match: str(values.get(match.group(1), 1)), template)


@pytest.fixture(scope="module")
def site(database_url: str) -> Site:
    """Every role's answer to every GET route (signed in as the demo's users), and to an unknown URL."""
    values = run(demo_ids, database_url)
    settings = Settings(database_url=database_url, secret_key=SECRET, env="production", cookie_secure=True,
                        changes_max_stale_seconds=0, webhook_allow_private=True)
    found = Site(database_url=database_url)
    for role, email in ROLES.items():
        with make_client(create_app(settings)) as client:
            if email:
                assert sign_in(client, email).status_code == 303
            for template in page_routes(client.app):
                url = concrete(template, path_values(values, template))
                response = client.get(url, follow_redirects=False)
                assert response.status_code < 500, f"{role} {url}: {response.status_code}"
                found.served.setdefault(template, [])
                if response.status_code == 200:
                    found.served[template].append(role)
                if response.headers.get("content-type", "").startswith("text/html"):
                    found.answers.append(Answer(role, url, response.status_code, response.text))
            response = client.get("/no-such-page")
            assert response.status_code == 404
            found.answers.append(Answer(role, "/no-such-page", response.status_code, response.text))
    return found


def test_every_route_answers_some_role(site: Site) -> None:
    silent = [template for template, roles in site.served.items() if not roles and template not in NO_PAGE_HERE]
    assert not silent, f"no role can open these routes (fill their path parameters in demo_ids): {silent}"
    assert set(site.served) > set(NO_PAGE_HERE)


def test_each_role_opens_its_own_pages(site: Site) -> None:
    assert {"/login", "/changes", "/password/forgot"} <= set(site.pages("anonymous"))
    assert "/interviews" not in site.pages("anonymous") and "/interviews" in site.pages("hr")
    assert "/status" in site.pages("leadership") and "/interviews" not in site.pages("leadership")
    assert "/my/actions" in site.pages("owner") and "/radar" not in site.pages("owner")
    assert len(site.pages("hr")) >= 35


def test_no_template_uses_a_bare_htmx_attribute() -> None:
    """hx-* is not valid HTML; HTMX reads the same attributes with the data- prefix."""
    bare = [f"{path.relative_to(PROJECT_ROOT)}:{number}: {line.strip()}"
            for path in sorted((PROJECT_ROOT / "templates").rglob("*.html"))
            for number, line in enumerate(path.read_text().splitlines(), start=1) if BARE_HTMX.search(line)]
    assert not bare, "write data-hx-* instead of hx-*:\n" + "\n".join(bare)
    assert BARE_HTMX.search('<form hx-get="/a">') and not BARE_HTMX.search('<form data-hx-get="/a">')


def test_every_page_is_valid_html(site: Site, tmp_path: Path) -> None:
    java = shutil.which("java")
    assert java, "the HTML checker needs Java: run scripts/setup --test"
    assert VNU.exists(), "the HTML checker is missing: run npm ci"
    names: dict[str, str] = {}
    for number, answer in enumerate(site.answers):
        name = f"page{number:03d}.html"
        (tmp_path / name).write_text(answer.html)
        names[name] = f"{answer.role} {answer.url} ({answer.status})"
    checked = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--errors-only", "--exit-zero-always",
                              str(tmp_path)], check=False, capture_output=True, text=True, timeout=300)
    messages = json.loads(checked.stderr)["messages"]
    errors = [f"{names[Path(message['url']).name]} line {message.get('lastLine')}: {message['message']}"
              for message in messages]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
    assert len(names) > 100


def test_the_first_history_entry_names_owner_and_deadline(site: Site) -> None:
    detail = next(answer.html for answer in site.answers
                  if answer.role == "hr" and re.fullmatch(r"/actions/\d+", answer.url))
    # Newest first: the creation is the last entry.
    first = re.findall(r"<li>\s*<p class=\"when\">.*?</p>\s*<p>(.*?)</p>", detail, re.DOTALL)[-1]
    # hr@example.com reads Dutch; the demo owner of the action is Sarah Maes.
    assert re.fullmatch(r"Aangemaakt met status \w+ voor Sarah Maes, deadline \d+ \w+\.? \d{4}\.", first), first


# --- in Chromium -----------------------------------------------------------------------------------

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}
LANGUAGES = ("nl", "fr", "en")
# How far down a 390 x 844 screen the page's content may start: the header's rows, the links folded.
MOST_HEADER_ON_A_PHONE = 200


def signed_in_context(browser: Browser, server: LiveServer, role: str, **options: Any) -> Any:
    """A browser session of the role's demo user (a fresh one for the anonymous visitor)."""
    # The CSP forbids inline scripts, which is how Playwright injects axe: bypass it for the checks.
    context = browser.new_context(bypass_csp=True, viewport=WIDE, **options)
    email = ROLES[role]
    if email:
        page = context.new_page()
        page.goto(f"{server.url}/login?lang=en")
        page.locator("#email").fill(email)
        page.locator("#password").fill(PERSONA_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).not_to_have_url(re.compile(r"/login"))
        page.close()
    return context


def with_language(url: str, language: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={language}"


@pytest.mark.browser
def test_every_page_passes_the_accessibility_check_for_every_role(
    site: Site, browser: Browser, live_server: LiveServer,
) -> None:
    """axe-core finds nothing, in the role's own language in a wide window, then in a second one in a narrow window."""
    violations: list[str] = []
    second_pass_seen: set[tuple[str, str]] = set()
    for role in ROLES:
        context = signed_in_context(browser, live_server, role)
        context.add_init_script(path=str(AXE))
        page = context.new_page()
        urls = [*site.pages(role), "/no-such-page"]
        # Every page in the role's own language...
        for url in urls:
            page.goto(live_server.url + url)
            violations += [f"{role}: {line}" for line in axe_violations(page)]
        # ...then in a second one (longer words, other lang attributes) in a phone-sized window, each
        # path once whoever sees it; the colours are those of the first pass, so their contrast (axe's
        # slowest rule) is not checked again.
        page.set_viewport_size(NARROW)
        for url in urls:
            if (url, SECOND_LANGUAGE[role]) not in second_pass_seen:
                second_pass_seen.add((url, SECOND_LANGUAGE[role]))
                page.goto(live_server.url + with_language(url, SECOND_LANGUAGE[role]))
                violations += [f"{role}: {line}" for line in axe_violations(page, skip=("color-contrast",))]
        context.close()
    assert not violations, f"{len(violations)} accessibility violations:\n" + "\n".join(violations)


@pytest.mark.browser
def test_no_page_is_wider_than_the_window(site: Site, browser: Browser, live_server: LiveServer) -> None:
    """Every role's pages in nl, fr and en, in a 1,280 px window and a 390 px one (a phone): the document
    is no wider than the window, as its reader sees it (a wide table scrolls inside its own region), and
    on the phone the content starts near the top, the navigation folded behind a "Menu" disclosure."""
    wide: list[str] = []
    header_heights: dict[str, int] = {}
    for role in ROLES:
        context = signed_in_context(browser, live_server, role)
        page = context.new_page()
        for url in [*site.pages(role), "/no-such-page"]:
            for language in LANGUAGES:
                page.set_viewport_size(WIDE)
                page.goto(live_server.url + with_language(url, language))
                wide += [f"{role} {language}: {line}" for line in wider_than_window(page)]
                page.set_viewport_size(NARROW)
                wide += [f"{role} {language}: {line}" for line in wider_than_window(page)]
                top = round(page.locator("main").bounding_box()["y"])
                header_heights[f"{role} {language}"] = max(top, header_heights.get(f"{role} {language}", 0))
        context.close()
    assert not wide, f"{len(wide)} pages wider than the window:\n" + "\n".join(wide)
    tall = {reader: top for reader, top in header_heights.items() if top > MOST_HEADER_ON_A_PHONE}
    assert not tall, f"on a 390 px screen the content starts this far down (px): {tall}"


@pytest.mark.browser
def test_on_a_phone_the_links_fold_behind_a_menu_that_works_without_javascript(
    browser: Browser, live_server: LiveServer,
) -> None:
    context = signed_in_context(browser, live_server, "hr", java_script_enabled=False)
    page = context.new_page()
    nav = page.get_by_role("navigation", name="Main")
    page.goto(f"{live_server.url}/themes?lang=en")
    expect(nav.get_by_role("link", name="Theme radar")).to_be_visible()
    expect(nav.get_by_text("Menu")).to_be_hidden()
    links = nav.get_by_role("link").count()
    assert links >= 15
    page.set_viewport_size(NARROW)
    expect(nav.get_by_role("link")).to_have_count(0)  # folded: out of sight and out of the tab order
    nav.get_by_text("Menu").focus()
    page.keyboard.press("Enter")
    expect(nav.get_by_role("link")).to_have_count(links)
    expect(nav.get_by_role("link", name="Themes", exact=True)).to_have_attribute("aria-current", "page")
    nav.get_by_role("link", name="Theme radar").click()
    expect(page).to_have_url(re.compile(r"/radar"))
    context.close()


@pytest.mark.browser
def test_the_manage_box_the_radar_and_the_chart_labels_fit_a_1280_px_window(
    site: Site, browser: Browser, live_server: LiveServer,
) -> None:
    """Defects seen on real screens: each check failed before its fix."""
    defects: list[str] = []
    action = next(url for url in site.pages("hr") if re.fullmatch(r"/actions/\d+", url))
    for role in ("hr", "leadership"):
        context = signed_in_context(browser, live_server, role)
        page = context.new_page()
        for language in LANGUAGES:
            if role == "hr":
                # The reassign select (long owner names) stayed inside its column of the Manage box.
                page.goto(f"{live_server.url}{action}?lang={language}")
                expect(page.locator(".manage form")).to_have_count(3)
                defects += [f"manage {language}: {line}" for line in overflowing(page, ".manage > form", "*")]
                defects += [f"manage {language}: {line}" for line in overflowing(page, ".manage", "form")]
            else:
                # The month labels under the status chart ("août 26sept. 26oct. 26") do not overlap.
                page.goto(f"{live_server.url}/status?lang={language}")
                labels = "#chart-monthly .grid text[text-anchor=middle]"
                assert page.locator(labels).count() >= 6
                defects += [f"chart {language}: {line}" for line in overlapping(page, labels)]
            # The radar fits the window; its table scrolls inside a region that takes the keyboard focus.
            for by in ("department", "job_family"):
                page.goto(f"{live_server.url}/radar?by={by}&lang={language}")
                defects += [f"{role} radar {by} {language}: {line}" for line in wider_than_window(page)]
                region = page.locator(".table-wrap:has(.radar-table)")
                expect(region).to_have_attribute("tabindex", "0")
                expect(region).to_have_accessible_name(re.compile(r"\w{5,}"))
        context.close()
    assert not defects, "\n".join(defects)
