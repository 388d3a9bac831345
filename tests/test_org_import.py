"""HR imports departments (with headcount), job families and people from CSV/XLSX files."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient
from openpyxl import Workbook

from actiontrack.app import create_app
from actiontrack.models import AuditEvent, Department, JobFamily, Role, User, UserToken
from actiontrack.org_import.rules import (
    CREATE,
    DEPARTMENT,
    EXISTS,
    INVITE,
    JOB_FAMILY,
    PEOPLE,
    PROBLEM,
    UNCHANGED,
    UPDATE,
    ExistingGroup,
    guess_mapping,
    name_key,
    plan_groups,
    plan_people,
)
from actiontrack.settings import Settings

from conftest import Persona, SmtpServer, csrf_token, make_client, rows, sign_in

SAMPLES = Path(__file__).parent / "samples"


# --- rows ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers, expected", [
    (["Afdeling", "Aantal medewerkers"], {"name": 0, "headcount": 1}),
    (["Effectif", "Département"], {"name": 1, "headcount": 0}),
    (["Department", "Manager", "Headcount"], {"name": 0, "headcount": 2}),
    (["Afdeling", "Aantal vacatures", "Opmerking"], {"name": 0, "headcount": 1}),  # a guess HR corrects
    (["Code", "Opmerking"], {"name": None, "headcount": None}),
])
def test_department_columns_are_guessed_from_dutch_french_and_english_headers(
    headers: list[str], expected: dict[str, int | None]
) -> None:
    assert guess_mapping(DEPARTMENT, headers) == expected


def test_people_columns_are_guessed_whatever_the_accents_and_punctuation() -> None:
    assert guess_mapping(PEOPLE, ["Adresse e-mail", "Nom", "Rôle", "Langue"]) == {
        "email": 0, "name": 1, "role": 2, "language": 3}
    assert guess_mapping(PEOPLE, ["Naam", "E-mail", "Taal"]) == {"email": 1, "name": 0, "role": None, "language": 2}
    assert guess_mapping(JOB_FAMILY, ["Famille de fonctions"]) == {"name": 0, "headcount": None}
    assert guess_mapping(JOB_FAMILY, ["Functiefamilie", "Aantal medewerkers"]) == {"name": 0, "headcount": 1}


def test_each_department_row_is_new_changed_unchanged_or_a_problem() -> None:
    existing = {name_key("Retail stores"): ExistingGroup(id=1, name="Retail stores", headcount=100),
                name_key("Logistics"): ExistingGroup(id=2, name="Logistics", headcount=40)}
    table = [["RETAIL   stores", "120"], ["Logistics", "40"], ["Customer care", "1 250"], ["IT", "many"],
             ["", "3"], ["", ""], ["customer CARE", "7"], ["x" * 121, "1"], ["Finance", "-1"]]
    plan = plan_groups(kind=DEPARTMENT, rows=table, mapping={"name": 0, "headcount": 1}, existing=existing)
    outcomes = [(row.line, row.name, row.outcome, row.new_headcount) for row in plan.rows]
    assert outcomes == [
        (2, "RETAIL stores", UPDATE, 120), (3, "Logistics", UNCHANGED, 40), (4, "Customer care", CREATE, 1250),
        (5, "IT", PROBLEM, None), (6, "", PROBLEM, 3), (8, "customer CARE", PROBLEM, 7), (9, "x" * 121, PROBLEM, 1),
        (10, "Finance", PROBLEM, -1),
    ]
    problems = {row.line: row.problems for row in plan.rows}
    assert problems[5] == ("Enter the number of employees as a whole number.",)
    assert problems[6] == ("Enter a name.",)
    assert problems[8] == ("This name is also on row 4.",)
    assert problems[9] == ("Use at most 120 characters.",)
    assert problems[10] == ("Enter a number between 0 and 1000000.",)
    assert plan.counts == {UPDATE: 1, UNCHANGED: 1, CREATE: 1, PROBLEM: 5}
    assert plan.rows[0].existing is not None and plan.rows[0].existing.headcount == 100


def test_job_families_take_a_headcount_when_the_file_gives_one() -> None:
    existing = {name_key("Sales"): ExistingGroup(id=1, name="Sales", headcount=30),
                name_key("Drivers"): ExistingGroup(id=2, name="Drivers", headcount=12)}
    table = [["Sales", "45"], ["Drivers", ""], ["Cooks", "8"], ["Cleaners", ""]]
    plan = plan_groups(kind=JOB_FAMILY, rows=table, mapping={"name": 0, "headcount": 1}, existing=existing)
    assert [(row.name, row.outcome, row.new_headcount) for row in plan.rows] == [
        ("Sales", UPDATE, 45), ("Drivers", UNCHANGED, 12), ("Cooks", CREATE, 8), ("Cleaners", CREATE, 0)]


def test_job_families_that_exist_are_unchanged_whatever_their_case() -> None:
    existing = {name_key("Sales"): ExistingGroup(id=1, name="Sales", headcount=None)}
    plan = plan_groups(kind=JOB_FAMILY, rows=[["  SALES "], ["Drivers"]], mapping={"name": 0}, existing=existing)
    assert [(row.name, row.outcome) for row in plan.rows] == [("SALES", UNCHANGED), ("Drivers", CREATE)]


@settings(max_examples=200, deadline=None)
@given(name=st.text(alphabet=st.characters(codec="utf-8", categories=["L", "Zs"]), min_size=1, max_size=40),
       padding=st.text(alphabet=" \t", max_size=3))
def test_a_name_matches_itself_whatever_its_case_and_spacing(name: str, padding: str) -> None:
    if not name.split():
        return
    variant = padding + "  ".join(name.swapcase().split()) + padding
    existing = {name_key(name): ExistingGroup(id=7, name=name, headcount=None)}
    plan = plan_groups(kind=JOB_FAMILY, rows=[[variant]], mapping={"name": 0}, existing=existing)
    [row] = plan.rows
    # Some letters change length or meaning when their case is swapped ("ß", "ǅ"); those may be new.
    if name_key(variant) == name_key(name) and len(" ".join(name.split())) <= 120:
        assert row.outcome == UNCHANGED and row.existing is not None and row.existing.id == 7


def test_people_rows_read_roles_and_languages_in_three_languages() -> None:
    table = [["a@example.be", "An", "Directie", "Nederlands"], ["b@example.be", "Bo", "Responsable", ""],
             ["c@example.be", "Cy", "HR", "English"], ["D@Example.be", "Di", "Stagiair", "nl"],
             ["not-an-email", "Ed", "", "fr"], ["f@example.be", "Fi", "", "Klingon"], ["a@example.be", "An", "", ""],
             ["old@example.be", "Ol", "HR", "fr"]]
    plan = plan_people(rows=table, mapping={"email": 0, "name": 1, "role": 2, "language": 3},
                       existing_emails={"old@example.be"}, default_language="fr")
    got = [(row.email, row.role, row.language, row.outcome) for row in plan.rows]
    assert got == [("a@example.be", "leadership", "nl", INVITE), ("b@example.be", "owner", "fr", INVITE),
                   ("c@example.be", "hr", "en", INVITE), ("d@example.be", "Stagiair", "nl", PROBLEM),
                   ("not-an-email", "owner", "fr", PROBLEM), ("f@example.be", "owner", "Klingon", PROBLEM),
                   ("a@example.be", "owner", "fr", PROBLEM), ("old@example.be", "hr", "fr", EXISTS)]
    problems = {row.line: row.problems for row in plan.rows}
    assert problems[5] == ("“Stagiair” is not a role: write HR, Leadership or Action owner.",)
    assert problems[6] == ("Enter a valid email address.",)
    assert problems[7] == ("“Klingon” is not a language: write nl, fr or en.",)
    assert problems[8] == ("This email is also on row 2.",)
    assert problems[9] == ()


cells = st.one_of(st.text(max_size=30), st.sampled_from(["", " ", "12", "-1", "1 250", "250.0", "HR", "nl",
                                                          "a@b.be", "A@B.BE", "x" * 121, "²", "\x00"]))


@settings(max_examples=300, deadline=None)
@given(table=st.lists(st.lists(cells, min_size=4, max_size=4), max_size=12))
def test_every_row_gets_one_outcome_and_only_problem_rows_have_problems(table: list[list[str]]) -> None:
    groups = plan_groups(kind=DEPARTMENT, rows=table, mapping={"name": 0, "headcount": 1}, existing={})
    people = plan_people(rows=table, mapping={"email": 0, "name": 1, "role": 2, "language": 3},
                         existing_emails={"a@b.be"}, default_language="nl")
    for plan, outcomes in ((groups, {CREATE, PROBLEM}), (people, {INVITE, EXISTS, PROBLEM})):
        assert len(plan.rows) == sum(1 for row in table if any(cell.strip() for cell in row))
        for row in plan.rows:
            assert row.outcome in outcomes
            assert bool(row.problems) == (row.outcome == PROBLEM)
        assert sum(plan.counts.values()) == len(plan.rows)
    created = [name_key(row.name) for row in groups.rows if row.outcome == CREATE]
    invited = [row.email for row in people.rows if row.outcome == INVITE]
    assert len(created) == len(set(created)) and len(invited) == len(set(invited))
    assert all(0 <= row.new_headcount <= 1_000_000 and 0 < len(row.name) <= 120
               for row in groups.rows if row.outcome == CREATE)


# --- pages ---------------------------------------------------------------------------------------


def xlsx(*table: tuple[Any, ...]) -> bytes:
    workbook = Workbook()
    for row in table:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(person: Persona, path: str, name: str, content: bytes, **fields: str) -> httpx.Response:
    return person.client.post(path, files={"file": (name, content)},
                              data={"_csrf_token": csrf_token(person.client), **fields})


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden field {name}"
    return found.group(1)


def review_fields(page: str, **columns: str) -> dict[str, str]:
    """The commit form's fields as the preview rendered them, with some columns chosen anew."""
    commit_form = page[page.index('/commit"'):]
    fields = dict(re.findall(r'name="((?:column_\w+)|table|plan)" value="([^"]*)"', commit_form))
    return {**fields, **columns}


