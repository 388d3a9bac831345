"""Property-based fuzzing: odd values at every POST route and every API operation, on both engines.

The routes come from the app's route table and the API operations from `/schema/openapi.json`, so a
new route is fuzzed without anyone remembering to add it here (a form route whose fields cannot be
read from its form class must be listed in FORM_FIELDS: the test fails until it is). Hypothesis runs
derandomized with no example database, so a failure names its request and happens again in CI.

What must hold for every request: no 5xx, and an answer of 4xx leaves every table as it was.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select, text
from sqlmodel import SQLModel

from actiontrack import clock
from actiontrack.actions.details import ActionForm
from actiontrack.db import make_engine
from actiontrack.imports.tabular import read_csv, table_json
from actiontrack.interviews.rules import INTERVIEW_FIELDS
from actiontrack.models import (
    STAY_SCORE_QUESTIONS,
    ActionItem,
    ApiToken,
    CalendarFeed,
    ExtraQuestion,
    ImportUpload,
    QuestionAnswer,
    Role,
    ThemeSuggestion,
    User,
)
from actiontrack.params import MAX_ID

from conftest import Persona, csrf_token, run, sign_in

EXAMPLES_PER_ROUTE = 10
EXAMPLES_PER_OPERATION = 40
FUZZ = dict(derandomize=True, database=None, deadline=None, print_blob=False,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.filter_too_much, HealthCheck.data_too_large])

STAY_FIELDS = ["department_id", "job_family_id", "channel", "language", "held_on", "tenure_band", "keeps_here",
               "might_leave", "should_change", *STAY_SCORE_QUESTIONS, "notes", "themes", "intent"]
QUESTION_FIELDS = ["kind", "text_nl", "text_fr", "text_en", "options_nl", "options_fr", "options_en", "department_ids",
                   "job_family_ids"]
IMPORT_FIELDS = ["mapped", "column-0", "column-5", "value-5-0", "channel", "language", "accept_suggestions",
                 "skip_problems"]
# Form routes whose handler reads `request.form()` or a plain dict, by path template: the field names
# their templates send. Routes with a form class (a dataclass) are read from the class.
FORM_FIELDS: dict[str, list[str]] = {
    "/logout": [],
    "/actions/new": [*(name for name in ActionForm.__dataclass_fields__ if name != "theme_ids"), "themes"],
    "/actions/{action_id:int}/edit": [*(name for name in ActionForm.__dataclass_fields__ if name != "theme_ids"),
                                      "themes", "version"],
    "/actions/{action_id:int}/reassign": ["version", "owner_id", "note"],
    "/actions/{action_id:int}/deadline": ["version", "deadline", "note"],
    "/actions/{action_id:int}/publish": ["version", "published", "name_group"],
    "/actions/{action_id:int}/progress": ["version", "status", "progress", "note", "next"],
    "/accounts/invite/{user_id:int}/renew": [],
    "/accounts/invite/{user_id:int}/withdraw": [],
    "/accounts/api-tokens/{token_id:int}/revoke": [],
    "/interviews/new": [*INTERVIEW_FIELDS, "intent"],
    "/interviews/{interview_id:int}/edit": [*INTERVIEW_FIELDS, "intent"],
    "/interviews/{interview_id:int}/delete": [],
    "/survey/{token:str}": [name for name in INTERVIEW_FIELDS if name not in {"department_id", "job_family_id",
                                                                               "channel", "notes", "themes"}],
    "/themes/{theme_id:int}/suggestions/{suggestion_id:int}/delete": [],
    "/themes/{theme_id:int}/suggestions/{suggestion_id:int}/move": ["direction"],
    "/calendar/feeds/{feed_id:int}/revoke": [],
    "/webhooks/{webhook_id:int}/secret": [],
    "/webhooks/{webhook_id:int}/deactivate": [],
    "/webhooks/{webhook_id:int}/reactivate": [],
    "/webhooks/{webhook_id:int}/delete": [],
    "/webhooks/{webhook_id:int}/test": [],
    "/deliveries/{delivery_id:int}/retry": ["status", "channel"],
    "/people/{user_id:int}/role": ["role"],
    "/people/{user_id:int}/deactivate": [],
    "/people/{user_id:int}/reactivate": [],
    "/people/{user_id:int}/reassign": ["owner_id"],
    "/people/{user_id:int}/api-tokens/{token_id:int}/revoke": [],
    "/account/sign-out-everywhere": [],
    "/account/api-tokens/{token_id:int}/revoke": [],
    # Stay interviews (HR's form; a manager's is the same without channel and themes).
    "/stay-interviews/new": STAY_FIELDS,
    "/stay-interviews/{interview_id:int}/edit": STAY_FIELDS,
    "/stay-interviews/{interview_id:int}/delete": [],
    # The interview import: the upload (a multipart form) is read from its form class, UploadForm; the
    # mapping and import steps read the mapping fields of imports/_mapping.html.
    "/interviews/import/{upload_id:int}": IMPORT_FIELDS,
    "/interviews/import/{upload_id:int}/commit": IMPORT_FIELDS,
    "/interviews/import/{upload_id:int}/cancel": [],
    "/questions/new": QUESTION_FIELDS,
    "/questions/library": ["entry"],
    "/questions/{question_id:int}/edit": QUESTION_FIELDS,
    "/questions/{question_id:int}/retire": [],
}
# Answers that end the signed-in session of the fuzzing persona: it signs in again after them.
ENDS_SESSION = {"/logout", "/account/password"}
# Tables that a refused request writes on purpose: failed sign-ins count towards the throttle, and a
# password reset request is counted whether or not the address has an account.
WRITTEN_ON_REFUSAL = {"login_failure", "password_reset_request"}

# --- odd values ------------------------------------------------------------------------------------

BIG_NUMBERS = [2**31 - 1, 2**31, 2**53 + 1, 2**63, 2**64, 10**30, -1, -(2**31), -(2**63), 0]
IMPOSSIBLE_DATES = ["2026-02-30", "2026-13-01", "0000-00-00", "0001-01-01", "9999-12-31", "-0001-01-01",
                    "2026-1-1", "31/12/2026", "2026-02-29", "+12026-01-01", "2026-W01", "2026-06-15T25:00"]
NASTY_TEXT = ["\x00", "a\x00b", "\x1b[2J", "\x7f", "\x85", "\u2028", "\ufeff", "\r\n\t", "%00", "' OR 1=1 --",
              "{{ 7*7 }}", "<script>alert(1)</script>", "../../etc/passwd", "NaN", "Infinity", "1e309", "-0",
              "0x10", "²", "١٢", "🙂" * 5, "\u202etxt", "null", "true", "[]", "{}"]


def odd_text(longest: int = 100_000) -> st.SearchStrategy[str]:
    """Strings nobody types: control characters, huge numbers, impossible dates, long and foreign text."""
    return st.one_of(
        st.sampled_from(NASTY_TEXT),
        st.sampled_from(IMPOSSIBLE_DATES),
        st.sampled_from(BIG_NUMBERS).map(str),
        st.integers().map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.text(max_size=40),
        st.text(alphabet=st.characters(max_codepoint=0x9f), max_size=20),
        st.integers(min_value=190, max_value=longest).map(lambda size: "x" * size),
        st.builds(lambda year, month, day: f"{year}-{month:02d}-{day:02d}", st.integers(-10, 12000),
                  st.integers(0, 13), st.integers(0, 32)),
    )


def form_value(plausible: list[str]) -> st.SearchStrategy[str | list[str]]:
    """A field's value: something the route expects, something odd, or the field sent several times."""
    one = st.one_of(st.sampled_from(plausible), odd_text()) if plausible else odd_text()
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


