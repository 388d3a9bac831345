"""Journeys in a real Chromium against a real server."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from actiontrack.clock import today
from actiontrack.models import Role, User

from browser_checks import sign_in_page
from conftest import LiveServer

pytestmark = pytest.mark.browser


def test_hr_signs_in_and_sees_the_home_page(
    page: Page, live_server: LiveServer, make_user: Callable[..., User]
) -> None:
    make_user(Role.HR, "hr.person@example.com", name="Hilde HR")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/login?next=/")
    sign_in_page(page, live_server, "hr.person@example.com")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Hilde HR")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Home")).to_be_visible()
    expect(page.get_by_role("heading", name="Exit feedback")).to_be_visible()


def test_owner_signs_in_in_dutch_and_signs_out(
    page: Page, live_server: LiveServer, make_user: Callable[..., User]
) -> None:
    make_user(Role.OWNER, "owner.person@example.com", name="Omer Owner", language="nl")
    sign_in_page(page, live_server, "owner.person@example.com")
    expect(page.get_by_role("heading", name="Jouw open acties")).to_be_visible()
    page.get_by_role("button", name="Afmelden").click()
    expect(page).to_have_url(f"{live_server.url}/login")


def test_wrong_password_shows_the_form_again_with_a_message(
    page: Page, live_server: LiveServer, make_user: Callable[..., User]
) -> None:
    make_user(Role.LEADERSHIP, "lead.person@example.com")
    page.set_extra_http_headers({"accept-language": "en"})
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill("lead.person@example.com")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Email or password is not correct.")
    expect(page.get_by_label("Email")).to_have_value("lead.person@example.com")


def test_visitor_switches_the_language(page: Page, live_server: LiveServer) -> None:
    page.set_extra_http_headers({"accept-language": "en"})
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_hr_adds_a_department_and_sees_an_error_for_a_duplicate(
    page: Page, live_server: LiveServer, make_user: Callable[..., User]
) -> None:
    make_user(Role.HR, "org.keeper@example.com")
    page.set_extra_http_headers({"accept-language": "en"})
    sign_in_page(page, live_server, "org.keeper@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organisation").click()
    add_form = page.locator("form[action='/organisation/department']")
    add_form.get_by_label("Name").fill("Retail stores")
    add_form.get_by_label("Headcount").fill("240")
    add_form.get_by_role("button", name="Add department").click()
    expect(page.get_by_role("cell", name="Retail stores", exact=True)).to_be_visible()
    add_form = page.locator("form[action='/organisation/department']")
    add_form.get_by_label("Name").fill("retail STORES")
    add_form.get_by_label("Headcount").fill("3")
    add_form.get_by_role("button", name="Add department").click()
    expect(page.get_by_text("This name is already used.")).to_be_visible()


def test_hr_invites_an_owner_who_sets_a_password_through_the_link(
    page: Page, live_server: LiveServer, make_user: Callable[..., User]
) -> None:
    make_user(Role.HR, "inviter@example.com")
    page.set_extra_http_headers({"accept-language": "en"})
    sign_in_page(page, live_server, "inviter@example.com")
    page.goto(f"{live_server.url}/accounts/invite")
    page.locator("#email").fill("new.owner@example.com")
    page.locator("#display_name").fill("Nadia Nieuw")
    page.get_by_role("button", name="Invite", exact=True).click()
    link = page.get_by_label("One-time link").input_value()
    assert "/welcome/" in link
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}{link[link.index('/welcome/'):]}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Nadia Nieuw")
    page.locator("#password").fill("a-fresh-password")
    page.locator("#confirm").fill("a-fresh-password")
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="My actions")).to_be_visible()


def test_hr_starts_an_action_from_the_radar_with_a_suggested_action(
    page: Page, live_server: LiveServer, make_user: Callable[..., User], make_department, make_job_family,
    make_interview,
) -> None:
    make_user(Role.HR, "radar.hr@example.com", name="Hilde HR")
    make_user(Role.OWNER, "store.owner@example.com", name="Omar Owner")
    retail, staff = make_department("Retail"), make_job_family("Store staff")
    # Six leavers last month, four of them about their start: onboarding recurs in Retail.
    last_month = today().replace(day=1) - timedelta(days=10)
    for index in range(6):
        make_interview(department=retail, job_family=staff, exit_date=last_month,
                       themes=("training_onboarding",) if index < 4 else ())
    page.set_extra_http_headers({"accept-language": "en"})
    sign_in_page(page, live_server, "radar.hr@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Theme radar").click()
    # The hidden part of a link's name is its own box: Chromium reads "Create an action : ...".
    page.get_by_role("link", name=re.compile(r"^Create an action\s?: Training and onboarding, Retail$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New action")
    expect(page.locator("#title_en")).to_have_value("")

    page.evaluate("window.__stillTheSamePage = true")
    page.get_by_role("link", name=re.compile(r"^Use this suggestion\s?: A buddy for every new starter$")).click()
    expect(page.locator("#title_en")).to_have_value("A buddy for every new starter")
    # The same suggestion in Dutch and French fills those languages too.
    expect(page.locator("#title_nl")).to_have_value("Een peter of meter voor elke nieuwe medewerker")
    expect(page.get_by_role("status")).to_contain_text("Filled in from the suggested action")
    expect(page.locator("#public_summary_en")).to_have_value(
        "Every new colleague now gets a buddy from the team for their first three months.")
    assert page.evaluate("window.__stillTheSamePage") is True  # swapped in place, not a new page
    expect(page.get_by_label("Department (for a department scope)")).to_have_value(str(retail.id))

    page.locator("#success_measure_en").fill("Every Retail starter has a buddy on day one")
    page.get_by_label("Owner", exact=True).select_option(label="Omar Owner (Action owner)")
    page.get_by_label("Deadline").fill((today() + timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Create action").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("A buddy for every new starter")
    expect(page.get_by_text("Every Retail starter has a buddy on day one")).to_be_visible()
    expect(page.get_by_text(
        "Every new colleague now gets a buddy from the team for their first three months.")).to_be_visible()


def test_hr_invites_a_director_changes_a_role_and_hands_over_a_leavers_actions(
    page: Page, live_server: LiveServer, make_user: Callable[..., User], make_action: Callable[..., object]
) -> None:
    from actiontrack.models import ActionItem

    from conftest import rows

    hr = make_user(Role.HR, "people.hr@example.com", name="Petra HR")
    make_user(Role.OWNER, "promoted@example.com", name="Pieter Promoted")
    leaver = make_user(Role.OWNER, "leaver@example.com", name="Lotte Leaver")
    taker = make_user(Role.OWNER, "taker@example.com", name="Tom Taker")
    make_action(owner=leaver, created_by=hr, title="Exit talks in retail")
    make_action(owner=leaver, created_by=hr, title="Mentoring for juniors")
    page.set_extra_http_headers({"accept-language": "en"})
    sign_in_page(page, live_server, "people.hr@example.com")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    page.get_by_role("link", name="Invite someone").click()
    page.locator("#email").fill("dina.director@example.com")
    page.locator("#display_name").fill("Dina Director")
    page.get_by_label("Role").select_option("leadership")
    page.get_by_role("button", name="Invite", exact=True).click()
    assert "/welcome/" in page.get_by_label("One-time link").input_value()
    page.get_by_role("link", name="See Dina Director on the people page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dina Director")
    expect(page.locator(".facts")).to_contain_text("Invited")
    expect(page.locator(".facts")).to_contain_text("Leadership")

    page.get_by_role("link", name="People", exact=True).first.click()
    page.get_by_role("link", name="Pieter Promoted").click()
    page.get_by_role("combobox", name="Role").select_option("leadership")
    page.get_by_role("button", name="Change role").click()
    expect(page.get_by_role("status")).to_contain_text("The role is changed.")
    expect(page.locator(".facts")).to_contain_text("Leadership")

    page.goto(f"{live_server.url}/people")
    page.get_by_label("Name or email").fill("lotte")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("cell", name="Tom Taker")).to_have_count(0)
    page.get_by_role("link", name="Lotte Leaver").click()
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("status")).to_contain_text("Lotte Leaver is deactivated and signed out everywhere.")
    expect(page.get_by_role("link", name="Exit talks in retail")).to_be_visible()
    page.get_by_label("Reassign all to").select_option(str(taker.id))
    page.get_by_role("button", name="Reassign all 2 actions").click()
    expect(page.get_by_role("status")).to_contain_text("2 actions were handed over.")
    expect(page.get_by_text("No open actions.")).to_be_visible()
    assert {action.owner_id for action in rows(live_server.database_url, ActionItem)} == {taker.id}


def test_an_owner_records_a_stay_interview_and_hr_accepts_its_suggested_theme(
    page: Page, live_server: LiveServer, make_user: Callable[..., User], make_department, make_job_family,
) -> None:
    make_user(Role.OWNER, "team.manager@example.com", name="Mona Manager")
    make_user(Role.HR, "stay.hr@example.com", name="Hilde HR")
    make_department("Production")
    make_job_family("Operators")
    page.set_extra_http_headers({"accept-language": "en"})
    sign_in_page(page, live_server, "team.manager@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Record a stay interview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a stay interview")
    page.get_by_label("Department").select_option(label="Production")
    page.get_by_label("Job family").select_option(label="Operators")
    page.get_by_role("group", name="How long have you worked here?").get_by_label("5 to 10 years").check()
    page.get_by_label("What keeps you working here?").fill("The team and the night shift bonus.")
    page.get_by_label("What could make you leave?").fill("The overtime never stops since two colleagues left.")
    for question, score in [("I can grow here", "4"), ("My work is recognised", "3"),
                            ("My manager supports me", "4"), ("My workload is manageable", "2")]:
        page.get_by_role("group", name=question).get_by_label(score, exact=True).check()
    page.get_by_role("button", name="Save stay interview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stay interview recorded")
    expect(page.get_by_text("The overtime never stops")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    sign_in_page(page, live_server, "stay.hr@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stay interviews").click()
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("none yet")
    rows.get_by_role("link").click()
    expect(page.get_by_text("The overtime never stops since two colleagues left.")).to_be_visible()
    suggested = page.locator("ul.suggestions li", has_text="Workload and autonomy")
    expect(suggested.locator("mark", has_text="overtime")).to_be_visible()
    expect(suggested).to_contain_text("My workload is manageable 2/5")
    page.get_by_role("link", name="Review the themes").click()
    workload = page.get_by_role("checkbox", name="Workload and autonomy")
    expect(workload).not_to_be_checked()
    workload.check()
    page.get_by_role("button", name="Save stay interview").click()
    expect(page.locator("ul.tags")).to_have_text("Workload and autonomy")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stay interviews").click()
    expect(page.locator("#results tbody tr")).to_contain_text("Workload and autonomy")
