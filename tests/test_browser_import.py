"""Journey in a real Chromium: HR imports the Microsoft Forms sample, fixes the mapping, imports, sees the radar."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from actiontrack.clock import today
from actiontrack.models import Role, User

from browser_checks import sign_in_page
from conftest import LiveServer

pytestmark = pytest.mark.browser
SAMPLE = Path(__file__).parent / "samples" / "microsoft-forms-nl.xlsx"


def test_hr_imports_the_microsoft_forms_sample_and_the_radar_shows_the_leavers(
    page: Page, live_server: LiveServer, make_user: Callable[..., User], make_department: Any,
    make_job_family: Any,
) -> None:
    departments = {name: make_department(name) for name in ("Retail stores", "Logistics", "Production",
                                                            "Customer service", "IT")}
    for name in ("Store associate", "Store manager", "Warehouse operator", "Production operator",
                 "Customer service agent", "IT developer", "Team lead"):
        make_job_family(name)
    make_user(Role.HR, "importer@example.com", name="Ines Import")
    page.set_extra_http_headers({"accept-language": "en"})
    sign_in_page(page, live_server, "importer@example.com")

    page.goto(f"{live_server.url}/interviews")
    page.get_by_role("link", name="Import from a file").click()
    page.get_by_label("File (CSV or Excel .xlsx)").set_input_files(SAMPLE)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import of microsoft-forms-nl.xlsx")
    summary = page.locator("#import-summary")
    expect(summary).to_contain_text("27 rows will be imported.")
    expect(summary).to_contain_text("3 rows have problems.")
    problems = page.locator("#problem-rows")
    expect(problems).to_contain_text("“31/02/2026” is not a date")
    expect(problems).to_contain_text("Unknown department “Marketing”")
    expect(problems).to_contain_text("(“7”)")
    expect(page.get_by_text("Never imported (says who answered)")).to_have_count(5)

    # The column the guesses missed, and the department nobody has: HTMX updates the preview in place.
    page.get_by_label(re.compile(r"^Marketing")).select_option(str(departments["Retail stores"].id))
    expect(summary).to_contain_text("28 rows will be imported.")
    expect(summary).to_contain_text("2 rows have problems.")
    expect(problems).not_to_contain_text("Marketing")
    page.get_by_label("Imported as: Verbeterpunten").select_option("improvement_suggestion")
    expect(page.locator("#import-form")).not_to_have_class(re.compile("htmx-request"))
    expect(page.get_by_label("Imported as: Verbeterpunten")).to_have_value("improvement_suggestion")
    expect(page.get_by_label(re.compile(r"^Marketing"))).to_have_value(str(departments["Retail stores"].id))

    page.get_by_label("Skip the rows with problems").check()
    page.get_by_label("Tag every imported row with its suggested themes").check()
    # Ticking "skip" updates the preview: the button now says what pressing it does.
    page.get_by_role("button", name="Import 28, skip 2").click()
    expect(page.get_by_role("status")).to_have_text("28 exit interviews were imported.")

    page.goto(f"{live_server.url}/radar?start=2026-01-01&end={today().isoformat()}")
    expect(page.locator("#leavers-all")).to_contain_text("28")
    expect(page.locator(f"#group-{departments['Retail stores'].id}")).to_have_text("Retail stores")
