"""Fixtures: a fresh database per test (SQLite or PostgreSQL), the app, personas, a live server."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import json as _json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email import message_from_bytes as _message_from_bytes
from email import policy as _email_policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import httpx
import pytest
from alembic import command
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.app import create_app
from actiontrack.auth.passwords import PASSWORD_HASHERS, use_password_hash_cost
from actiontrack.db import alembic_config, make_engine, make_sessionmaker
from actiontrack.models import Role, User
from actiontrack.settings import Settings

# Set by the test command for the PostgreSQL pass: a server URL whose user may create databases.
POSTGRES_URL = os.environ.get("ACTIONTRACK_TEST_POSTGRES_URL")
PERSONA_PASSWORD = "persona-password-42"
SECRET = "test-secret-key-that-is-long-enough"
T = TypeVar("T")


def off_loop(function: Callable[[], T]) -> T:
    """Run blocking work in a thread of its own: Playwright's sync API keeps an event loop running here."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(function).result()


def run(coroutine_function: Callable[[AsyncSession], Awaitable[T]], url: str) -> T:
    """Run database work against `url` in its own transaction, outside any app."""

    async def main() -> T:
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine)() as session, session.begin():
                return await coroutine_function(session)
        finally:
            await engine.dispose()

    return off_loop(lambda: asyncio.run(main()))


def release_now(settings: Settings) -> list[Any]:
    """Release the periods fallen due, as each worker's check and `actiontrack remind` do (a page never
    does): for a test that records interviews after its app started. The periods released."""
    from actiontrack.clock import today
    from actiontrack.disclosure import Disclosure, pooling_for, release_due

    disclosure = Disclosure(settings)

    async def release(session: AsyncSession) -> list[Any]:
        return await release_due(session, length=await disclosure.length(session), delay_days=disclosure.delay_days,
                                 today=today(), pooling=await pooling_for(session, settings))

    return run(release, settings.database_url)


def execute(url: str, statement: Any) -> None:
    """Run one statement (an update, an insert) against `url` and commit it."""

    async def work(session: AsyncSession) -> None:
        await session.execute(statement)

    run(work, url)


def rows(url: str, model: type, *where: Any) -> list[Any]:
    """The rows of a table (those matching `where`), in primary-key order."""

    async def query(session: AsyncSession) -> list[Any]:
        order = model.__table__.primary_key.columns  # type: ignore[attr-defined]
        return list((await session.execute(select(model).where(*where).order_by(*order))).scalars())

    return run(query, url)


def count(url: str, model: type, *where: Any) -> int:
    """How many rows of a table match `where`."""

    async def query(session: AsyncSession) -> int:
        return await session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    return run(query, url)


