"""HR keeps the departments and job families that feedback is grouped by."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from actiontrack.models import AuditEvent, Department, JobFamily

from conftest import Persona, rows


def test_hr_adds_a_department_with_headcount(hr: Persona, database_url: str) -> None:
    response = hr.post("/organisation/department", {"name": "  Retail   stores ", "headcount": "250"},
                       follow_redirects=False)
    assert response.status_code == 303
    [department] = rows(database_url, Department)
    assert (department.name, department.headcount, department.active) == ("Retail stores", 250, True)
    page = hr.client.get("/organisation")
    assert "Retail stores" in page.text
    [event] = rows(database_url, AuditEvent)[-1:]
    assert (event.verb, event.entity, event.entity_id) == ("create", "department", department.id)


@pytest.mark.parametrize("form, message", [
    ({"name": "", "headcount": "10"}, "Enter a name."),
    ({"name": "IT", "headcount": "many"}, "whole number"),
    ({"name": "IT", "headcount": "-3"}, "between 0 and"),
    ({"name": "x" * 121, "headcount": "3"}, "at most 120 characters"),
])
def test_bad_department_input_is_explained_and_nothing_is_saved(
    hr: Persona, database_url: str, form: dict[str, str], message: str
) -> None:
    response = hr.post("/organisation/department", form)
    assert response.status_code == 400
    assert message in response.text
    assert rows(database_url, Department) == []


def test_names_are_unique_whatever_the_case(hr: Persona, database_url: str) -> None:
    hr.post("/organisation/job_family", {"name": "Sales rep"})
    response = hr.post("/organisation/job_family", {"name": "SALES REP"})
    assert response.status_code == 400
    assert "already used" in response.text
    assert [family.name for family in rows(database_url, JobFamily)] == ["Sales rep"]


def test_hr_renames_and_retires_a_job_family_and_the_change_is_audited(hr: Persona, database_url: str) -> None:
    hr.post("/organisation/job_family", {"name": "Store mgr"})
    [family] = rows(database_url, JobFamily)
    assert 'value="Store mgr"' in hr.client.get(f"/organisation/job_family/{family.id}").text
    response = hr.post(f"/organisation/job_family/{family.id}", {"name": "Store manager"}, follow_redirects=False)
    assert response.status_code == 303
    [family] = rows(database_url, JobFamily)
    assert (family.name, family.active) == ("Store manager", False)
    event = rows(database_url, AuditEvent)[-1]
    assert event.changes == {"name": ["Store mgr", "Store manager"], "active": [True, False]}


def test_names_are_escaped(hr: Persona) -> None:
    hr.post("/organisation/department", {"name": "<script>alert(1)</script>", "headcount": "1"})
    page = hr.client.get("/organisation").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_unknown_kind_or_id_is_not_found(hr: Persona) -> None:
    assert hr.post("/organisation/planet", {"name": "Mars"}).status_code == 404
    assert hr.client.get("/organisation/department/999").status_code == 404


@pytest.mark.parametrize("who", ["leader", "owner"])
def test_only_hr_keeps_the_organisation(request: pytest.FixtureRequest, who: str, database_url: str) -> None:
    person: Persona = request.getfixturevalue(who)
    assert person.client.get("/organisation").status_code == 403
    assert person.post("/organisation/department", {"name": "X", "headcount": "1"}).status_code == 403
    assert rows(database_url, Department) == []


def test_visitors_are_sent_to_sign_in(anon: TestClient) -> None:
    response = anon.get("/organisation", follow_redirects=False)
    assert response.headers["location"] == "/login?next=/organisation"


def test_a_job_family_may_have_a_headcount_which_hr_can_leave_blank(hr: Persona, database_url: str) -> None:
    assert hr.post("/organisation/job_family", {"name": "Drivers", "headcount": "40"},
                   follow_redirects=False).status_code == 303
    assert hr.post("/organisation/job_family", {"name": "Cashiers", "headcount": ""},
                   follow_redirects=False).status_code == 303
    assert {family.name: family.headcount for family in rows(database_url, JobFamily)} == {"Drivers": 40,
                                                                                          "Cashiers": 0}
    page = hr.client.get("/organisation").text
    assert "not entered" in page
    response = hr.post("/organisation/job_family", {"name": "Cooks", "headcount": "many"})
    assert response.status_code == 400 and "whole number" in response.text
    assert len(rows(database_url, JobFamily)) == 2
    [drivers] = rows(database_url, JobFamily, JobFamily.name == "Drivers")
    assert 'value="40"' in hr.client.get(f"/organisation/job_family/{drivers.id}").text
    hr.post(f"/organisation/job_family/{drivers.id}", {"name": "Drivers", "headcount": "55", "active": "on"})
    [drivers] = rows(database_url, JobFamily, JobFamily.name == "Drivers")
    assert drivers.headcount == 55
    assert rows(database_url, AuditEvent)[-1].changes == {"headcount": [40, 55]}
