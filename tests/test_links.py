"""Links to our own pages are built from route names: a renamed route or path fails here, not on a page.

Templates call `url_for("route.name", param=value)`; Python builds redirects and links with
`redirect_to(request, "route.name")` or `request.app.route_reverse(...)`. A path typed by hand is
allowed only where the lists below say why.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from jinja2 import nodes
from litestar import Litestar

from actiontrack.app import create_app
from actiontrack.interviews.kinds import EXIT_WORDS, STAY_WORDS
from actiontrack.navigation import NAV_ITEMS
from actiontrack.org_import.pages import ROUTES as ORG_IMPORT_ROUTES
from actiontrack.settings import PROJECT_ROOT, Settings
from actiontrack.web import template_environment

TEMPLATES = PROJECT_ROOT / "templates"
PACKAGE = PROJECT_ROOT / "src" / "actiontrack"

# A quoted string that starts with "/" in a template, or a path right after a tag: a link typed by hand
# ("/>" ends an empty element).
TYPED_PATH = re.compile(r"""["']/(?!>)|%}/[a-z]""")

# url_for() whose route name is not written in the template, and where the names come from.
COMPUTED_NAMES = {
    "item.route": "navigation.NAV_ITEMS (checked below)",
    "routes.page": "org_import.pages.ROUTES (checked below)",
    "routes.upload": "org_import.pages.ROUTES (checked below)",
    "routes.preview": "org_import.pages.ROUTES (checked below)",
    "routes.commit": "org_import.pages.ROUTES (checked below)",
    **{f"words.routes.{step}": "interviews.kinds, exit and stay (checked below)"
       for step in ("page", "new", "show", "edit", "export", "delete")},
}


# Paths that stay typed in Python, and why.
PYTHON_PATHS = {
    ("actiontrack.api", "/api/v1"): "the API router's prefix, where its routes are declared",
    ("actiontrack.interviews.pages", "/interviews"): "the prefix of the exit interviews' routes, where declared",
    ("actiontrack.interviews.pages", "/stay-interviews"): "the prefix of the stay interviews' routes, where declared",
    ("actiontrack.api", "/schema"): "the OpenAPI documentation's own path, where it is declared",
    ("actiontrack.app", "/static"): "the static files router, where it is declared",
    ("actiontrack.app", "/vendor/htmx"): "the static files router, where it is declared",
    ("actiontrack.auth.sessions", "/static/"): "the session middleware skips static files by path, before any routing",
    ("actiontrack.auth.sessions", "/vendor/"): "the session middleware skips static files by path, before any routing",
    ("actiontrack.auth.tokens", "/api/"): "API_PREFIX: the CSRF exclusion and bearer-token check match it by path",
    ("actiontrack.auth.pages", "/"): "the default of ?next= on the login page: a value, and no app exists yet",
    ("actiontrack.oidc", "/"): "the default of ?next= on the single sign-on start, as in auth",
    ("actiontrack.oidc", "/.well-known/openid-configuration"): "the identity provider's discovery document",
    ("actiontrack.params", "/"): "safe_next's fallback: a value, and no app exists yet",
    ("actiontrack.request_checks", "/api/"): "the request checks run before routing and match paths",
    ("actiontrack.serving", "/static/"): "the access log and headers middleware matches paths, before routing",
    ("actiontrack.serving", "/vendor/"): "the access log and headers middleware matches paths, before routing",
    ("actiontrack.serving", "/survey/"): "the middleware hides survey tokens by path, before routing",
    ("actiontrack.serving", "/survey-thanks"): "the middleware matches the anonymous pages by path, before routing",
    ("actiontrack.serving", "/favicon.ico"): "browsers ask for it unbidden; the log leaves out its client address",
    ("actiontrack.serving", "/"): "the log shows a token-less path: a piece of a path, not a link",
    ("actiontrack.serving", "/<token>"): "the log shows a token-less path: a piece of a path, not a link",
    ("actiontrack.surveys.rules", "/survey/<token>"): "the access log shows survey URLs without their token",
    ("actiontrack.calendar_feeds.pages", "/calendar/<token>.ics"): "the access log shows feed URLs without their token",
    ("actiontrack.webhooks.rules", "/"): "masked_url joins a URL's path segments: a character, not a path",
    ("actiontrack.changes.cache", "/changes"):
        "the new-visitor replay is middleware: it matches the path before routing",
}
ROUTE_DECORATORS = {"get", "post", "put", "patch", "delete", "route", "websocket"}
# "/" given to these is a character of a URL (a trailing slash, a scheme-relative "//"), not a path.
STRING_METHODS = {"rstrip", "startswith", "split", "join"}


