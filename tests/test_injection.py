"""Structure kept by reading the source: what a handler needs comes by injection (issue 25)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from actiontrack.settings import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "src" / "actiontrack"
DISCLOSURE = PACKAGE / "disclosure"


def sources(*, outside: set[Path]) -> Iterator[tuple[Path, ast.AST]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in outside or (DISCLOSURE in path.parents and DISCLOSURE in outside):
            continue
        yield path, ast.parse(path.read_text(), filename=str(path))


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(PROJECT_ROOT)}:{getattr(node, 'lineno', 0)}"


def is_app_or_request(node: ast.AST) -> bool:
    """`app`, `request`, `x.app`, `scope["litestar_app"]`: what holds a Litestar app's state."""
    if isinstance(node, ast.Name):
        return node.id in {"app", "request", "litestar_app"}
    if isinstance(node, ast.Attribute):
        return node.attr in {"app", "litestar_app"}
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value == "litestar_app"
    return False


def state_reads(*, outside: set[Path]) -> list[str]:
    found = []
    for path, tree in sources(outside=outside):
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "state" and is_app_or_request(node.value):
                found.append(where(path, node))
            elif isinstance(node, ast.ImportFrom) and node.module == "litestar.datastructures" and any(
                    alias.name == "State" for alias in node.names):
                found.append(where(path, node) + " imports State")
    return found


def test_nothing_outside_the_app_reads_the_apps_state() -> None:
    """Handlers get engine, sessions, caches and the password hasher's limiter through `Provide`, and
    middleware gets them when app.py builds it: the app's state is app.py's business alone."""
    assert state_reads(outside={PACKAGE / "app.py"}) == []


def test_the_state_finder_finds_reads() -> None:
    tree = ast.parse("request.app.state.engine\nscope['litestar_app'].state\napp.state.x = 1\nrequest.scope['state']\n")
    found = [node for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and node.attr == "state" and is_app_or_request(node.value)]
    assert len(found) == 3
