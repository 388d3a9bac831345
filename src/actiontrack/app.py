"""The application factory: plugins, routes, templates, security."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager, suppress
from typing import Any
from urllib.parse import quote

import anyio
from litestar import Litestar, Request, Response
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException, NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.exceptions.responses import create_exception_response
from litestar.middleware import DefineMiddleware
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.plugins.htmx import HTMXPlugin, HTMXRequest
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Template
from litestar.routes import HTTPRoute
from litestar.static_files import create_static_files_router
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    HTTP_500_INTERNAL_SERVER_ERROR,
)
from litestar.template.config import TemplateConfig
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from actiontrack import api, clock, home, i18n, my_account, oidc, password_reset, reporting
from actiontrack.accounts import pages as account_pages
from actiontrack.actions import pages as action_pages
from actiontrack.auth import pages as auth_pages
from actiontrack.auth.passwords import PasswordChecks, use_password_hash_cost
from actiontrack.auth.sessions import CurrentUserMiddleware, pick_language
from actiontrack.auth.tokens import API_PREFIX
from actiontrack.caching import Memo
from actiontrack.calendar_feeds import pages as calendar_pages
from actiontrack.changes import pages as change_pages
from actiontrack.changes.cache import NewVisitorReplay, SharedValidatorQuery
from actiontrack.db import make_engine, make_sessionmaker, migration_problem, provide_session
from actiontrack.disclosure import Disclosure
from actiontrack.i18n import gettext as _
from actiontrack.imports import pages as import_pages
from actiontrack.interviews import pages as interview_pages
from actiontrack.org_import import pages as org_import_pages
from actiontrack.organisation import pages as organisation_pages
from actiontrack.people import pages as people_pages
from actiontrack.questions import pages as question_pages
from actiontrack.radar import pages as radar_pages
from actiontrack.reminders import pages as reminder_pages
from actiontrack.request_checks import MESSAGES, RequestChecks
from actiontrack.serving import RequestLog, configure_logging, current_request_id, unexpected_error, wants_json
from actiontrack.settings import LANGUAGES, Settings
from actiontrack.status import pages as status_pages
from actiontrack.surveys import pages as survey_pages
from actiontrack.surveys.queries import AnswerDelivery
from actiontrack.surveys.rules import HideSurveyTokens
from actiontrack.themes import pages as theme_pages
from actiontrack.web import link_templates_to, template_environment
from actiontrack.webhooks import pages as webhook_pages

logger = logging.getLogger("actiontrack")


class DatabaseNotReady(RuntimeError):
    """The database is missing tables or not at the latest migration."""


def not_signed_in(request: Request, exc: NotAuthorizedException) -> Response:
    """Pages send people to the login page and back; HTMX is told to navigate; JSON gets 401."""
    if wants_json(request):
        return Response({"status_code": 401, "detail": exc.detail}, status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login = f"{request.app.route_reverse('login')}?next={quote(target)}"
    if request.headers.get("hx-request"):
        return Response("", status_code=401, headers={"HX-Redirect": login})
    return Redirect(login, status_code=303)


def error_page(request: Request, exc: HTTPException) -> Response:
    if wants_json(request):
        return Response({"status_code": exc.status_code, "detail": exc.detail}, status_code=exc.status_code)
    return Template("errors/error.html", context={"status_code": exc.status_code}, status_code=exc.status_code)


def _checks_message(detail: str) -> str | None:
    """The message id of request_checks that `detail` is (in any language), or None."""
    for message in MESSAGES:
        if detail in {i18n.translations(language).ugettext(message) for language in LANGUAGES}:
            return message
    return None


def unreadable_request(request: Request, exc: HTTPException) -> Response:
    """400, 413 and 415: JSON for the API and JSON clients, else the error page with what went wrong.

    These are often refused before the user is known (request_checks runs first), so the page's
    language then comes from ?lang=, the language cookie or the browser.
    """
    if wants_json(request):
        return create_exception_response(request, exc)
    if "user" not in request.scope:
        i18n.set_language(pick_language(request, None, request.app.state.settings))
    known = _checks_message(exc.detail)
    if known is not None:
        message = _(known)
    elif exc.status_code == HTTP_413_REQUEST_ENTITY_TOO_LARGE:
        message = _("What you sent is too large.")
    else:
        message = _("The form could not be read. Go back, reload the page and try again.")
    context = {"status_code": exc.status_code, "message": message, "request_id": current_request_id()}
    return Template("errors/error.html", context=context, status_code=exc.status_code)


async def deliver_survey_answers(request: Request) -> None:
    """Survey answers of days gone by become interviews before a page reads (see surveys/; hourly at most)."""
    await deliver_answers_of(request.app)


async def deliver_answers_of(app: Litestar) -> None:
    """The survey answers of past days become interviews, at most hourly per worker (surveys.AnswerDelivery)."""
    delivery = _kept(app.state, "answer_delivery", AnswerDelivery)
    await delivery.ensure_delivered(app.state.sessionmaker, now=clock.utcnow())


# --- what handlers get by injection (`name: NamedDependency[Type]`) -------------------------------
# The app's state is read here only: a test's app moves to the next test's database (tests/conftest.py,
# AppPool), so each request asks the state for what the app holds now. Per-worker objects are made on
# first use (a limiter belongs to the worker's event loop).


def _kept(state: State, name: str, make: Any) -> Any:
    found = state.get(name)
    if found is None:
        found = make()
        setattr(state, name, found)
    return found


def provide_settings(state: State) -> Settings:
    return state.settings


def provide_engine(state: State) -> AsyncEngine:
    return state.engine


def provide_sessionmaker(state: State) -> async_sessionmaker[AsyncSession]:
    return state.sessionmaker


def provide_memo(state: State) -> Memo:
    return _kept(state, "memo", Memo)


def provide_disclosure(state: State) -> Disclosure:
    return _kept(state, "disclosure", lambda: Disclosure(state.settings, sessionmaker=state.sessionmaker,
                                                         memo=provide_memo(state)))


def provide_password_checks(state: State) -> PasswordChecks:
    settings: Settings = state.settings
    limiter = _kept(state, "password_checks", lambda: anyio.CapacityLimiter(settings.password_checks_at_once))
    return PasswordChecks(limiter=limiter, wait_seconds=settings.password_check_wait_seconds)


def provide_changes_validator(state: State) -> SharedValidatorQuery:
    settings: Settings = state.settings
    return _kept(state, "changes_validator",
                 lambda: SharedValidatorQuery(state.engine, max_age=settings.changes_max_stale_seconds))


def provide_oidc_discovery(state: State) -> oidc.Discovery:
    return _kept(state, "oidc_discovery", oidc.Discovery)


DEPENDENCIES = {
    "db": Provide(provide_session),
    "settings": Provide(provide_settings, sync_to_thread=False),
    "engine": Provide(provide_engine, sync_to_thread=False),
    "sessionmaker": Provide(provide_sessionmaker, sync_to_thread=False),
    "disclosure": Provide(provide_disclosure, sync_to_thread=False),
    "password_checks": Provide(provide_password_checks, sync_to_thread=False),
    "memo": Provide(provide_memo, sync_to_thread=False),
    "changes_validator": Provide(provide_changes_validator, sync_to_thread=False),
    "oidc_discovery": Provide(provide_oidc_discovery, sync_to_thread=False),
}


async def release_when_due(app: Litestar, *, every: float) -> None:
    """The worker's cheap check, every `every` seconds: survey answers of past days become interviews,
    then periods fallen due are released (between release days this is one small query, HR's period
    length; workers racing for a period release it once, see disclosure/release.py)."""
    while True:
        await asyncio.sleep(every)
        try:
            await deliver_answers_of(app)
            await app.state.disclosure.release_due(today=clock.today())
        except Exception:  # the database may be away for a moment: the next check tries again
            logger.exception("the check for periods fallen due failed")


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the app; the database is checked at start-up, not here."""
    settings = settings or Settings()
    use_password_hash_cost(settings.password_hash_cost)
    engine = make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        # What the app holds, not what it was built with: the test suite reuses a built app for
        # the next test's database (tests/conftest.py, AppPool).
        settings: Settings = app.state.settings
        engine = app.state.engine
        problem = await migration_problem(engine)
        if problem:
            logger.error(problem)
            raise DatabaseNotReady(problem)
        # Survey answers of past days become interviews, then periods that fell due while no worker
        # ran (or before this version) are released.
        app.state.answer_delivery = AnswerDelivery()
        await deliver_answers_of(app)
        app.state.disclosure = disclosure = Disclosure(settings, sessionmaker=app.state.sessionmaker,
                                                       memo=provide_memo(app.state))
        await disclosure.release_due(today=clock.today())
        # Suppression of a large period takes a fraction of a second: done once here, not on a first request.
        async with app.state.sessionmaker() as session:
            await disclosure.released(session)
        # Periods falling due later are released by this worker's check, never by a reader's request.
        check = asyncio.create_task(release_when_due(app, every=settings.release_check_seconds))
        try:
            yield
        finally:
            check.cancel()
            with suppress(asyncio.CancelledError):
                await check
            await engine.dispose()

    session_config = CookieBackendConfig(
        secret=settings.derived_key("session"),
        key="actiontrack_session",
        max_age=settings.session_max_age,
        secure=settings.secure_cookies,
        httponly=True,
        samesite="lax",
    )
    csrf_config = CSRFConfig(
        secret=settings.derived_key("csrf").hex(),
        cookie_secure=settings.secure_cookies,
        cookie_samesite="lax",
        cookie_httponly=False,
        # Safe because the API ignores the session cookie and accepts only bearer tokens (auth/sessions.py).
        exclude=[f"^{API_PREFIX}"],
    )
    static_routers = [
        create_static_files_router(path="/static", directories=[settings.static_dir], name="static"),
        create_static_files_router(
            path="/vendor/htmx", directories=[settings.vendor_dir / "htmx.org" / "dist"], name="vendor.htmx"
        ),
    ]
    app = Litestar(
        route_handlers=[
            *auth_pages.routes, *oidc.routes, *home.routes, *organisation_pages.routes, *action_pages.routes,
            *api.routes, *account_pages.routes, *import_pages.routes, *interview_pages.routes,
            *survey_pages.routes, *theme_pages.routes, *question_pages.routes,
            *radar_pages.routes, *change_pages.routes,
            *status_pages.routes, *calendar_pages.routes, *webhook_pages.routes, *reminder_pages.routes,
            *people_pages.routes,
            *my_account.routes, *password_reset.routes, *org_import_pages.routes, *reporting.routes, *static_routers,
        ],
        dependencies=DEPENDENCIES,
        middleware=[RequestChecks,
                    DefineMiddleware(NewVisitorReplay, memo=lambda: provide_memo(app.state),
                                     validator=lambda: provide_changes_validator(app.state),
                                     public=settings.changes_access == "public"),
                    session_config.middleware,
                    CurrentUserMiddleware(settings, sessions=lambda: app.state.sessionmaker)],
        csrf_config=csrf_config,
        # The OpenAPI schema documents the JSON API only; api.router opts its routes back in.
        openapi_config=api.openapi_config(),
        include_in_schema=False,
        template_config=TemplateConfig(instance=JinjaTemplateEngine.from_environment(template_environment(settings))),
        plugins=[HTMXPlugin()],
        request_class=HTMXRequest,
        exception_handlers={
            NotAuthorizedException: not_signed_in,
            PermissionDeniedException: error_page,
            NotFoundException: error_page,
            HTTP_400_BAD_REQUEST: unreadable_request,
            HTTP_413_REQUEST_ENTITY_TOO_LARGE: unreadable_request,
            HTTP_415_UNSUPPORTED_MEDIA_TYPE: unreadable_request,
            HTTP_500_INTERNAL_SERVER_ERROR: unexpected_error,
        },
        # The security headers are set on every answer by serving.RequestLog, around everything.
        lifespan=[lifespan],
        before_request=deliver_survey_answers,
        debug=False,
    )
    link_templates_to(app, app.template_engine.engine)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    # Around everything Litestar serves, its router's 404s and static files included.
    app.asgi_handler = RequestLog(app.asgi_handler, hsts=settings.secure_cookies,
                                  methods={route.path_format: route.methods for route in app.routes
                                           if isinstance(route, HTTPRoute)})
    return app


def freeze_startup_objects() -> None:
    """Keep what start-up built (modules, routes, templates) out of the collector's full passes.

    It lives as long as the worker anyway; left in, each full pass walks all of it, which added up
    to 90 ms to a /status request at 100,000 interviews.
    """
    gc.collect()
    gc.freeze()


def create_worker_app() -> Litestar:
    """The app as `actiontrack serve` runs it in each worker process."""
    settings = Settings()
    configure_logging(settings.log_format)
    app = create_app(settings)
    app.on_startup.append(freeze_startup_objects)
    logging.getLogger("uvicorn.access").addFilter(calendar_pages.HideFeedTokens())
    logging.getLogger("uvicorn.access").addFilter(HideSurveyTokens())
    return app

