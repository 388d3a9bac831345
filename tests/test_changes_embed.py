"""/changes for a careers site: the embed (/changes/embed) a listed origin may frame, and the JSON feed
(/changes.json) its pages may read; the same changes, figures and rules as /changes."""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from playwright.sync_api import Browser, expect
from pydantic import ValidationError
from sqlalchemy import event

from actiontrack import clock
from actiontrack.app import create_app
from actiontrack.clock import utcnow
from actiontrack.disclosure import release_due
from actiontrack.disclosure.periods import due_periods
from actiontrack.models import ActionEvidence, ActionItem, Role, User
from actiontrack.settings import Settings

from browser_checks import axe_violations
from conftest import LiveServer, Persona, free_port, make_client, run, sign_in

ATOM = "{http://www.w3.org/2005/Atom}"
CAREERS = "https://careers.example.be"


@pytest.fixture
def publish(make_action: Callable[..., ActionItem], make_user: Callable[..., User]) -> Callable[..., ActionItem]:
    """A published action with a public summary; any ActionItem field can be given."""
    author = make_user(Role.HR, "hera.hr@example.com", name="Hera Author")

    def factory(title: str, **values: Any) -> ActionItem:
        values.setdefault("public_summary", f"Summary of {title}")
        values.setdefault("published", True)
        values.setdefault("published_at", utcnow())
        return make_action(owner=author, title=title, **values)

    return factory


def add_evidence(url: str, action: ActionItem, *, theme_id: int, raised: int, leavers: int,
                 period_end: date = date(2026, 2, 28)) -> None:
    async def create(session):
        session.add(ActionEvidence(action_id=action.id, theme_id=theme_id, period_start=date(2025, 9, 1),
                                   period_end=period_end, raised_count=raised, leavers_count=leavers))

    run(create, url)


@pytest.fixture
def careers_client(settings: Settings) -> Iterator[TestClient]:
    """An anonymous visitor of an app that lists CAREERS in ACTIONTRACK_EMBED_ORIGINS."""
    with make_client(create_app(settings.model_copy(update={"embed_origins": CAREERS}))) as client:
        yield client


def embed_titles(html: str) -> list[str]:
    return [unescape(title) for title in re.findall(r'<h3><a [^>]*>([^<]*)<span', html)]


def page_titles(html: str) -> list[str]:
    return [unescape(title) for title in re.findall(r"<h3[^>]*>([^<]*)</h3>", html)]


def json_items(response: Any) -> list[dict[str, Any]]:
    return response.json()["items"]


# --- the settings ---------------------------------------------------------------------------------


def test_embed_origins_are_checked_and_written_as_browsers_send_them() -> None:
    settings = Settings(env="development", embed_origins=" https://Careers.Example.be:443/ ,http://localhost:8080")
    assert settings.embed_origin_list == ("https://careers.example.be", "http://localhost:8080")
    assert Settings(env="development").embed_origin_list == ()
    for wrong in ("*", "careers.example.be", "https://careers.example.be/jobs", "https://x.be?a=1", "null",
                  "ftp://x.be", "https://user@x.be", "https://x.be:99999", "'self'", "https://x.be https://y.be"):
        with pytest.raises(ValidationError, match="ACTIONTRACK_EMBED_ORIGINS"):
            Settings(env="development", embed_origins=wrong)


# --- the embed ------------------------------------------------------------------------------------


def test_the_embed_shows_what_changes_shows_without_chrome_or_cookies(
    anon: TestClient, publish: Callable[..., ActionItem],
) -> None:
    publish("Published planned", status="planned", theme_codes=("management",))
    publish("Published done", status="done", completed_on=date(2026, 3, 12), theme_codes=("pay_benefits",))
    publish("Two themed", theme_codes=("management", "pay_benefits"))
    publish("Cancelled one", status="cancelled")
    publish("Draft one", published=False, published_at=None)
    embed = anon.get("/changes/embed?lang=en")
    assert embed.status_code == 200 and embed.headers["content-type"].startswith("text/html")
    assert sorted(embed_titles(embed.text)) == sorted(page_titles(anon.get("/changes?lang=en").text))
    assert "Cancelled one" not in embed.text and "Draft one" not in embed.text
    assert "Done in March 2026" in embed.text
    # No navigation, no form, no script, and no cookie set (nor needed: this client sends none).
    assert "<nav" not in embed.text and "<form" not in embed.text and "<script" not in embed.text
    assert "set-cookie" not in embed.headers
    assert "/static/embed.css" in embed.text
    links = re.findall(r"<a ([^>]*)>", embed.text)
    assert links and all('target="_blank"' in link and 'rel="noopener"' in link for link in links)
    hrefs = [unescape(href) for href in re.findall(r'<h3><a href="([^"]*)"', embed.text)]
    assert all(re.fullmatch(r"/changes\?lang=en#change-\d+", href) for href in hrefs), hrefs
    page = anon.get("/changes?lang=en").text
    assert all(f'id="{href.split("#")[1]}"' in page for href in hrefs)  # each link finds its change


