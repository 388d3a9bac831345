"""Imports point down only: no cycles, nothing imports the assembly (`app`, `cli`), and only `app` imports a
module that declares routes (a feature's `pages`, or a small feature's one module)."""

from __future__ import annotations

import ast
from pathlib import Path

from actiontrack.settings import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "src" / "actiontrack"
ASSEMBLY = {"actiontrack.app", "actiontrack.cli"}
ROUTE_DECORATORS = {"get", "post", "put", "patch", "delete", "head", "route", "websocket"}
# Modules that import a module with routes, and why that is allowed (none today).
ROUTE_IMPORTS_ALLOWED: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every actiontrack module `name` imports, deferred imports included, with the packages that
    importing it runs (`a.b.c` runs `a.b`'s __init__ first)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1],
                                 *filter(None, [base])])
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            if not target.startswith("actiontrack"):
                continue
            parts = target.split(".")
            found.update(prefix for prefix in (".".join(parts[:end]) for end in range(2, len(parts) + 1))
                         if prefix in known)
    found.discard(name)
    return found


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(name, path, set(found)) for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), a module's own package aside."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if name_is_parent(target, node):
                continue  # a module running its own package's __init__ is how packages work
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def name_is_parent(candidate: str, name: str) -> bool:
    return name.startswith(candidate + ".")


def test_no_import_cycles() -> None:
    assert cycles(graph()) == []


def test_only_the_entry_points_import_the_assembly() -> None:
    offenders = {name: sorted(targets & ASSEMBLY) for name, targets in graph().items()
                 if targets & ASSEMBLY and name not in ASSEMBLY}
    assert offenders == {}


def test_only_the_assembly_imports_pages_modules() -> None:
    pages = {name for name in modules() if name.endswith(".pages")}
    assert {"actiontrack.actions.pages", "actiontrack.status.pages", "actiontrack.imports.pages"} <= pages
    offenders = {name: sorted(targets & pages) for name, targets in graph().items()
                 if targets & pages and name not in ASSEMBLY}
    assert offenders == {}


def declares_routes(path: Path) -> bool:
    """Whether a function at the module's top level has a Litestar route decorator (`@get(...)`, `@post(...)`)."""
    for node in ast.parse(path.read_text()).body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for decorator in node.decorator_list:
            called = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", None)
            if name in ROUTE_DECORATORS:
                return True
    return False


def route_modules() -> set[str]:
    return {name for name, path in modules().items() if declares_routes(path)}


def test_only_the_assembly_imports_modules_with_routes() -> None:
    """Routes sit at the top of their feature: what other modules need lives in its rules or queries."""
    routes = route_modules()
    assert {"actiontrack.auth.pages", "actiontrack.themes.pages", "actiontrack.home"} <= routes
    offenders = {(name, target) for name, targets in graph().items() if name not in ASSEMBLY
                 for target in targets & routes}
    assert offenders - set(ROUTE_IMPORTS_ALLOWED) == set()
    assert set(ROUTE_IMPORTS_ALLOWED) - offenders == set(), "no longer imported: take it off ROUTE_IMPORTS_ALLOWED"


def test_route_modules_are_found_by_their_decorators(tmp_path: Path) -> None:
    module = tmp_path / "feature.py"
    module.write_text("from litestar import get\n\n\ndef helper() -> None: ...\n")
    assert not declares_routes(module)
    module.write_text("import litestar\n\n\n@litestar.post('/x', name='x')\nasync def page() -> None: ...\n")
    assert declares_routes(module)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_handlers_get_settings_by_injection() -> None:
    """`settings: NamedDependency[Settings]` in a handler's signature, not `request.app.state.settings` by hand
    (tests/test_injection.py keeps every other read of the app's state in app.py too)."""
    readers = {name for name, path in modules().items() if "request.app.state.settings" in path.read_text()}
    assert readers <= {"actiontrack.app"}, "take settings: NamedDependency[Settings] in the handler"