# Values the pages expect in fields of these names, so that odd values meet the deeper checks too.
def plausible_values(world: World) -> dict[str, list[str]]:
    today = clock.today()
    dates = [today.isoformat(), (today + timedelta(days=30)).isoformat(), (today - timedelta(days=30)).isoformat()]
    ids = [str(world.department_id), str(world.job_family_id), str(world.owner_id), str(world.theme_id), "1"]
    return {
        "owner_id": [str(world.owner_id), str(world.hr_id)], "department_id": [str(world.department_id)],
        "job_family_id": [str(world.job_family_id)], "themes": [str(world.theme_id)],
        "evidence_theme": [str(world.theme_id)], "version": ["1", "2"], "deadline": dates, "exit_date": dates,
        "evidence_start": dates, "evidence_end": dates, "scope": ["company", "department", "job_family", "own", "all"],
        "status": ["planned", "in_progress", "blocked", "done", "cancelled", "failed", "sent"],
        "progress": ["0", "50", "100"], "language": ["nl", "fr", "en"], "role": ["hr", "leadership", "owner"],
        "channel": ["interview", "survey", "email", "webhook"], "style": ["slack", "teams", "generic"],
        "url": ["https://chat.example/hook", "http://127.0.0.1/hook", "javascript:alert(1)"],
        "email": ["new.person@example.com", "alice.hr@example.com"], "published": ["on", "yes"],
        "name_group": ["yes"], "direction": ["up", "down"], "intent": ["suggest", "save"], "next": ["/", "//evil"],
        "tenure_band": ["lt1", "1to2", "2to5", "gt5"], "would_return": ["yes", "maybe", "no"],
        "recommend_score": ["0", "10"], "held_on": dates, "target_percent": ["25", "25,5 %", "150"],
        "headcount": ["10"], "kind": ["scale", "yes_no", "choice", "text"], "entry": ["IT-2", "HR-0", "IT-9"],
        "department_ids": [str(world.department_id)], "job_family_ids": [str(world.job_family_id)],
        "options_en": ["A\nB", "A"], "text_en": ["Did your role match the job description?", ""],
        "active": ["on"], "*": ids + dates,
    }