def test_the_embed_speaks_the_readers_language(anon: TestClient, publish: Callable[..., ActionItem]) -> None:
    publish("Fait", status="done", completed_on=date(2026, 3, 2), theme_codes=("management",))
    french = anon.get("/changes/embed?lang=fr").text
    assert '<html lang="fr">' in french and "Réalisée en mars 2026" in french and "Ce que nous avons changé" in french
    dutch = anon.get("/changes/embed", headers={"Accept-Language": "nl-BE,nl;q=0.9"}).text
    assert ('<html lang="nl">' in dutch and "Wat we veranderd hebben" in dutch
            and "(opent in een nieuw tabblad)" in dutch)


def test_only_listed_origins_may_frame_the_embed(careers_client: TestClient, anon: TestClient) -> None:
    embed = careers_client.get("/changes/embed")
    assert "frame-ancestors https://careers.example.be;" in embed.headers["content-security-policy"]
    assert "x-frame-options" not in embed.headers
    assert "default-src 'self'" in embed.headers["content-security-policy"]
    # Every other page keeps refusing any frame.
    for path in ("/changes", "/login", "/changes.json"):
        other = careers_client.get(path)
        assert other.headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in other.headers["content-security-policy"], path
    # Otherwise the embed keeps the pages' policy, whatever it becomes.
    page_policy = careers_client.get("/changes").headers["content-security-policy"]
    embed_policy = embed.headers["content-security-policy"]
    assert embed_policy.replace("frame-ancestors https://careers.example.be", "frame-ancestors 'none'") == page_policy
    # With no origin listed, no one may frame the embed either.
    unlisted = anon.get("/changes/embed")
    assert unlisted.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in unlisted.headers["content-security-policy"]


def test_a_careers_site_chooses_the_embeds_colours_and_font(
    anon: TestClient, publish: Callable[..., ActionItem],
) -> None:
    publish("Styled")
    plain = anon.get("/changes/embed?lang=en")
    assert "/changes/embed.css" not in plain.text
    styled = anon.get("/changes/embed", params={"lang": "en", "accent": "#B00060", "background": "fff8e7",
                                                "text": "navy", "font": "Georgia"})
    link = unescape(re.search(r'<link rel="stylesheet" href="(/changes/embed\.css\?[^"]*)">', styled.text).group(1))
    assert parse_qs(urlsplit(link).query) == {"accent": ["#b00060"], "background": ["#fff8e7"], "font": ["Georgia"]}
    assert styled.headers["etag"] != plain.headers["etag"]
    css = anon.get(link)
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert css.text == (':root {\n  --changes-background: #fff8e7;\n  --changes-accent: #b00060;\n'
                        '  --changes-font: "Georgia", system-ui, sans-serif;\n}\n')
    # Whatever is asked, nothing but a colour or a font name reaches the stylesheet.
    for name, value in (("font", 'x;}body{display:none'), ("font", "x\"; background: url(//evil)"),
                        ("accent", "red;x"), ("text", "#12345"), ("muted", "expression(alert(1))"),
                        ("font", "a" * 41)):
        assert anon.get("/changes/embed.css", params={name: value}).text == ":root {\n\n}\n", (name, value)
        assert "/changes/embed.css" not in anon.get("/changes/embed", params={name: value}).text


def test_embed_and_json_give_304_until_an_action_changes(careers_client: TestClient,
                                                         publish: Callable[..., ActionItem]) -> None:
    publish("Cached")
    for path in ("/changes/embed?lang=en", "/changes.json?lang=en"):
        first = careers_client.get(path, headers={"Origin": CAREERS})
        again = careers_client.get(path, headers={"If-None-Match": first.headers["etag"], "Origin": CAREERS})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == first.headers["etag"]
        if path.startswith("/changes.json"):
            assert again.headers["access-control-allow-origin"] == CAREERS
        else:
            assert "frame-ancestors https://careers.example.be;" in again.headers["content-security-policy"]
    etags = {path: careers_client.get(path).headers["etag"] for path in ("/changes/embed", "/changes.json")}
    publish("Second")
    for path, etag in etags.items():
        changed = careers_client.get(path, headers={"If-None-Match": etag})
        assert changed.status_code == 200 and "Second" in changed.text


