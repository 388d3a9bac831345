"""HR imports the organisation in a real Chromium: upload, correct a mapping, see the broken row, commit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from actiontrack.models import Department, Role, User

from browser_checks import sign_in_page
from conftest import LiveServer, rows

pytestmark = pytest.mark.browser


def test_hr_imports_departments_with_headcounts_after_correcting_a_mapping(
    page: Page, live_server: LiveServer, make_user: Callable[..., User], make_department: Callable[..., Any],
    tmp_path: Path,
) -> None:
    make_user(Role.HR, "hilde.hr@example.com", name="Hilde HR")
    make_department("Logistiek", headcount=50)
    workbook = Workbook()
    for row in [("Afdeling", "Aantal vacatures", "Aantal medewerkers op 1/1"),
                ("Verkoop", 3, 120), ("logistiek", 1, 85), ("Onderhoud", 0, "veel")]:
        workbook.active.append(row)
    file = tmp_path / "afdelingen.xlsx"
    workbook.save(file)

    sign_in_page(page, live_server, "hilde.hr@example.com")
    page.goto(f"{live_server.url}/organisation")
    page.get_by_role("link", name="Import from a file").click()
    page.get_by_label("Departments, with their headcount").check()
    page.get_by_label("File (CSV or Excel .xlsx)").set_input_files(file)
    page.get_by_role("button", name="Upload and check").click()

    # The headcount was guessed from the wrong column: HR corrects it and the preview follows (HTMX).
    headcount = page.get_by_label("Headcount")
    expect(headcount).to_have_value("1")
    preview = page.locator("#preview")
    expect(preview.get_by_role("row", name="Verkoop")).to_contain_text("3")
    headcount.select_option(label="Aantal medewerkers op 1/1 (e.g. 120)")
    expect(preview.get_by_role("row", name="Verkoop")).to_contain_text("120")
    expect(preview.get_by_role("row", name="logistiek")).to_contain_text("50 → 85")
    broken = preview.get_by_role("row", name="Onderhoud")
    expect(broken).to_contain_text("Problem")
    expect(broken).to_contain_text("Enter the number of employees as a whole number.")

    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.get_by_role("heading", name="Import done")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("1 added, 1 changed, 0 unchanged, 1 skipped")
    page.get_by_role("link", name="Back to the organisation").click()
    table = page.get_by_role("table").first
    expect(table.get_by_role("row", name="Verkoop")).to_contain_text("120")
    expect(table.get_by_role("row", name="Logistiek")).to_contain_text("85")
    assert {d.name: d.headcount for d in rows(live_server.database_url, Department)} == {"Logistiek": 85,
                                                                                         "Verkoop": 120}