# --- the world the routes act on -------------------------------------------------------------------


@dataclasses.dataclass
class World:
    hr_id: int
    owner_id: int
    invited_id: int
    department_id: int
    job_family_id: int
    theme_id: int
    suggestion_id: int
    action_id: int
    interview_id: int
    webhook_id: int
    api_token_id: int
    feed_id: int
    survey_token: str
    upload_id: int = 1
    question_id: int = 1

    def path_ids(self) -> dict[str, list[Any]]:
        """Real values for each path parameter (and a few odd ones), by name."""
        return {
            "action_id": [self.action_id], "user_id": [self.owner_id, self.invited_id],
            "token_id": [self.api_token_id], "interview_id": [self.interview_id], "theme_id": [self.theme_id],
            "suggestion_id": [self.suggestion_id], "feed_id": [self.feed_id], "webhook_id": [self.webhook_id],
            "delivery_id": [1], "group_id": [self.department_id, self.job_family_id],
            "kind": ["department", "job_family", "team"], "token": [self.survey_token, "unknown-token"],
            "upload_id": [self.upload_id], "question_id": [self.question_id],
        }


@pytest.fixture
def world(hr: Persona, owner: Persona, database_url: str, make_user: Callable[..., User],
          make_department: Callable[..., Any], make_job_family: Callable[..., Any],
          make_action: Callable[..., ActionItem], make_interview: Callable[..., Any],
          make_survey_link: Callable[..., str], make_api_token: Callable[..., str],
          add_webhook: Callable[..., Any], theme_ids: dict[str, int]) -> World:
    department, family = make_department(), make_job_family()
    invited = make_user(Role.OWNER, "invited@example.com")

    async def uninvite(session: Any) -> None:
        await session.execute(text("UPDATE app_user SET password_hash = NULL WHERE id = :id"), {"id": invited.id})

    run(uninvite, database_url)
    action = make_action(owner=owner.user, created_by=hr.user, theme_codes=("management",))
    interview = make_interview(department=department, job_family=family, themes=("management",))
    make_api_token(hr.user)
    hook = add_webhook(created_by=hr.user, url="https://chat.example/hook")

    async def more(session: Any) -> tuple[int, int, int, int, int]:
        token_id = (await session.execute(select(ApiToken.id))).scalars().first()
        suggestion_id = (await session.execute(
            select(ThemeSuggestion.id).where(ThemeSuggestion.theme_id == theme_ids["management"]))).scalars().first()
        feed = CalendarFeed(user_id=hr.user.id, scope="own", token_hash="f" * 64)
        # A file waiting to be imported, for the mapping and import steps.
        table = read_csv(f"Afdeling;Functiefamilie\n{department.name};{family.name}\n".encode())
        upload = ImportUpload(kind="exit_interviews", filename="export.csv", created_by_id=hr.user.id,
                              content=table_json(table))
        # An extra question the interview answered: edits make a new version.
        question = ExtraQuestion(kind="choice", text_en="What slowed your work?", options_en="Tools\nMeetings",
                                 department_ids=[department.id])
        session.add_all([feed, upload, question])
        await session.flush()
        question.series_id = question.id
        session.add(QuestionAnswer(interview_id=interview.id, question_id=question.id, value=0))
        return token_id, suggestion_id, feed.id, upload.id, question.id

    token_id, suggestion_id, feed_id, upload_id, question_id = run(more, database_url)
    survey = make_survey_link(department=department, job_family=family, created_by=hr.user)
    return World(hr_id=hr.user.id, owner_id=owner.user.id, invited_id=invited.id, department_id=department.id,
                 job_family_id=family.id, theme_id=theme_ids["management"], suggestion_id=suggestion_id,
                 action_id=action.id, interview_id=interview.id, webhook_id=hook.id, api_token_id=token_id,
                 feed_id=feed_id, survey_token=survey, upload_id=upload_id, question_id=question_id)