def test_hr_imports_departments_from_the_dutch_sample_and_the_import_is_audited_once(
    hr: Persona, database_url: str
) -> None:
    page = upload(hr, "/organisation/import", "organisation-nl.xlsx", (SAMPLES / "organisation-nl.xlsx").read_bytes(),
                  kind="department")
    assert page.status_code == 200, page.text
    assert '<option value="0" selected>Afdeling' in page.text
    assert '<option value="1" selected>Aantal medewerkers' in page.text
    assert "Enter the number of employees as a whole number." in page.text and "Enter a name." in page.text
    assert "Import 5 rows" in page.text
    assert rows(database_url, Department) == []
    done = hr.post("/organisation/import/commit", review_fields(page.text), follow_redirects=False)
    assert done.status_code == 303
    departments = {department.name: department.headcount for department in rows(database_url, Department)}
    assert departments == {"Verkoop": 120, "Logistiek": 85, "Klantendienst": 42, "Winkels Gent": 230, "IT": 18}
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "import")
    assert (event.actor_id, event.entity, event.entity_id) == (hr.user.id, "department", None)
    assert {key: event.changes[key] for key in ("file", "rows", "create", "problem")} == {
        "file": "organisation-nl.xlsx", "rows": 7, "create": 5, "problem": 2}
    summary = hr.client.get(done.headers["location"])
    assert "5 added, 0 changed, 0 unchanged, 2 skipped" in summary.text and "Winkels Gent" in summary.text


