"""Did it work, for a small group: when too few of its leavers raise the action's theme to tell, the verdict
rests on its stay interviews, else on its turnover (leavers against headcount), from shown figures only."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import highspy
import numpy as np
from test_actions import make_groups
from test_disclosure_pages import read_cell
from test_effects import AFTER, BEFORE, done_action, leavers, section
from test_every_page import VNU
from test_stay_figures import add_stays

from actiontrack.settings import Settings

from conftest import Persona, release_now

THRESHOLD = 5  # the default anonymity threshold the pages below run with


def assert_valid_html(pages: dict[str, str], folder: Path) -> None:
    """The W3C checker finds no error in the pages (as tests/test_every_page.py runs it)."""
    java = shutil.which("java")
    assert java and VNU.exists(), "the HTML checker needs Java and npm ci"
    for name, html in pages.items():
        (folder / f"{name}.html").write_text(html)
    checked = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--errors-only", "--exit-zero-always",
                              str(folder)], check=False, capture_output=True, text=True, timeout=300)
    errors = [f"{Path(message['url']).name} line {message.get('lastLine')}: {message['message']}"
              for message in json.loads(checked.stderr)["messages"]]
    assert not errors, "\n".join(errors)


def test_a_small_group_too_few_to_tell_gets_its_verdict_from_turnover(
    settings: Settings, leader: Persona, owner: Persona, make_action: Any, database_url: str, make_department: Any,
    tmp_path: Path,
    make_api_token: Any,
) -> None:
    family = make_groups(database_url)[2]
    small = make_department("Workshop", headcount=40).id
    # 12 then 12 leavers before (30 % a quarter of 40 people), none after: too few after to compare themes.
    for period in BEFORE:
        leavers(database_url, small, family, period, number=12, raising=12)
    action = done_action(make_action, owner.user, database_url, department=small)
    release_now(settings)
    page = section(leader.client.get(f"/actions/{action}?lang=en").text, "effect-heading")
    assert "Improving" in page and "Too few leavers to tell" not in page
    assert "The verdict rests on: the group's turnover." in page
    assert f"{BEFORE[0].label} – {BEFORE[1].label} 24 120 %" in page  # 24 leavers in half a year of 40 people
    assert f"{AFTER.label} 0 0 %" in page
    dutch = section(leader.client.get(f"/actions/{action}?lang=nl").text, "effect-heading")
    assert "Het oordeel steunt op: het verloop van de groep." in dutch
    french = section(leader.client.get(f"/actions/{action}?lang=fr").text, "effect-heading")
    assert "Le verdict repose sur : la rotation du groupe." in french
    status = leader.client.get("/status?lang=en").text
    assert "from the group's turnover" in status
    exported = leader.client.get("/status?format=csv&lang=en").text
    assert "Verdict rests on" in exported and "Improving,the group's turnover" in exported
    assert_valid_html({"action": leader.client.get(f"/actions/{action}?lang=fr").text, "status": status}, tmp_path)
    headers = {"Authorization": f"Bearer {make_api_token(leader.user)}"}
    effect = leader.client.get(f"/api/v1/actions/{action}", headers=headers).json()["effect"]
    assert (effect["verdict"], effect["evidence"]) == ("improving", "turnover")
    assert effect["turnover_before"] == {"periods": [period.key for period in BEFORE], "leavers_low": 24,
                                         "leavers_high": 24, "rate_low": 1.2, "rate_high": 1.2}
    assert effect["turnover_after"]["leavers_high"] == 0


def test_a_small_group_too_few_to_tell_gets_its_verdict_from_stay_interviews(
    settings: Settings, leader: Persona, owner: Persona, make_action: Any, database_url: str, make_department: Any,
    tmp_path: Path,
) -> None:
    family = make_groups(database_url)[2]
    team = make_department("Design studio", headcount=300).id
    leavers(database_url, team, family, BEFORE[1], number=3, raising=2)  # hidden: 3 leavers
    add_stays(database_url, department_id=team, job_family_id=family, held_on=BEFORE[1].start + timedelta(days=5),
              number=12, raising=8, theme_code="management")
    add_stays(database_url, department_id=team, job_family_id=family, held_on=AFTER.start + timedelta(days=5),
              number=12, raising=0, theme_code="management")
    action = done_action(make_action, owner.user, database_url, department=team)
    release_now(settings)
    page = section(leader.client.get(f"/actions/{action}?lang=en").text, "effect-heading")
    assert "Improving" in page and "rests on the group's stay interviews" in page
    assert "The verdict rests on: stay interviews raising the theme." in page
    assert "Stay interviews raising it" in page and "8 of 12" in page and "0 of 12" in page
    dutch = section(leader.client.get(f"/actions/{action}?lang=nl").text, "effect-heading")
    assert "Het oordeel steunt op: blijfgesprekken die het thema noemen." in dutch
    assert_valid_html({"action": leader.client.get(f"/actions/{action}?lang=en").text}, tmp_path)


def turnover_cells(page: str) -> list[tuple[int, int | None]]:
    """The leavers (lowest, highest) of the turnover table's two rows, as a viewer reads them."""
    table = re.search(r'<table class="effect-table" id="turnover-table">(.*?)</table>', page, re.S)
    assert table, "no turnover table"
    found = []
    for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", table.group(1), re.S):
        cells = [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        numbers = [int(number) for number in re.findall(r"\d+", cells[1])]
        found.append((numbers[0], numbers[-1] if len(numbers) > 1 or "least" not in cells[1] else None))
    return found


def test_the_turnover_verdict_and_its_figures_narrow_no_hidden_leaver_count(
    settings: Settings, leader: Persona, owner: Persona, make_action: Any, database_url: str, make_department: Any,
) -> None:
    family = make_groups(database_url)[2]
    small = make_department("Workshop", headcount=40).id
    other = make_department("Warehouse", headcount=200).id
    large = make_department("Stores", headcount=900).id
    # Before: the Workshop's 12, then its hidden 2 beside the Warehouse's hidden 3 (and the Stores' 20); after: none.
    counts = {(small, BEFORE[0]): 12, (small, BEFORE[1]): 2, (other, BEFORE[1]): 3,
              (large, BEFORE[0]): 20, (large, BEFORE[1]): 20, (large, AFTER): 20}
    for (department, period), number in counts.items():
        leavers(database_url, department, family, period, number=number, raising=0)
    action = done_action(make_action, owner.user, database_url, department=small)
    release_now(settings)
    page = leader.client.get(f"/actions/{action}?lang=en").text
    assert "The verdict rests on: the group's turnover." in section(page, "effect-heading")
    (before_low, before_high), (after_low, after_high) = turnover_cells(page)
    # 12 + the 1 to 23 left beside: the Stores are hidden too (else the two hidden could not each reach 5),
    # and each of the two others hidden holds one at least.
    assert (before_low, before_high, after_low, after_high) == (13, 35, 0, 0)

    # The attacker: every department's leavers in every period as a whole number, everything the radar shows
    # of the three periods, the turnover table and the verdict (after at most 4/5 of before, per person-year).
    departments, periods = (small, other, large), (*BEFORE, AFTER)
    unknown = {(department, period): index for index, (department, period) in
               enumerate((department, period) for department in departments for period in periods)}
    program = highspy.Highs()
    program.setOptionValue("output_flag", False)
    size = len(unknown)
    program.addVars(size, np.zeros(size), np.full(size, 1000.0))
    program.changeColsIntegrality(size, np.arange(size, dtype=np.int32),
                                  np.full(size, highspy.HighsVarType.kInteger))

    def row(low: float, high: float, columns: list[int], weights: list[float] | None = None) -> None:
        program.addRow(low, high, len(columns), np.array(columns, dtype=np.int32),
                       np.array(weights or [1.0] * len(columns)))

    for period in periods:
        radar = leader.client.get(f"/radar?period={period.key}&lang=en").text
        for department in departments:
            shown = read_cell(radar, f"leavers-{department}")
            if shown is not None:
                row(shown, shown, [unknown[department, period]])
        total = read_cell(radar, "leavers-all")
        if total is not None:
            row(total, total, [unknown[department, period] for department in departments])
    before = [unknown[small, period] for period in BEFORE]
    row(before_low, before_high, before)
    row(after_low, after_high, [unknown[small, AFTER]])
    # Improving: after / 10 person-years <= 4/5 of before / 20 person-years.
    row(-highspy.kHighsInf, 0.0, [unknown[small, AFTER], *before], [1 / 10, *[-0.8 / 20] * len(before)])

    def bounds(column: int) -> tuple[float, float]:
        found = []
        for sense in (1.0, -1.0):
            costs = np.zeros(size)
            costs[column] = sense
            program.changeColsCost(size, np.arange(size, dtype=np.int32), costs)
            program.run()
            found.append(sense * program.getInfo().objective_function_value)
        return found[0], found[1]

    for key, value in counts.items():
        if 0 < value < THRESHOLD:
            low, high = bounds(unknown[key])
            assert low == 0 or high >= THRESHOLD, f"{key}: {value} narrowed to {low:g}..{high:g}"
    # Were the page to show the Workshop's exact turnover (14 leavers), its hidden 2 would be pinned.
    row(14, 14, before)
    assert bounds(unknown[small, BEFORE[1]]) == (2, 2)