class Fingerprint:
    """A digest of every row of every table (but those written on refusal on purpose), in one query."""

    def __init__(self, url: str) -> None:
        # Its own loop in a thread of its own: Playwright's sync API may keep a loop running in this one.
        self.loop = asyncio.new_event_loop()
        self.thread = ThreadPoolExecutor(max_workers=1)
        self.engine = make_engine(url)
        tables = [table for table in SQLModel.metadata.sorted_tables if table.name not in WRITTEN_ON_REFUSAL]
        if self.engine.dialect.name == "postgresql":
            parts = [f"SELECT '{table.name}', md5(coalesce(string_agg(row_text, '|' ORDER BY row_text), '')) "
                     f'FROM (SELECT t::text AS row_text FROM "{table.name}" t) rows' for table in tables]
        else:
            parts = [f"SELECT '{table.name}', group_concat(row_text, '|') FROM (SELECT "
                     + " || ',' || ".join(f'quote("{column.name}")' for column in table.columns)
                     + f' AS row_text FROM "{table.name}" ORDER BY row_text)' for table in tables]
        self.query = text(" UNION ALL ".join(parts))

    def take(self) -> dict[str, str]:
        async def read() -> dict[str, str]:
            async with self.engine.connect() as connection:
                found = (await connection.execute(self.query)).all()
            return {name: hashlib.sha256((content or "").encode()).hexdigest() for name, content in found}

        return self._run(read())

    def _run(self, coroutine: Any) -> Any:
        return self.thread.submit(self.loop.run_until_complete, coroutine).result()

    def close(self) -> None:
        self._run(self.engine.dispose())
        self.thread.submit(self.loop.close).result()
        self.thread.shutdown()


@pytest.fixture
def fingerprint(database_url: str) -> Iterator[Fingerprint]:
    taken = Fingerprint(database_url)
    yield taken
    taken.close()


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


# --- every POST route of the app -------------------------------------------------------------------


def form_routes(app: Litestar) -> list[tuple[str, Any]]:
    """Every POST route outside the API, with its handler, from the app's route table."""
    found = []
    for route in app.routes:
        for method, (handler, _) in getattr(route, "route_handler_map", {}).items():
            if method == "POST" and not route.path.startswith("/api/"):
                found.append((route.path, handler))
    return found


def fields_of(path: str, handler: Any) -> list[str] | None:
    """The field names a route reads: from its form class, else from FORM_FIELDS (None: unknown)."""
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is not None and dataclasses.is_dataclass(data.annotation):
        return [field.name for field in dataclasses.fields(data.annotation)]
    return FORM_FIELDS.get(path)


def test_every_post_route_is_known_to_the_fuzzer(app: Litestar) -> None:
    routes = form_routes(app)
    assert len(routes) > 40
    unknown = [path for path, handler in routes if fields_of(path, handler) is None]
    assert not unknown, f"add these POST routes to FORM_FIELDS in {__file__}: {unknown}"


