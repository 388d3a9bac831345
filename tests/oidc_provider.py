"""Real OpenID Connect providers for the tests, served on loopback.

oidc-provider-mock runs in a thread. Its token endpoint can be told to hand out a doctored ID token
(another audience, another nonce, an expired one, a foreign signature, claims left out), and its
userinfo endpoint a doctored answer, so the app's real validation meets the failures a real provider
or an attacker could produce. The doctored token is signed with the provider's own published key
unless the test asks for a foreign one.

panva's oidc-provider (OpenID certified, npm) runs in Node with its default, standards-strict
settings: its ID token carries no email, which only its userinfo endpoint gives
(tests/oidc_strict_provider.mjs).
"""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import flask
import httpx
import oidc_provider_mock
import werkzeug.serving
from joserfc import jwt
from joserfc.jwk import RSAKey

from conftest import free_port


@dataclass
class Provider:
    url: str
    # Claims replaced in the next ID tokens (cleared by `reset`); "foreign_key" signs with another key.
    doctor: dict[str, Any] = field(default_factory=dict)
    foreign_key: bool = False
    # Claims left out of the next ID tokens; replaced in the userinfo answers; `userinfo_status` answers
    # userinfo with that error status instead.
    leave_out: set[str] = field(default_factory=set)
    doctor_userinfo: dict[str, Any] = field(default_factory=dict)
    userinfo_status: int | None = None

    def reset(self) -> None:
        self.doctor.clear()
        self.foreign_key = False
        self.leave_out.clear()
        self.doctor_userinfo.clear()
        self.userinfo_status = None

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
        if flask.request.path == "/userinfo" and response.status_code == 200:
            if provider.userinfo_status:
                return flask.Response("{}", status=provider.userinfo_status, mimetype="application/json")
            if provider.doctor_userinfo:
                response.set_data(json.dumps({**response.get_json(), **provider.doctor_userinfo}))
            return response
        if flask.request.path != "/oauth2/token" or response.status_code != 200:
            return response
        if not (provider.doctor or provider.foreign_key or provider.leave_out):
            return response
        body = response.get_json()
        claims = {key: value for key, value in {**_payload(body["id_token"]), **provider.doctor}.items()
                  if key not in provider.leave_out}
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


STRICT_PROVIDER = Path(__file__).with_name("oidc_strict_provider.mjs")


@dataclass
class StrictProvider:
    """panva's oidc-provider in a Node process; its own login and consent pages take any password."""

    url: str
    accounts: Path

    def set_user(self, login: str, claims: dict[str, Any]) -> None:
        """The claims the provider knows for the person who types `login` on its sign-in page."""
        known = json.loads(self.accounts.read_text())
        self.accounts.write_text(json.dumps({**known, login: claims}))

    def register(self, redirect_uri: str) -> tuple[str, str]:
        """A client for an app whose callback is `redirect_uri` (dynamic registration): its id and secret."""
        response = httpx.post(f"{self.url}/reg", json={"redirect_uris": [redirect_uri]})
        response.raise_for_status()
        return response.json()["client_id"], response.json()["client_secret"]

    def authorize(self, authorize_url: str, login: str) -> str:
        """What a person does on the provider's pages: sign in, then consent. Returns the callback URL."""
        with httpx.Client() as browser:
            def within_provider(response: httpx.Response) -> httpx.Response:
                while response.is_redirect and location(response).startswith(self.url):
                    response = browser.get(location(response))
                return response

            response = within_provider(browser.get(authorize_url))
            for fields in ({"login": login, "password": "any password"}, {}):
                response.raise_for_status()
                form = re.search(r'<form[^>]*action="([^"]+)".*?</form>', response.text, re.DOTALL)
                assert form, response.text
                hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[0]))
                response = within_provider(browser.post(urljoin(str(response.url), html.unescape(form[1])),
                                                        data={**hidden, **fields}))
            assert response.is_redirect, response.text
            return location(response)


def location(response: httpx.Response) -> str:
    return urljoin(str(response.url), response.headers["location"])


@contextmanager
def running_strict_provider(directory: Path) -> Iterator[StrictProvider]:
    node = shutil.which("node")
    assert node, "the strict OpenID provider needs Node.js: run scripts/setup --test"
    assert (STRICT_PROVIDER.parents[1] / "node_modules" / "oidc-provider").exists(), "run npm ci"
    accounts = directory / "accounts.json"
    accounts.write_text("{}")
    port = free_port()
    process = subprocess.Popen([node, str(STRICT_PROVIDER), str(port), str(accounts)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "listening"
        yield StrictProvider(url=f"http://localhost:{port}", accounts=accounts)
    finally:
        process.terminate()
        process.wait(10)


def callback_path(callback_url: str) -> str:
    parts = urlsplit(callback_url)
    return f"{parts.path}?{parts.query}"


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
