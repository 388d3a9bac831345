"""Journeys in Chromium through the figures leadership reads: stay interviews on the radar, and whether
done actions worked on the status page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from test_effects import AFTER, BEFORE, done_action, leavers
from test_stay_figures import LATEST, add_stays

from actiontrack.models import Role, User
from actiontrack.settings import Settings

from browser_checks import sign_in_page
from conftest import LiveServer, release_now

pytestmark = pytest.mark.browser


def test_leadership_reads_stay_interviews_on_the_radar_and_finds_an_action_that_did_not_work(
    page: Page, live_server: LiveServer, make_user: Callable[..., User], make_action: Any,
    make_department: Any, make_job_family: Any, settings: Settings,
) -> None:
    url = live_server.database_url
    make_user(Role.LEADERSHIP, "lea.lead@example.com", name="Lea Lead")
    owner = make_user(Role.OWNER, "otto.owner@example.com", name="Otto Owner")
    department, family = make_department("Production").id, make_job_family("Operators").id
    leavers(url, department, family, BEFORE[1], number=20, raising=5)
    leavers(url, department, family, AFTER, number=20, raising=12)
    add_stays(url, department_id=department, job_family_id=family, held_on=LATEST.start + timedelta(days=3),
              number=10, raising=6)
    done_action(make_action, owner, url, department=department, title="Quarterly team days")
    release_now(settings)  # the server started before the interviews were recorded

    page.set_extra_http_headers({"accept-language": "en"})
    sign_in_page(page, live_server, "lea.lead@example.com")
    page.goto(f"{live_server.url}/radar")
    page.get_by_label("Answers from").select_option("stay")  # HTMX swaps the tables in place
    expect(page.locator("#radar-caption")).to_have_text("Themes raised in stay interviews, per department")
    expect(page).to_have_url(re.compile(r"source=stay"))
    expect(page.locator(f"#leavers-{department}")).to_have_text("10")

    page.goto(f"{live_server.url}/status?start={BEFORE[0].start.isoformat()}")
    page.get_by_label("Effect of done actions").select_option("worse")
    row = page.locator("#effect-list tbody tr:not(.effect-why)")  # each verdict with its explanation row below
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Quarterly team days")
    expect(row).to_contain_text("Worse")
    row.get_by_role("link", name="Quarterly team days").click()
    expect(page.get_by_role("heading", name="Did it work?")).to_be_visible()
    expect(page.locator("section.effect")).to_contain_text("a larger share of this group's leavers raise")
