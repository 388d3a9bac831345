"""HTMX and CSS are served by the app itself, never from a CDN."""

from __future__ import annotations

import json
import re

from litestar.testing import TestClient

from actiontrack.settings import PROJECT_ROOT


def test_htmx_is_served_from_the_pinned_npm_package(anon: TestClient) -> None:
    response = anon.get("/vendor/htmx/htmx.min.js")
    assert response.status_code == 200
    pinned = json.loads((PROJECT_ROOT / "package.json").read_text())["dependencies"]["htmx.org"]
    installed = json.loads((PROJECT_ROOT / "node_modules/htmx.org/package.json").read_text())["version"]
    assert installed == pinned
    assert "htmx" in response.text[:2000]


def test_stylesheet_is_served(anon: TestClient) -> None:
    response = anon.get("/static/app.css")
    assert response.status_code == 200
    assert "text/css" in response.headers["content-type"]


def test_pages_load_scripts_and_styles_only_from_this_server(anon: TestClient) -> None:
    page = anon.get("/login").text
    assert '<script src="/vendor/htmx/htmx.min.js" defer></script>' in page
    for template in (PROJECT_ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"""(src|href)=["'](https?:)?//""", text), f"external asset in {template}"


def test_installed_packages_are_never_committed() -> None:
    """node_modules comes from `npm ci` at set-up (pinned by package-lock.json), not from the repository."""
    ignored = (PROJECT_ROOT / ".gitignore").read_text().split()
    # "node_modules/" would ignore a directory only; a symbolic link by that name could still be added.
    assert "node_modules" in ignored
    assert (PROJECT_ROOT / "node_modules").is_dir() and not (PROJECT_ROOT / "node_modules").is_symlink()
