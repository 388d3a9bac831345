"""A real OpenID Connect provider for the tests: oidc-provider-mock, served on loopback in a thread.

Its token endpoint can be told to hand out a doctored ID token (another audience, another nonce, an
expired one, a foreign signature), so the app's real validation meets the failures a real provider
or an attacker could produce. The doctored token is signed with the provider's own published key
unless the test asks for a foreign one.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import flask
import httpx
import oidc_provider_mock
import werkzeug.serving
from joserfc import jwt
from joserfc.jwk import RSAKey


@dataclass
class Provider:
    url: str
    # Claims replaced in the next ID tokens (cleared by `reset`); "foreign_key" signs with another key.
    doctor: dict[str, Any] = field(default_factory=dict)
    foreign_key: bool = False

    def reset(self) -> None:
        self.doctor.clear()
        self.foreign_key = False

    def set_user(self, sub: str, claims: dict[str, Any]) -> None:
        httpx.put(f"{self.url}/users/{sub}", json=claims).raise_for_status()

    def authorize(self, authorize_url: str, sub: str, *, deny: bool = False) -> str:
        """What a person does on the provider's page: pick who they are (or refuse). Returns the callback URL."""
        form = {"action": "deny"} if deny else {"sub": sub}
        response = httpx.post(authorize_url, data=form, follow_redirects=False)
        assert response.status_code == 302, response.text
        return response.headers["location"]


def _payload(token: str) -> dict[str, Any]:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


@contextmanager
def running_provider() -> Iterator[Provider]:
    app = oidc_provider_mock.app(require_nonce=True)
    provider = Provider(url="")
    other_key = RSAKey.generate_key(2048)

    @app.after_request
    def doctor_id_token(response: flask.Response) -> flask.Response:
        if flask.request.path != "/oauth2/token" or response.status_code != 200:
            return response
        if not (provider.doctor or provider.foreign_key):
            return response
        body = response.get_json()
        claims = {**_payload(body["id_token"]), **provider.doctor}
        storage = flask.g.oidc_provider_mock_storage
        key = other_key if provider.foreign_key else RSAKey.import_key(storage.jwk.as_dict(is_private=True))
        body["id_token"] = jwt.encode({"alg": "RS256"}, claims, key)
        response.set_data(json.dumps(body))
        return response

    server = werkzeug.serving.make_server("localhost", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    provider.url = f"http://localhost:{server.server_port}"
    try:
        yield provider
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def callback_path(callback_url: str) -> str:
    parts = urlsplit(callback_url)
    return f"{parts.path}?{parts.query}"


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
