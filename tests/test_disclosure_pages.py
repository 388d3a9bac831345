"""Proof by audit, through the pages: what leadership can read is exactly the released, suppressed
figures, and no arithmetic over everything it can read narrows a hidden figure below the threshold.

Random organisations are recorded in the database, their latest quarter released by the app, and a
leadership user reads the theme radar by department and by job family, the status page and its
CSV, as a browser would. The numbers read off the HTML are checked against the true counts (a shown
figure is never wrong), then handed to the linear-programming attacker of test_disclosure_audit.
A late record and a deletion afterwards change nothing leadership can read.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Callable
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from test_disclosure_audit import audit

from actiontrack import clock
from actiontrack.disclosure.periods import due_periods
from actiontrack.disclosure.suppression import (
    TOTAL,
    Hidden,
    PeriodTable,
    Suppression,
    cell_key,
    group_key,
    theme_key,
)
from actiontrack.models import Department, ExitInterview, JobFamily
from actiontrack.settings import Settings

from conftest import Persona, release_now, run

THEMES = ("pay_benefits", "management", "growth_career", "workload_autonomy")
QUARTER = due_periods(first_exit=clock.today() - timedelta(days=400), today=clock.today(), length="quarter",
                      delay_days=30)[-1]


def read_cell(page: str, cell_id: str) -> int | None:
    """The number a leader reads in a radar cell; None when it is hidden."""
    found = re.search(rf'<td id="{cell_id}"[^>]*>(.*?)</td>', page, re.S)
    assert found, f"no cell {cell_id}"
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())
    if text == "hidden":
        return None
    number = re.match(r"^(\d+)", text)
    assert number, f"{cell_id}: {text!r}"
    return int(number.group(1))


@pytest.fixture
def organisation(
    request: pytest.FixtureRequest, make_department: Callable[..., Department],
    make_job_family: Callable[..., JobFamily], make_interview: Callable[..., ExitInterview],
    theme_ids: dict[str, int],
) -> dict[str, Any]:
    """A random organisation in the latest released quarter, with its true counts."""
    rng = random.Random(request.param)
    departments = [make_department(f"Dept {index}") for index in range(rng.randint(2, 5))]
    families = [make_job_family(f"Family {index}") for index in range(rng.randint(1, 4))]
    weights = [rng.choice([1, 1, 2, 6, 12]) for _ in departments]
    rates = {code: rng.choice([0.05, 0.15, 0.4, 0.7]) for code in THEMES}
    leavers = []
    for _ in range(rng.randint(8, 45)):
        department = rng.choices(departments, weights)[0]
        family = rng.choice(families)
        themes = [code for code in THEMES if rng.random() < rates[code]]
        leavers.append((department.id, family.id, themes))
        make_interview(department=department, job_family=family, themes=themes,
                       exit_date=QUARTER.start + timedelta(days=rng.randint(0, 80)))
    counts: dict[tuple, int] = {TOTAL: len(leavers)}
    for department_id, family_id, themes in leavers:
        for grouping, group in (("department", department_id), ("job_family", family_id)):
            counts[group_key(grouping, group)] = counts.get(group_key(grouping, group), 0) + 1
            for code in themes:
                key = cell_key(grouping, group, theme_ids[code])
                counts[key] = counts.get(key, 0) + 1
        for code in themes:
            counts[theme_key(theme_ids[code])] = counts.get(theme_key(theme_ids[code]), 0) + 1
    return {"departments": [d.id for d in departments], "families": [f.id for f in families], "counts": counts,
            "themes": [theme_ids[code] for code in THEMES], "all_themes": list(theme_ids.values())}


def what_leadership_reads(leader: Persona, organisation: dict[str, Any]) -> dict[tuple, int | None]:
    """Every leaver figure of the quarter on leadership's radar, both groupings (None: hidden)."""
    shown: dict[tuple, int | None] = {}
    for grouping, groups in (("department", organisation["departments"]), ("job_family", organisation["families"])):
        page = leader.client.get(f"/radar?period={QUARTER.key}&by={grouping}&lang=en").text
        assert QUARTER.label in page
        for group in groups:
            shown[group_key(grouping, group)] = read_cell(page, f"leavers-{group}")
            for theme in organisation["all_themes"]:
                shown[cell_key(grouping, group, theme)] = read_cell(page, f"cell-{theme}-{group}")
        total = read_cell(page, "leavers-all")
        assert shown.setdefault(TOTAL, total) == total  # the same total in both views
        for theme in organisation["all_themes"]:
            value = read_cell(page, f"cell-{theme}-all")
            assert shown.setdefault(theme_key(theme), value) == value
    return shown


