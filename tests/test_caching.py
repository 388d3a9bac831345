"""The worker's one cache (caching.Memo, issue 25): bounded per piece, keyed by a data version that any
worker's change moves, never showing one viewer's page to another role or in another language."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import timedelta

from test_pools import cell_text
from test_status import figure

from actiontrack import clock
from actiontrack.app import create_app
from actiontrack.caching import PIECES, Memo
from actiontrack.settings import PROJECT_ROOT, Settings

from conftest import Persona, make_client, sign_in

PACKAGE = PROJECT_ROOT / "src" / "actiontrack"
CACHING = PACKAGE / "caching.py"
# Memos of code rather than data (like functools.cache), and why.
CODE_MEMOS = {
    "src/actiontrack/reminders/compose.py": "the template environment, built once per templates folder",
}


# --- the mechanism ------------------------------------------------------------------------------


def test_each_piece_keeps_its_most_recently_used_entries_within_its_own_size() -> None:
    memo = Memo({"changes": 3, "disclosed": 2})
    memo.put("disclosed", 1, "period", "kept")
    for number in range(5):
        memo.put("changes", "v1", number, f"page {number}")
    assert [memo.get("changes", "v1", number) for number in range(5)] == [None, None, "page 2", "page 3", "page 4"]
    memo.get("changes", "v1", 2)  # used recently: kept
    memo.put("changes", "v2", 0, "page 0, new version")
    assert memo.get("changes", "v1", 3) is None and memo.get("changes", "v1", 2) == "page 2"
    # A crowd of /changes filters never pushes out another piece.
    assert memo.get("disclosed", 1, "period") == "kept"
    # An entry is found only under the version it was kept for.
    assert memo.get("changes", "v1", 0) is None and memo.get("changes", "v2", 0) == "page 0, new version"
    memo.clear("changes")
    assert memo.get("changes", "v2", 0) is None and memo.get("disclosed", 1, "period") == "kept"


def test_every_piece_has_a_bound() -> None:
    assert all(isinstance(size, int) and 0 < size <= 256 for size in PIECES.values())


# --- one mechanism --------------------------------------------------------------------------------


def module_dicts(tree: ast.Module) -> set[str]:
    """Names bound at module level to an empty dict, list or set."""
    found = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) else []
        value = getattr(node, "value", None)
        empty = (isinstance(value, ast.Dict | ast.List | ast.Set) and not getattr(value, "keys", None)
                 and not getattr(value, "elts", None)) or (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in {"dict", "set"})
        found.update(target.id for target in targets if isinstance(target, ast.Name) and empty)
    return found


def hand_made_caches_in(tree: ast.Module) -> list[tuple[ast.AST, str]]:
    """Cache classes, LRUs and eviction written by hand, and module-level containers filled from functions.
    functools' `cache`/`lru_cache` on pure functions are memoisation of code, not of data: not counted."""
    found: list[tuple[ast.AST, str]] = []
    shared = module_dicts(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and "cache" in node.name.lower():
            found.append((node, f"defines {node.name}"))
        elif (isinstance(node, ast.Name | ast.Attribute) and (getattr(node, "id", None) or getattr(
                node, "attr", None)) == "OrderedDict") or (isinstance(node, ast.ImportFrom) and any(
                alias.name == "OrderedDict" for alias in node.names)):
            found.append((node, "keeps an OrderedDict"))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "pop"
              and node.args and isinstance(node.args[0], ast.Call) and isinstance(node.args[0].func, ast.Name)
              and node.args[0].func.id == "next"):
            found.append((node, "evicts the oldest entry by hand"))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if (isinstance(inner, ast.Subscript) and isinstance(inner.ctx, ast.Store)
                        and isinstance(inner.value, ast.Name) and inner.value.id in shared):
                    found.append((inner, f"fills the module's {inner.value.id}"))
    return found


