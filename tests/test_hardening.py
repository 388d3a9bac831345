"""Odd input and odd rows: what used to answer 500, stop the reminders or break a feed, on both engines."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from litestar.testing import TestClient

from actiontrack import clock
from actiontrack.clock import utcnow
from actiontrack.disclosure import Disclosure
from actiontrack.models import ActionItem, Role, User
from actiontrack.reminders.job import run_reminders
from actiontrack.settings import Settings

from conftest import POSTGRES_URL, Persona, SmtpServer, off_loop, route_paths

# Characters a database row may hold, written by an older version, the API or a script: escape
# (a terminal's colour codes), vertical tab, a C1 control, and NUL where the database takes it.
ODD = "\x1b[31m\x0b\x85" + ("" if POSTGRES_URL else "\x00")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FAR = date.max  # 9999-12-31, which the form and the API used to accept


# --- one bad row does not stop everyone's reminders and feeds -----------------------------------


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    return {
        "hr": make_user(Role.HR, "alice.hr@example.com", name="Alice HR"),
        "owner": make_user(Role.OWNER, "charlie.owner@example.com", name="Charlie Owner"),
    }


def test_remind_sends_the_others_when_an_action_has_the_last_possible_deadline(
    smtp_server: SmtpServer, settings: Settings, people: dict[str, User], make_action: Callable[..., ActionItem],
) -> None:
    today = clock.today()
    make_action(owner=people["owner"], created_by=people["hr"], title="Far away", deadline=FAR)
    make_action(owner=people["owner"], created_by=people["hr"], title=f"Buddy{ODD} system\nnow",
                deadline=today + timedelta(days=7))
    remind_settings = settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": smtp_server.port, "smtp_security": "none",
        "base_url": "https://actiontrack.example"})
    report = off_loop(lambda: asyncio.run(run_reminders(settings=remind_settings,
                                                        disclosure=Disclosure(remind_settings),
                                                        paths=route_paths(), today=today)))
    soon = [line for line in report.lines if line.kind == "due_soon"]
    assert [line.result for line in soon] == ["sent"]
    subjects = [message["Subject"] for message in smtp_server.inbox.to("charlie.owner@example.com")
                if message["X-Actiontrack-Kind"] == "due_soon"]
    assert subjects == ["Due in 7 days: Buddy[31m system now"]
    # What the command prints holds no escape sequence nor a line break of the title's.
    assert all(not CONTROL.search(str(line)) and "\n" not in str(line) for line in report.lines)


@pytest.mark.parametrize("column", ["deadline", "created_at"])
def test_remind_sends_the_others_when_a_stored_date_cannot_be_read(
    smtp_server: SmtpServer, settings: Settings, people: dict[str, User], make_action: Callable[..., ActionItem],
    database_url: str, column: str,
) -> None:
    from sqlalchemy import text

    from conftest import execute

    today = clock.today()
    broken = make_action(owner=people["owner"], created_by=people["hr"], title="Broken",
                         deadline=today + timedelta(days=7))
    make_action(owner=people["owner"], created_by=people["hr"], title="Buddy system",
                deadline=today + timedelta(days=7))
    # A date Python cannot hold: SQLite keeps any text, PostgreSQL years up to 294276.
    unreadable = "20000-01-01" if POSTGRES_URL else "2026-02-30 garbage"
    execute(database_url, text(f"UPDATE action_item SET {column} = '{unreadable}' WHERE id = {broken.id}"))
    remind_settings = settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": smtp_server.port, "smtp_security": "none",
        "base_url": "https://actiontrack.example"})
    # A handler of its own on the logger: an app built meanwhile sets up logging anew, caplog's goes.
    logged: list[str] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = lambda record: logged.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("actiontrack.reminders").addHandler(handler)
    try:
        report = off_loop(lambda: asyncio.run(run_reminders(settings=remind_settings,
                                                            disclosure=Disclosure(remind_settings),
                                                            paths=route_paths(), today=today)))
    finally:
        logging.getLogger("actiontrack.reminders").removeHandler(handler)
    assert [(line.action_id, line.result) for line in report.lines if line.kind == "due_soon"] == [
        (broken.id + 1, "sent")]
    assert f"reminders of action {broken.id} skipped: its dates cannot be read" in logged


def test_calendar_feed_keeps_every_action_and_no_control_characters(
    owner: Persona, anon: TestClient, make_action: Callable[..., ActionItem],
) -> None:
    make_action(owner=owner.user, title="Far away", deadline=FAR)
    make_action(owner=owner.user, title=f"Odd{ODD} title")
    created = owner.post("/calendar/feeds", {"scope": "own"})
    token = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", created.text).group(1)  # type: ignore[union-attr]
    response = anon.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(r"SUMMARY(;LANGUAGE=en)?:Far away", body) and "DTSTART;VALUE=DATE:99991231" in body
    assert re.search(r"SUMMARY(;LANGUAGE=en)?:Odd\[31m title", body)
    assert not CONTROL.search(body.replace("\r\n", ""))


def test_changes_feed_stays_valid_xml_with_control_characters_in_a_title(
    anon: TestClient, make_action: Callable[..., ActionItem], make_user: Callable[..., User],
) -> None:
    author = make_user(Role.HR, "hr@example.com")
    make_action(owner=author, title=f"Odd{ODD} title", public_summary=f"Line one{ODD}\nline two",
                published=True, published_at=utcnow())
    make_action(owner=author, title="Plain title", public_summary="Plain", published=True, published_at=utcnow())
    response = anon.get("/changes.atom?lang=en")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # expat refuses control characters: this is the subscriber's parser
    titles = {entry.findtext("{http://www.w3.org/2005/Atom}title") for entry in feed}
    assert {"Odd[31m title", "Plain title"} <= titles


def test_status_csv_has_no_control_characters_and_every_overdue_action(
    hr: Persona, make_action: Callable[..., ActionItem], owner: Persona,
) -> None:
    yesterday = clock.today() - timedelta(days=1)
    make_action(owner=owner.user, title=f"=Odd{ODD} title", deadline=yesterday)
    make_action(owner=owner.user, title="Plain title", deadline=yesterday)
    response = hr.client.get("/status?format=csv")
    assert response.status_code == 200
    assert "'=Odd[31m title" in response.text and "Plain title" in response.text
    assert not CONTROL.search(response.text)


# Only SQLite lets a script store bytes that are not UTF-8 in a text column (PostgreSQL refuses them), so
# this case exists, and is collected, on SQLite alone.
if POSTGRES_URL is None:

    def test_status_csv_and_feeds_skip_a_row_they_cannot_read_and_log_its_id(
        hr: Persona, owner: Persona, anon: TestClient, make_action: Callable[..., ActionItem], database_url: str,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        from sqlalchemy import text

        from conftest import run

        yesterday = clock.today() - timedelta(days=1)
        odd = make_action(owner=owner.user, title="Odd", deadline=yesterday, public_summary="Odd", published=True,
                          published_at=utcnow())
        make_action(owner=owner.user, title="Plain title", deadline=yesterday, public_summary="Plain", published=True,
                    published_at=utcnow())

        async def garble(session: Any) -> None:  # what a script writing raw bytes leaves behind
            await session.execute(text("UPDATE action_item SET title_en = X'00FF' WHERE id = :id"), {"id": odd.id})

        run(garble, database_url)
        csv_export = hr.client.get("/status?format=csv")
        assert csv_export.status_code == 200 and "Plain title" in csv_export.text
        assert f"status CSV: overdue action {odd.id} skipped" in caplog.text
        assert anon.get("/changes.atom").status_code == 200
        created = owner.post("/calendar/feeds", {"scope": "own"})
        token = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", created.text).group(1)  # type: ignore[union-attr]
        feed = anon.get(f"/calendar/{token}.ics")
        assert feed.status_code == 200 and "Plain title" in feed.text


# --- logs an operator can use --------------------------------------------------------------------


@pytest.fixture
def failing_app(settings: Settings) -> Any:
    """The app with one route that fails the way a bug would, taking a token in its path."""
    from litestar import get
    from litestar.params import FromPath

    from actiontrack.app import create_app

    @get("/boom/{token:str}", include_in_schema=False)
    async def boom(token: FromPath[str]) -> str:
        raise RuntimeError("a bug")

    app = create_app(settings)
    app.register(boom)
    return app


def test_an_unexpected_error_is_logged_once_with_its_request_id_shown_to_the_user(
    failing_app: Any, caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "Zq3xT0kenThatMustNotBeLogged_abcdef123"
    caplog.set_level(logging.INFO, logger="actiontrack")
    with TestClient(app=failing_app, base_url="https://testserver.local") as client:
        page = client.get(f"/boom/{secret}?token={secret}")
        api = client.get(f"/boom/{secret}", headers={"accept": "application/json"})
    assert page.status_code == 500 and api.status_code == 500
    page_id, api_id = page.headers["x-request-id"], api.headers["x-request-id"]
    assert page_id != api_id
    assert page_id in page.text
    assert api.json() == {"status_code": 500, "detail": "Internal Server Error", "request_id": api_id}
    errors = [record for record in caplog.records if record.name == "actiontrack.errors"]
    assert [record.request_id for record in errors] == [page_id, api_id]  # type: ignore[attr-defined]
    assert all(record.exc_info and "RuntimeError" in caplog.text for record in errors)
    assert "GET /boom/<token>?token=%3Chidden%3E: RuntimeError" in errors[0].getMessage()
    access = [record for record in caplog.records if record.name == "actiontrack.access"]
    assert [(record.request_id, record.status) for record in access] == [(page_id, 500), (api_id, 500)]  # type: ignore[attr-defined]
    ours = [record for record in caplog.records if record.name.startswith("actiontrack")]
    assert not any(secret in record.getMessage() for record in ours)


def test_every_request_gets_one_access_line_and_keeps_a_sane_request_id_from_the_proxy(
    anon: TestClient, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="actiontrack")
    ok = anon.get("/health", headers={"x-request-id": "proxy-1234abcd"})
    missing = anon.get("/no-such-page", headers={"x-request-id": "bad id\nwith a line break"})
    assert ok.headers["x-request-id"] == "proxy-1234abcd"
    assert re.fullmatch(r"[0-9a-f]{16}", missing.headers["x-request-id"])
    lines = [record for record in caplog.records if record.name == "actiontrack.access"]
    assert [(record.getMessage().split()[:4], record.request_id) for record in lines] == [  # type: ignore[attr-defined]
        (["testclient", "GET", "/health", "200"], "proxy-1234abcd"),
        (["testclient", "GET", "/no-such-page", "404"], missing.headers["x-request-id"]),
    ]


def test_json_logs_are_one_object_per_line_with_the_request_id() -> None:
    from actiontrack.serving import JsonFormatter

    record = logging.LogRecord("actiontrack.access", logging.INFO, __file__, 1, "%s %s", ("GET", "/x"), None)
    record.request_id, record.status = "abc12345", 200
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line) | {"time": ""} == {"time": "", "level": "INFO", "logger": "actiontrack.access",
                                                "message": "GET /x", "request_id": "abc12345", "status": 200}


def test_served_app_writes_json_log_lines_when_asked(database_url: str) -> None:
    """The real server: uvicorn's own access log is off, the app's lines are JSON on standard error."""
    import os
    import subprocess
    import sys
    import time

    import httpx

    from actiontrack.settings import PROJECT_ROOT

    from conftest import SECRET, free_port

    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "ACTIONTRACK_SECRET_KEY": SECRET,
           "ACTIONTRACK_ENV": "production", "ACTIONTRACK_COOKIE_SECURE": "false", "ACTIONTRACK_LOG_FORMAT": "json"}
    process = subprocess.Popen([sys.executable, "-m", "actiontrack.cli", "serve", "--host", "127.0.0.1",
                                "--port", str(port)], env=env, cwd=PROJECT_ROOT, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60  # a loaded CI machine starts a server slowly
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.1)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    entries = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    health = [entry for entry in entries if entry.get("path") == "/health"]
    assert len(health) == 1
    assert health[0]["request_id"] == response.headers["x-request-id"] and health[0]["status"] == 200
    assert '"GET /health HTTP/1.1" 200' not in stderr  # uvicorn's own access line


# --- caching and HSTS ------------------------------------------------------------------------------


def test_pages_with_individual_data_exports_and_survey_links_are_not_stored(
    hr: Persona, anon: TestClient, make_department: Callable[..., Any], make_job_family: Callable[..., Any],
    make_survey_link: Callable[..., str],
) -> None:
    survey = make_survey_link(department=make_department(), job_family=make_job_family(), created_by=hr.user)
    for response in (hr.client.get("/interviews"), hr.client.get("/status?format=csv"), hr.client.get("/actions"),
                     anon.get(f"/survey/{survey}"), anon.get("/login")):
        assert response.status_code == 200, response.request.url
        assert response.headers["cache-control"] == "no-store", response.request.url
    # Files that are the same for everyone may be kept, and the public page keeps its own validators.
    assert "no-store" not in anon.get("/static/app.css").headers.get("cache-control", "")
    assert anon.get("/changes").headers["cache-control"] == "private, no-cache"


def test_hsts_when_cookies_are_secure_only(settings: Settings) -> None:
    from actiontrack.app import create_app

    with TestClient(app=create_app(settings), base_url="https://testserver.local") as client:
        assert client.get("/login").headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    plain = settings.model_copy(update={"cookie_secure": False})
    with TestClient(app=create_app(plain)) as client:
        assert "strict-transport-security" not in client.get("/login").headers


# --- one way in for every value ----------------------------------------------------------------------

BIG = "99999999999999999999"
OVER_INT32 = str(2**31)  # PostgreSQL's integer columns end one below


def test_values_are_read_within_their_bounds() -> None:
    from actiontrack.params import clean_text, one_line, parse_date, parse_id, parse_int

    assert [parse_id(value) for value in ("7", " 7 ", str(2**31 - 1), OVER_INT32, BIG, "0", "-3", "²", "7.0", "",
                                          None, 2**40, 12)] == [7, 7, 2**31 - 1, None, None, None, None, None,
                                                                None, None, None, None, 12]
    assert [parse_int(value, minimum=0, maximum=100) for value in ("0", "100", "101", "-1", "+5", "1" * 5000)] == [
        0, 100, None, None, 5, None]
    assert parse_date("2026-03-31") == date(2026, 3, 31)
    assert parse_date("9999-12-31") is None and parse_date("31/03/2026") is None
    assert parse_date("2026-03-31", latest=date(2026, 3, 30)) is None
    assert clean_text("a\x00b\x1b[2Jc\x85d\r\n\te\ud800") == "ab[2Jcd\r\n\te"
    assert one_line("a\r\n\tb\u2028c\x00") == "a b c"


@pytest.mark.parametrize("path", [
    f"/actions/{BIG}", f"/actions/{OVER_INT32}", f"/actions/{OVER_INT32}/edit", f"/actions/{OVER_INT32}/progress",
    f"/interviews/{OVER_INT32}", f"/themes/{OVER_INT32}", f"/organisation/department/{OVER_INT32}",
    f"/webhooks/{BIG}", "/static/app.css%00.txt",
])
def test_a_path_id_beyond_the_database_or_a_control_character_in_a_path_is_not_found(hr: Persona, path: str) -> None:
    response = hr.client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_tokens_with_control_characters_are_unknown_tokens(anon: TestClient) -> None:
    assert anon.get("/calendar/abc%01.ics").status_code == 404
    assert anon.get("/survey/tok%00en").status_code == 404
    assert anon.get("/welcome/tok%00en").status_code == 404


def test_api_ids_and_filters_beyond_the_database_are_refused_not_failed(
    anon: TestClient, make_user: Callable[..., User], make_api_token: Callable[..., str],
) -> None:
    headers = {"authorization": f"Bearer {make_api_token(make_user(Role.HR, 'hr@example.com'))}"}
    assert anon.get(f"/api/v1/actions/{OVER_INT32}", headers=headers).status_code == 404
    for query in (f"owner={OVER_INT32}", f"theme={BIG}", f"offset={BIG}", f"department={2**63}"):
        response = anon.get(f"/api/v1/actions?{query}", headers=headers)
        assert response.status_code == 400, query
        assert response.json()["status_code"] == 400


@pytest.mark.parametrize("query", [f"owner={2**63}", f"owner={OVER_INT32}", f"theme={OVER_INT32}",
                                   f"department={BIG}", "q=%00", "status=%1b"])
def test_filters_beyond_the_database_show_everything(hr: Persona, query: str) -> None:
    for page in ("/actions", "/status", "/interviews", "/radar", "/changes"):
        assert hr.client.get(f"{page}?{query}").status_code == 200, (page, query)


def test_control_characters_never_reach_the_database_from_forms(
    hr: Persona, owner: Persona, anon: TestClient, database_url: str,
) -> None:
    from actiontrack.models import ActionItem, Department, Webhook

    from conftest import rows

    created = hr.post("/actions/new", {"title": f"Exit\x00 talks{ODD}", "owner_id": str(owner.user.id),
                                       "deadline": (clock.today() + timedelta(days=30)).isoformat(),
                                       "scope": "company", "description": "Line one\r\n\tline two\x00"},
                      follow_redirects=False)
    assert created.status_code == 303, created.text
    [action] = rows(database_url, ActionItem)
    assert action.title == "Exit talks[31m" and action.description == "Line one\r\n\tline two"
    assert hr.post("/organisation/department", {"name": "Sales\x00 team", "headcount": "3"},
                   follow_redirects=False).status_code in (200, 303)
    assert [department.name for department in rows(database_url, Department)] == ["Sales team"]
    assert hr.post("/webhooks", {"name": "Chat\x00", "url": "https://chat.example/hook", "style": "generic"},
                   follow_redirects=False).status_code in (200, 303)
    assert [webhook.name for webhook in rows(database_url, Webhook)] == ["Chat"]
    progress = hr.post(f"/actions/{action.id}/progress", {"version": str(action.version), "status": "in_progress",
                                                          "note": "Started\x00"}, follow_redirects=False)
    assert progress.status_code in (200, 303)
    from conftest import post_form

    assert post_form(anon, "/login", {"email": "alice.hr\x00@example.com", "password": "x"}).status_code == 400


def test_json_bodies_are_cleaned_and_bad_ones_refused_with_a_message(
    anon: TestClient, make_user: Callable[..., User], make_api_token: Callable[..., str], database_url: str,
) -> None:
    from actiontrack.models import ActionItem

    from conftest import count

    hr = make_user(Role.HR, "hr@example.com")
    headers = {"authorization": f"Bearer {make_api_token(hr)}", "content-type": "application/json"}
    deadline = (clock.today() + timedelta(days=30)).isoformat()
    created = anon.post("/api/v1/actions", headers=headers, content=json.dumps(
        {"title": f"Exit\u0000 talks{ODD}", "owner_id": hr.id, "deadline": deadline,
         "description": "Line one\n\tline two\u0000"}))
    assert created.status_code == 201, created.text
    assert (created.json()["title"], created.json()["description"]) == ("Exit talks[31m", "Line one\n\tline two")
    bad = {
        "invalid UTF-8": (b'{"title": "\xff\xfe"}', "application/json", 400, "The body is not valid UTF-8."),
        "malformed": (b'{"title": ', "application/json", 400, "The body is not valid JSON."),
        "not a number": (b'{"title": "x", "target_share": NaN}', "application/json", 400,
                         "The body is not valid JSON."),
        "too deep": (b"[" * 100_000 + b"]" * 100_000, "application/json", 400, "The JSON body is nested too deeply."),
        "just deep": (b'{"a":' * 40 + b"1" + b"}" * 40, "application/json", 400, "The JSON body is nested too deeply."),
        "not JSON": (b"title=x", "application/x-www-form-urlencoded", 415, "Send the body as JSON"),
        "multipart": (b"--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nx\r\n--b--\r\n",
                      "multipart/form-data; boundary=b", 415, "This address takes no file uploads."),
    }
    for name, (body, media_type, status, message) in bad.items():
        response = anon.post("/api/v1/actions", content=body, headers={**headers, "content-type": media_type})
        assert response.status_code == status, name
        assert message in response.json()["detail"], name
    assert count(database_url, ActionItem) == 1


def test_a_multipart_body_to_a_form_is_unsupported(hr: Persona, database_url: str) -> None:
    from actiontrack.models import Department

    from conftest import count, csrf_token

    response = hr.client.post("/organisation/department", data={"_csrf_token": csrf_token(hr.client), "name": "X"},
                              files={"upload": ("a.txt", b"x")})
    assert response.status_code == 415
    assert count(database_url, Department) == 0


def test_a_deadline_is_at_most_ten_years_ahead_in_the_form_and_the_api(
    hr: Persona, owner: Persona, anon: TestClient, make_api_token: Callable[..., str], database_url: str,
) -> None:
    from actiontrack.models import ActionItem

    from conftest import count

    too_far = (clock.today() + timedelta(days=3660 + 3)).isoformat()
    form = hr.post("/actions/new", {"title": "Far", "owner_id": str(owner.user.id), "deadline": too_far,
                                    "scope": "company"})
    assert form.status_code == 400 and "Choose a deadline within 10 years." in form.text
    api = anon.post("/api/v1/actions", headers={"authorization": f"Bearer {make_api_token(hr.user)}"},
                    json={"title": "Far", "owner_id": owner.user.id, "deadline": "9999-12-31"})
    assert api.status_code == 400
    assert api.json()["extra"] == [{"key": "deadline", "message": "Choose a deadline within 10 years.",
                                    "source": "body"}]
    assert count(database_url, ActionItem) == 0
    within = (clock.today() + timedelta(days=3640)).isoformat()
    assert hr.post("/actions/new", {"title": "Far", "owner_id": str(owner.user.id), "deadline": within,
                                    "scope": "company"}, follow_redirects=False).status_code == 303


# --- a randomised search for a 500 -----------------------------------------------------------------

# Values that broke a route once, or could: beyond the databases' integers, signs and exponents,
# control characters, dates at the ends of the calendar, very long and non-Latin text.
ODD_VALUES = [BIG, OVER_INT32, str(2**63), "-1", "0", "1e9", "0x10", "\x00", "a\x00b", "\x1b[2J", "\x85", "\r\n",
              "9999-12-31", "0001-01-01", "2026-02-30", "", " ", "%", "' OR 1=1 --", "🙂" * 3, "x" * 3000, "²",
              "company", "department", "done", "open", "csv", "nl", "true"]
QUERIES = {
    "/actions": ["owner", "theme", "department", "job_family", "status", "scope", "overdue", "published", "page"],
    "/actions/new": ["owner", "theme", "scope", "group", "start", "end"],
    "/status": ["start", "end", "owner", "theme", "department", "status", "format"],
    "/interviews": ["department", "job_family", "theme", "channel", "start", "end", "page"],
    "/radar": ["by", "start", "end", "period", "view", "department", "theme"],
    "/changes": ["theme", "department", "page", "lang"],
    "/deliveries": ["status", "channel", "page"],
}
FORMS = {
    "/actions/new": ["title", "owner_id", "deadline", "scope", "department_id", "job_family_id", "themes",
                     "target_percent", "evidence_theme", "evidence_start", "evidence_end", "published"],
    "/organisation/department": ["name", "headcount", "active"],
    "/organisation/job_family": ["name", "active"],
    "/webhooks": ["name", "url", "style"],
    "/calendar/feeds": ["scope"],
    "/accounts/invite": ["email", "display_name", "language", "role"],
    "/interviews/new": ["department_id", "job_family_id", "exit_date", "channel", "language", "tenure_band",
                        "recommend_score", "themes", "notes"],
}


def test_random_odd_values_in_queries_forms_and_json_never_answer_500(
    hr: Persona, owner: Persona, make_action: Callable[..., ActionItem], make_api_token: Callable[..., str],
    anon: TestClient,
) -> None:
    import random

    from conftest import post_form

    action = make_action(owner=owner.user)
    forms = {**FORMS, f"/actions/{action.id}/progress": ["version", "status", "progress", "note"],
             f"/actions/{action.id}/deadline": ["version", "deadline", "note"],
             f"/actions/{action.id}/reassign": ["version", "owner_id", "note"]}
    rng = random.Random(20261128)  # fixed: a failure names its request and happens again

    def pick(keys: list[str]) -> dict[str, str]:
        return {key: rng.choice(ODD_VALUES) for key in rng.sample(keys, k=rng.randint(1, len(keys)))}

    for _ in range(120):
        page = rng.choice(list(QUERIES))
        params = pick(QUERIES[page])
        assert hr.client.get(page, params=params).status_code < 500, (page, params)
    for _ in range(90):
        path = rng.choice(list(forms))
        data = pick(forms[path])
        assert post_form(hr.client, path, data).status_code < 500, (path, data)
    headers = {"authorization": f"Bearer {make_api_token(hr.user)}"}
    fields = ["title", "owner_id", "deadline", "scope", "department_id", "theme_ids", "target_share", "published",
              "evidence"]
    for _ in range(60):
        document: dict[str, Any] = {key: rng.choice([*ODD_VALUES, 2**40, -(2**63), 1.5, None, [], {}, [2**35]])
                                    for key in rng.sample(fields, k=rng.randint(1, len(fields)))}
        response = anon.post("/api/v1/actions", json=document, headers=headers)
        assert response.status_code < 500, document
        patch = {"version": rng.choice([1, 2**40, -1]), "status": rng.choice(ODD_VALUES),
                 "progress": rng.choice([50, 2**40, -5, None]), "note": rng.choice(ODD_VALUES)}
        assert anon.patch(f"/api/v1/actions/{action.id}", json=patch, headers=headers).status_code < 500, patch


# --- OPTIONS and repeated parameters -------------------------------------------------------------


def test_options_names_every_method_a_path_answers(
    app: Any, hr: Persona, make_api_token: Callable[..., str],
) -> None:
    from litestar.routes import HTTPRoute

    headers = {"authorization": f"Bearer {make_api_token(hr.user)}"}
    checked = 0
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(("/static", "/vendor", "/schema")):
            continue
        path = re.sub(r"\{[^}:]+:int\}", "1", route.path)
        path = re.sub(r"\{[^}]+\}", "department" if "organisation" in route.path else "x", path)
        response = hr.client.options(path, headers=headers)
        assert response.status_code == 204, (route.path, response.status_code)
        assert set(response.headers["allow"].split(", ")) == set(route.methods), route.path
        checked += 1
    assert checked > 50
    allowed = hr.client.options("/api/v1/actions/1", headers=headers).headers["allow"]
    assert "PATCH" in allowed and "GET" in allowed
    assert "POST" in hr.client.options("/login").headers["allow"]


@pytest.mark.parametrize("query", ["offset=abc&offset=1", "offset=1&offset=abc", "offset=1&offset=1",
                                   "limit=5&offset=0&limit=6", "status=open&status=done"])
def test_a_single_valued_api_parameter_given_twice_is_refused_whatever_the_order(
    anon: TestClient, make_user: Callable[..., User], make_api_token: Callable[..., str], query: str,
) -> None:
    headers = {"authorization": f"Bearer {make_api_token(make_user(Role.HR, 'hr@example.com'))}"}
    response = anon.get(f"/api/v1/actions?{query}", headers=headers)
    assert response.status_code == 400
    name = query.split("=")[0] if query.count(query.split("=")[0] + "=") > 1 else "limit"
    assert name in response.json()["detail"]


def test_pages_read_the_first_of_a_repeated_parameter_whatever_reads_it(
    hr: Persona, make_user: Callable[..., User],
) -> None:
    make_user(Role.OWNER, "zeno.zwart@example.com", name="Zeno Zwart")
    # /people reads q through Litestar's parameters; the new-action form through the query's MultiDict.
    assert "Zeno Zwart" in hr.client.get("/people?q=Zeno&q=nobody-at-all").text
    assert "Zeno Zwart" not in hr.client.get("/people?q=nobody-at-all&q=Zeno").text
    assert hr.client.get("/people?page=abc&page=1").status_code == 200
    # Themes may be repeated: each one counts.
    assert hr.client.get("/actions/new?themes=1&themes=2").status_code == 200