def concrete_path(template: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+):\w+\}", lambda match: str(values[match.group(1)]), template)


def is_public(handler: Any) -> bool:
    return not handler.resolve_guards()


@st.composite
def form_request(draw: st.DrawFn, path: str, fields: list[str], world: World,
                 plausible: dict[str, list[str]]) -> tuple[str, dict[str, Any] | bytes]:
    """A path with real or odd ids, and a form body of real and odd values (or a malformed body)."""
    names = re.findall(r"\{(\w+):\w+\}", path)
    choices = world.path_ids()
    values = {name: draw(st.one_of(st.sampled_from(choices[name]), st.sampled_from([1, MAX_ID])))
              if name in choices else draw(odd_text()) for name in names}
    target = concrete_path(path, values)
    if draw(st.integers(0, 9)) == 9:
        # Bytes no form encoder makes: broken percent escapes, invalid UTF-8, bare separators.
        return target, draw(st.sampled_from([b"%zz=%&&==", b"title=\xff\xfe", b"=&=&", b"a=" + b"%00" * 50,
                                             b"\x00\x01\x02", b"name=" + b"x" * 200_000]))
    chosen = draw(st.lists(st.sampled_from(fields), unique=True, max_size=len(fields))) if fields else []
    body = {name: draw(form_value(plausible.get(name, plausible["*"]))) for name in chosen}
    if draw(st.booleans()):
        body[draw(st.sampled_from(["extra", "id", "_method", "csrf", ""]))] = draw(odd_text())
    return target, body


def test_odd_values_at_every_post_route_never_fail_or_half_save(
    hr: Persona, anon: TestClient, app: Litestar, world: World, fingerprint: Fingerprint,
) -> None:
    plausible = plausible_values(world)
    # Routes that delete what others act on come late, and those that end the session last of all.
    routes = sorted(form_routes(app), key=lambda item: (item[0] in ENDS_SESSION, item[0].endswith("/delete"),
                                                        not fields_of(*item), item[0]))
    statuses: dict[str, list[int]] = {}
    state = {"digest": fingerprint.take()}

    for path, handler in routes:
        fields = fields_of(path, handler) or []
        client = anon if is_public(handler) else hr.client

        # A sign-in checks a real argon2 hash: routes that need one again are fuzzed less.
        @settings(max_examples=EXAMPLES_PER_ROUTE // (3 if path in ENDS_SESSION else 1), **FUZZ)
        @given(request=form_request(path, fields, world, plausible))
        def check(request: tuple[str, dict[str, Any] | bytes]) -> None:
            target, body = request
            token = csrf_token(client)
            if isinstance(body, bytes):
                response = client.post(target, content=body + b"&_csrf_token=" + token.encode(),
                                       headers={"content-type": "application/x-www-form-urlencoded",
                                                "x-csrftoken": token}, follow_redirects=False)
            else:
                response = client.post(target, data={"_csrf_token": token, **body}, follow_redirects=False)
            statuses.setdefault(path, []).append(response.status_code)
            assert response.status_code < 500, (target, body, response.text[:500])
            after = fingerprint.take()
            if 400 <= response.status_code < 500:
                assert not changed_tables(state["digest"], after), (target, body, response.status_code)
            state["digest"] = after
            if path in ENDS_SESSION and client is hr.client and response.status_code < 400:
                sign_in(hr.client, hr.user.email)
                state["digest"] = fingerprint.take()

        check()

    # The persona was let in: a route answering only "no access" was not fuzzed at all.
    shut = [path for path, seen in statuses.items() if all(status in (401, 403) for status in seen)]
    assert not shut, shut
    assert len(statuses) == len(routes)


# --- every API operation from the OpenAPI document ------------------------------------------------


def resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def odd_json() -> st.SearchStrategy[Any]:
    """JSON values of the wrong type or beyond every limit."""
    return st.one_of(
        st.sampled_from(BIG_NUMBERS), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
        odd_text(), st.sampled_from([None, True, False, [], {}, [None], {"": None}, [2**40], "", " "]),
        st.lists(st.integers(), max_size=4), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    )


def from_schema(schema: dict[str, Any], components: dict[str, Any], *, depth: int = 0) -> st.SearchStrategy[Any]:
    """A value the schema allows (its limits included)."""
    schema = resolve(schema, components)
    if "oneOf" in schema or "anyOf" in schema:
        # Limits stated next to the options (Litestar writes them there for optional fields) hold for each.
        limits = {key: value for key, value in schema.items() if key not in {"oneOf", "anyOf"}}
        return st.one_of([from_schema({**resolve(option, components), **limits}, components, depth=depth)
                          for option in schema.get("oneOf", schema.get("anyOf"))])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "const" in schema:
        return st.just(schema["const"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([from_schema({**schema, "type": one}, components, depth=depth) for one in kind])
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(min_value=schema.get("minimum"), max_value=schema.get("maximum"))
    if kind == "number":
        return st.floats(min_value=schema.get("minimum"), max_value=schema.get("maximum"), allow_nan=False,
                         allow_infinity=False)
    if kind == "string":
        if schema.get("format") == "date":
            return st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)).map(date.isoformat)
        if schema.get("format") == "date-time":
            return st.datetimes().map(lambda moment: moment.isoformat() + "Z")
        return st.text(min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 300), 300))
    if kind == "array":
        return st.lists(from_schema(schema.get("items", {}), components, depth=depth + 1),
                        max_size=min(schema.get("maxItems", 4), 4))
    if kind == "object" and depth < 3:
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {name: from_schema(properties[name], components, depth=depth + 1) for name in required},
            optional={name: from_schema(value, components, depth=depth + 1)
                      for name, value in properties.items() if name not in required},
        )
    return odd_json()