def hand_made_caches() -> Iterator[str]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if path != CACHING and str(path.relative_to(PROJECT_ROOT)) not in CODE_MEMOS:
            for node, what in hand_made_caches_in(ast.parse(path.read_text(), filename=str(path))):
                yield f"{path.relative_to(PROJECT_ROOT)}:{getattr(node, 'lineno', 0)} {what}"


def test_caching_py_is_the_only_cache() -> None:
    """A page that needs a cache names a piece in caching.PIECES (with its bench figure) and uses the memo."""
    assert list(hand_made_caches()) == []


def test_the_cache_finder_finds_hand_made_caches() -> None:
    tree = ast.parse(
        "from collections import OrderedDict\nclass RecurringCache:\n    pass\nSEEN = {}\nNAMES: dict = dict()\n"
        "def remember(key, value):\n    SEEN[key] = value\n    entries.pop(next(iter(entries)))\n"
        "    NAMES[key] = value\n    local = {}\n    local[key] = value\n"
        "from functools import lru_cache\n@lru_cache\ndef pure(x):\n    return x\n")
    assert sorted(node.lineno for node, _what in hand_made_caches_in(tree)) == [1, 2, 7, 8, 9]


# --- what viewers see -------------------------------------------------------------------------


def test_a_viewer_never_gets_another_roles_or_languages_figures(
    hr: Persona, leader: Persona, owner: Persona, make_action,
) -> None:
    """HR's live /status and leadership's released one, and each language, are kept apart in the memo (the
    /changes pages keep each person's token and menu: test_changes.py)."""
    make_action(owner=owner.user, deadline=clock.today() + timedelta(days=9))
    live = "Live figures: every interview recorded up to today."
    assert live in hr.client.get("/status?lang=en").text
    english = leader.client.get("/status?lang=en").text
    assert live not in english and "Released reporting periods only" in english
    french = leader.client.get("/status?lang=fr").text
    assert "Périodes de rapport publiées uniquement" in french and "Chiffres en direct" not in french
    assert live in hr.client.get("/status?lang=en").text
    assert "Released reporting periods only" in leader.client.get("/status?lang=en").text


def test_a_change_made_on_another_worker_shows_at_the_next_view(
    settings: Settings, hr: Persona, leader: Persona, owner: Persona, make_action,
) -> None:
    """Two apps on one database, as two workers: no signal between them but the data version."""
    make_action(owner=owner.user, deadline=clock.today() + timedelta(days=9))
    assert figure(leader.client.get("/status").text, "open") == "1"
    assert figure(leader.client.get("/status").text, "open") == "1"  # from this worker's memo
    other_worker = create_app(settings)
    with make_client(other_worker) as client:
        assert sign_in(client, hr.user.email).status_code == 303
        token = client.cookies["csrftoken"]
        response = client.post("/actions/new", data={
            "_csrf_token": token, "title": "Second action", "scope": "company", "owner_id": str(owner.user.id),
            "deadline": (clock.today() + timedelta(days=30)).isoformat(), "description": "", "success_measure": "",
            "public_summary": ""}, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert figure(leader.client.get("/status").text, "open") == "2"



def test_hrs_live_radar_shows_an_interview_recorded_since_the_last_view(
    hr: Persona, make_department, make_job_family, make_interview, theme_ids: dict[str, int],
) -> None:
    """Recorded by anything (here straight into the database): the data version moves, the tables follow."""
    department, family = make_department("Retail"), make_job_family("Store")
    make_interview(department=department, job_family=family, themes=["management"])
    cell = f"cell-{theme_ids['management']}-{department.id}"
    first = cell_text(hr.client.get("/radar?lang=en").text, cell)
    assert cell_text(hr.client.get("/radar?lang=en").text, cell) == first  # from the memo
    make_interview(department=department, job_family=family, themes=["pay_benefits"])
    assert cell_text(hr.client.get("/radar?lang=en").text, cell) != first