def test_reimporting_the_same_file_changes_nothing(hr: Persona, database_url: str) -> None:
    content = (SAMPLES / "organisation-nl.xlsx").read_bytes()
    first = upload(hr, "/organisation/import", "organisation-nl.xlsx", content, kind="department")
    hr.post("/organisation/import/commit", review_fields(first.text))
    before = [(d.id, d.name, d.headcount) for d in rows(database_url, Department)]
    again = upload(hr, "/organisation/import", "organisation-nl.xlsx", content, kind="department")
    assert "Nothing to import: no row adds or changes anything." in again.text
    assert "Import 0" not in again.text
    refused = hr.post("/organisation/import/commit", review_fields(again.text))
    assert refused.status_code == 400
    assert [(d.id, d.name, d.headcount) for d in rows(database_url, Department)] == before
    assert len(rows(database_url, AuditEvent, AuditEvent.verb == "import")) == 1


def test_headcounts_are_updated_by_name_and_missing_departments_stay(
    hr: Persona, database_url: str, make_department: Callable[..., Department]
) -> None:
    make_department("Retail stores", headcount=100)
    kept = make_department("Head office", headcount=30, active=False)
    make_department("Warehouse", headcount=10, active=False)
    page = upload(hr, "/organisation/import", "org.csv", b"Department,Headcount\nretail  STORES,120\nWarehouse,12\n",
                  kind="department")
    assert "100 → 120" in page.text and "as “Retail stores”" in page.text
    assert re.search(r"Warehouse.*Retired", page.text)
    hr.post("/organisation/import/commit", review_fields(page.text))
    found = {d.name: (d.headcount, d.active) for d in rows(database_url, Department)}
    assert found == {"Retail stores": (120, True), kept.name: (30, False), "Warehouse": (12, False)}
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "import")
    assert event.changes["updated"] == {"Retail stores": [100, 120], "Warehouse": [10, 12]}


