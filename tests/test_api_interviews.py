"""POST /api/v1/interviews: HR systems send exit interviews, checked as the form checks them, idempotently."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient

from actiontrack import clock
from actiontrack.interviews.rules import MAX_ANSWER
from actiontrack.models import AuditEvent, ExitInterview, InterviewFingerprint, InterviewTheme, Role
from actiontrack.params import MAX_ID

from conftest import count, rows


@pytest.fixture
def body(make_department: Any, make_job_family: Any) -> dict[str, Any]:
    department, family = make_department("Logistics"), make_job_family("Warehouse operator")
    return {
        "department_id": department.id, "job_family_id": family.id, "tenure_band": "2to5",
        "exit_date": (clock.today() - timedelta(days=10)).isoformat(), "reason_for_leaving": "Te hoge werkdruk.",
        "pay_factor": "partly", "tasks_match_score": 3, "manager_support_score": 2, "training_score": 4,
        "recognition_score": 2, "would_return": "maybe", "recommend_score": 6, "language": "nl",
    }


@pytest.fixture
def hr_token(make_user: Any, make_api_token: Any) -> str:
    return make_api_token(make_user(Role.HR, "hr.system@example.com"))


def send(client: TestClient, token: str, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}", **({"Idempotency-Key": key} if key else {})}
    return client.post("/api/v1/interviews", json=body, headers=headers)


def test_hr_token_records_an_interview_audited_without_answers(anon: TestClient, hr_token: str, body: dict[str, Any],
                                                                database_url: str, theme_ids: dict[str, int]) -> None:
    response = send(anon, hr_token, {**body, "theme_ids": [theme_ids["workload_autonomy"]]})
    assert response.status_code == 201, response.text
    created = response.json()
    [interview] = rows(database_url, ExitInterview)
    assert created["id"] == interview.id and created["theme_ids"] == [theme_ids["workload_autonomy"]]
    assert (interview.channel, interview.language, interview.interviewer_id) == ("survey", "nl", None)
    assert interview.reason_for_leaving == "Te hoge werkdruk."
    assert count(database_url, InterviewTheme) == 1
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "exit_interview")
    assert event.verb == "create" and event.changes["via"] == "api"
    assert "werkdruk" not in str(event.changes)


def test_same_idempotency_key_and_body_answer_the_first_result(anon: TestClient, hr_token: str,
                                                                body: dict[str, Any], database_url: str) -> None:
    first = send(anon, hr_token, body, key="hris-4711")
    again = send(anon, hr_token, body, key="hris-4711")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert count(database_url, ExitInterview) == 1
    conflict = send(anon, hr_token, {**body, "recommend_score": 9}, key="hris-4711")
    assert conflict.status_code == 409
    assert "Idempotency-Key" in conflict.json()["detail"]
    assert count(database_url, ExitInterview) == 1
    other = send(anon, hr_token, {**body, "recommend_score": 9}, key="hris-4712")
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


def test_the_same_answers_without_a_key_are_not_recorded_twice(anon: TestClient, hr_token: str,
                                                                 body: dict[str, Any], database_url: str) -> None:
    first = send(anon, hr_token, body)
    second = send(anon, hr_token, body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert count(database_url, InterviewFingerprint) == 1


def test_only_hr_tokens_may_send_interviews(anon: TestClient, make_user: Any, make_api_token: Any,
                                            body: dict[str, Any], database_url: str) -> None:
    for role, email in ((Role.LEADERSHIP, "lead@example.com"), (Role.OWNER, "owner@example.com")):
        response = send(anon, make_api_token(make_user(role, email)), body)
        assert response.status_code == 403, role
    assert anon.post("/api/v1/interviews", json=body).status_code == 401
    assert count(database_url, ExitInterview) == 0


@pytest.mark.parametrize(("change", "field"), [
    ({"manager_support_score": 6}, "manager_support_score"),
    ({"recommend_score": 11}, "recommend_score"),
    ({"reason_for_leaving": "   "}, "reason_for_leaving"),
    ({"reason_for_leaving": "x" * (MAX_ANSWER + 1)}, "reason_for_leaving"),
    ({"department_id": MAX_ID}, "department_id"),
    ({"theme_ids": [MAX_ID]}, "themes"),
])
def test_the_forms_rules_refuse_bad_values(anon: TestClient, hr_token: str, body: dict[str, Any],
                                           database_url: str, change: dict[str, Any], field: str) -> None:
    response = send(anon, hr_token, {**body, **change})
    assert response.status_code == 400, response.text
    assert field in str(response.json().get("extra")), response.json()
    assert count(database_url, ExitInterview) == 0


def test_a_future_exit_date_is_refused(anon: TestClient, hr_token: str, body: dict[str, Any],
                                       database_url: str) -> None:
    response = send(anon, hr_token, {**body, "exit_date": (clock.today() + timedelta(days=1)).isoformat()})
    assert response.status_code == 400
    assert any(item["key"] == "exit_date" for item in response.json()["extra"])
    assert count(database_url, ExitInterview) == 0


def test_the_schema_documents_the_operation_its_limits_and_the_key(anon: TestClient) -> None:
    document = anon.get("/schema/openapi.json").json()
    operation = document["paths"]["/api/v1/interviews"]["post"]
    assert operation["tags"] == ["interviews"]
    assert {"201", "400", "401", "403", "409"} <= set(operation["responses"])
    [header] = [item for item in operation["parameters"] if item["in"] == "header"]
    assert header["name"] == "Idempotency-Key" and header["schema"]["maxLength"] == 200
    properties = document["components"]["schemas"]["InterviewCreate"]["properties"]
    assert (properties["training_score"]["minimum"], properties["training_score"]["maximum"]) == (1, 5)
    assert (properties["recommend_score"]["minimum"], properties["recommend_score"]["maximum"]) == (0, 10)
    assert properties["reason_for_leaving"]["maxLength"] == MAX_ANSWER
    assert properties["department_id"]["maximum"] == MAX_ID