@pytest.mark.parametrize("organisation", range(8), indirect=True)
def test_what_leadership_reads_narrows_no_hidden_figure(
    settings: Settings, leader: Persona, organisation: dict[str, Any], make_interview: Callable[..., ExitInterview],
    database_url: str,
) -> None:
    counts, threshold = organisation["counts"], 5
    release_now(settings)
    shown = what_leadership_reads(leader, organisation)
    for key, value in shown.items():
        true = counts.get(key, 0)
        if value is not None:
            assert value == true, f"{key}: shows {value}, is {true}"
            assert not 0 < value < threshold, f"{key}: a small figure is shown"
    # The attacker's program over exactly what the pages showed.
    table = PeriodTable(
        groups={"department": organisation["departments"], "job_family": organisation["families"]},
        theme_ids=organisation["all_themes"],
        leavers={(key[1], key[2]): value for key, value in counts.items() if key[0] == "group"},
        raised={(key[1], key[2], key[3]): value for key, value in counts.items() if key[0] == "cell"},
        total=counts[TOTAL], theme_totals={key[1]: value for key, value in counts.items() if key[0] == "theme"},
    )
    hidden = Suppression({key: Hidden.PROTECTED for key, value in shown.items() if value is None})
    assert audit(table, hidden, threshold=threshold) == []

    # The status page and its CSV add no figure about leavers that the radar does not show.
    rows = list(csv.reader(io.StringIO(leader.client.get("/status?format=csv&lang=en").text)))
    start = rows.index(["Recurring theme without an action", "Department", "Recurring since",
                        "Leavers raising it", "Leavers"])
    names = {f"Dept {index}": department for index, department in enumerate(organisation["departments"])}
    themes = {name: theme for theme, name in zip(organisation["themes"], (
        "Pay and benefits", "Management and communication", "Growth and career", "Workload and autonomy"), strict=True)}
    end = rows.index([], start)  # the section ends with a blank row
    for theme_name, department_name, _since, raised, leavers in rows[start + 1:end]:
        department = names[department_name]
        assert shown[cell_key("department", department, themes[theme_name])] == int(raised)
        assert shown[group_key("department", department)] == int(leavers)

    # Late records and deletions after the release change nothing leadership reads.
    department, family = organisation["departments"][0], organisation["families"][0]
    make_interview(department=department, job_family=family, themes=list(THEMES),
                   exit_date=QUARTER.start + timedelta(days=3))
    run(_delete_one_interview, database_url)
    assert what_leadership_reads(leader, organisation) == shown


async def _delete_one_interview(session: Any) -> None:
    from sqlalchemy import delete, select

    first = await session.scalar(select(ExitInterview.id).order_by(ExitInterview.id).limit(1))
    await session.execute(delete(ExitInterview).where(ExitInterview.id == first))


# --- Issue 21: one way of not showing a figure; rates follow the rule for counts -------------------

Q1_2025 = "period=2025-Q1"  # released long ago: leadership's radar shows it


def figure_row(page: str, group_id: int | str) -> list[str]:
    """The texts of a group's row of figures: leavers, turnover, four averages, would come back, eNPS."""
    row = re.search(rf'<tr id="figures-{group_id}"[^>]*>(.*?)</tr>', page, re.S)
    assert row, f"no row of figures for {group_id}"
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def raw_cell(page: str, cell_id: str) -> str:
    found = re.search(rf'<td id="{cell_id}"([^>]*)>(.*?)</td>', page, re.S)
    assert found, f"no cell {cell_id}"
    return found.group(1) + found.group(2)