def test_hr_corrects_a_mapping_and_htmx_gets_the_preview_alone(hr: Persona, database_url: str) -> None:
    content = xlsx(("Afdeling", "Aantal vacatures", "Aantal medewerkers op 1/1"), ("Verkoop", 3, 120))
    page = upload(hr, "/organisation/import", "org.xlsx", content, kind="department")
    assert "Import 1 row" in page.text
    fields = review_fields(page.text, column_headcount="2")
    preview = hr.client.post("/organisation/import/preview", headers={"HX-Request": "true"},
                             data={"_csrf_token": csrf_token(hr.client), **fields})
    assert preview.status_code == 200
    assert preview.text.lstrip().startswith("<section")
    assert "<html" not in preview.text and ">120<" in preview.text
    assert preview.headers["vary"] == "HX-Request"
    # Without JavaScript the same step answers the whole page, the corrected choice selected.
    full = hr.post("/organisation/import/preview", fields)
    assert "<html" in full.text and '<option value="2" selected>Aantal medewerkers op 1/1' in full.text
    hr.post("/organisation/import/commit", review_fields(preview.text))
    assert [(d.name, d.headcount) for d in rows(database_url, Department)] == [("Verkoop", 120)]


def test_a_mapping_without_a_needed_column_shows_no_import(hr: Persona, database_url: str) -> None:
    page = upload(hr, "/organisation/import", "org.csv", b"Code;Remark\nA1;x\n", kind="department")
    assert page.text.count("Choose the column that holds this.") == 2
    assert "/commit" not in page.text
    fields = {"table": hidden(page.text, "table"), "column_name": "0", "column_headcount": "0", "plan": ""}
    refused = hr.post("/organisation/import/commit", fields)
    assert refused.status_code == 400 and "This column is already chosen for “Department”." in refused.text
    assert rows(database_url, Department) == []


@pytest.mark.parametrize("path, kind", [("/organisation/import", "department"), ("/people/import", "")])
@pytest.mark.parametrize("column", ["9" * 5000, str(2**63), "-1", "1e3", "²"])
def test_a_column_number_that_cannot_be_a_column_is_no_column(
    hr: Persona, database_url: str, path: str, kind: str, column: str,
) -> None:
    content = b"Department,Headcount\nSales,12\n" if kind else b"Email,Name\nann@example.com,Ann\n"
    page = upload(hr, path, "file.csv", content, **({"kind": kind} if kind else {}))
    fields = review_fields(page.text, column_name=column)
    preview = hr.post(f"{path}/preview", fields)
    assert preview.status_code == 200 and "Choose the column that holds this." in preview.text
    refused = hr.post(f"{path}/commit", fields)
    assert refused.status_code == 400 and "Choose the column that holds this." in refused.text
    assert rows(database_url, Department) == [] and len(rows(database_url, User)) == 1


def test_job_families_are_imported_by_name(hr: Persona, database_url: str, make_job_family: Callable[..., Any]) -> None:
    make_job_family("Sales")
    page = upload(hr, "/organisation/import", "families.csv", b"Functiefamilie\nsales\nChauffeurs\n",
                  kind="job_family")
    assert "Import 1 row" in page.text
    hr.post("/organisation/import/commit", review_fields(page.text))
    assert [family.name for family in rows(database_url, JobFamily)] == ["Sales", "Chauffeurs"]
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "import")
    assert event.entity == "job_family" and event.changes["created"] == ["Chauffeurs"]


