"""The OpenAPI document states each field's limits, the same the server checks."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from litestar.testing import TestClient

from actiontrack import clock
from actiontrack.actions.details import FREE_TEXTS, LANGUAGE_TEXTS, ActionDetails
from actiontrack.actions.service import MAX_NOTE, MAX_TEXT, MAX_TITLE
from actiontrack.api import every_language
from actiontrack.models import ActionItem
from actiontrack.params import MAX_ID
from actiontrack.settings import LANGUAGES

from conftest import Persona, run

ID = {"minimum": 1, "maximum": MAX_ID}


def limits(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key in {"minimum", "maximum", "minLength", "maxLength",
                                                                   "format"}}


def test_the_schema_states_the_limits_of_every_field_the_server_checks(anon: TestClient) -> None:
    document = anon.get("/schema/openapi.json").json()
    schemas = document["components"]["schemas"]
    create = schemas["ActionCreate"]["properties"]
    # At least one title in some language: checked by the server across fields, not by the schema.
    assert limits(create["title"]) == {"maxLength": MAX_TITLE}
    for language in ("nl", "fr", "en"):
        assert limits(schemas["Titles"]["properties"][language]) == {"maxLength": MAX_TITLE}, language
        assert limits(schemas["Summaries"]["properties"][language]) == {"maxLength": MAX_TEXT}, language
    for name in ("description", "public_summary", "success_measure"):
        assert limits(create[name]) == {"maxLength": MAX_TEXT}, name
    for name in ("owner_id", "department_id", "job_family_id"):
        assert limits(create[name]) == ID, name
    assert limits(create["theme_ids"]["items"]) == ID
    assert limits(create["target_share"]) == {"minimum": 0, "maximum": 1}
    assert limits(create["deadline"]) == {"format": "date"}
    assert "10 years" in create["deadline"]["description"]
    assert limits(schemas["EvidenceIn"]["properties"]["theme_id"]) == ID
    update = schemas["StatusUpdate"]["properties"]
    assert limits(update["version"]) == ID
    assert limits(update["progress"]) == {"minimum": 0, "maximum": 100}
    assert limits(update["note"]) == {"maxLength": MAX_NOTE}
    out = schemas["ActionOut"]["properties"]
    assert limits(out["id"]) == ID and limits(out["title"])["maxLength"] == MAX_TITLE
    assert limits(out["progress"]) == {"minimum": 0, "maximum": 100}
    assert limits(out["updated_at"]) == {"format": "date-time"}
    assert limits(schemas["SideOut"]["properties"]["share"]) == {"minimum": 0, "maximum": 1}
    for path, method in (("/api/v1/actions/{action_id}", "get"), ("/api/v1/actions/{action_id}", "patch")):
        [parameter] = document["paths"][path][method]["parameters"]
        assert limits(parameter["schema"]) == ID, (path, method)
    listing = {parameter["name"]: parameter["schema"] for parameter in document["paths"]["/api/v1/actions"]["get"]
               ["parameters"]}
    for name in ("owner", "theme", "department", "job_family"):
        assert limits(listing[name]) == ID or all(limits(option) == ID for option in listing[name].get("oneOf", [])
                                                  if option.get("type") == "integer"), (name, listing[name])
    assert limits(listing["limit"]) == {"minimum": 1, "maximum": 500}


def test_every_operation_with_a_body_documents_the_415_it_answers_to_another_media_type(anon: TestClient) -> None:
    document = anon.get("/schema/openapi.json").json()
    with_body = [(path, method, operation) for path, item in document["paths"].items()
                 for method, operation in item.items() if "requestBody" in operation]
    assert {(path, method) for path, method, _ in with_body} >= {
        ("/api/v1/actions", "post"), ("/api/v1/actions/{action_id}", "patch"), ("/api/v1/interviews", "post")}
    for path, method, operation in with_body:
        assert "415" in operation["responses"], (path, method)
        assert "application/json" in operation["responses"]["415"]["description"]


def test_every_field_of_action_details_is_in_the_schema_of_an_action_created_and_read(anon: TestClient) -> None:
    # The schemas are derived from ActionDetails: a text in each language is `<text>` and `<text>s` with every
    # language, any other field keeps its name. A field the API leaves out would be lost to integrations.
    schemas = anon.get("/schema/openapi.json").json()["components"]["schemas"]

    def carries(properties: dict[str, Any], name: str) -> bool:
        text, _, language = name.rpartition("_")
        if text not in LANGUAGE_TEXTS or language not in LANGUAGES:
            return name in properties
        every = properties.get(every_language(text), {})
        refs = [option["$ref"] for option in [every, *every.get("oneOf", [])] if "$ref" in option]
        return text in properties and any(
            language in schemas[ref.rsplit("/", 1)[1]]["properties"] for ref in refs)

    for schema in ("ActionCreate", "ActionOut"):
        properties = schemas[schema]["properties"]
        missing = [item.name for item in dataclasses.fields(ActionDetails) if not carries(properties, item.name)]
        assert missing == [], schema


def test_every_text_of_action_details_sent_to_the_api_is_saved_and_read_back(
    anon: TestClient, hr: Persona, owner: Persona, make_api_token: Callable[..., str], database_url: str
) -> None:
    headers = {"authorization": f"Bearer {make_api_token(hr.user)}"}
    texts = {text: {language: f"{text} in {language}" for language in LANGUAGES} for text in LANGUAGE_TEXTS}
    response = anon.post("/api/v1/actions", headers=headers, json={
        "owner_id": owner.user.id, "deadline": (clock.today() + timedelta(days=30)).isoformat(),
        **{every_language(text): written for text, written in texts.items()},
        **{name: f"{name} once" for name in FREE_TEXTS},
    })
    assert response.status_code == 201, response.text
    body = response.json()
    saved = run(lambda session: session.get(ActionItem, body["id"]), database_url)
    for text, written in texts.items():
        assert body[every_language(text)] == written, text
        assert body[text] == written["en"], text  # the token user reads English
        for language in LANGUAGES:
            assert getattr(saved, f"{text}_{language}") == written[language]
    for name in FREE_TEXTS:
        assert (body[name], getattr(saved, name)) == (f"{name} once", f"{name} once")
