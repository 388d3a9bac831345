"""Refused requests to pages get the error page in the reader's language; the API and JSON clients get JSON."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from actiontrack.models import Department

from conftest import Persona, count, csrf_token

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def refused(client: TestClient, kind: str, *, path: str = "/organisation/department",
            headers: dict[str, str] | None = None) -> Any:
    """POST a body a page cannot take: an upload, a broken or unwanted JSON body, another media type."""
    token = csrf_token(client)
    sent = {**BROWSER, "x-csrftoken": token, **(headers or {})}
    if kind == "upload":
        return client.post(path, data={"_csrf_token": token, "name": "Sales"}, files={"upload": ("a.txt", b"x")},
                           headers=sent)
    bodies = {"broken JSON": (b'{"name": ', "application/json"), "JSON": (b'{"name": "Sales"}', "application/json"),
              "plain text": (b"name=Sales", "text/plain"), "XML": (b"<name>Sales</name>", "application/xml")}
    body, media_type = bodies[kind]
    return client.post(path, content=body, headers={**sent, "content-type": media_type})


@pytest.mark.parametrize(("kind", "status", "language", "message"), [
    ("upload", 415, "nl", "Op dit adres kun je geen bestanden opladen."),
    ("plain text", 415, "fr", "Cette page n'accepte pas les données envoyées de cette manière."),
    ("JSON", 415, "en", "This page does not accept data sent this way."),
    ("XML", 415, "nl", "Deze pagina aanvaardt geen gegevens die op deze manier verstuurd worden."),
])
def test_a_page_refusing_a_body_shows_the_error_page_in_the_readers_language(
    hr: Persona, database_url: str, kind: str, status: int, language: str, message: str,
) -> None:
    response = refused(hr.client, kind, headers={"accept-language": language})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    page = response.text.replace("&#39;", "'")
    assert message in page
    assert f'lang="{language}"' in page
    assert response.headers["x-request-id"] in page
    assert count(database_url, Department) == 0


def test_an_unreadable_form_is_a_400_page_with_a_way_back(hr: Persona, database_url: str) -> None:
    token = csrf_token(hr.client)
    # Litestar cannot read a form whose field is sent twice where the form has one value. The user is known
    # by then: their language (here ?lang=) decides, not the browser's.
    response = hr.client.post("/organisation/department?lang=nl", headers={**BROWSER, "accept-language": "fr"},
                              data={"_csrf_token": token, "name": ["Sales", "Retail"]})
    assert response.status_code == 400
    assert "Het formulier kon niet worden gelezen. Ga terug, laad de pagina opnieuw" in response.text
    assert response.headers["x-request-id"] in response.text
    assert count(database_url, Department) == 0


def test_the_language_cookie_decides_the_error_page_before_the_user_is_known(hr: Persona) -> None:
    hr.client.cookies.set("lang", "fr")
    response = refused(hr.client, "upload")
    assert response.status_code == 415
    assert "Cette adresse n'accepte pas l'envoi de fichiers." in response.text.replace("&#39;", "'")
    assert 'lang="fr"' in response.text


def test_json_clients_and_the_api_keep_json_answers(
    hr: Persona, anon: TestClient, make_api_token: Any, database_url: str,
) -> None:
    response = refused(hr.client, "upload", headers={"accept": "application/json"})
    assert response.status_code == 415
    assert response.json() == {"status_code": 415, "detail": "This address takes no file uploads."}
    broken = refused(hr.client, "plain text", headers={"accept": "application/json"})
    assert broken.status_code == 415 and broken.json()["detail"] == "This page does not accept data sent this way."
    headers = {**BROWSER, "authorization": f"Bearer {make_api_token(hr.user)}", "content-type": "application/json"}
    api = anon.post("/api/v1/actions", content=b'{"title": ', headers=headers)
    assert api.status_code == 400
    assert api.json() == {"status_code": 400, "detail": "The body is not valid JSON."}
    invalid = anon.post("/api/v1/actions", content=b'{"title": ""}', headers=headers)
    assert invalid.status_code == 400 and invalid.json()["extra"]
    assert count(database_url, Department) == 0


def test_a_body_less_button_post_is_still_taken(hr: Persona, owner: Persona) -> None:
    # Buttons that post nothing (sign out everywhere else) have no media type and must not be refused.
    response = hr.client.post("/account/sign-out-everywhere", headers={"x-csrftoken": csrf_token(hr.client)},
                              follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/account")


# --- every answer carries the security headers ---------------------------------------------------

SECURITY_HEADERS = ("content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy")


def assert_security_headers(response: Any) -> None:
    missing = [name for name in SECURITY_HEADERS if name not in response.headers]
    assert not missing, (response.status_code, response.request.url, missing)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    # Set once, not once per layer.
    assert all(len(response.headers.get_list(name)) == 1 for name in SECURITY_HEADERS)


def test_every_answer_carries_the_security_headers_errors_and_static_files_too(
    hr: Persona, anon: TestClient, settings: Any,
) -> None:
    from litestar import get

    from actiontrack.app import create_app

    from conftest import make_client, sign_in

    answers = {
        200: hr.client.get("/"),
        303: anon.get("/", follow_redirects=False),
        400: hr.client.post("/organisation/department", headers=BROWSER,
                            data={"_csrf_token": csrf_token(hr.client), "name": ["Sales", "Retail"]}),
        403: hr.client.post("/organisation/department", data={"name": "Sales"}),  # no CSRF token
        404: hr.client.get("/no-such-page"),
        413: hr.client.post("/organisation/department", content=b"x" * 10_000_001,
                            headers={"content-type": "application/x-www-form-urlencoded",
                                     "x-csrftoken": csrf_token(hr.client)}),
        415: refused(hr.client, "XML"),
    }
    api_404 = anon.get("/api/v1/actions/1", headers={"authorization": "Bearer nothing"})
    static = anon.get("/static/app.css")

    @get("/boom", include_in_schema=False, sync_to_thread=False)
    def boom() -> str:
        raise RuntimeError("a bug")

    failing = create_app(settings)
    failing.register(boom)
    with make_client(failing) as client:
        sign_in(client, hr.user.email)
        answers[500] = client.get("/boom")
        api_500 = client.get("/boom", headers={"accept": "application/json"})
    for status, response in answers.items():
        assert response.status_code == status, (status, response.text[:300])
        assert_security_headers(response)
    for response in (api_404, api_500, static):
        assert_security_headers(response)
    assert static.status_code == 200


def test_the_status_csv_names_its_charset_once(hr: Persona) -> None:
    response = hr.client.get("/status?format=csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