def test_a_changed_organisation_since_the_preview_is_refused_whole(
    hr: Persona, database_url: str, make_department: Callable[..., Department]
) -> None:
    page = upload(hr, "/organisation/import", "org.csv", b"Afdeling;Effectif\nVerkoop;10\nIT;5\n", kind="department")
    make_department("IT", headcount=7)  # someone adds it while HR reads the preview
    refused = hr.post("/organisation/import/commit", review_fields(page.text))
    assert refused.status_code == 409
    assert "Something changed since this preview" in refused.text and "7 → 5" in refused.text
    assert [d.name for d in rows(database_url, Department)] == ["IT"]
    assert rows(database_url, AuditEvent, AuditEvent.verb == "import") == []


def test_a_forged_or_foreign_table_is_refused(hr: Persona, database_url: str) -> None:
    page = upload(hr, "/organisation/import", "org.csv", b"Afdeling;Effectif\nVerkoop;10\n", kind="department")
    fields = review_fields(page.text)
    payload, _, signature = fields["table"].partition(".")
    forged = {**fields, "table": payload[:-2] + "AA." + signature}
    assert hr.post("/organisation/import/commit", forged).status_code == 400
    # A department file is not a people file.
    refused = hr.post("/people/import/commit", fields)
    assert refused.status_code == 400 and "upload the file again" in refused.text
    assert rows(database_url, Department) == []


def test_control_characters_in_a_file_never_reach_the_database(hr: Persona, database_url: str) -> None:
    page = upload(hr, "/organisation/import", "org.csv", "Afdeling;Effectif\nVer\x1b[2Jkoop\u2028Gent;10\n".encode(),
                  kind="department")
    hr.post("/organisation/import/commit", review_fields(page.text))
    assert [d.name for d in rows(database_url, Department)] == ["Ver[2Jkoop Gent"]


@pytest.mark.parametrize("name, content, message", [
    ("", b"", "Choose a file."),
    ("empty.csv", b"", "The file is empty."),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "Old .xls files cannot be read"),
    ("big.csv", b"Afdeling;Effectif\n" + b"X;1\n" * 2_001, "more than 2000 rows"),
])
def test_unreadable_files_are_explained(hr: Persona, name: str, content: bytes, message: str) -> None:
    response = upload(hr, "/organisation/import", name, content, kind="department")
    assert response.status_code == 400
    assert message in response.text


def test_upload_pages_speak_dutch_and_french(hr: Persona) -> None:
    assert "Organisatie importeren" in hr.client.get("/organisation/import?lang=nl").text
    assert "Importer des personnes" in hr.client.get("/people/import?lang=fr").text
    assert 'href="/organisation/import"' in hr.client.get("/organisation").text
    assert 'href="/people/import"' in hr.client.get("/people").text


@pytest.mark.parametrize("who", ["leader", "owner"])
def test_only_hr_imports(request: pytest.FixtureRequest, who: str, database_url: str) -> None:
    person: Persona = request.getfixturevalue(who)
    for path in ("/organisation/import", "/people/import"):
        assert person.client.get(path).status_code == 403
        assert upload(person, path, "org.csv", b"Afdeling;Effectif\nVerkoop;10\n").status_code == 403
        for step in ("preview", "commit"):
            assert person.post(f"{path}/{step}", {"table": "x"}).status_code == 403
    assert rows(database_url, Department) == []


def test_visitors_are_sent_to_sign_in(anon: TestClient) -> None:
    for path in ("/organisation/import", "/people/import"):
        response = anon.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_commit_without_the_csrf_token_is_refused(hr: Persona, database_url: str) -> None:
    page = upload(hr, "/organisation/import", "org.csv", b"Afdeling;Effectif\nVerkoop;10\n", kind="department")
    refused = hr.client.post("/organisation/import/commit", data=review_fields(page.text))
    assert refused.status_code == 403
    no_token = hr.client.post("/organisation/import", files={"file": ("org.csv", b"Afdeling;Effectif\nX;1\n")})
    assert no_token.status_code == 403
    assert rows(database_url, Department) == []