def test_embed_and_json_run_a_constant_number_of_queries(
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
    paths = ("/changes", "/changes/embed", "/changes.json")
    small = [queries(path) for path in paths]
    for number in range(6):
        department = make_department(f"Dept {number}")
        action = publish(f"Action {number}", scope="department", department_id=department.id,
                         theme_codes=("management", "pay_benefits"))
        add_evidence(database_url, action, theme_id=theme_ids["management"], raised=9, leavers=20)
    assert [queries(path) for path in paths] == small
    assert small[1] == small[0]  # the embed reads what the page reads


# --- the JSON feed -------------------------------------------------------------------------------


def test_the_json_feed_carries_the_atom_feeds_entries(anon: TestClient, publish: Callable[..., ActionItem]) -> None:
    now = utcnow()
    publish("Old, done today", status="done", published_at=now - timedelta(days=300),
            completed_on=(now + timedelta(days=1)).date(), theme_codes=("management",))
    publish("Published last week", published_at=now - timedelta(days=7), theme_codes=("management", "pay_benefits"))
    publish("Published last month", published_at=now - timedelta(days=30))
    publish("Draft", published=False, published_at=None)
    response = anon.get("/changes.json?lang=fr")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/feed+json")
    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Ce que nous avons changé" and feed["language"] == "fr"
    assert feed["home_page_url"] == "https://testserver.local/changes?lang=fr"
    assert feed["feed_url"] == "https://testserver.local/changes.json?lang=fr"
    atom = ET.fromstring(anon.get("/changes.atom?lang=fr").content).findall(f"{ATOM}entry")
    assert [item["title"] for item in feed["items"]] == [entry.find(f"{ATOM}title").text for entry in atom]
    assert [item["title"] for item in feed["items"]] == ["Old, done today", "Published last week",
                                                        "Published last month"]
    for item, entry in zip(feed["items"], atom, strict=True):
        assert item["id"] == entry.find(f"{ATOM}id").text
        assert item["url"] == entry.find(f"{ATOM}link").get("href")
        assert item["content_text"] == entry.find(f"{ATOM}content").text
        assert item["date_modified"] == entry.find(f"{ATOM}updated").text
        assert item["tags"] == [category.get("term") for category in entry.findall(f"{ATOM}category")]
        assert item["summary"] == f"Summary of {item['title']}"
    first = feed["items"][0]
    assert first["date_published"] < first["date_modified"]  # published long ago, done today
    assert "Réalisé" in first["content_text"]
    assert set(first) <= {"id", "url", "title", "content_text", "summary", "date_published", "date_modified",
                          "tags", "language"}


def test_the_json_feed_is_readable_by_listed_origins_only(careers_client: TestClient) -> None:
    listed = careers_client.get("/changes.json", headers={"Origin": CAREERS})
    assert listed.headers["access-control-allow-origin"] == CAREERS
    assert "Origin" in listed.headers["vary"] and "Accept-Language" in listed.headers["vary"]
    for origin in ("https://evil.example", "https://careers.example.be.evil.example", "null", "*"):
        other = careers_client.get("/changes.json", headers={"Origin": origin})
        assert other.status_code == 200 and "access-control-allow-origin" not in other.headers, origin
        assert "Origin" in other.headers["vary"]
    assert "access-control-allow-origin" not in careers_client.get("/changes.json").headers
    assert "access-control-allow-origin" not in careers_client.get("/changes", headers={"Origin": CAREERS}).headers
    assert "set-cookie" not in listed.headers


# --- who may read them ---------------------------------------------------------------------------


def test_when_changes_is_for_staff_the_embed_and_json_feed_are_not_there(
    settings: Settings, make_user: Callable[..., User], publish: Callable[..., ActionItem],
) -> None:
    publish("Internal change")
    intranet = settings.model_copy(update={"changes_access": "signed_in", "embed_origins": CAREERS})
    make_user(Role.OWNER, "olga.owner@example.com")
    with make_client(create_app(intranet)) as client:
        for path in ("/changes/embed", "/changes.json"):
            response = client.get(path, headers={"Origin": CAREERS}, follow_redirects=False)
            assert response.status_code == 404 and "Internal change" not in response.text, path
            assert "access-control-allow-origin" not in response.headers
        assert sign_in(client, "olga.owner@example.com").status_code == 303
        assert "Internal change" in client.get("/changes").text
        for path in ("/changes/embed", "/changes.json"):
            assert client.get(path, follow_redirects=False).status_code == 404, path


# --- the same figures as /changes, never more ------------------------------------------------------


def radar_figures(leader: Persona, *, period: str, department_ids: list[int], theme_ids: list[int]) -> set[int]:
    """Every leaver count leadership reads on the theme radar of the released quarter (hidden ones left out)."""
    page = leader.client.get(f"/radar?period={period}&by=department&lang=en").text
    shown: set[int] = set()
    for cell in [f"cell-{theme}-{group}" for theme in theme_ids for group in [*department_ids, "all"]]:
        found = re.search(rf'<td id="{cell}"[^>]*>(.*?)</td>', page, re.S)
        assert found, cell
        number = re.match(r"^(\d+)", " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()))
        if number and "fewer than" not in found.group(1):
            shown.add(int(number.group(1)))
    return shown


def figures(text: str) -> set[str]:
    """The evidence sentences that carry a count."""
    return set(re.findall(r"Raised by \d+ [^<\n\"]*? in [^<\n\"]*?\d{4}", text))


def test_a_hidden_group_stays_hidden_and_no_figure_goes_beyond_changes(
    anon: TestClient, leader: Persona, publish: Callable[..., ActionItem], make_department: Callable[..., Any],
    make_job_family: Callable[..., Any], make_interview: Callable[..., Any], theme_ids: dict[str, int],
    database_url: str,
) -> None:
    today = clock.today()
    quarter = due_periods(first_exit=today - timedelta(days=400), today=today, length="quarter", delay_days=30)[-1]
    retail, tiny, office = make_department("Retail stores"), make_department("Tiny shop"), make_department("Office")
    depot, family = make_department("Depot"), make_job_family("Sales")
    for index in range(20):
        make_interview(department=retail, job_family=family, exit_date=quarter.start,
                       themes=["management"] if index < 12 else ["recognition"] if index < 14 else [])
    for index in range(4):
        make_interview(department=tiny, job_family=family, exit_date=quarter.start,
                       themes=["management"] if index < 3 else ["recognition"])
    for _ in range(8):
        make_interview(department=office, job_family=family, exit_date=quarter.start)
    for index in range(10):
        make_interview(department=depot, job_family=family, exit_date=quarter.start,
                       themes=["management"] if index < 5 else [])
    run(lambda session: release_due(session, length="quarter", delay_days=30, today=today), database_url)
    big = publish("Big group", scope="department", department_id=retail.id, theme_codes=("management",))
    small_group = publish("Small group", scope="department", department_id=tiny.id, theme_codes=("management",))
    few_raised = publish("Few raised", theme_codes=("recognition",))
    # HR's stored counts (99, 3, 4) are not what a public page reads: the released quarter is.
    add_evidence(database_url, big, theme_id=theme_ids["management"], raised=99, leavers=99, period_end=today)
    add_evidence(database_url, small_group, theme_id=theme_ids["management"], raised=3, leavers=4, period_end=today)
    add_evidence(database_url, few_raised, theme_id=theme_ids["recognition"], raised=3, leavers=32, period_end=today)

    page = anon.get("/changes?lang=en").text
    embed = anon.get("/changes/embed?lang=en").text
    feed = "\n".join(item["content_text"] for item in json_items(anon.get("/changes.json?lang=en")))
    shown_on_changes = figures(page)
    assert shown_on_changes == {f"Raised by 12 leavers from the Retail stores department in {quarter.label}",
                                f"Raised by 20 leavers across the company in {quarter.label}"}
    for body in (embed, feed):
        assert figures(body) == shown_on_changes
        assert "Tiny shop" not in body  # the hidden group is named one level up, as on /changes
        assert body.count("Raised by several colleagues") == 1
        assert "Raised by 3 " not in body and "Raised by 4 " not in body and "99" not in body
    # Every count shown is one leadership reads on the released radar: nothing to subtract from.
    released = radar_figures(leader, period=quarter.key, theme_ids=list(theme_ids.values()),
                             department_ids=[retail.id, tiny.id, office.id, depot.id])
    counts = {int(number) for number in re.findall(r"Raised by (\d+)", embed + feed)}
    assert counts and counts <= released, (counts, released)


# --- in Chromium: a careers site on another origin --------------------------------------------------


class CareersPage(BaseHTTPRequestHandler):
    """A careers site's page that frames the embed and reads the JSON feed, as the README shows."""

    def do_GET(self) -> None:
        app = parse_qs(urlsplit(self.path).query).get("app", [""])[0]
        if not app:  # /favicon.ico
            self.send_error(404)
            return
        body = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Careers</title></head><body>'
                f'<h1>Work with us</h1><iframe src="{app}/changes/embed?lang=en&amp;accent=%23b00060" '
                'title="What we changed" '
                f'width="600" height="500"></iframe></body></html>').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def careers_port() -> Iterator[int]:
    """A second web server, on a port of its own: http://localhost:<port> is listed, http://127.0.0.1:<port> not."""
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), CareersPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield port
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def live_server_env(careers_port: int) -> Callable[[str], dict[str, str]]:
    return lambda url: {"ACTIONTRACK_EMBED_ORIGINS": f"http://localhost:{careers_port}"}