@pytest.fixture(scope="module")
def routes() -> Litestar:
    """An app for its route table only: it is never started, so it needs no database."""
    return create_app(Settings(env="development"))


def templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def url_for_calls() -> list[tuple[str, nodes.Call]]:
    """Every url_for() call in the templates, with the template's name."""
    env = template_environment(Settings(env="development"))
    found = []
    for path in templates():
        tree = env.parse(path.read_text(), name=str(path.relative_to(TEMPLATES)))
        found += [(str(path.relative_to(TEMPLATES)), call) for call in tree.find_all(nodes.Call)
                  if isinstance(call.node, nodes.Name) and call.node.name == "url_for"]
    return found


def written_names(expression: nodes.Expr) -> list[str] | None:
    """The route names an expression can be, when they are written in it; None when computed."""
    if isinstance(expression, nodes.Const) and isinstance(expression.value, str):
        return [expression.value]
    if isinstance(expression, nodes.CondExpr):
        branches = [written_names(expression.expr1), written_names(expression.expr2)]
        if None not in branches:
            return [name for branch in branches for name in branch or []]
    return None


def source_of(expression: nodes.Expr) -> str:
    if isinstance(expression, nodes.Getattr):
        return f"{source_of(expression.node)}.{expression.attr}"
    if isinstance(expression, nodes.Name):
        return expression.name
    return repr(expression)


def path_parameters(app: Litestar, name: str) -> set[str]:
    index = app.get_handler_index_by_name(name)
    assert index is not None, f"no route is named {name!r}"
    return {part.split(":")[0] for path in index["paths"] for part in re.findall(r"\{([^}]+)\}", path)}


def test_templates_type_no_paths() -> None:
    typed = [f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
             for path in templates() for number, line in enumerate(path.read_text().splitlines(), 1)
             if TYPED_PATH.search(line)]
    assert typed == [], "build these links with url_for(\"route.name\", ...):\n" + "\n".join(typed)


def test_the_typed_path_check_finds_a_typed_link() -> None:
    for line in ('<a href="/actions">', "<form action='/login'>", '{{ pagination("/people", 1, 2, q) }}',
                 '<a href="/">', 'data-hx-get="/status"', '<a href="{% if x %}/interviews{% endif %}">'):
        assert TYPED_PATH.search(line), line
    assert not TYPED_PATH.search('<a href="{{ url_for("actions") }}">') and not TYPED_PATH.search('<br class="x"/>')


def test_every_route_name_in_the_templates_exists_with_its_parameters(routes: Litestar) -> None:
    calls = url_for_calls()
    assert len(calls) > 150
    computed = set()
    for template, call in calls:
        assert call.args, f"{template}:{call.lineno}: url_for needs a route name"
        names = written_names(call.args[0])
        if names is None:
            computed.add(source_of(call.args[0]))
            continue
        given = {keyword.key for keyword in call.kwargs}
        for name in names:
            assert path_parameters(routes, name) == given, f"{template}:{call.lineno}: {name} takes other parameters"
    assert computed == set(COMPUTED_NAMES)


def test_route_names_given_to_templates_exist(routes: Litestar) -> None:
    for item in NAV_ITEMS:
        assert path_parameters(routes, item.route) == set()
    for steps in ORG_IMPORT_ROUTES.values():
        assert set(steps) == {"page", "upload", "preview", "commit"}
        for name in steps.values():
            assert path_parameters(routes, name) == set()
    for words in (EXIT_WORDS, STAY_WORDS):
        for step, name in words.routes.items():
            assert path_parameters(routes, name) == (set() if step in {"page", "new"} else {"interview_id"}), name


def typed_paths(module: str, path: Path) -> set[str]:
    """The strings in a module that start with "/", but for the paths route decorators declare."""
    tree = ast.parse(path.read_text())
    calls = [call for call in ast.walk(tree) if isinstance(call, ast.Call) and call.args]
    declared = {id(call.args[0]) for call in calls
                if isinstance(call.func, ast.Name) and call.func.id in ROUTE_DECORATORS}
    declared |= {id(arg) for call in calls if isinstance(call.func, ast.Attribute) and call.func.attr in STRING_METHODS
                 for arg in call.args}
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("/")
            and id(node) not in declared}


def test_python_types_no_paths_but_the_listed_ones() -> None:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        found |= {(module, typed) for typed in typed_paths(module, path)}
    assert found - set(PYTHON_PATHS) == set(), "build these with redirect_to() or request.app.route_reverse()"
    assert set(PYTHON_PATHS) - found == set(), "no longer typed: take them off PYTHON_PATHS"
