"""Structure kept by reading the source: what a handler needs comes by injection, and the anonymity
threshold is compared only inside `disclosure/` (issue 25)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from actiontrack.settings import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "src" / "actiontrack"
TEMPLATES = PROJECT_ROOT / "templates"
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


def state_reads_in(tree: ast.AST) -> list[tuple[ast.AST, str]]:
    found: list[tuple[ast.AST, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "state" and is_app_or_request(node.value):
            found.append((node, "reads the app's state"))
        elif isinstance(node, ast.ImportFrom) and node.module == "litestar.datastructures" and any(
                alias.name == "State" for alias in node.names):
            found.append((node, "imports State"))
    return found


def state_reads(*, outside: set[Path]) -> list[str]:
    return [f"{where(path, node)} {what}" for path, tree in sources(outside=outside)
            for node, what in state_reads_in(tree)]


def test_nothing_outside_the_app_reads_the_apps_state() -> None:
    """Handlers get engine, sessions, caches and the password hasher's limiter through `Provide`, and
    middleware gets them when app.py builds it: the app's state is app.py's business alone."""
    assert state_reads(outside={PACKAGE / "app.py"}) == []


def test_the_state_finder_finds_reads() -> None:
    tree = ast.parse("from litestar.datastructures import State\nrequest.app.state.engine\n"
                     "scope['litestar_app'].state\napp.state.x = 1\nrequest.scope['state']\nrow.state\n")
    assert sorted(node.lineno for node, _what in state_reads_in(tree)) == [1, 2, 3, 4]


def mentions_threshold(node: ast.AST) -> bool:
    return any((isinstance(part, ast.Name) and "threshold" in part.id.lower())
               or (isinstance(part, ast.Attribute) and "threshold" in part.attr.lower())
               for part in ast.walk(node))


def threshold_uses_in(tree: ast.AST) -> list[tuple[ast.AST, str]]:
    """Reads of the setting, and comparisons or sums with a threshold."""
    found: list[tuple[ast.AST, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "anonymity_threshold":
            found.append((node, "reads the setting"))
        elif isinstance(node, ast.Compare) and mentions_threshold(node):
            found.append((node, "compares with it"))
        elif isinstance(node, ast.BinOp) and mentions_threshold(node):
            found.append((node, "computes with it"))
    return found


def threshold_uses(*, outside: set[Path]) -> list[str]:
    return [f"{where(path, node)} {what}" for path, tree in sources(outside=outside)
            for node, what in threshold_uses_in(tree)]


def test_the_threshold_is_read_and_compared_only_in_disclosure() -> None:
    """Other modules ask `disclosure` (the `Disclosure` made from the settings once) whether a count is
    hidden; only the settings parse the number and only disclosure/ decides with it."""
    assert threshold_uses(outside={DISCLOSURE, PACKAGE / "settings.py"}) == []


def test_the_threshold_finder_finds_uses() -> None:
    tree = ast.parse("settings.anonymity_threshold\nleavers < threshold\nx >= self.threshold\n2 * period.threshold\n"
                     "words(threshold=disclosure.threshold)\ndisclosure.hides(leavers)\n")
    assert sorted(node.lineno for node, _what in threshold_uses_in(tree)) == [1, 2, 3, 4]


TEMPLATE_COMPARISON = re.compile(r"threshold\s*(<|>|==|!=)|(<|>|==|!=)=?\s*[\w.]*threshold")


def template_comparisons(text: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), start=1)
            for tag in re.findall(r"{[{%].*?[%}]}", line) if TEMPLATE_COMPARISON.search(tag)]


def test_templates_never_compare_with_the_threshold() -> None:
    """Templates may say the number ("fewer than 5 leavers"); whether a figure shows is decided in disclosure/."""
    found = [f"{path.relative_to(PROJECT_ROOT)}:{number}"
             for path in sorted(TEMPLATES.rglob("*.html")) for number in template_comparisons(path.read_text())]
    assert found == []


def test_the_template_finder_finds_comparisons() -> None:
    text = ('{{ _("Fewer than %(threshold)d", threshold=threshold) }}\n{% if cell.leavers < threshold %}\n'
            '{% if radar.threshold >= 5 %}\n')
    assert template_comparisons(text) == [2, 3]