@pytest.mark.browser
def test_a_careers_page_on_a_listed_origin_shows_the_embed_and_reads_the_feed(
    browser: Browser, live_server: LiveServer, careers_port: int, publish: Callable[..., ActionItem],
) -> None:
    publish("Buddy programme", status="done", completed_on=date(2026, 3, 2), theme_codes=("training_onboarding",))
    publish("Salary bands", theme_codes=("pay_benefits",))
    context = browser.new_context()
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "frame-ancestors" in message.text else None)
    page.goto(f"http://localhost:{careers_port}/?app={live_server.url}")
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="What we changed")).to_be_visible()
    expect(frame.get_by_role("heading", name="Buddy programme")).to_be_visible()
    expect(frame.get_by_text("Done in March 2026")).to_be_visible()
    expect(frame.get_by_role("link", name="Salary bands")).to_have_css("color", "rgb(176, 0, 96)")  # the site's accent
    assert refused == []
    # A change's link opens it on /changes, in a new tab.
    with context.expect_page() as opened:
        frame.get_by_role("link", name="Salary bands").click()
    change = opened.value
    expect(change).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/changes\?lang=en#change-\d+$"))
    expect(change.get_by_role("heading", name="Salary bands")).to_be_visible()
    # The page's own script reads the JSON feed across origins.
    titles = page.evaluate("""async (url) => {
        const response = await fetch(url);
        return (await response.json()).items.map((item) => item.title);
    }""", f"{live_server.url}/changes.json?lang=en")
    assert sorted(titles) == ["Buddy programme", "Salary bands"]
    context.close()


