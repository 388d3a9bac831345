"""Small groups shown together in pools: who is pooled depends on headcounts only, and pools leak nothing."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import date
from html import unescape
from typing import Any

import pytest
from sqlalchemy import update

from actiontrack.app import create_app
from actiontrack.disclosure.pools import pool_table, pools_of, recommended_min_headcount
from actiontrack.disclosure.suppression import cell_key, group_key, suppress_period
from actiontrack.models import Department, ExitInterview, JobFamily, ReleasedPool, Role, User
from tests.test_disclosure_audit import audit, period_table, random_organisation

from conftest import execute, rows


def cell_text(page: str, cell_id: str) -> str:
    found = re.search(rf'<td id="{cell_id}"[^>]*>(.*?)</td>', page, re.S)
    assert found, f"no cell {cell_id}"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def test_small_groups_fill_pools_of_at_least_the_pooling_size_largest_first():
    headcounts = {1: 238, 2: 24, 3: 12, 4: 48, 5: 12, 6: 89, 7: 89, 8: 89}
    pools = pools_of(headcounts, min_headcount=160)
    assert 1 not in pools  # big enough to show on its own
    members: dict[int, list[int]] = {}
    for group, pool in pools.items():
        members.setdefault(pool, []).append(group)
    assert sorted(members) == [-2, -1]
    assert all(sum(headcounts[group] for group in group_ids) >= 160 for group_ids in members.values())
    assert sorted(members[-1]) == [6, 7]  # the largest small groups first
    assert sorted(members[-2]) == [2, 3, 4, 5, 8]  # what is left joins the last pool


@pytest.mark.parametrize(("headcounts", "size"), [
    ({1: 50, 2: 300}, 100),  # one small group: a pool of one would be that group under another name
    ({1: 50, 2: 60}, 100),  # every group in one pool: that is the whole organisation
    ({1: 0, 2: 0, 3: 400}, 100),  # headcounts nobody entered are not pooled
    ({1: 50, 2: 60, 3: 400}, 0),  # no pooling size
])
def test_no_pool_of_one_group_nor_of_every_group(headcounts, size):
    assert pools_of(headcounts, min_headcount=size) == {}


def test_pooling_does_not_depend_on_who_left():
    headcounts = {group: random.Random(group).randint(5, 200) for group in range(1, 20)}
    assert pools_of(headcounts, min_headcount=150) == pools_of(dict(reversed(headcounts.items())), min_headcount=150)


def test_a_pool_counts_its_members_leavers_and_themes():
    organisation = random_organisation(11)
    table = period_table(organisation)
    members = table.groups["department"][:2]
    assert len(members) == 2
    pooled = pool_table(table, pools={"department": dict.fromkeys(members, -1)})
    assert pooled.leavers.get(("department", -1), 0) == sum(table.leavers.get(("department", g), 0) for g in members)
    for theme in table.theme_ids:
        assert pooled.values()[cell_key("department", -1, theme)] == sum(
            table.values()[cell_key("department", g, theme)] for g in members)
    assert group_key("department", members[0]) not in pooled.values()
    assert pooled.total == table.total and pooled.theme_totals == table.theme_totals


@pytest.mark.parametrize("seed", range(120))
def test_pooled_periods_leak_nothing(seed):
    organisation = random_organisation(seed)
    rng = random.Random(seed)
    headcounts = {
        grouping: {group: rng.choice((0, 8, 20, 40, 90, 300)) for group in groups}
        for grouping, groups in (("department", organisation.departments), ("job_family", organisation.job_families))
    }
    size = rng.choice((30, 60, 150))
    table = pool_table(period_table(organisation), pools={
        grouping: pools_of(counts, min_headcount=size) for grouping, counts in headcounts.items()})
    suppression = suppress_period(table, threshold=organisation.threshold)
    values = table.values()
    assert not [key for key, value in values.items()
                if 0 < value < organisation.threshold and key not in suppression.hidden]
    assert audit(table, suppression, threshold=organisation.threshold) == []


def test_the_recommended_pooling_size_follows_the_volume():
    # 600 people, 75 leavers a year: a group needs 160 people to expect 20 leavers in a year.
    assert recommended_min_headcount(yearly_leavers=75, headcount=600, months=12, threshold=5) == 160
    assert recommended_min_headcount(yearly_leavers=75, headcount=600, months=6, threshold=5) == 320
    assert recommended_min_headcount(yearly_leavers=0, headcount=600, months=12, threshold=5) == 0


# --- released pools, as leadership sees them -------------------------------------------------------

def _radar_as_leadership(settings: Any, email: str, query: str, **changed: Any) -> str:
    from conftest import make_client, sign_in

    app = create_app(settings.model_copy(update=changed))
    with make_client(app) as client:
        assert sign_in(client, email).status_code == 303
        return client.get(f"/radar?{query}&lang=en").text


@pytest.fixture
def small_departments(
    make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily],
    make_interview: Callable[..., ExitInterview], make_user: Callable[..., User],
) -> dict[str, Department]:
    """Stores (300 people) and three small departments with 1 to 3 leavers each in the first quarter of 2025."""
    departments = {name: make_department(name, headcount=headcount)
                   for name, headcount in (("Stores", 300), ("Finance", 30), ("Legal", 20), ("IT", 60))}
    family = make_job_family("Everyone", headcount=410)
    day = date(2025, 2, 1)
    for index in range(40):
        make_interview(department=departments["Stores"], job_family=family, exit_date=day,
                       themes=["pay_benefits"] if index < 15 else [])
    for name, leavers in (("Finance", 2), ("Legal", 1), ("IT", 3)):
        for _ in range(leavers):
            make_interview(department=departments[name], job_family=family, exit_date=day, themes=["pay_benefits"])
    make_user(Role.LEADERSHIP, "pool.lead@example.com")
    return departments


def test_leadership_sees_small_departments_together_and_never_alone(
    settings: Any, small_departments: dict[str, Department], database_url: str,
) -> None:
    page = _radar_as_leadership(settings, "pool.lead@example.com", "period=2025-Q1&by=department", pool_size=100)
    assert "Finance + Legal + IT" in page  # the pool, named after its members
    assert cell_text(page, "leavers--1") == "6"  # 2 + 1 + 3 leavers: shown, as 6 is at least k
    for name in ("Finance", "Legal", "IT"):
        assert f'id="leavers-{small_departments[name].id}"' not in page  # no column of its own
    assert cell_text(page, f"leavers-{small_departments['Stores'].id}") == "40"
    assert cell_text(page, "leavers-all") == "46"
    pooled = rows(database_url, ReleasedPool)
    assert {(row.grouping, row.group_id, row.pool_id) for row in pooled} == {
        ("department", small_departments[name].id, -1) for name in ("Finance", "Legal", "IT")}

    # Headcounts entered after the release never change the pools of a released period.
    execute(database_url, update(Department).where(Department.name == "IT").values(headcount=500))
    again = _radar_as_leadership(settings, "pool.lead@example.com", "period=2025-Q1&by=department", pool_size=100)
    assert "Finance + Legal + IT" in again and cell_text(again, "leavers--1") == "6"


def test_without_pools_the_small_departments_are_hidden_one_by_one(
    settings: Any, small_departments: dict[str, Department],
) -> None:
    page = _radar_as_leadership(settings, "pool.lead@example.com", "period=2025-Q1&by=department", pool_size=0)
    assert "Finance + Legal + IT" not in page
    for name in ("Finance", "Legal", "IT"):
        assert not cell_text(page, f"leavers-{small_departments[name].id}").isdigit()


def test_the_pooling_size_follows_the_organisations_volume_unless_hr_sets_one(
    settings: Any, small_departments: dict[str, Department], database_url: str,
) -> None:
    # 46 leavers a year among 410 people: a group needs 179 people to expect 4k = 20 leavers in a year.
    page = _radar_as_leadership(settings, "pool.lead@example.com", "period=2025&by=department", pool_size="auto",
                                report_period="year")
    assert "Finance + Legal + IT" in page
    assert {row.group_id for row in rows(database_url, ReleasedPool)} == {
        small_departments[name].id for name in ("Finance", "Legal", "IT")}
