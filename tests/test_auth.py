"""Sign-in, sessions, throttling, CSRF and role guards."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from litestar.testing import TestClient

from actiontrack.models import AuditEvent, LoginFailure, Role, User

from conftest import PERSONA_PASSWORD, POSTGRES_URL, LiveServer, Persona, count, post_form, run, sign_in


def test_login_page_has_labelled_fields(anon: TestClient) -> None:
    page = anon.get("/login", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert '<label for="email">Email</label>' in page.text
    assert '<label for="password">Password</label>' in page.text
    assert 'name="_csrf_token"' in page.text


def test_anonymous_visitor_is_sent_to_login_with_the_page_to_return_to(anon: TestClient) -> None:
    response = anon.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"


def test_sign_in_with_any_email_case_opens_the_home_page(anon: TestClient, make_user: Callable[..., User]) -> None:
    make_user(Role.HR, "erin@example.com", name="Erin")
    response = sign_in(anon, "  ERIN@Example.com ")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    home = anon.get("/")
    assert home.status_code == 200
    assert "Erin" in home.text


def test_session_cookie_is_secure_httponly_and_samesite(anon: TestClient, make_user: Callable[..., User]) -> None:
    make_user(Role.OWNER, "frank@example.com")
    response = sign_in(anon, "frank@example.com")
    cookie = next(value for value in response.headers.get_list("set-cookie")
                  if value.startswith("actiontrack_session="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "samesite"} <= attributes
    assert "samesite=lax" in cookie.lower()


def test_wrong_password_and_unknown_email_get_the_same_message(
    anon: TestClient, make_user: Callable[..., User], database_url: str
) -> None:
    make_user(Role.HR, "gina@example.com")
    wrong_password = sign_in(anon, "gina@example.com", "not-the-password")
    unknown_email = sign_in(anon, "nobody@example.com", "whatever-password")
    for response in (wrong_password, unknown_email):
        assert response.status_code == 400
        assert "Email or password is not correct." in response.text
    assert 'value="gina@example.com"' in wrong_password.text
    assert count(database_url, LoginFailure) == 2


def test_inactive_user_cannot_sign_in(anon: TestClient, make_user: Callable[..., User]) -> None:
    make_user(Role.HR, "henk@example.com", active=False)
    assert sign_in(anon, "henk@example.com").status_code == 400


def test_deactivated_user_loses_an_open_session(hr: Persona, database_url: str) -> None:
    assert hr.client.get("/").status_code == 200

    async def deactivate(session):
        (await session.get(User, hr.user.id)).active = False

    run(deactivate, database_url)
    assert hr.client.get("/", follow_redirects=False).status_code == 303


def test_sign_in_is_throttled_after_repeated_failures(
    anon: TestClient, make_user: Callable[..., User], settings
) -> None:
    make_user(Role.HR, "ivy@example.com")
    for _ in range(settings.login_max_failures):
        assert sign_in(anon, "ivy@example.com", "wrong-password").status_code == 400
    blocked = sign_in(anon, "ivy@example.com", PERSONA_PASSWORD)
    assert blocked.status_code == 429
    assert "Too many failed sign-ins" in blocked.text
    assert "actiontrack_session" not in blocked.headers.get("set-cookie", "")


def test_throttling_is_shared_by_every_worker_through_the_database(
    app, make_user: Callable[..., User], settings
) -> None:
    from actiontrack.app import create_app

    from conftest import make_client

    make_user(Role.HR, "jan@example.com")
    # A second app instance stands for a second worker process: it shares only the database.
    with make_client(app) as first, make_client(create_app(settings)) as second:
        for attempt in range(settings.login_max_failures):
            client = first if attempt % 2 else second
            sign_in(client, "jan@example.com", "wrong-password")
        assert sign_in(first, "jan@example.com").status_code == 429
        assert sign_in(second, "jan@example.com").status_code == 429


def test_successful_sign_in_is_audited_and_clears_failures(
    anon: TestClient, make_user: Callable[..., User], database_url: str
) -> None:
    user = make_user(Role.OWNER, "kim@example.com")
    sign_in(anon, "kim@example.com", "wrong-password")
    assert sign_in(anon, "kim@example.com").status_code == 303
    assert count(database_url, LoginFailure) == 0
    assert count(database_url, AuditEvent, AuditEvent.verb == "sign_in", AuditEvent.actor_id == user.id) == 1


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_sign_in_never_redirects_to_another_site(anon: TestClient, make_user: Callable[..., User], target: str) -> None:
    make_user(Role.HR, "lea@example.com")
    response = post_form(anon, "/login", {"email": "lea@example.com", "password": PERSONA_PASSWORD, "next": target},
                         follow_redirects=False)
    assert response.headers["location"] == "/"


def test_sign_in_returns_to_the_requested_page(anon: TestClient, make_user: Callable[..., User]) -> None:
    make_user(Role.HR, "mo@example.com")
    response = post_form(anon, "/login", {"email": "mo@example.com", "password": PERSONA_PASSWORD, "next": "/?x=1"},
                         follow_redirects=False)
    assert response.headers["location"] == "/?x=1"


def test_sign_out_ends_the_session(owner: Persona, database_url: str) -> None:
    response = owner.post("/logout", follow_redirects=False)
    assert response.status_code == 303
    assert owner.client.get("/", follow_redirects=False).status_code == 303
    assert count(database_url, AuditEvent, AuditEvent.verb == "sign_out") == 1


def test_a_form_without_csrf_token_is_rejected(owner: Persona) -> None:
    response = owner.client.post("/logout", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert owner.client.get("/").status_code == 200


def test_a_forged_csrf_token_is_rejected(anon: TestClient, make_user: Callable[..., User]) -> None:
    make_user(Role.HR, "nora@example.com")
    anon.get("/login")
    response = anon.post("/login", data={"email": "nora@example.com", "password": PERSONA_PASSWORD,
                                         "_csrf_token": "forged"}, follow_redirects=False)
    assert response.status_code == 403


def test_htmx_requests_send_the_csrf_token_as_a_header(owner: Persona) -> None:
    token = owner.client.cookies["csrftoken"]
    response = owner.client.post("/logout", headers={"x-csrftoken": token, "hx-request": "true"},
                                 follow_redirects=False)
    assert response.status_code == 303


def test_htmx_request_after_the_session_ends_is_told_to_go_to_login(anon: TestClient) -> None:
    response = anon.get("/", headers={"hx-request": "true"}, follow_redirects=False)
    assert response.status_code == 401
    assert response.headers["hx-redirect"] == "/login?next=/"


@pytest.mark.parametrize("role_fixture, heading", [
    ("hr", "Exit feedback"), ("leader", "Actions"), ("owner", "Your open actions"),
])
def test_each_role_gets_its_own_home_page(request: pytest.FixtureRequest, role_fixture: str, heading: str) -> None:
    person: Persona = request.getfixturevalue(role_fixture)
    page = person.client.get("/?lang=en")
    assert page.status_code == 200
    assert heading in page.text
    assert person.user.display_name in page.text


def test_pages_carry_security_headers(anon: TestClient) -> None:
    response = anon.get("/login")
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


# --- sessions that end --------------------------------------------------------------------------


def session_cookie(persona: Persona) -> dict[str, str]:
    """The session cookie as a header, as someone who copied it would replay it."""
    return {"cookie": f"actiontrack_session={persona.client.cookies['actiontrack_session']}"}


def test_a_copied_session_cookie_stops_working_after_sign_out(owner: Persona, anon: TestClient) -> None:
    copied = session_cookie(owner)
    assert anon.get("/", headers=copied).status_code == 200
    owner.post("/logout")
    replay = anon.get("/", headers=copied, follow_redirects=False)
    assert replay.status_code == 303 and replay.headers["location"].startswith("/login")


def test_a_session_ends_when_hr_changes_the_role_or_deactivates(
    hr: Persona, owner: Persona, other_owner: Persona, database_url: str
) -> None:
    assert owner.client.get("/").status_code == 200
    assert hr.post(f"/people/{owner.user.id}/role", {"role": "leadership"}, follow_redirects=False).status_code == 303
    assert owner.client.get("/", follow_redirects=False).status_code == 303
    assert other_owner.client.get("/").status_code == 200
    assert hr.post(f"/people/{other_owner.user.id}/deactivate", follow_redirects=False).status_code == 303
    assert other_owner.client.get("/", follow_redirects=False).status_code == 303
    # The owner signs in again and has the new role.
    assert sign_in(owner.client, owner.user.email).status_code == 303
    assert owner.client.get("/status").status_code == 200


# --- where "next" may lead ----------------------------------------------------------------------


@pytest.mark.parametrize("target", [
    "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\\evil.example", "\\\\evil.example",
    "//evil.example", "/ /evil.example", "/\x00/evil.example", "javascript:alert(1)", "http:/evil.example",
    "/\u3000/evil.example", "/\u2028/evil.example",
])
def test_next_takes_only_same_site_paths(target: str) -> None:
    from actiontrack.params import safe_next

    assert safe_next(target) == "/"


def test_login_page_never_renders_a_next_link_to_another_host(anon: TestClient, make_user: Callable[..., User]) -> None:
    make_user(Role.HR, "tab@example.com")
    page = anon.get("/login?next=/%09/evil.com")
    assert 'name="next" value="/"' in page.text
    response = post_form(anon, "/login", {"email": "tab@example.com", "password": PERSONA_PASSWORD,
                                          "next": "/\t/evil.com"}, follow_redirects=False)
    assert response.headers["location"] == "/"


def browser_host(base: str, target: str) -> str:
    """The host a browser resolves `target` against `base` to (WHATWG: tabs and newlines are removed,
    a backslash counts as a slash in http(s) URLs, leading C0 controls and spaces are stripped)."""
    from urllib.parse import urljoin, urlsplit

    cleaned = "".join(char for char in target if char not in "\t\n\r").lstrip("".join(map(chr, range(0x21))))
    cleaned = cleaned.replace("\\", "/")
    return urlsplit(urljoin(base, cleaned)).hostname or ""


def test_no_generated_next_value_leaves_the_site() -> None:
    """A randomised search for a counter-example among strings built from the tricky characters."""
    import random

    from actiontrack.params import safe_next

    rng = random.Random(12)
    alphabet = ["/", "\\", "\t", "\n", "\r", " ", "\x00", "\x7f", ":", "@", ".", "%09", "evil.example", "http", "a",
                "?", "#", "\u3000", "\u00a0", "\u2028", "\u200b"]
    for _ in range(20_000):
        target = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8)))
        result = safe_next(target)
        assert browser_host("https://app.example/", result) == "app.example", (target, result)
        assert result == "/" or result == target


# --- password rules -----------------------------------------------------------------------------


@pytest.mark.parametrize("password, problem", [
    (" " * 10, "not only spaces"), (" " * 14, "not only spaces"), ("\t \n" * 5, "not only spaces"),
    ("short-pass", "at least 12"), ("x" * 1025, "at most 1024"),
    ("qwerty123456", "most common"), ("1q2w3e4r5t6y", "most common"), ("Password123456!", "most common"),
    ("iloveyou2024!!", "most common"),
])
def test_weak_new_passwords_are_refused(password: str, problem: str) -> None:
    from actiontrack.auth.passwords import password_problem

    assert problem in (password_problem(password) or "")


REPEATS = "Repeated characters or words, such as “aaaa” or “abcabc”, are easy to guess."


@pytest.mark.parametrize("password, problem", [
    ("123456789012", "This password is close to a common one: choose another."),
    ("111111111111", REPEATS), ("aaaaaaaaaaaa", REPEATS), ("123123123123", REPEATS),
    ("passwordpassword", REPEATS), ("letmeinletmein", REPEATS),
    ("abcdefghijklmnop", "Sequences such as “abcd” or “6543” are easy to guess."),
    ("qwertyuiop[]asdf", "Keyboard patterns such as “qwerty” are easy to guess."),
    ("a" * 5000, "at most 1024"),
])
def test_guessable_new_passwords_are_refused_with_the_reason(password: str, problem: str) -> None:
    from actiontrack.auth.passwords import password_problem

    assert password_problem(password) == problem or problem in (password_problem(password) or "")


def test_a_password_made_of_ones_own_name_or_email_is_refused() -> None:
    from actiontrack.auth.passwords import password_problem

    mine = ["Marieke Vandenbroucke", "marieke.vandenbroucke@example.com"]
    for password in ("mariekevandenbroucke", "vandenbroucke.marieke", "marieke.vandenbroucke@example"):
        assert password_problem(password) is None or password == "marieke.vandenbroucke@example"
        assert password_problem(password, user_inputs=mine) == (
            "A password made of your name or email address is easy to guess."), password


def test_the_reason_a_password_is_refused_speaks_dutch_and_french() -> None:
    from actiontrack import i18n
    from actiontrack.auth.passwords import password_problem

    reasons = []
    for language in ("nl", "fr"):
        i18n.set_language(language)
        reasons.append(password_problem("passwordpassword"))
    i18n.set_language("en")
    assert all(reason and reason != REPEATS for reason in reasons) and reasons[0] != reasons[1]


@pytest.mark.parametrize("password", ["persona-password-42", "Zomer aan de Schelde", "twaalf tekens"])
def test_reasonable_passwords_are_accepted(password: str) -> None:
    from actiontrack.auth.passwords import password_problem

    assert password_problem(password) is None


# --- sign-in under load -------------------------------------------------------------------------


def concurrent_posts(app, forms: list[dict[str, str]]) -> list:
    """POST /login with every form at the same moment, from one client, as a script would."""
    import asyncio

    import httpx

    from conftest import off_loop

    async def flood() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver.local") as client:
            await client.get("/login")
            token = client.cookies["csrftoken"]
            return await asyncio.gather(*(client.post("/login", data={**form, "_csrf_token": token})
                                          for form in forms))

    return off_loop(lambda: asyncio.run(flood()))


def test_simultaneous_wrong_passwords_cannot_exceed_the_limit(
    app, make_user: Callable[..., User], settings, database_url: str
) -> None:
    make_user(Role.HR, "target@example.com")
    forms = [{"email": "target@example.com", "password": f"wrong-password-{n}"} for n in range(30)]
    forms.insert(20, {"email": "target@example.com", "password": PERSONA_PASSWORD})
    responses = concurrent_posts(app, forms)
    statuses = [response.status_code for response in responses]
    checked = statuses.count(400) + statuses.count(303)
    assert checked <= settings.login_max_failures, statuses
    assert statuses.count(429) >= len(forms) - settings.login_max_failures
    assert count(database_url, LoginFailure) <= settings.login_max_failures


def test_argon2_checks_at_once_are_bounded_per_worker(
    make_user: Callable[..., User], settings
) -> None:
    import threading

    from actiontrack.app import create_app

    # The real argon2 cost: cheap checks would be over before the next one asks for a turn.
    app = create_app(settings.model_copy(update={"password_checks_at_once": 2, "password_check_wait_seconds": 0.05,
                                                 "password_hash_cost": "standard"}))
    peak = 0
    stop = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not stop.is_set():
            limiter = app.state.get("password_checks")
            if limiter is not None:
                peak = max(peak, limiter.borrowed_tokens)
            stop.wait(0.001)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        # Unknown addresses, each once: every attempt would cost a full argon2 check.
        responses = concurrent_posts(app, [{"email": f"nobody{n}@example.com", "password": "whatever-password"}
                                           for n in range(12)])
    finally:
        stop.set()
        watcher.join()
    statuses = [response.status_code for response in responses]
    assert 1 <= peak <= 2, peak
    assert statuses.count(429) >= 1 and set(statuses) <= {400, 429}, statuses
    busy = next(response for response in responses if response.status_code == 429)
    assert "Too many people are signing in at this moment" in busy.text
    assert busy.headers["retry-after"] == "5"


def live_sign_ins(url: str, forms: list[dict[str, str]]) -> list[int]:
    """POST /login over real HTTP, each form from its own browser (cookie jar), all at the same moment."""
    import asyncio

    import httpx

    from conftest import off_loop

    async def flood() -> list[int]:
        clients = [httpx.AsyncClient(base_url=url, timeout=60) for _ in forms]
        try:
            await asyncio.gather(*(client.get("/login") for client in clients))
            responses = await asyncio.gather(*(
                client.post("/login", data={**form, "_csrf_token": client.cookies["csrftoken"]})
                for client, form in zip(clients, forms, strict=True)))
            return [response.status_code for response in responses]
        finally:
            await asyncio.gather(*(client.aclose() for client in clients))

    return off_loop(lambda: asyncio.run(flood()))


def test_forty_colleagues_behind_one_address_all_sign_in_at_once(
    live_server: LiveServer, make_user: Callable[..., User], database_url: str,
) -> None:
    # One office behind NAT on Monday at 9:00: every attempt comes from 127.0.0.1.
    emails = [f"colleague{n}@example.com" for n in range(40)]
    for email in emails:
        make_user(Role.OWNER, email)
    statuses = live_sign_ins(live_server.url, [{"email": email, "password": PERSONA_PASSWORD} for email in emails])
    assert statuses == [303] * 40
    assert count(database_url, LoginFailure) == 0


def test_forty_right_passwords_for_one_account_at_once_all_get_in(
    live_server: LiveServer, make_user: Callable[..., User], database_url: str,
) -> None:
    make_user(Role.OWNER, "shared@example.com")
    statuses = live_sign_ins(live_server.url, [{"email": "shared@example.com", "password": PERSONA_PASSWORD}] * 40)
    assert statuses == [303] * 40
    assert count(database_url, LoginFailure) == 0


def test_simultaneous_wrong_passwords_over_http_get_at_most_the_limit_of_checks(
    live_server: LiveServer, make_user: Callable[..., User], settings, database_url: str,
) -> None:
    make_user(Role.HR, "target@example.com")
    statuses = live_sign_ins(live_server.url, [{"email": "target@example.com", "password": f"wrong-password-{n}"}
                                               for n in range(30)])
    assert statuses.count(400) == settings.login_max_failures, statuses
    assert statuses.count(429) == 30 - settings.login_max_failures
    assert count(database_url, LoginFailure, LoginFailure.pending.is_(False)) == settings.login_max_failures
    # Failures (not attempts) count per address: colleagues from that address still get in.
    make_user(Role.OWNER, "colleague@example.com")
    assert live_sign_ins(live_server.url, [{"email": "colleague@example.com", "password": PERSONA_PASSWORD}]) == [303]


# --- the cost of a password hash ----------------------------------------------------------------


def test_passwords_are_hashed_at_the_standard_argon2_cost_by_default(database_url: str) -> None:
    from actiontrack.app import create_app
    from actiontrack.auth.passwords import hash_password
    from actiontrack.settings import Settings

    settings = Settings(database_url=database_url, secret_key="test-secret-key-that-is-long-enough")
    assert settings.password_hash_cost == "standard"
    create_app(settings)
    assert hash_password("a-long-password").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_a_cheaper_hash_is_upgraded_to_the_standard_cost_at_sign_in(
    make_user: Callable[..., User], settings, database_url: str
) -> None:
    from actiontrack.app import create_app
    from actiontrack.auth.passwords import verify_password

    from conftest import make_client, rows

    # Personas' hashes are made at the test suite's cost (conftest.persona_hash).
    user = make_user(Role.OWNER, "lou@example.com")
    assert user.password_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    with make_client(create_app(settings.model_copy(update={"password_hash_cost": "standard"}))) as client:
        assert sign_in(client, "lou@example.com").status_code == 303
    stored = rows(database_url, User, User.id == user.id)[0]
    assert stored.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(stored.password_hash, PERSONA_PASSWORD)



# Only SQLite has a database-wide write lock (PostgreSQL's advisory locks wait their turn): collected there alone.
if POSTGRES_URL is None:

    def test_a_sign_in_that_finds_sqlite_locked_throughout_is_refused_as_busy_not_failed(
        anon: TestClient, make_user: Callable[..., User], database_url: str,
    ) -> None:
        import sqlite3

        make_user(Role.OWNER, "locked.out@example.com")
        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")  # another process writing, for longer than the busy timeout
            refused = sign_in(anon, "locked.out@example.com")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert refused.status_code == 429 and refused.headers["retry-after"] == "5"
        assert "Too many people are signing in at this moment" in refused.text
        assert sign_in(anon, "locked.out@example.com").status_code == 303
