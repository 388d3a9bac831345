"""Importing exit interviews from files: upload, mapping, preview, all-or-nothing import, idempotency.

Real sample exports (tests/samples/) go through real HTTP: the forms are filled in from the page's own
fields, as a browser without JavaScript would send them.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import update

from actiontrack import clock
from actiontrack.app import create_app
from actiontrack.imports.mapping import (
    IGNORE,
    PERSONAL_HEADERS,
    TARGETS,
    exit_date_text,
    guess_columns,
    guess_value,
    read_mapping,
)
from actiontrack.imports.tabular import Table, read_table
from actiontrack.interviews.rules import FormOptions
from actiontrack.models import (
    AuditEvent,
    Department,
    ExitInterview,
    ImportUpload,
    InterviewFingerprint,
    InterviewTheme,
    JobFamily,
    RememberedMapping,
    Role,
)
from actiontrack.retention import apply_retention

from conftest import Persona, count, make_client, post_form, rows, run, sign_in

SAMPLES = Path(__file__).parent / "samples"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEPARTMENTS = ("Retail stores", "Logistics", "Production", "Customer service", "IT")
JOB_FAMILIES = ("Store associate", "Store manager", "Warehouse operator", "Production operator",
                "Customer service agent", "IT developer", "Team lead")


@pytest.fixture
def groups(make_department: Any, make_job_family: Any) -> dict[str, int]:
    """The demo's departments and job families, which the samples use."""
    found = {name: make_department(name).id for name in DEPARTMENTS}
    found.update({name: make_job_family(name).id for name in JOB_FAMILIES})
    return found


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with id `form_id`."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.select = form_id, False, None
        self.fields: dict[str, str] = {}
        self.first_option: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and attributes.get("name"):
            kind = attributes.get("type", "text")
            if kind not in ("checkbox", "radio") or "checked" in attributes:
                self.fields[attributes["name"]] = attributes.get("value", "")
        elif tag == "select":
            self.select = attributes["name"]
        elif tag == "option" and self.select:
            self.first_option.setdefault(self.select, attributes.get("value", ""))
            if "selected" in attributes:
                self.fields[self.select] = attributes.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self.select:
            self.fields.setdefault(self.select, self.first_option.get(self.select, ""))
            self.select = None
        if tag == "form":
            self.inside = False


def form_of(html: str) -> dict[str, str]:
    parser = FormFields("import-form")
    parser.feed(html)
    fields = dict(parser.fields)
    fields.pop("_csrf_token", None)
    return fields


def upload(persona: Persona, name: str, content: bytes | None = None) -> Any:
    data = content if content is not None else (SAMPLES / name).read_bytes()
    kind = XLSX if name.endswith(".xlsx") else "text/csv"
    return persona.post("/interviews/import", files={"file": (name, data, kind)}, follow_redirects=False)


def uploaded(persona: Persona, name: str) -> tuple[str, str]:
    """Upload a sample; the mapping page's address and its HTML."""
    response = upload(persona, name)
    assert response.status_code == 303, response.text
    page = persona.client.get(response.headers["location"])
    assert page.status_code == 200
    return response.headers["location"], page.text


def committed(persona: Persona, address: str, fields: dict[str, str]) -> Any:
    """Import with these fields: the done page, shown at once when rows were skipped (or after a redirect)."""
    response = persona.post(f"{address}/commit", fields, follow_redirects=False)
    if response.status_code == 303:
        response = persona.client.get(response.headers["location"])
    assert response.status_code == 200 and "imported." in response.text, response.text[-2000:]
    return response


def value_field(html: str, raw: str) -> str:
    """The name of the value-mapping select for a raw value (its label is the value)."""
    marker = f">{raw} <span class=\"muted\">"
    before = html[:html.index(marker)]
    return before[before.rindex('for="') + 5:].split('"', 1)[0]


