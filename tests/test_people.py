"""The people page (HR): every account, roles, deactivation, reassignment, and never losing the last HR."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from litestar.testing import TestClient

from actiontrack.models import ActionItem, ActionUpdate, AuditEvent, Role, User, UserToken

from conftest import Persona, post_form, rows, run

SCRIPT = "<script>alert(1)</script>"


def test_hr_sees_every_account_with_role_language_state_sign_in_and_open_actions(
    hr: Persona, owner: Persona, make_user: Callable[..., User], make_action: Callable[..., Any]
) -> None:
    make_user(Role.LEADERSHIP, "gone@example.com", name="Gone Leader", active=False)
    make_action(owner=owner.user, created_by=hr.user, title="One")
    make_action(owner=owner.user, created_by=hr.user, title="Two")
    make_action(owner=owner.user, created_by=hr.user, title="Done already", status="done", progress=100)
    hr.post("/accounts/invite", {"email": "new@example.com", "display_name": "New Person", "role": "leadership"})
    page = hr.client.get("/people?lang=en")
    assert page.status_code == 200
    assert page.headers["vary"] == "HX-Request"
    text = page.text
    for expected in ("Alice HR", "Charlie Owner", "Gone Leader", "New Person", "4 people"):
        assert expected in text
    owner_row = text[text.index(f'id="person-{owner.user.id}"'):]
    owner_row = owner_row[:owner_row.index("</tr>")]
    assert "Action owner" in owner_row and "Nederlands" in owner_row and ">Active<" in owner_row
    assert f'href="/actions?owner={owner.user.id}&amp;status=open">2</a>' in owner_row
    assert "Never" not in owner_row  # the persona signed in
    gone_row = text[text.index("Gone Leader"):]
    assert ">Deactivated<" in gone_row[:gone_row.index("</tr>")]
    new_row = text[text.index("New Person"):]
    assert ">Invited<" in new_row[:new_row.index("</tr>")] and "Never" in new_row[:new_row.index("</tr>")]


def test_people_filters_live_in_the_url_and_htmx_gets_the_list_alone(
    hr: Persona, owner: Persona, leader: Persona, make_user: Callable[..., User]
) -> None:
    make_user(Role.OWNER, "former@example.com", name="Former Owner", active=False)
    owners = hr.client.get("/people?role=owner&lang=en").text
    assert "Charlie Owner" in owners and "Former Owner" in owners and "Bob Leader" not in owners
    active_owners = hr.client.get("/people?role=owner&state=active&lang=en").text
    assert "Charlie Owner" in active_owners and "Former Owner" not in active_owners
    search = hr.client.get("/people?q=BOB&lang=en").text
    assert "Bob Leader" in search and "Charlie Owner" not in search
    assert "Nobody matches these filters." in hr.client.get("/people?q=%25_nobody&lang=en").text
    partial = hr.client.get("/people?role=leadership", headers={"hx-request": "true"})
    assert partial.text.lstrip().startswith("<section id=\"people\"") or '<section id="people"' in partial.text[:400]
    assert "<html" not in partial.text and "Bob Leader" in partial.text
    # Unknown filter values are ignored rather than an error.
    assert hr.client.get("/people?role=boss&state=gone&page=x").status_code == 200


def test_people_come_in_pages_of_fifty(hr: Persona, database_url: str) -> None:
    async def many(session):
        session.add_all(User(email=f"p{n:03}@example.com", display_name=f"Person {n:03}", role="owner")
                        for n in range(60))

    run(many, database_url)
    first = hr.client.get("/people?lang=en").text
    # Alice HR comes first by name, then Person 000 to 048.
    assert "61 people" in first and "Page 1 of 2" in first and "Person 048" in first and "Person 049" not in first
    second = hr.client.get("/people?page=2&lang=en").text
    assert "Person 049" in second and "Person 059" in second and "Person 048" not in second
    assert 'href="/people?role=owner&amp;page=1"' in hr.client.get("/people?role=owner&page=2&lang=en").text


def test_hr_changes_a_role_which_is_audited(hr: Persona, owner: Persona, database_url: str) -> None:
    response = hr.post(f"/people/{owner.user.id}/role", {"role": "leadership"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/people/{owner.user.id}?done=role"
    page = hr.client.get(response.headers["location"] + "&lang=en").text
    assert "The role is changed." in page
    [charlie] = rows(database_url, User, User.id == owner.user.id)
    assert charlie.role == "leadership"
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "change_role")
    assert (event.actor_id, event.entity_id, event.changes) == (hr.user.id, owner.user.id,
                                                               {"role": ["owner", "leadership"]})


def test_a_bad_role_is_refused_and_nothing_changes(hr: Persona, owner: Persona, database_url: str) -> None:
    response = hr.post(f"/people/{owner.user.id}/role?lang=en", {"role": "boss"})
    assert response.status_code == 400 and "Choose a role." in response.text
    assert rows(database_url, User, User.id == owner.user.id)[0].role == "owner"
    assert rows(database_url, AuditEvent, AuditEvent.verb == "change_role") == []
    assert hr.client.get("/people/999999").status_code == 404


def test_the_last_active_hr_cannot_be_demoted_or_deactivated(
    hr: Persona, make_user: Callable[..., User], database_url: str
) -> None:
    make_user(Role.HR, "former.hr@example.com", active=False)
    demoted = hr.post(f"/people/{hr.user.id}/role?lang=en", {"role": "owner"})
    assert demoted.status_code == 400 and "This is the last active HR account" in demoted.text
    deactivated = hr.post(f"/people/{hr.user.id}/deactivate?lang=en")
    assert deactivated.status_code == 400 and "This is the last active HR account" in deactivated.text
    [alice] = rows(database_url, User, User.id == hr.user.id)
    assert (alice.role, alice.active, alice.session_generation) == ("hr", True, 0)
    assert hr.client.get("/people").status_code == 200  # still signed in
    assert rows(database_url, AuditEvent, AuditEvent.entity == "user", AuditEvent.verb != "sign_in") == []


def test_two_hr_demoting_each_other_at_once_leave_one_hr(
    persona: Callable[..., Persona], database_url: str
) -> None:
    first = persona(Role.HR, "first.hr@example.com")
    second = persona(Role.HR, "second.hr@example.com")
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(
            lambda pair: pair[0].post(f"/people/{pair[1].user.id}/role", {"role": "owner"}, follow_redirects=False),
            [(first, second), (second, first)]))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [303, 400], statuses
    assert len(rows(database_url, User, User.role == "hr", User.active.is_(True))) == 1


def test_deactivating_lists_open_actions_and_reassign_all_moves_them_with_history(
    hr: Persona, owner: Persona, other_owner: Persona, make_action: Callable[..., Any], database_url: str
) -> None:
    kept = make_action(owner=owner.user, created_by=hr.user, title="Exit survey in stores")
    blocked = make_action(owner=owner.user, created_by=hr.user, title="Career paths", status="blocked")
    done = make_action(owner=owner.user, created_by=hr.user, title="Finished one", status="done", progress=100)
    response = hr.post(f"/people/{owner.user.id}/deactivate", follow_redirects=False)
    assert response.headers["location"] == f"/people/{owner.user.id}?done=deactivated"
    page = hr.client.get(response.headers["location"] + "&lang=en").text
    assert "is deactivated and signed out everywhere" in page
    assert "Exit survey in stores" in page and "Career paths" in page and "Finished one" not in page
    assert "Reassign all 2 actions" in page
    assert f'<option value="{owner.user.id}"' not in page  # not to themselves

    refused = hr.post(f"/people/{owner.user.id}/reassign?lang=en", {"owner_id": str(owner.user.id)})
    assert refused.status_code == 400 and "Choose an active user as owner." in refused.text
    assert {a.owner_id for a in rows(database_url, ActionItem)} == {owner.user.id}

    moved = hr.post(f"/people/{owner.user.id}/reassign", {"owner_id": str(other_owner.user.id)},
                    follow_redirects=False)
    assert moved.headers["location"] == f"/people/{owner.user.id}?done=reassigned&moved=2"
    assert "2 actions were handed over." in hr.client.get(moved.headers["location"] + "&lang=en").text
    owners = {action.id: action.owner_id for action in rows(database_url, ActionItem)}
    assert owners == {kept.id: other_owner.user.id, blocked.id: other_owner.user.id, done.id: owner.user.id}
    handed = rows(database_url, ActionUpdate, ActionUpdate.owner_after_id == other_owner.user.id)
    assert sorted(update.action_id for update in handed) == [kept.id, blocked.id]
    assert all(update.owner_before_id == owner.user.id for update in handed)
    verbs = [event.verb for event in rows(database_url, AuditEvent) if event.verb != "sign_in"]
    assert verbs == ["deactivate", "reassign", "reassign"]


def test_reactivating_lets_the_person_sign_in_again(hr: Persona, owner: Persona, database_url: str) -> None:
    from conftest import sign_in

    hr.post(f"/people/{owner.user.id}/deactivate")
    assert sign_in(owner.client, owner.user.email).status_code == 400
    assert hr.post(f"/people/{owner.user.id}/reactivate", follow_redirects=False).status_code == 303
    assert sign_in(owner.client, owner.user.email).status_code == 303
    assert [e.verb for e in rows(database_url, AuditEvent, AuditEvent.entity_id == owner.user.id,
                                 AuditEvent.entity == "user") if e.verb in {"deactivate", "reactivate"}] == [
        "deactivate", "reactivate"]


def test_hr_invites_leadership_resends_and_withdraws(hr: Persona, anon: TestClient, database_url: str) -> None:
    import re

    invited = hr.post("/accounts/invite?lang=en", {"email": "dir@example.com", "display_name": "Dina Director",
                                                   "role": "leadership", "language": "nl"})
    assert invited.status_code == 200 and "Give this link to Dina Director" in invited.text
    [dina] = rows(database_url, User, User.email == "dir@example.com")
    assert (dina.role, dina.password_hash) == ("leadership", None)
    first_link = re.search(r'value="https://testserver\.local(/welcome/[^"]+)"', invited.text).group(1)
    page = hr.client.get(f"/people/{dina.id}?lang=en").text
    assert "Invitation" in page and "Send a new link" in page and "Withdraw the invitation" in page

    resent = hr.post(f"/accounts/invite/{dina.id}/renew")
    second_link = re.search(r'value="https://testserver\.local(/welcome/[^"]+)"', resent.text).group(1)
    assert anon.get(first_link).status_code == 404 and anon.get(second_link).status_code == 200

    withdrawn = hr.post(f"/accounts/invite/{dina.id}/withdraw", follow_redirects=False)
    assert withdrawn.headers["location"] == f"/people/{dina.id}"
    assert anon.get(second_link).status_code == 404
    [dina] = rows(database_url, User, User.email == "dir@example.com")
    assert not dina.active
    assert all(token.used_at is not None for token in rows(database_url, UserToken))
    assert hr.post(f"/accounts/invite/{dina.id}/renew").status_code == 404  # nothing to resend


def test_an_invitation_with_an_unknown_role_is_refused(hr: Persona, database_url: str) -> None:
    response = hr.post("/accounts/invite?lang=en", {"email": "x@example.com", "display_name": "X", "role": "admin"})
    assert response.status_code == 400 and "Choose a role." in response.text
    assert rows(database_url, User, User.email == "x@example.com") == []


def test_names_are_escaped_on_the_people_pages(hr: Persona, make_user: Callable[..., User]) -> None:
    person = make_user(Role.OWNER, "xss@example.com", name=SCRIPT)
    for path in ("/people", f"/people/{person.id}"):
        text = hr.client.get(path).text
        assert SCRIPT not in text and "&lt;script&gt;" in text


ROUTES = [("GET", "/people"), ("GET", "/people/{id}"), ("POST", "/people/{id}/role"),
          ("POST", "/people/{id}/deactivate"), ("POST", "/people/{id}/reactivate"), ("POST", "/people/{id}/reassign"),
          ("POST", "/accounts/invite/{id}/withdraw"), ("POST", "/people/{id}/api-tokens/1/revoke")]


@pytest.mark.parametrize("who", ["leader", "owner", "anon"])
def test_only_hr_may_open_or_change_the_people_pages(
    request: pytest.FixtureRequest, who: str, make_user: Callable[..., User], database_url: str
) -> None:
    target = make_user(Role.OWNER, "target@example.com")
    client: TestClient = request.getfixturevalue("anon") if who == "anon" else request.getfixturevalue(who).client
    for method, template in ROUTES:
        path = template.replace("{id}", str(target.id))
        if method == "GET":
            response = client.get(path, follow_redirects=False)
        else:
            response = post_form(client, path, {"role": "hr", "owner_id": "1"}, follow_redirects=False)
        if who == "anon":
            assert response.status_code == 303 and response.headers["location"].startswith("/login"), path
        else:
            assert response.status_code == 403, (path, response.status_code)
    [unchanged] = rows(database_url, User, User.id == target.id)
    assert (unchanged.role, unchanged.active) == ("owner", True)


def test_people_forms_need_their_csrf_token(hr: Persona, owner: Persona, database_url: str) -> None:
    response = hr.client.post(f"/people/{owner.user.id}/deactivate", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert rows(database_url, User, User.id == owner.user.id)[0].active


# --- API tokens end with their holder's rights ----------------------------------------------------


def api_status(client: TestClient, token: str) -> int:
    return client.get("/api/v1/actions", headers={"authorization": f"Bearer {token}"}).status_code


def test_a_demoted_persons_api_token_stops_working_and_its_end_is_audited(
    hr: Persona, anon: TestClient, make_user: Callable[..., User], make_api_token: Callable[..., str],
    database_url: str,
) -> None:
    from actiontrack.models import ApiToken

    other_hr = make_user(Role.HR, "second.hr@example.com")
    token = make_api_token(other_hr)
    assert api_status(anon, token) == 200
    hr.post(f"/people/{other_hr.id}/role", {"role": "owner"})
    assert api_status(anon, token) == 401
    [revoked] = rows(database_url, ApiToken)
    assert revoked.revoked_at is not None
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "api_token")
    assert (event.verb, event.actor_id, event.entity_id, event.changes) == (
        "revoke", hr.user.id, revoked.id, {"reason": "role changed"})


def test_an_api_token_stops_working_after_a_new_password(
    owner: Persona, anon: TestClient, make_api_token: Callable[..., str],
) -> None:
    from conftest import PERSONA_PASSWORD

    token = make_api_token(owner.user)
    assert api_status(anon, token) == 200
    changed = owner.post("/account/password", {"current": PERSONA_PASSWORD, "password": "Schelde-kaai-2026",
                                               "confirm": "Schelde-kaai-2026"}, follow_redirects=False)
    assert changed.status_code == 303
    assert api_status(anon, token) == 401


def test_a_deactivated_persons_api_token_stays_ended_after_reactivation(
    hr: Persona, owner: Persona, anon: TestClient, make_api_token: Callable[..., str],
) -> None:
    token = make_api_token(owner.user)
    hr.post(f"/people/{owner.user.id}/deactivate")
    hr.post(f"/people/{owner.user.id}/reactivate")
    assert api_status(anon, token) == 401


def test_the_person_page_lists_their_api_tokens_and_hr_revokes_one(
    hr: Persona, owner: Persona, anon: TestClient, make_api_token: Callable[..., str], database_url: str,
) -> None:
    from actiontrack.models import ApiToken

    kept = make_api_token(owner.user, name="Power BI")
    ended = make_api_token(owner.user, name=f"Sync {SCRIPT}")
    page = hr.client.get(f"/people/{owner.user.id}?lang=en").text
    assert "API tokens" in page and "Power BI" in page and SCRIPT not in page
    ended_id = next(row.id for row in rows(database_url, ApiToken) if row.name.startswith("Sync"))
    revoke = f"/people/{owner.user.id}/api-tokens/{ended_id}/revoke"
    assert f'action="{revoke}"' in page
    # Without the CSRF token nothing happens; another person's path to it is not found.
    assert hr.client.post(revoke, data={}, follow_redirects=False).status_code == 403
    assert hr.post(f"/people/{hr.user.id}/api-tokens/{ended_id}/revoke", {},
                   follow_redirects=False).status_code == 404
    assert api_status(anon, ended) == 200
    done = hr.post(revoke, {}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/people/{owner.user.id}?done=token_revoked"
    assert "The token is revoked." in hr.client.get(done.headers["location"] + "&lang=en").text
    assert (api_status(anon, ended), api_status(anon, kept)) == (401, 200)
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "api_token")
    assert (event.verb, event.actor_id, event.entity_id) == ("revoke", hr.user.id, ended_id)
    # Only HR.
    assert owner.post(f"/people/{owner.user.id}/api-tokens/{ended_id}/revoke", {},
                      follow_redirects=False).status_code == 403