def test_two_hidden_figures_read_alike_so_the_total_no_longer_pins_one(
    settings: Settings, leader: Persona, hr: Persona, make_department: Callable[..., Department],
    make_job_family: Callable[..., JobFamily], make_interview: Callable[..., ExitInterview], theme_ids: dict[str, int],
) -> None:
    # The example: Pay A 9, B 7, C hidden (to protect D), D 1 of 13, whole organisation 22. When
    # D read "fewer than 5" and C "hidden", C + D = 6 with C = 0 or at least 5 forced D = 1.
    family = make_job_family("Everyone")
    plan = {"A": (12, 9), "B": (10, 7), "C": (10, 5), "D": (13, 1)}
    departments = {name: make_department(name, headcount=60) for name in plan}
    for name, (leavers, pay) in plan.items():
        for index in range(leavers):
            make_interview(department=departments[name], job_family=family, exit_date=date(2025, 2, 1),
                           themes=["pay_benefits"] if index < pay else [])
    pay = theme_ids["pay_benefits"]
    a, b, c, d = (departments[name].id for name in "ABCD")
    release_now(settings)
    for page in (leader.client.get(f"/radar?{Q1_2025}&by=department&lang=en").text,
                 hr.client.get(f"/radar?view=released&{Q1_2025}&by=department&lang=en").text):
        assert [read_cell(page, f"cell-{pay}-{group}") for group in (a, b)] == [9, 7]
        assert read_cell(page, f"cell-{pay}-all") == 22
        # C and D read the same, down to the markup: nothing tells the one hidden for being small.
        assert (raw_cell(page, f"cell-{pay}-{c}").replace(str(c), "")
                == raw_cell(page, f"cell-{pay}-{d}").replace(str(d), ""))
        assert " ".join(unescape(re.sub(r"<[^>]+>", " ", raw_cell(page, f"cell-{pay}-{d}"))).split()).endswith("hidden")
        tables = " ".join(re.findall(r"<table.*?</table>", page, re.S))
        assert "fewer than" not in tables and "small" not in re.sub(r"</?small>", "", tables)
        assert "protected" not in tables
    # With one label, C + D = 6 allows D = 0 (C = 6 of its 10) and D = 5 or 6: D is not pinned.
    assert any(c_pay + d_pay == 6 and d_pay == 0 and c_pay <= 10 for c_pay in range(11) for d_pay in range(14))


def test_a_small_groups_would_return_share_is_hidden_and_not_left_over_from_the_total(
    settings: Settings, leader: Persona, make_department: Callable[..., Department], make_job_family: Callable[...,
                                                                                                               JobFamily],
    make_interview: Callable[..., ExitInterview],
) -> None:
    # The example: IT, 6 leavers, "17 %" would come back: exactly one person.
    family = make_job_family("Everyone")
    plan = {"IT": (6, 1), "Sales": (12, 6), "Operations": (10, 5)}
    departments = {name: make_department(name, headcount=60) for name in plan}
    for name, (leavers, coming_back) in plan.items():
        for index in range(leavers):
            make_interview(department=departments[name], job_family=family, exit_date=date(2025, 2, 1),
                           would_return="yes" if index < coming_back else "no")
    release_now(settings)
    page = leader.client.get(f"/radar?{Q1_2025}&by=department&lang=en").text
    it, sales, operations = (figure_row(page, departments[name].id) for name in plan)
    everyone = figure_row(page, "all")
    assert it[0] == "6" and it[-2] == "under half" and "17" not in " ".join(it)
    assert sales[-2] == "50 %" and everyone[-2] == "43 %"  # 12 of 28
    # The whole organisation minus the shown groups leaves IT and Operations together (6), never IT
    # alone, and the bands allow IT none of them (Operations all 6): IT's one returner is not pinned.
    assert operations[-2] == "half or more"
    # No average of a group shows: with its leavers it can pin how many gave a low score.
    assert it[2:6] == ["hidden"] * 4 and sales[2:6] == ["hidden"] * 4


def test_a_retired_group_or_theme_with_only_hidden_figures_is_not_listed(
    leader: Persona, make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily],
    make_interview: Callable[..., ExitInterview], theme_ids: dict[str, int], database_url: str,
) -> None:
    # A retired department appears while it has leavers: listed with "hidden", it would say that its
    # hidden figure is not 0. The same for a retired theme raised only in hidden figures.
    family = make_job_family("Everyone")
    for name in ("North", "South"):
        department = make_department(name)
        for _ in range(8):
            make_interview(department=department, job_family=family, exit_date=date(2025, 2, 1))
    retired = make_department("Closed site", active=False)
    for _ in range(2):
        make_interview(department=retired, job_family=family, exit_date=date(2025, 2, 1), themes=["recognition"])
    run(_retire_theme, database_url)
    page = leader.client.get(f"/radar?{Q1_2025}&by=department&lang=en").text
    assert "Closed site" not in page and f"leavers-{retired.id}" not in page
    assert f"cell-{theme_ids['recognition']}-" not in page


async def _retire_theme(session: Any) -> None:
    from sqlalchemy import update

    from actiontrack.models import Theme

    await session.execute(update(Theme).where(Theme.code == "recognition").values(active=False))