def test_only_hr_can_import(hr: Persona, leader: Persona, owner: Persona, anon: Any) -> None:
    assert hr.client.get("/interviews/import").status_code == 200
    assert "/interviews/import" in hr.client.get("/interviews").text
    for persona in (leader, owner):
        assert persona.client.get("/interviews/import").status_code == 403
        assert upload(persona, "google-forms-fr.csv").status_code == 403
    assert anon.get("/interviews/import", follow_redirects=False).status_code in (302, 303, 401)


def test_microsoft_forms_sample_is_mapped_and_its_broken_rows_shown(hr: Persona, groups: dict[str, int],
                                                                     database_url: str) -> None:
    _address, html = uploaded(hr, "microsoft-forms-nl.xlsx")
    assert "27 rows will be imported." in html
    assert "3 rows have problems." in html
    assert "Unknown department “Marketing”" in html
    assert "“31/02/2026” is not a date" in html
    assert "Choose a score from 1 to 5. (“7”)" in html
    # Who answered is never offered for import.
    assert html.count("Never imported (says who answered)") == 5
    fields = form_of(html)
    assert fields["column-5"] == "department_id" and fields["column-8"] == "exit_date"
    assert fields["column-11"] == "tasks_match_score"
    assert fields["column-15"] == "ignore"  # "Verbeterpunten" is not a question it knows
    assert fields[value_field(html, "Helemaal mee eens")] == "5"
    assert fields[value_field(html, "Gedeeltelijk")] == "partly"
    assert fields[value_field(html, "Marketing")] == ""
    # Uploading saved the file for the next steps, and nothing else.
    assert count(database_url, ExitInterview) == 0
    assert count(database_url, ImportUpload) == 1


def test_import_is_all_or_nothing_until_problems_are_skipped(hr: Persona, groups: dict[str, int],
                                                            database_url: str) -> None:
    address, html = uploaded(hr, "microsoft-forms-nl.xlsx")
    fields = form_of(html)
    refused = hr.post(f"{address}/commit", fields, follow_redirects=False)
    assert refused.status_code == 400
    assert "Some rows have problems" in refused.text
    assert count(database_url, ExitInterview) == 0

    done = committed(hr, address, {**fields, "skip_problems": "1"})
    assert "27 exit interviews were imported." in done.text
    interviews = rows(database_url, ExitInterview)
    assert len(interviews) == 27
    assert {item.channel for item in interviews} == {"survey"}
    assert {item.interviewer_id for item in interviews} == {None}
    assert count(database_url, InterviewFingerprint) == 27
    assert count(database_url, ImportUpload) == 0
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "import")
    assert event.changes["rows"] == 27 and event.changes["skipped_with_problems"] == 3
    assert event.entity == "exit_interview" and event.actor_id == hr.user.id
    # One audit event for the import: no answers in the trail.
    assert "reason_for_leaving" not in str(event.changes)


def test_mapping_an_unknown_department_and_a_column_imports_them(hr: Persona, groups: dict[str, int],
                                                                 database_url: str) -> None:
    address, html = uploaded(hr, "microsoft-forms-nl.xlsx")
    fields = {**form_of(html), "column-15": "improvement_suggestion"}
    fields[value_field(html, "Marketing")] = str(groups["Retail stores"])
    preview = hr.post(address, fields)
    assert preview.status_code == 200
    assert "28 rows will be imported." in preview.text and "2 rows have problems." in preview.text
    committed(hr, address, {**form_of(preview.text), "skip_problems": "1"})
    interviews = rows(database_url, ExitInterview)
    assert len(interviews) == 28
    assert any(item.improvement_suggestion == "Betere opleiding bij de start." for item in interviews)
    assert {item.language for item in interviews} == {"en"}  # the page's language, chosen once