def hints(world: World) -> dict[str, st.SearchStrategy[Any]]:
    """Values that exist in the world for properties of these names, so valid documents get through."""
    today = clock.today()
    return {
        "owner_id": st.sampled_from([world.owner_id, world.hr_id]), "theme_id": st.just(world.theme_id),
        "theme_ids": st.lists(st.just(world.theme_id), max_size=1), "department_id": st.just(world.department_id),
        "job_family_id": st.just(world.job_family_id), "version": st.integers(1, 2),
        "extra_answers": st.lists(st.fixed_dictionaries({"question_id": st.just(world.question_id),
                                                         "answer": st.sampled_from(["0", "1", "9"])}), max_size=1),
        # An action needs a title in some language; a blank one is a bent document's business.
        "title": st.text(min_size=1, max_size=200).filter(str.strip),
        "deadline": st.dates(min_value=today + timedelta(days=1), max_value=today + timedelta(days=3000))
        .map(date.isoformat),
    }


@st.composite
def bent(draw: st.DrawFn, schema: dict[str, Any], components: dict[str, Any],
         named: dict[str, st.SearchStrategy[Any]]) -> Any:
    """A document as the schema says, with now and then a field odd, missing or of the wrong type."""
    schema = resolve(schema, components)
    properties = schema.get("properties")
    if schema.get("type") != "object" or not properties:
        return draw(st.one_of(from_schema(schema, components), odd_json()))
    required = set(schema.get("required", []))
    document = {}
    for name, value in properties.items():
        if name not in required and draw(st.booleans()):
            continue
        # Hypothesis leans to small numbers: the smallest rolls keep the field valid.
        roll = draw(st.integers(0, 9))
        if roll == 9:
            continue  # missing, even when required
        if roll >= 7:
            document[name] = draw(odd_json())
        else:
            document[name] = draw(named[name] if name in named else from_schema(value, components))
    return document


def api_operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, operation) for path, item in document["paths"].items()
            for method, operation in item.items() if method in {"get", "post", "put", "patch", "delete"}]


@st.composite
def api_request(draw: st.DrawFn, path: str, operation: dict[str, Any], components: dict[str, Any],
                world: World) -> tuple[str, dict[str, Any], Any]:
    target = path
    query: dict[str, Any] = {}
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter["in"] == "path":
            odd = draw(st.integers(0, 3)) == 3
            value = draw(st.one_of(st.sampled_from(BIG_NUMBERS), from_schema(schema, components))) if odd \
                else world.action_id
            target = target.replace("{" + parameter["name"] + "}", str(value))
        elif parameter["in"] == "query" and draw(st.booleans()):
            # httpx refuses URLs past 64 KiB; servers would answer 414 before the app.
            query[parameter["name"]] = draw(st.one_of(from_schema(schema, components), odd_text(longest=8000)))
    body = None
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is not None:
        body = draw(st.one_of(bent(content["schema"], components, hints(world)), odd_json()))
    return target, query, body


