"""The JSON API: bearer tokens only, the same rules as the pages, JSON errors, an OpenAPI schema."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select
from test_actions import add_interviews, get_action, make_groups, theme_id

from actiontrack import clock
from actiontrack.disclosure.periods import due_periods
from actiontrack.models import ActionEvidence, ActionItem, ActionUpdate, ApiToken, AuditEvent, Role, User
from actiontrack.settings import Settings

from conftest import Persona, count, release_now, run

TODAY = clock.today()


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}", "accept-language": "en"}


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    return {
        "hr": make_user(Role.HR, "api.hr@example.com", name="Api HR"),
        "leader": make_user(Role.LEADERSHIP, "api.lead@example.com", name="Api Leader"),
        "owner": make_user(Role.OWNER, "api.owner@example.com", name="Api Owner"),
        "other": make_user(Role.OWNER, "api.other@example.com", name="Api Other"),
    }


@pytest.fixture
def tokens(people: dict[str, User], make_api_token: Callable[..., str]) -> dict[str, str]:
    return {name: make_api_token(user) for name, user in people.items()}


# --- authentication -----------------------------------------------------------------------------


def test_no_token_or_a_wrong_one_gets_401_json(anon: TestClient, tokens: dict[str, str]) -> None:
    for headers in ({}, {"authorization": "Bearer not-a-token"}, {"authorization": f"Basic {tokens['hr']}"},
                    {"authorization": "Bearer "}):
        response = anon.get("/api/v1/actions", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["status_code"] == 401


def test_the_session_cookie_does_not_open_the_api(hr: Persona) -> None:
    assert hr.client.get("/actions").status_code == 200
    response = hr.client.get("/api/v1/actions")
    assert response.status_code == 401
    response = hr.client.post("/api/v1/actions", json={"title": "x"},
                              headers={"x-csrftoken": hr.client.cookies["csrftoken"]})
    assert response.status_code == 401


def test_revoked_tokens_and_tokens_of_deactivated_users_stop_working(
    anon: TestClient, people: dict[str, User], tokens: dict[str, str], database_url: str
) -> None:
    assert anon.get("/api/v1/actions", headers=bearer(tokens["hr"])).status_code == 200

    async def revoke_and_deactivate(session):
        token = (await session.execute(select(ApiToken).where(ApiToken.user_id == people["hr"].id))).scalar_one()
        token.revoked_at = clock.utcnow()
        (await session.get(User, people["leader"].id)).active = False

    run(revoke_and_deactivate, database_url)
    assert anon.get("/api/v1/actions", headers=bearer(tokens["hr"])).status_code == 401
    assert anon.get("/api/v1/actions", headers=bearer(tokens["leader"])).status_code == 401
    assert anon.get("/api/v1/actions", headers=bearer(tokens["owner"])).status_code == 200


def test_using_a_token_records_when_it_was_last_used(
    anon: TestClient, tokens: dict[str, str], people: dict[str, User], database_url: str
) -> None:
    async def last_used(session):
        return (await session.execute(select(ApiToken.last_used_at).where(ApiToken.user_id == people["owner"].id))
                ).scalar_one()

    assert run(last_used, database_url) is None
    anon.get("/api/v1/actions", headers=bearer(tokens["owner"]))
    assert run(last_used, database_url) is not None


def test_api_writes_need_no_csrf_token_but_a_bearer_token(
    anon: TestClient, tokens: dict[str, str], people: dict[str, User], database_url: str
) -> None:
    body = {"title": "API action", "owner_id": people["owner"].id, "deadline": str(TODAY + timedelta(days=9))}
    assert anon.post("/api/v1/actions", json=body).status_code == 401
    response = anon.post("/api/v1/actions", json=body, headers=bearer(tokens["hr"]))
    assert response.status_code == 201, response.text
    assert "csrftoken" not in response.headers.get("set-cookie", "")
    assert count(database_url, ActionItem) == 1


# --- roles --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who, list_status, read_own, read_other, create, update_own, update_other", [
    ("hr", 200, 200, 200, 201, 200, 200),
    ("leader", 200, 200, 200, 403, 403, 403),
    ("owner", 200, 200, 403, 403, 200, 403),
])
def test_each_token_acts_with_its_users_role(
    anon: TestClient, people: dict[str, User], tokens: dict[str, str], make_action, database_url: str,
    who: str, list_status: int, read_own: int, read_other: int, create: int, update_own: int, update_other: int,
) -> None:
    own = make_action(owner=people["owner"], created_by=people["hr"], title="Owner's")
    other = make_action(owner=people["other"], created_by=people["hr"], title="Other's")
    headers = bearer(tokens[who])
    listed = anon.get("/api/v1/actions", headers=headers)
    assert listed.status_code == list_status
    titles = {item["title"] for item in listed.json()}
    assert titles == ({"Owner's"} if who == "owner" else {"Owner's", "Other's"})
    assert anon.get(f"/api/v1/actions/{own.id}", headers=headers).status_code == read_own
    assert anon.get(f"/api/v1/actions/{other.id}", headers=headers).status_code == read_other
    body = {"title": "New", "owner_id": people["owner"].id, "deadline": str(TODAY + timedelta(days=9))}
    assert anon.post("/api/v1/actions", json=body, headers=headers).status_code == create
    update = {"version": 1, "status": "in_progress", "progress": 25, "note": f"by {who}"}
    assert anon.patch(f"/api/v1/actions/{own.id}", json=update, headers=headers).status_code == update_own
    assert anon.patch(f"/api/v1/actions/{other.id}", json=update, headers=headers).status_code == update_other
    if update_other == 403:
        assert get_action(database_url, other.id).version == 1
        assert count(database_url, ActionUpdate, ActionUpdate.action_id == other.id) == 1


# --- reading ------------------------------------------------------------------------------------


def test_list_filters_and_read_one(
    anon: TestClient, people: dict[str, User], tokens: dict[str, str], make_action, database_url: str
) -> None:
    retail, _logistics, _family = make_groups(database_url)
    late = make_action(owner=people["owner"], created_by=people["hr"], title="Late", deadline=TODAY - timedelta(days=4),
                       theme_codes=("management",))
    make_action(owner=people["other"], created_by=people["hr"], title="Retail", scope="department",
                department_id=retail, status="in_progress", published=True, public_summary="Visible")
    make_action(owner=people["owner"], created_by=people["hr"], title="Done", status="done", progress=100,
                completed_on=TODAY - timedelta(days=1), deadline=TODAY + timedelta(days=3))
    headers = bearer(tokens["leader"])

    def titles(query: str) -> list[str]:
        response = anon.get(f"/api/v1/actions?{query}", headers=headers)
        assert response.status_code == 200, response.text
        return [item["title"] for item in response.json()]

    assert titles("") == ["Late", "Retail", "Done"]
    assert titles("status=open") == ["Late", "Retail"]
    assert titles("status=done") == ["Done"]
    assert titles("overdue=true") == ["Late"]
    assert titles(f"owner={people['other'].id}") == ["Retail"]
    assert titles(f"theme={theme_id(database_url, 'management')}") == ["Late"]
    assert titles(f"department={retail}") == ["Retail"]
    assert titles("scope=department") == ["Retail"]
    assert titles("published=true") == ["Retail"]
    assert titles("limit=1&offset=1") == ["Retail"]

    item = anon.get(f"/api/v1/actions/{late.id}", headers=headers).json()
    assert item["overdue"] is True and item["days_left"] == -4 and item["on_time"] is None
    assert (item["owner_name"], item["status"], item["version"]) == ("Api Owner", "planned", 1)
    assert item["theme_ids"] == [theme_id(database_url, "management")]
    done = anon.get("/api/v1/actions?status=done", headers=headers).json()[0]
    assert done["on_time"] is True and done["overdue"] is False


@pytest.mark.parametrize("query, key", [("status=sleeping", "status"), ("owner=abc", "owner"),
                                        ("scope=planet", "scope"), ("limit=0", "limit")])
def test_bad_filters_are_400_with_the_field_named(
    anon: TestClient, tokens: dict[str, str], query: str, key: str,
) -> None:
    response = anon.get(f"/api/v1/actions?{query}", headers=bearer(tokens["hr"]))
    assert response.status_code == 400
    assert key in response.text


def test_unknown_action_is_404_json(anon: TestClient, tokens: dict[str, str]) -> None:
    response = anon.get("/api/v1/actions/999", headers=bearer(tokens["hr"]))
    assert response.status_code == 404
    assert response.json()["status_code"] == 404
    response = anon.patch("/api/v1/actions/999", json={"version": 1, "status": "done"}, headers=bearer(tokens["hr"]))
    assert response.status_code == 404


# --- writing ------------------------------------------------------------------------------------


def test_create_with_evidence_recomputes_the_counts(
    anon: TestClient, people: dict[str, User], tokens: dict[str, str], database_url: str
) -> None:
    retail, _logistics, family = make_groups(database_url)
    add_interviews(database_url, department_id=retail, job_family_id=family, exit_date=TODAY - timedelta(days=20),
                   number=7, raising=3, theme_code="pay_benefits")
    pay = theme_id(database_url, "pay_benefits")
    body = {
        "title": "Pay review in Retail", "owner_id": people["owner"].id, "deadline": str(TODAY + timedelta(days=90)),
        "scope": "department", "department_id": retail, "target_share": 0.15, "theme_ids": [pay],
        "evidence": {"theme_id": pay, "period_start": str(TODAY - timedelta(days=60)), "period_end": str(TODAY),
                     "raised_count": 99},
    }
    response = anon.post("/api/v1/actions", json=body, headers=bearer(tokens["hr"]))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["evidence"] == {"theme_id": pay, "period_start": str(TODAY - timedelta(days=60)),
                                   "period_end": str(TODAY), "raised_count": 3, "leavers_count": 7, "hidden": False,
                                   "period": None, "source": "exit"}
    assert (created["group_name"], created["target_share"], created["status"]) == ("Retail", 0.15, "planned")
    [evidence] = run(lambda session: _all(session, ActionEvidence), database_url)
    assert (evidence.raised_count, evidence.leavers_count) == (3, 7)
    assert count(database_url, AuditEvent, AuditEvent.verb == "create", AuditEvent.actor_id == people["hr"].id) == 1


async def _all(session, model):
    return list((await session.execute(select(model))).scalars())


def test_small_group_evidence_is_hidden_from_non_hr_tokens(
    anon: TestClient, people: dict[str, User], tokens: dict[str, str], database_url: str
) -> None:
    retail, _logistics, family = make_groups(database_url)
    add_interviews(database_url, department_id=retail, job_family_id=family, exit_date=TODAY - timedelta(days=5),
                   number=2, raising=1, theme_code="recognition")
    recognition = theme_id(database_url, "recognition")
    body = {"title": "Say thanks", "owner_id": people["owner"].id, "deadline": str(TODAY + timedelta(days=30)),
            "scope": "department", "department_id": retail,
            "evidence": {"theme_id": recognition, "period_start": str(TODAY - timedelta(days=30)),
                         "period_end": str(TODAY)}}
    action_id = anon.post("/api/v1/actions", json=body, headers=bearer(tokens["hr"])).json()["id"]
    hr_view = anon.get(f"/api/v1/actions/{action_id}", headers=bearer(tokens["hr"])).json()["evidence"]
    assert (hr_view["raised_count"], hr_view["leavers_count"], hr_view["hidden"]) == (1, 2, False)
    for who in ("leader", "owner"):
        seen = anon.get(f"/api/v1/actions/{action_id}", headers=bearer(tokens[who])).json()["evidence"]
        assert (seen["raised_count"], seen["leavers_count"], seen["hidden"]) == (None, None, True)
        listed = anon.get("/api/v1/actions", headers=bearer(tokens[who])).json()[0]["evidence"]
        assert listed["hidden"] is True and listed["raised_count"] is None
        assert seen["period"] is None  # those leavers are in no released quarter yet


def test_non_hr_tokens_read_evidence_from_the_released_quarter(
    settings: Settings, anon: TestClient, people: dict[str, User], tokens: dict[str, str], database_url: str
) -> None:
    retail, _logistics, family = make_groups(database_url)
    latest = due_periods(first_exit=TODAY - timedelta(days=400), today=TODAY, length="quarter", delay_days=30)[-1]
    add_interviews(database_url, department_id=retail, job_family_id=family, exit_date=latest.start,
                   number=8, raising=5, theme_code="recognition")
    # Two more of the last weeks: in HR's counts, not in a released quarter.
    add_interviews(database_url, department_id=retail, job_family_id=family, exit_date=TODAY - timedelta(days=3),
                   number=2, raising=1, theme_code="recognition")
    recognition = theme_id(database_url, "recognition")
    body = {"title": "Say thanks", "owner_id": people["owner"].id, "deadline": str(TODAY + timedelta(days=30)),
            "scope": "department", "department_id": retail,
            "evidence": {"theme_id": recognition, "period_start": str(latest.start), "period_end": str(TODAY)}}
    release_now(settings)
    action_id = anon.post("/api/v1/actions", json=body, headers=bearer(tokens["hr"])).json()["id"]
    hr_view = anon.get(f"/api/v1/actions/{action_id}", headers=bearer(tokens["hr"])).json()["evidence"]
    assert (hr_view["raised_count"], hr_view["leavers_count"]) == (6, 10)
    seen = anon.get(f"/api/v1/actions/{action_id}", headers=bearer(tokens["leader"])).json()["evidence"]
    assert (seen["raised_count"], seen["leavers_count"], seen["hidden"], seen["period"]) == (5, 8, False, latest.key)
    assert (seen["period_start"], seen["period_end"]) == (str(latest.start), str(latest.end))


@pytest.mark.parametrize("changes, key, message", [
    ({"deadline": str(TODAY - timedelta(days=1))}, "deadline", "The deadline must be in the future."),
    ({"owner_id": 9999}, "owner_id", "Choose an active user as owner."),
    ({"title": " "}, "title", "Enter a title in at least one language."),
    ({"scope": "department"}, "department_id", "Choose a department."),
    ({"target_share": 1.5}, "target_share", "Enter a target between 0 and 100 %."),
    ({"deadline": "soon"}, "deadline", None),
    ({"scope": "planet"}, "scope", None),
])
def test_invalid_create_is_400_with_field_messages_and_saves_nothing(
    anon: TestClient, people: dict[str, User], tokens: dict[str, str], database_url: str,
    changes: dict[str, Any], key: str, message: str | None,
) -> None:
    body = {"title": "Valid title", "owner_id": people["owner"].id, "deadline": str(TODAY + timedelta(days=9)),
            **changes}
    response = anon.post("/api/v1/actions", json=body, headers=bearer(tokens["hr"]))
    assert response.status_code == 400, response.text
    problems = response.json()["extra"]
    assert any(key in problem.get("key", "") for problem in problems), problems
    if message:
        assert {"key": key, "message": message, "source": "body"} in problems
    assert count(database_url, ActionItem) == 0


def test_status_update_follows_the_same_rules_as_the_page(
    anon: TestClient, people: dict[str, User], tokens: dict[str, str], make_action, database_url: str
) -> None:
    action = make_action(owner=people["owner"], created_by=people["hr"])
    headers = bearer(tokens["owner"])

    def patch(**body: Any):
        return anon.patch(f"/api/v1/actions/{action.id}", json=body, headers=headers)

    assert patch(version=1, status="in_progress", progress=101).status_code == 400
    assert patch(version=1, status="in_progress", progress=-5).json()["extra"][0]["key"] == "progress"
    blocked = patch(version=1, status="blocked")
    assert blocked.status_code == 400
    assert blocked.json()["extra"] == [{"key": "note", "message": "Say why the action is blocked or cancelled.",
                                        "source": "body"}]
    assert patch(version=1, status="sleeping").status_code == 400
    assert get_action(database_url, action.id).version == 1

    done = patch(version=1, status="done", progress=10, note="Shipped <script>")
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["progress"], done.json()["completed_on"]) == ("done", 100, str(TODAY))
    assert done.json()["version"] == 2
    [update] = [entry for entry in run(lambda s: _all(s, ActionUpdate), database_url) if entry.note]
    assert (update.status_before, update.status_after, update.note) == ("planned", "done", "Shipped <script>")
    assert count(database_url, AuditEvent, AuditEvent.verb == "update_progress") == 1


def test_stale_version_is_409_with_the_current_action(
    anon: TestClient, people: dict[str, User], tokens: dict[str, str], make_action, database_url: str
) -> None:
    action = make_action(owner=people["owner"], created_by=people["hr"])
    first = anon.patch(f"/api/v1/actions/{action.id}", json={"version": 1, "status": "in_progress", "progress": 20},
                       headers=bearer(tokens["hr"]))
    assert first.status_code == 200
    stale = anon.patch(f"/api/v1/actions/{action.id}", json={"version": 1, "status": "done"},
                       headers=bearer(tokens["owner"]))
    assert stale.status_code == 409
    body = stale.json()
    assert body["detail"].startswith("This action was changed by Api HR at ")
    assert (body["extra"]["current"]["version"], body["extra"]["current"]["progress"]) == (2, 20)
    assert get_action(database_url, action.id).status == "in_progress"


# --- the schema ---------------------------------------------------------------------------------


def test_openapi_schema_documents_the_api_and_its_bearer_tokens(anon: TestClient) -> None:
    response = anon.get("/schema/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "actiontrack API"
    assert set(schema["paths"]) == {"/api/v1/actions", "/api/v1/actions/{action_id}", "/api/v1/interviews"}
    assert set(schema["paths"]["/api/v1/actions"]) == {"get", "post"}
    assert set(schema["paths"]["/api/v1/actions/{action_id}"]) == {"get", "patch"}
    assert schema["components"]["securitySchemes"]["BearerToken"] == {
        "type": "http", "scheme": "bearer", "description": "An API token created by HR"}
    assert {"BearerToken": []} in schema["paths"]["/api/v1/actions"]["get"]["security"]
    assert "409" in schema["paths"]["/api/v1/actions/{action_id}"]["patch"]["responses"]
    parameters = {parameter["name"] for parameter in schema["paths"]["/api/v1/actions"]["get"]["parameters"]}
    assert {"status", "owner", "theme", "scope", "overdue", "published"} <= parameters