def test_importing_the_same_file_twice_adds_nothing(hr: Persona, groups: dict[str, int], database_url: str) -> None:
    address, html = uploaded(hr, "google-forms-fr.csv")
    committed(hr, address, {**form_of(html), "skip_problems": "1"})
    assert count(database_url, ExitInterview) == 22
    again, html = uploaded(hr, "google-forms-fr.csv")
    assert "0 rows will be imported." in html
    assert "22 rows were imported before and are skipped." in html
    assert "already imported" in html
    refused = hr.post(f"{again}/commit", {**form_of(html), "skip_problems": "1"}, follow_redirects=False)
    assert refused.status_code == 400 and "nothing to import" in refused.text
    assert count(database_url, ExitInterview) == 22


def test_spreadsheet_rows_keep_their_own_language_and_notes(hr: Persona, groups: dict[str, int],
                                                            database_url: str) -> None:
    address, html = uploaded(hr, "spreadsheet-en.csv")
    assert "18 rows will be imported." in html
    fields = {**form_of(html), "skip_problems": "1", "channel": "interview"}
    committed(hr, address, fields)
    interviews = rows(database_url, ExitInterview)
    assert {item.language for item in interviews} == {"nl", "fr", "en"}
    assert {item.channel for item in interviews} == {"interview"}
    assert any("€5" in item.improvement_suggestion for item in interviews)  # Windows-1252 read right
    assert any(item.notes == "Exit talk with HR; calm." for item in interviews)
    assert {item.tenure_band for item in interviews} <= {"lt1", "1to2", "2to5", "5to10", "gt10"}


def test_suggested_themes_are_accepted_for_all_rows_at_once(hr: Persona, groups: dict[str, int],
                                                           database_url: str) -> None:
    address, html = uploaded(hr, "google-forms-fr.csv")
    assert 'id="suggested-themes"' in html
    fields = {**form_of(html), "skip_problems": "1", "accept_suggestions": "1"}
    committed(hr, address, fields)
    assert count(database_url, InterviewTheme) > 0


def test_rows_without_suggestions_accepted_get_no_themes(hr: Persona, groups: dict[str, int],
                                                         database_url: str) -> None:
    address, html = uploaded(hr, "google-forms-fr.csv")
    committed(hr, address, {**form_of(html), "skip_problems": "1"})
    assert count(database_url, InterviewTheme) == 0


def test_a_name_column_cannot_be_imported_even_when_asked(hr: Persona, groups: dict[str, int],
                                                          database_url: str) -> None:
    address, html = uploaded(hr, "spreadsheet-en.csv")
    fields = {**form_of(html), "column-0": "notes", "column-15": "ignore", "skip_problems": "1"}
    committed(hr, address, fields)
    assert all("Leaver" not in item.notes for item in rows(database_url, ExitInterview))


def test_files_that_are_not_tables_are_refused_with_the_reason(hr: Persona, database_url: str) -> None:
    response = upload(hr, "export.xlsx", b"just text, renamed")
    assert response.status_code == 400
    assert "This is not an Excel (.xlsx) file" in response.text
    response = upload(hr, "export.csv", b"Afdeling;Score\n")
    assert response.status_code == 400 and "no rows" in response.text
    response = hr.post("/interviews/import", {}, follow_redirects=False)
    assert response.status_code in (400, 415)
    assert count(database_url, ImportUpload) == 0


def test_errors_speak_the_users_language(persona: Any, groups: dict[str, int]) -> None:
    dutch = persona(Role.HR, "hanne.hr@example.com", language="nl")
    response = upload(dutch, "export.xlsx", b"just text, renamed")
    assert "Dit is geen Excel-bestand" in response.text
    _address, html = uploaded(dutch, "microsoft-forms-nl.xlsx")
    assert "Onbekende afdeling “Marketing”" in html