def violations(value: Any, schema: dict[str, Any], components: dict[str, Any], where: str = "") -> Iterator[str]:
    """Where an answer breaks the limits its schema states."""
    schema = resolve(schema, components)
    options = schema.get("oneOf") or schema.get("anyOf")
    if options:
        limits = {key: found for key, found in schema.items() if key not in {"oneOf", "anyOf"}}
        if all(list(violations(value, {**resolve(option, components), **limits}, components, where))
               for option in options):
            yield f"{where}: {value!r} fits none of {options}"
        return
    if isinstance(value, dict):
        for name, item in value.items():
            if name in schema.get("properties", {}):
                yield from violations(item, schema["properties"][name], components, f"{where}.{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from violations(item, schema.get("items", {}), components, f"{where}[{index}]")
    elif value is None:
        if schema.get("type") not in (None, "null"):
            yield f"{where}: null"
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < schema.get("minimum", value) or value > schema.get("maximum", value):
            yield f"{where}: {value} beyond {schema.get('minimum')}..{schema.get('maximum')}"
    elif isinstance(value, str) and len(value) > schema.get("maxLength", len(value)):
        yield f"{where}: {len(value)} characters, at most {schema['maxLength']}"


def test_odd_documents_at_every_api_operation_never_fail_or_half_save(
    hr: Persona, anon: TestClient, world: World, fingerprint: Fingerprint, make_api_token: Callable[..., str],
) -> None:
    document = anon.get("/schema/openapi.json").json()
    components = document.get("components", {}).get("schemas", {})
    operations = api_operations(document)
    assert {(method, path) for method, path, _ in operations} >= {
        ("GET", "/api/v1/actions"), ("POST", "/api/v1/actions"), ("GET", "/api/v1/actions/{action_id}"),
        ("PATCH", "/api/v1/actions/{action_id}")}
    headers = {"authorization": f"Bearer {make_api_token(hr.user)}"}
    state = {"digest": fingerprint.take()}
    answered: dict[tuple[str, str], set[int]] = {}

    for method, path, operation in operations:
        @settings(max_examples=EXAMPLES_PER_OPERATION, **FUZZ)
        @given(request=api_request(path, operation, components, world))
        def check(request: tuple[str, dict[str, Any], Any]) -> None:
            target, query, body = request
            content = None if body is None and method == "GET" else json.dumps(body).encode()
            response = anon.request(method, target, params=query, content=content,
                                    headers={**headers, "content-type": "application/json"})
            answered.setdefault((method, path), set()).add(response.status_code)
            assert response.status_code < 500, (method, target, query, body, response.text[:500])
            assert response.headers["content-type"].startswith("application/json"), response.headers
            if response.status_code < 300:
                answer = operation["responses"][str(response.status_code)]["content"]["application/json"]["schema"]
                problems = list(violations(response.json(), answer, components))
                assert not problems, (method, target, body, problems)
            after = fingerprint.take()
            if 400 <= response.status_code < 500:
                assert not changed_tables(state["digest"], after), (method, target, body, response.status_code)
            state["digest"] = after

        check()

    # The token was let in, and some documents were good enough to be saved.
    assert all(statuses - {401, 403} for statuses in answered.values()), answered
    assert 201 in answered[("POST", "/api/v1/actions")], answered


def test_fingerprint_sees_a_changed_row(database_url: str, fingerprint: Fingerprint, hr: Persona) -> None:
    before = fingerprint.take()

    async def rename(session: Any) -> None:
        await session.execute(text("UPDATE app_user SET display_name = 'Renamed' WHERE id = :id"),
                              {"id": hr.user.id})

    run(rename, database_url)
    assert changed_tables(before, fingerprint.take()) == ["app_user"]