def test_the_summary_of_an_import_is_hr_only_and_only_of_imports(hr: Persona, owner: Persona) -> None:
    page = upload(hr, "/organisation/import", "org.csv", b"Afdeling;Effectif\nVerkoop;10\n", kind="department")
    location = hr.post("/organisation/import/commit", review_fields(page.text),
                       follow_redirects=False).headers["location"]
    assert owner.client.get(location).status_code == 403
    event_id = int(location.rsplit("/", 1)[1])
    assert hr.client.get(f"/organisation/import/{event_id + 1}").status_code == 404


# --- people --------------------------------------------------------------------------------------


def test_hr_invites_people_from_the_french_sample_and_existing_accounts_stay_as_they_are(
    hr: Persona, owner: Persona, database_url: str, make_user: Callable[..., User]
) -> None:
    make_user(Role.OWNER, "sophie.dubois@exemple.be", name="Sophie D.")  # the file says RH: no promotion
    page = upload(hr, "/people/import", "people-fr.csv", (SAMPLES / "people-fr.csv").read_bytes())
    assert page.status_code == 200, page.text
    assert "François Dupont" in page.text and "Already has an account" in page.text
    assert "Enter a valid email address." in page.text and "“Stagiaire” is not a role" in page.text
    assert "Invite 3 people" in page.text
    done = hr.post("/people/import/commit", review_fields(page.text))
    assert done.status_code == 200 and done.headers["cache-control"] == "no-store"
    assert done.text.count("/welcome/") == 3
    people = {user.email: (user.role, user.language, user.password_hash is None) for user in rows(database_url, User)}
    assert people["sophie.dubois@exemple.be"] == ("owner", "en", False)
    assert people["marc.peeters@exemple.be"] == ("leadership", "nl", True)
    assert people["julie.lambert@exemple.be"] == ("owner", "fr", True)
    assert people["francois.dupont@exemple.be"] == ("owner", "en", True)  # no language: the default
    assert "anne.leroy@exemple.be" not in people
    assert len(rows(database_url, UserToken)) == 3
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "import")
    assert (event.entity, event.changes["invite"], event.changes["exists"], event.changes["problem"]) == (
        "user", 3, 1, 2)
    assert len(rows(database_url, AuditEvent, AuditEvent.verb == "invite")) == 3
    # The links work: the invited person sets a password.
    link = re.search(r'value="https://testserver\.local(/welcome/[^"]+)"', done.text).group(1)
    assert owner.client.get(link).status_code == 200


def test_importing_the_same_people_again_invites_nobody(hr: Persona, database_url: str) -> None:
    content = (SAMPLES / "people-fr.csv").read_bytes()
    hr.post("/people/import/commit", review_fields(upload(hr, "/people/import", "p.csv", content).text))
    before = len(rows(database_url, User))
    again = upload(hr, "/people/import", "p.csv", content)
    assert "Nothing to import" in again.text
    assert hr.post("/people/import/commit", review_fields(again.text)).status_code == 400
    assert len(rows(database_url, User)) == before


def test_with_email_set_up_invitations_are_mailed_and_only_a_refused_one_is_shown(
    settings: Settings, make_user: Callable[..., User], smtp_server: SmtpServer, database_url: str
) -> None:
    mailing = settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": smtp_server.port, "smtp_security": "none",
        "mail_from": "actiontrack@example.com", "base_url": "https://actiontrack.example.com",
        "smtp_timeout_seconds": 5})
    smtp_server.inbox.refuse.add("julie.lambert@exemple.be")
    user = make_user(Role.HR, "hilde.hr@example.com", name="Hilde HR")
    with make_client(create_app(mailing)) as client:
        assert sign_in(client, user.email).status_code == 303
        hr = Persona(user=user, client=client)
        page = upload(hr, "/people/import", "people-fr.csv", (SAMPLES / "people-fr.csv").read_bytes())
        done = hr.post("/people/import/commit", review_fields(page.text))
    assert done.status_code == 200
    [message] = smtp_server.inbox.to("marc.peeters@exemple.be")
    assert message["Content-Language"] == "nl" and message["X-Actiontrack-Kind"] == "invitation"
    assert len(smtp_server.inbox.messages) == 3
    assert done.text.count("Emailed") == 3 and done.text.count("https://actiontrack.example.com/welcome/") == 1
    assert "The email could not be sent" in done.text
    assert len(rows(database_url, User)) == 5