def test_htmx_re_renders_only_the_mapping_and_preview(hr: Persona, groups: dict[str, int]) -> None:
    address, html = uploaded(hr, "microsoft-forms-nl.xlsx")
    partial = hr.post(address, {**form_of(html), "column-5": "ignore"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert partial.text.lstrip().startswith("{#") or partial.text.lstrip().startswith("<form")
    assert "<html" not in partial.text
    assert "0 rows will be imported." in partial.text and "No column gives: Department" in partial.text
    assert partial.headers["vary"] == "HX-Request"


def test_cancel_forgets_the_file_and_old_uploads_are_purged(hr: Persona, groups: dict[str, int],
                                                            database_url: str, settings: Any) -> None:
    address, _html = uploaded(hr, "google-forms-fr.csv")
    assert hr.post(f"{address}/cancel", follow_redirects=False).status_code == 303
    assert count(database_url, ImportUpload) == 0
    assert hr.client.get(address).status_code == 404
    uploaded(hr, "google-forms-fr.csv")

    async def age(session: Any) -> None:
        await session.execute(update(ImportUpload).values(created_at=clock.utcnow() - timedelta(hours=25)))

    run(age, database_url)

    async def retention(session: Any) -> None:
        await apply_retention(session, settings=settings, today=clock.today(), dry_run=False)

    run(retention, database_url)
    assert count(database_url, ImportUpload) == 0


def test_deleting_an_imported_interview_deletes_its_fingerprint(hr: Persona, groups: dict[str, int],
                                                                database_url: str) -> None:
    address, html = uploaded(hr, "spreadsheet-en.csv")
    hr.post(f"{address}/commit", {**form_of(html), "skip_problems": "1"}, follow_redirects=False)
    first = min(item.id for item in rows(database_url, ExitInterview))
    assert hr.post(f"/interviews/{first}/delete", follow_redirects=False).status_code == 303
    assert count(database_url, InterviewFingerprint) == 17
    assert count(database_url, InterviewFingerprint, InterviewFingerprint.interview_id == first) == 0




# --- issue 22.4: guesses, remembered mappings, skipped rows, the button ---------------------------


def microsoft_forms_with_header(index: int, header: str) -> bytes:
    """The Microsoft Forms sample with one column header written otherwise."""
    workbook = load_workbook(SAMPLES / "microsoft-forms-nl.xlsx")
    workbook.active.cell(row=1, column=index + 1, value=header)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_usual_dutch_tenure_question_is_guessed_in_the_first_preview(hr: Persona, groups: dict[str, int]) -> None:
    """It was not: the first preview said "0 rows will be imported" for Microsoft Forms' usual header."""
    response = upload(hr, "export.xlsx", microsoft_forms_with_header(7, "Hoe lang werkte je bij ons?"))
    assert response.status_code == 303
    html = hr.client.get(response.headers["location"]).text
    assert form_of(html)["column-7"] == "tenure_band"
    assert "27 rows will be imported." in html and "3 rows have problems." in html


@pytest.mark.parametrize("header", [
    "Hoe lang werkte je bij ons?", "Hoe lang heb je bij ons gewerkt?", "Hoe lang ben je bij ons in dienst geweest?",
    "Depuis combien de temps travailliez-vous chez nous ?", "Depuis combien de temps travaillez-vous chez nous ?",
    "How long did you work here?", "How long did you work for us?", "How long have you worked here?",
    "Length of service",
])
def test_tenure_questions_are_guessed_as_survey_tools_ask_them(header: str) -> None:
    assert guess_columns(["Afdeling", header, "Laatste werkdag"])[1] == "tenure_band"


def test_the_mapping_hr_chose_is_the_first_guess_for_a_file_with_the_same_headers(
    hr: Persona, groups: dict[str, int], database_url: str
) -> None:
    address, html = uploaded(hr, "microsoft-forms-nl.xlsx")
    assert 'id="import-remembered"' not in html
    fields = {**form_of(html), "column-15": "notes", "skip_problems": "1"}  # guessed: ignore
    committed(hr, address, fields)
    [remembered] = rows(database_url, RememberedMapping)
    # Which field each column became, and nothing of the file: no cell, no header.
    assert remembered.columns["15"] == "notes" and remembered.columns["9"] == "reason_for_leaving"
    assert set(remembered.columns.values()) <= {*TARGETS, IGNORE}
    assert "Betere opleiding" not in str(remembered.columns) and "Afdeling" not in str(remembered.columns)
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "import")
    assert event.changes["mapping_remembered"] is True

    # The next file with the same headers (written in other case and punctuation) starts from that mapping.
    again = upload(hr, "export.xlsx", microsoft_forms_with_header(15, "VERBETERPUNTEN!"))
    html = hr.client.get(again.headers["location"]).text
    assert 'id="import-remembered"' in html
    assert "The columns are mapped as you chose for the last file with the same headers" in html
    fields = form_of(html)
    assert (fields["column-15"], fields["column-9"], fields["column-5"]) == ("notes", "reason_for_leaving",
                                                                            "department_id")
    # Other headers: guesses as before.
    _address, other = uploaded(hr, "google-forms-fr.csv")
    assert 'id="import-remembered"' not in other


def test_the_done_page_lists_the_skipped_rows_and_hr_downloads_them_to_correct(
    hr: Persona, leader: Persona, groups: dict[str, int], database_url: str
) -> None:
    address, html = uploaded(hr, "microsoft-forms-nl.xlsx")
    done = committed(hr, address, {**form_of(html), "skip_problems": "1"})
    assert done.headers["cache-control"] == "no-store"
    assert "27 exit interviews were imported." in done.text and "3 rows were not imported" in done.text
    listed = done.text[done.text.index('id="skipped-rows"'):]
    assert "Unknown department “Marketing”" in listed and "“31/02/2026” is not a date" in listed
    assert count(database_url, ImportUpload) == 0  # the rows left with the page, not kept on the server

    sealed = re.search(r'name="rows" value="([^"]+)"', done.text).group(1)
    download = hr.post("/interviews/import/skipped", {"rows": sealed})
    assert download.status_code == 200 and download.headers["cache-control"] == "no-store"
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    table = read_table(download.content, filename="skipped-rows.csv")
    original = read_table((SAMPLES / "microsoft-forms-nl.xlsx").read_bytes(), filename="x.xlsx")
    assert table.headers == [*original.headers, "Problem"]
    assert len(table.rows) == 3
    by_number = dict(zip(original.row_numbers, original.rows, strict=True))
    for row, number in zip(table.rows, [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", listed)], strict=True):
        assert row[:-1] == by_number[number]  # the row's cells as they were in the file
    assert any("Marketing" in row[-1] for row in table.rows)

    # Corrected and imported again, the file's problem column is ignored and its rows are checked anew.
    again = upload(hr, "skipped-rows.csv", download.content)
    assert again.status_code == 303
    assert "3 rows have problems." in hr.client.get(again.headers["location"]).text

    assert leader.post("/interviews/import/skipped", {"rows": sealed}).status_code == 403
    forged = hr.post("/interviews/import/skipped", {"rows": sealed[:-3] + "AAA"})
    assert forged.status_code == 400 and "expired" in forged.text
    no_csrf = hr.client.post("/interviews/import/skipped", data={"rows": sealed})
    assert no_csrf.status_code == 403


def test_the_import_button_says_what_pressing_it_does(hr: Persona, groups: dict[str, int]) -> None:
    address, html = uploaded(hr, "microsoft-forms-nl.xlsx")
    button = html[html.index('id="import-commit"'):].split("</button>", 1)[0]
    # Rows with problems and skipping not ticked: the import would be refused, so the button is off and says why.
    assert "disabled" in button and "Import 27" not in button
    assert "tick “Skip the rows with problems” and update the preview" in html
    skipping = hr.post(address, {**form_of(html), "skip_problems": "1"}).text
    button = skipping[skipping.index('id="import-commit"'):].split("</button>", 1)[0]
    assert "disabled" not in button and "Import 27, skip 3" in button
    # Once imported, the same file has nothing left to import: the button says so and is off.
    first, html = uploaded(hr, "google-forms-fr.csv")
    committed(hr, first, {**form_of(html), "skip_problems": "1"})
    _again, html = uploaded(hr, "google-forms-fr.csv")
    button = html[html.index('id="import-commit"'):].split("</button>", 1)[0]
    assert "disabled" in button and "There is nothing to import" in html


# --- the mapping rules, without a database -------------------------------------------------------

OPTIONS = FormOptions([Department(id=1, name="Logistics"), Department(id=2, name="Closed shop", active=False)],
                      [JobFamily(id=1, name="Team lead")], [])
HEADER_WORDS = ["Afdeling", "Naam", "E-mail", "Horodateur", "Service", "Dept", "Score", "Waarom vertrek je?",
                "Name", "ID", "Taal", "Laatste werkdag", "Tenure", "", "Pourquoi partez-vous ?", "Recommend (0-10)"]


@hypothesis_settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(headers=st.lists(st.one_of(st.sampled_from(HEADER_WORDS), st.text(max_size=30)), min_size=1, max_size=12),
       chosen=st.dictionaries(st.integers(0, 11), st.sampled_from([*TARGETS, IGNORE, "themes", "email", ""])))
def test_no_mapping_ever_imports_who_answered_or_a_field_twice(headers: list[str], chosen: dict[int, str]) -> None:
    table = Table(headers=headers, rows=[["x"] * len(headers)], row_numbers=[2])
    for mapping in (guess_columns(headers),
                    read_mapping({"mapped": "1", **{f"column-{i}": t for i, t in chosen.items()}}, table, OPTIONS,
                                 language="nl").columns):
        used = [target for target in mapping.values() if target != IGNORE]
        assert len(used) == len(set(used))
        assert set(used) <= set(TARGETS)
        for index, header in enumerate(headers):
            if header.strip().casefold() in {name.casefold() for name in PERSONAL_HEADERS}:
                assert mapping[index] == IGNORE, header


@pytest.mark.parametrize(("target", "raw", "expected"), [
    ("training_score", "Helemaal mee eens", "5"), ("training_score", "Pas du tout d'accord", "1"),
    ("training_score", "4 - Mee eens", "4"), ("training_score", "7", "7"), ("recommend_score", "10", "10"),
    ("pay_factor", "Oui", "yes"), ("pay_factor", "gedeeltelijk", "partly"), ("would_return", "Peut-être", "maybe"),
    ("tenure_band", "<1", "lt1"), ("tenure_band", "2 à 5 ans", "2to5"), ("tenure_band", "> 10", "gt10"),
    ("tenure_band", "Meer dan 10 jaar", "gt10"), ("language", "Français", "fr"), ("channel", "Enquête", "survey"),
    ("department_id", " logistics ", "1"), ("department_id", "Closed shop", ""), ("department_id", "Marketing", ""),
    ("job_family_id", "TEAM LEAD", "1"), ("pay_factor", "perhaps", ""),
])
def test_values_are_guessed_as_people_write_them(target: str, raw: str, expected: str) -> None:
    assert guess_value(target, raw, OPTIONS) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-03-31", "2026-03-31"), ("2026-03-31 14:05:00", "2026-03-31"), ("31/03/2026", "2026-03-31"),
    ("31.03.26", "2026-03-31"), ("1-4-2026", "2026-04-01"), ("31/02/2026", "31/02/2026"), ("soon", "soon"),
])
def test_exit_dates_are_read_day_first_as_in_belgium(raw: str, expected: str) -> None:
    assert exit_date_text(raw) == expected


def test_a_file_over_the_size_limit_is_refused_with_the_limit(settings: Any, make_user: Any,
                                                              database_url: str) -> None:
    make_user(Role.HR, "small.limits@example.com")
    app = create_app(settings.model_copy(update={"import_max_bytes": 2_000_000}))
    with make_client(app) as client:
        assert sign_in(client, "small.limits@example.com").status_code == 303
        big = b"Afdeling;Score\n" + b"Logistics;5\n" * 200_000
        response = post_form(client, "/interviews/import", files={"file": ("big.csv", big, "text/csv")})
    assert response.status_code == 400
    assert "The file is larger than 2 MB" in response.text
    assert count(database_url, ImportUpload) == 0