@pytest.mark.browser
def test_a_page_on_an_unlisted_origin_is_refused_the_embed_and_the_feed(
    browser: Browser, live_server: LiveServer, careers_port: int, publish: Callable[..., ActionItem],
) -> None:
    publish("Buddy programme", theme_codes=("training_onboarding",))
    context = browser.new_context()
    page = context.new_page()
    # The same careers server under another name: another origin, not listed.
    with page.expect_console_message(lambda message: "frame-ancestors" in message.text) as refused:
        page.goto(f"http://127.0.0.1:{careers_port}/?app={live_server.url}")
    assert ("blocked" in refused.value.text
            and f'"frame-ancestors http://localhost:{careers_port}"' in refused.value.text)
    expect(page.get_by_role("heading", name="Work with us")).to_be_visible()
    expect(page.frame_locator("iframe").get_by_role("heading", name="Buddy programme")).to_have_count(0)
    outcome = page.evaluate("""async (url) => {
        try { await fetch(url); return 'read'; } catch (error) { return 'refused'; }
    }""", f"{live_server.url}/changes.json?lang=en")
    assert outcome == "refused"
    context.close()


@pytest.mark.browser
def test_the_embed_passes_the_accessibility_check(
    browser: Browser, live_server: LiveServer, publish: Callable[..., ActionItem],
) -> None:
    publish("Buddy programme", status="done", completed_on=date(2026, 3, 2), theme_codes=("training_onboarding",))
    publish("Salary bands", theme_codes=("pay_benefits", "management"))
    violations: list[str] = []
    for viewport in ({"width": 600, "height": 500}, {"width": 320, "height": 480}):
        context = browser.new_context(bypass_csp=True, viewport=viewport)
        page = context.new_page()
        for lang in ("en", "fr", "nl"):
            page.goto(f"{live_server.url}/changes/embed?lang={lang}")
            expect(page.get_by_role("heading", name="Buddy programme")).to_have_count(1)
            violations += axe_violations(page)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        context.close()
    assert not violations, "\n".join(violations)