def run_command(args: Sequence[str], *, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`actiontrack <args>` in this process, seeing only `env`, with its output and exit status.

    A new process spends seconds importing the app; tests of the process itself (the entry point,
    `serve`, `db upgrade` and its logging set-up) run it with subprocess instead.
    """
    from actiontrack import cli

    def call() -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        saved_environ, saved_stdin = dict(os.environ), sys.stdin
        os.environ.clear()
        os.environ.update(env)
        sys.stdin = io.StringIO(stdin)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    status = cli.main(list(args))
                except SystemExit as exit_:  # argparse's usage errors
                    status = exit_.code if isinstance(exit_.code, int) else 1
        finally:
            os.environ.clear()
            os.environ.update(saved_environ)
            sys.stdin = saved_stdin
        return status, out.getvalue(), err.getvalue()

    status, out, err = off_loop(call)
    return subprocess.CompletedProcess(["actiontrack", *args], status, out, err)


def migrate(url: str, revision: str = "head") -> None:
    config = alembic_config(url)
    config.attributes["configure_logger"] = False
    off_loop(lambda: command.upgrade(config, revision))


class DatabaseFactory:
    """Hands out empty or migrated databases; migrations run once, then copies are cheap."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.created: list[str] = []
        # A template of this session's own: pytest-xdist workers ("gw0", "gw1", ...) and other test
        # runs may share the server.
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self.template = f"actiontrack_template_{worker}_{uuid.uuid4().hex[:8]}"
        self.template_url = self.empty(name=self.template)
        migrate(self.template_url)

    def empty(self, name: str | None = None) -> str:
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        if POSTGRES_URL is None:
            return f"sqlite:///{self.workdir / name}.db"
        self._admin(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    def migrated(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        if POSTGRES_URL is None:
            path = self.workdir / f"{name}.db"
            shutil.copyfile(make_url(self.template_url).database, path)
            return f"sqlite:///{path}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.created.append(name)
        return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        if POSTGRES_URL is None:
            return
        name = make_url(url).database
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.created:
            self.created.remove(name)

    def drop_all(self) -> None:
        # What tests left behind (those that drop their own databases are gone already), in one connection.
        self._admin(*(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in [*self.created, self.template]))

    def _admin(self, *statements: str) -> None:
        async def main() -> None:
            engine = make_engine(POSTGRES_URL)
            try:
                async with engine.connect() as connection:
                    await connection.execution_options(isolation_level="AUTOCOMMIT")
                    for statement in statements:
                        await connection.execute(text(statement))
            finally:
                await engine.dispose()

        off_loop(lambda: asyncio.run(main()))


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory.mktemp("databases"))
    yield factory
    if POSTGRES_URL is not None:
        factory.drop_all()


@pytest.fixture
def database_url(databases: DatabaseFactory) -> Iterator[str]:
    """A freshly migrated database of its own for each test."""
    url = databases.migrated()
    yield url
    databases.drop(url)


@pytest.fixture
def settings(database_url: str) -> Settings:
    # /changes asks the database on every request, so a test sees its own changes at once
    # (test_changes.py checks the reuse window of ACTIONTRACK_CHANGES_MAX_STALE_SECONDS on its own).
    # Webhook receivers in tests listen on loopback, which the app refuses unless allowed
    # (test_webhooks.py proves the refusal with the setting off).
    # argon2 at its cheapest: only the tests of hashing itself (test_auth.py) pay the real cost.
    return Settings(database_url=database_url, secret_key=SECRET, env="production", cookie_secure=True,
                    changes_max_stale_seconds=0, webhook_allow_private=True, password_hash_cost="test")


@pytest.fixture(autouse=True)
def cheap_password_hashes() -> None:
    """Code that hashes without building an app (the demo loader) hashes cheaply too, whatever ran before."""
    use_password_hash_cost("test")


@functools.cache
def route_paths() -> Callable[..., str]:
    """The app's route_reverse, for code that runs without a served app (the reminders of `actiontrack remind`)."""
    return create_app(Settings(env="development")).route_reverse


class AppPool:
    """Built apps, kept for the next test with the same settings (its database aside).

    Building an app (the signatures of 240 routes) costs more CPU than most tests. A test gets an
    app no other test holds, with the state create_app left it and an engine on the test's own
    database: nothing a test leaves in the app's state reaches the next one.
    """

    PER_TEST = ("settings", "engine", "sessionmaker")

    def __init__(self) -> None:
        self.idle: dict[str, list[tuple[Litestar, dict[str, Any]]]] = {}

    @staticmethod
    def key(settings: Settings) -> str:
        return settings.model_dump_json(exclude={"database_url"})

    def checkout(self, settings: Settings) -> tuple[Litestar, dict[str, Any]]:
        idle = self.idle.get(self.key(settings))
        if not idle:
            app = create_app(settings)
            return app, {key: value for key, value in app.state.items() if key not in self.PER_TEST}
        app, built = idle.pop()
        use_password_hash_cost(settings.password_hash_cost)
        engine = make_engine(settings.database_url)
        app.state.clear()
        app.state.update({**built, "settings": settings, "engine": engine, "sessionmaker": make_sessionmaker(engine)})
        return app, built

    def checkin(self, settings: Settings, app: Litestar, built: dict[str, Any]) -> None:
        if id(app) not in AppClient.serving:  # a client left running keeps its app out of the pool
            self.idle.setdefault(self.key(settings), []).append((app, built))


@pytest.fixture(scope="session")
def app_pool() -> AppPool:
    return AppPool()


@pytest.fixture
def app(settings: Settings, app_pool: AppPool) -> Iterator[Litestar]:
    """The app of `settings`, as create_app builds it (reused from an earlier test when it can be)."""
    app, built = app_pool.checkout(settings)
    yield app
    app_pool.checkin(settings, app, built)


@dataclass
class _Serving:
    host: TestClient
    clients: int = 0


class AppClient(TestClient):
    """A cookie jar of its own on an app that starts once, however many clients use it at a time.

    The first client to enter starts the app (its event loop and lifespan, as a worker would); the
    others borrow that loop, and the last one to leave shuts the app down. Two TestClients each
    running the lifespan of one app would hang when the first shuts down.
    """

    serving: ClassVar[dict[int, _Serving]] = {}

    def __enter__(self) -> AppClient:
        serving = self.serving.get(id(self.app))
        if serving is None:
            host = TestClient(app=self.app, base_url=str(self.base_url)).__enter__()
            serving = self.serving[id(self.app)] = _Serving(host)
        serving.clients += 1
        self.blocking_portal = serving.host.blocking_portal
        return self

    def __exit__(self, *exc_info: Any) -> None:
        serving = self.serving[id(self.app)]
        del self.blocking_portal
        serving.clients -= 1
        if serving.clients == 0:
            del self.serving[id(self.app)]
            serving.host.__exit__(*exc_info)


def make_client(app: Litestar) -> TestClient:
    # https, because session and CSRF cookies are Secure.
    return AppClient(app=app, base_url="https://testserver.local")


@pytest.fixture
def anon(app: Litestar) -> Iterator[TestClient]:
    with make_client(app) as client:
        yield client


@pytest.fixture(scope="session")
def persona_hash() -> str:
    return PASSWORD_HASHERS["test"].hash(PERSONA_PASSWORD)


@dataclass
class Persona:
    user: User
    client: TestClient

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        return post_form(self.client, path, data, **kwargs)


def csrf_token(client: TestClient) -> str:
    if "csrftoken" not in client.cookies:
        client.get("/health")
    return client.cookies["csrftoken"]


def post_form(client: TestClient, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
    """POST a form the way a browser does: with the CSRF token as a hidden field."""
    return client.post(path, data={"_csrf_token": csrf_token(client), **(data or {})}, **kwargs)


@pytest.fixture
def make_user(database_url: str, persona_hash: str) -> Callable[..., User]:
    def factory(role: Role | str, email: str, *, name: str | None = None, language: str = "en",
                active: bool = True) -> User:
        async def create(session: AsyncSession) -> User:
            user = User(email=email, display_name=name or email.split("@")[0].title(), role=str(role),
                        language=language, password_hash=persona_hash, active=active)
            session.add(user)
            await session.flush()
            return user

        return run(create, database_url)

    return factory


def sign_in(client: TestClient, email: str, password: str = PERSONA_PASSWORD) -> httpx.Response:
    return post_form(client, "/login", {"email": email, "password": password}, follow_redirects=False)


@pytest.fixture
def persona(app: Litestar, make_user: Callable[..., User]) -> Iterator[Callable[..., Persona]]:
    """Signs in a new user of a role with a client (a cookie jar) of their own on the test's app."""
    clients: list[TestClient] = []

    def factory(role: Role, email: str, **kwargs: Any) -> Persona:
        user = make_user(role, email, **kwargs)
        client = make_client(app).__enter__()
        clients.append(client)
        response = sign_in(client, email)
        assert response.status_code == 303, response.text
        return Persona(user=user, client=client)

    yield factory
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def hr(persona: Callable[..., Persona]) -> Persona:
    return persona(Role.HR, "alice.hr@example.com", name="Alice HR")


@pytest.fixture
def leader(persona: Callable[..., Persona]) -> Persona:
    return persona(Role.LEADERSHIP, "bob.lead@example.com", name="Bob Leader", language="fr")


@pytest.fixture
def owner(persona: Callable[..., Persona]) -> Persona:
    return persona(Role.OWNER, "charlie.owner@example.com", name="Charlie Owner", language="nl")


@pytest.fixture
def other_owner(persona: Callable[..., Persona]) -> Persona:
    return persona(Role.OWNER, "dana.owner@example.com", name="Dana Owner")


# --- a real server for the browser ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    database_url: str


@pytest.fixture
def live_server_env() -> Callable[[str], dict[str, str]]:
    """Extra environment for the live server, given its URL; a test module overrides it to configure more."""
    return lambda url: {}


def settings_from_environment(env: dict[str, str]) -> Settings:
    """The settings a process with this environment on top of ours would read."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        return Settings()
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def live_server(
    database_url: str, live_server_env: Callable[[str], dict[str, str]], app_pool: AppPool
) -> Iterator[LiveServer]:
    """The app, configured through its environment, served by uvicorn on a loopback port.

    In a thread of this process: a process of its own would spend seconds importing the app for
    each test. The `serve` command itself is run as a process in test_hardening.py and test_surveys.py.
    """
    import uvicorn

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = settings_from_environment({
        "DATABASE_URL": database_url,
        "ACTIONTRACK_SECRET_KEY": SECRET,
        "ACTIONTRACK_ENV": "production",
        # Plain http on loopback: the browser would drop Secure cookies.
        "ACTIONTRACK_COOKIE_SECURE": "false",
        "ACTIONTRACK_CHANGES_MAX_STALE_SECONDS": "0",
        "ACTIONTRACK_WEBHOOK_ALLOW_PRIVATE": "true",
        "ACTIONTRACK_PASSWORD_HASH_COST": "test",
        **live_server_env(url),
    })
    # An app of its own: the test's TestClients may be running the `app` fixture's lifespan.
    app, built = app_pool.checkout(settings)
    # log_config=None: uvicorn leaves this process's logging (pytest's) alone.
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, loop="asyncio", log_config=None,
                                           access_log=False, lifespan="on"))
    thread = threading.Thread(target=server.run, name=f"live-server-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            pytest.fail("the server did not start (its lifespan failed, or the port was taken)")
        time.sleep(0.02)
    yield LiveServer(url=url, database_url=database_url)
    server.should_exit = True
    thread.join(timeout=10)
    app_pool.checkin(settings, app, built)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Debian's Chromium: Playwright cannot download its own browser on this network.
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("ACTIONTRACK_CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        ],
    }


# --- actions ---


@pytest.fixture
def make_action(database_url: str) -> Callable[..., Any]:
    """Inserts an action (with its themes and first history entry) straight into the database."""
    from datetime import date, timedelta

    from sqlalchemy import select as select_

    from actiontrack.clock import today
    from actiontrack.models import ActionItem, ActionTheme, ActionUpdate, Theme

    def factory(*, owner: User, created_by: User | None = None, title: str = "Shorter onboarding",
                deadline: date | None = None, theme_codes: tuple[str, ...] = (), **values: Any) -> ActionItem:
        async def create(session: AsyncSession) -> ActionItem:
            # `title` is the English title; pass title_nl= / title_fr= for the other languages (and
            # likewise for the public summary, description and success measure).
            values.setdefault("title_en", title)
            for written in ("public_summary", "description", "success_measure"):  # English, as the title
                if written in values:
                    values[f"{written}_en"] = values.pop(written)
            action = ActionItem(owner_id=owner.id, created_by_id=(created_by or owner).id,
                                deadline=deadline or today() + timedelta(days=30), **values)
            session.add(action)
            await session.flush()
            for code in theme_codes:
                theme_id = (await session.execute(select_(Theme.id).where(Theme.code == code))).scalar_one()
                session.add(ActionTheme(action_id=action.id, theme_id=theme_id))
            session.add(ActionUpdate(action_id=action.id, author_id=(created_by or owner).id, status_before=None,
                                     status_after=action.status, progress_after=action.progress,
                                     deadline_after=action.deadline, owner_after_id=owner.id))
            return action

        return run(create, database_url)

    return factory


@pytest.fixture
def make_api_token(database_url: str) -> Callable[..., str]:
    """An API token acting as `user`; returns the token itself (only its hash is stored)."""
    import secrets

    from actiontrack.auth.tokens import token_digest
    from actiontrack.models import ApiToken

    def factory(user: User, *, name: str = "integration") -> str:
        token = secrets.token_urlsafe(32)

        async def create(session: AsyncSession) -> None:
            session.add(ApiToken(user_id=user.id, name=name, token_hash=token_digest(token), created_by_id=user.id))

        run(create, database_url)
        return token

    return factory


# --- feedback ---


@pytest.fixture
def make_department(database_url: str) -> Callable[..., Any]:
    """Inserts a department (headcount gives the radar's turnover rate)."""
    from actiontrack.models import Department

    def factory(name: str = "Retail stores", *, headcount: int = 100, active: bool = True) -> Department:
        async def create(session: AsyncSession) -> Department:
            department = Department(name=name, headcount=headcount, active=active)
            session.add(department)
            await session.flush()
            return department

        return run(create, database_url)

    return factory


@pytest.fixture
def make_job_family(database_url: str) -> Callable[..., Any]:
    """Inserts a job family."""
    from actiontrack.models import JobFamily

    def factory(name: str = "Sales", *, active: bool = True, headcount: int = 0) -> JobFamily:
        async def create(session: AsyncSession) -> JobFamily:
            family = JobFamily(name=name, active=active, headcount=headcount)
            session.add(family)
            await session.flush()
            return family

        return run(create, database_url)

    return factory


@pytest.fixture
def theme_ids(database_url: str) -> dict[str, int]:
    """The seeded themes' ids by code (pay_benefits, management, growth_career, ...)."""
    from sqlalchemy import select as select_

    from actiontrack.models import Theme

    async def load(session: AsyncSession) -> dict[str, int]:
        return dict((await session.execute(select_(Theme.code, Theme.id))).all())

    return run(load, database_url)


INTERVIEW_DEFAULTS: dict[str, Any] = {
    "tenure_band": "2to5", "channel": "interview", "language": "en",
    "reason_for_leaving": "A better offer elsewhere.", "pay_factor": "partly",
    "tasks_match_score": 3, "manager_support_score": 3, "training_score": 3, "recognition_score": 3,
    "improvement_suggestion": "", "would_return": "maybe", "recommend_score": 7, "notes": "",
}


@pytest.fixture
def make_interview(database_url: str) -> Callable[..., Any]:
    """Inserts an exit interview with its theme tags; answers default to a middling leaver.

    `department` and `job_family` take a model or an id; `themes` takes theme codes;
    any ExitInterview field can be given (scores, would_return, exit_date, ...).
    """
    from datetime import date, timedelta

    from sqlalchemy import select as select_

    from actiontrack.clock import today
    from actiontrack.models import ExitInterview, InterviewTheme, Theme

    def factory(*, department: Any, job_family: Any, exit_date: date | None = None,
                themes: tuple[str, ...] | list[str] = (), **answers: Any) -> ExitInterview:
        async def create(session: AsyncSession) -> ExitInterview:
            interview = ExitInterview(
                **{**INTERVIEW_DEFAULTS, **answers},
                department_id=getattr(department, "id", department),
                job_family_id=getattr(job_family, "id", job_family),
                exit_date=exit_date or today() - timedelta(days=14),
            )
            session.add(interview)
            await session.flush()
            if themes:
                ids = dict((await session.execute(select_(Theme.code, Theme.id).where(Theme.code.in_(themes)))).all())
                session.add_all(InterviewTheme(interview_id=interview.id, theme_id=ids[code]) for code in themes)
            return interview

        return run(create, database_url)

    return factory


@pytest.fixture
def make_survey_link(database_url: str) -> Callable[..., str]:
    """Inserts a survey invitation and returns its token (only the hash is stored)."""
    from datetime import datetime, timedelta

    from actiontrack.auth.tokens import new_secret
    from actiontrack.clock import utcnow
    from actiontrack.models import SurveyInvitation

    def factory(*, department: Any, job_family: Any, created_by: User, language: str = "en",
                expires_at: datetime | None = None, used_at: datetime | None = None) -> str:
        token, digest = new_secret()

        async def create(session: AsyncSession) -> None:
            session.add(SurveyInvitation(
                token_hash=digest, department_id=getattr(department, "id", department),
                job_family_id=getattr(job_family, "id", job_family), language=language,
                created_by_id=created_by.id, expires_at=expires_at or utcnow() + timedelta(days=30), used_at=used_at,
            ))

        run(create, database_url)
        return token

    return factory


# --- reminders ---




class Inbox:
    """An aiosmtpd handler keeping every message; addresses in `refuse` are refused at RCPT."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802 (aiosmtpd's hook names)
        session.host_name = hostname
        self.connections += 1
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's hook names)
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook names)
        self.messages.append(_message_from_bytes(envelope.original_content, policy=_email_policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a loopback port; the test reads what it received."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield SmtpServer(port=port, inbox=inbox)
    controller.stop()


@dataclass
class HookReceiver:
    url: str
    posts: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)  # statuses to answer, in order; then 200

    def bodies(self, path: str | None = None) -> list[dict[str, Any]]:
        return [_json.loads(body) for where, _, body in self.posts if path is None or where == path]


@pytest.fixture
def webhook_receiver() -> Iterator[HookReceiver]:
    """A real HTTP server on a loopback port recording webhook posts; `answers` scripts its statuses."""
    receiver = HookReceiver(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            with lock:
                receiver.posts.append((self.path, dict(self.headers), body))
                status = receiver.answers.pop(0) if receiver.answers else 200
            self.send_response(status)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()



@pytest.fixture
def add_webhook(database_url: str) -> Callable[..., Any]:
    """Inserts a webhook row (generic JSON signed with `secret` unless another style is given)."""
    def factory(*, created_by: User, name: str = "Team chat", url: str, style: str = "generic",
                secret: str = "webhook-secret", active: bool = True) -> Any:
        async def create(session):
            from actiontrack.models import Webhook

            hook = Webhook(name=name, url=url, style=style, secret=secret, active=active, created_by_id=created_by.id)
            session.add(hook)
            await session.flush()
            return hook

        return run(create, database_url)

    return factory


def deliver_survey_answers(url: str) -> list[Any]:
    """The survey answers waiting in `url` written as interviews, as on the first request after their day."""
    from datetime import timedelta

    from actiontrack.clock import utcnow
    from actiontrack.surveys.queries import deliver_answers

    return run(lambda session: deliver_answers(session, now=utcnow() + timedelta(days=1)), url)
