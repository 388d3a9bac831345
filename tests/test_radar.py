"""The theme radar: counts per theme and group, trends, recurring flags, group figures and anonymity."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from litestar import Litestar
from playwright.sync_api import Page, expect
from sqlalchemy import event

from actiontrack import clock
from actiontrack.disclosure.tables import Radar
from actiontrack.models import Department, ExitInterview, JobFamily, Role, User
from actiontrack.radar.queries import build_radar
from actiontrack.radar.rules import Period, add_months, default_period
from actiontrack.settings import Settings

from browser_checks import sign_in_page
from conftest import LiveServer, Persona, release_now, run

START, END = date(2025, 1, 1), date(2025, 6, 30)
PERIOD = f"start={START.isoformat()}&end={END.isoformat()}"
RELEASED = "period=2025-Q1"  # leadership: the released quarter holding the small groups' exits


def radar(url: str, *, by: str = "department", threshold: int = 5) -> Radar:
    async def build(session):
        return await build_radar(session, by=by, period=Period(START, END), threshold=threshold, min_leavers=3,
                                 min_share=0.25)

    return run(build, url)


def cell_text(page: str, cell_id: str) -> str:
    found = re.search(rf'<td id="{cell_id}"[^>]*>(.*?)</td>', page, re.S)
    assert found, f"no cell {cell_id}"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


@pytest.fixture
def hand_computed(
    make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily],
    make_interview: Callable[..., ExitInterview],
) -> dict[str, Any]:
    """13 leavers in the first half of 2025, 9 in the second half of 2024, 2 just outside both."""
    logistics, retail, finance = (make_department("Logistics", headcount=40), make_department("Retail", headcount=20),
                                  make_department("Finance", headcount=10))
    warehouse, store, office = make_job_family("Warehouse"), make_job_family("Store"), make_job_family("Office")
    now, before = date(2025, 3, 15), date(2024, 9, 15)

    def leaver(department: Department, family: JobFamily, themes: list[str], day: date = now, **answers: Any) -> None:
        make_interview(department=department, job_family=family, themes=themes, exit_date=day, **answers)

    leaver(logistics, warehouse, ["management", "workload_autonomy"], manager_support_score=1, training_score=2,
           recognition_score=2, would_return="no", recommend_score=2, day=START)
    leaver(logistics, warehouse, ["management"], manager_support_score=2, recommend_score=5)
    leaver(logistics, warehouse, ["management", "pay_benefits"], would_return="yes", recommend_score=9)
    leaver(logistics, warehouse, ["workload_autonomy"], would_return="yes", recommend_score=10, day=END)
    leaver(logistics, office, ["pay_benefits"], would_return="no")
    leaver(logistics, office, [], recommend_score=6)
    for themes in (["training_onboarding"], ["training_onboarding"], ["pay_benefits"], ["management"], []):
        leaver(retail, store, themes)
    leaver(finance, office, ["pay_benefits"])
    leaver(finance, office, ["pay_benefits"])
    leaver(logistics, warehouse, ["management"], day=before)
    for _ in range(3):
        leaver(logistics, warehouse, [], day=before)
    for themes in (["training_onboarding"], ["training_onboarding"], ["training_onboarding"], [], []):
        leaver(retail, store, themes, day=before)
    leaver(logistics, warehouse, ["management"], day=date(2024, 6, 30))
    leaver(logistics, warehouse, ["management"], day=END + timedelta(days=1))
    return {"logistics": logistics, "retail": retail, "finance": finance, "warehouse": warehouse, "store": store,
            "office": office}


# --- who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize("who, expected", [("hr", 200), ("leader", 200), ("owner", 403), ("anon", "login")])
def test_hr_and_leadership_see_the_radar(request: pytest.FixtureRequest, who: str, expected: Any) -> None:
    if who == "anon":
        response = request.getfixturevalue("anon").get("/radar?by=job_family", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/radar%3Fby%3Djob_family"
        return
    person: Persona = request.getfixturevalue(who)
    assert person.client.get("/radar", follow_redirects=False).status_code == expected


# --- the counts -------------------------------------------------------------------------------


def test_radar_counts_match_the_hand_computed_fixture(hand_computed: dict[str, Any], database_url: str,
                                                      theme_ids: dict[str, int]) -> None:
    result = radar(database_url)
    assert result.previous == Period(date(2024, 7, 1), date(2024, 12, 31))
    assert [group.name for group in result.groups] == ["Finance", "Logistics", "Retail"]
    finance, logistics, retail = result.groups
    assert [(g.leavers, g.previous_leavers) for g in result.groups] == [(2, 0), (6, 4), (5, 5)]
    assert (result.total.leavers, result.total.previous_leavers) == (13, 9)
    rows = {row.theme.code: row for row in result.rows}

    def figures(code: str) -> list[tuple[int, int, bool]]:
        row = rows[code]
        return [(cell.raised, cell.leavers, cell.recurring) for cell in [*row.cells, row.total]]

    assert figures("management") == [(0, 2, False), (3, 6, True), (1, 5, False), (4, 13, True)]
    assert figures("pay_benefits") == [(2, 2, False), (2, 6, False), (1, 5, False), (5, 13, True)]
    assert figures("workload_autonomy") == [(0, 2, False), (2, 6, False), (0, 5, False), (2, 13, False)]
    assert figures("training_onboarding") == [(0, 2, False), (0, 6, False), (2, 5, False), (2, 13, False)]
    management = rows["management"].cells[1]
    assert (management.share, management.previous_share, management.trend) == (0.5, 0.25, "up")
    training = rows["training_onboarding"].cells[2]
    assert (training.share, training.previous_share, training.trend) == (0.4, 0.6, "down")
    assert rows["pay_benefits"].cells[0].trend is None  # Finance had no leavers before

    assert logistics.turnover == pytest.approx(6 / 40)
    assert logistics.average("manager_support_score") == pytest.approx(2.5)
    assert logistics.average("training_score") == pytest.approx(17 / 6)
    assert logistics.average("tasks_match_score") == pytest.approx(3.0)
    assert logistics.would_return_share == pytest.approx(2 / 6)
    assert logistics.enps == pytest.approx(100 * (2 - 3) / 6)
    assert (retail.turnover, retail.enps, retail.would_return_share) == (0.25, 0.0, 0.0)
    assert finance.turnover == pytest.approx(0.2)
    assert result.total.turnover == pytest.approx(13 / 70)
    assert result.total.enps == pytest.approx(100 * (2 - 3) / 13)


def test_radar_by_job_family(hand_computed: dict[str, Any], database_url: str) -> None:
    result = radar(database_url, by="job_family")
    assert [(group.name, group.leavers, group.headcount) for group in result.groups] == [
        ("Office", 4, None), ("Store", 5, None), ("Warehouse", 4, None)]
    rows = {row.theme.code: row for row in result.rows}
    assert [(cell.raised, cell.recurring) for cell in rows["management"].cells] == [(0, False), (1, False), (3, True)]
    assert [(cell.raised, cell.recurring) for cell in rows["pay_benefits"].cells] == [(3, True), (1, False), (1, False)]


def test_hr_page_shows_the_figures_and_links_recurring_cells_to_a_new_action(
    hr: Persona, hand_computed: dict[str, Any], theme_ids: dict[str, int]
) -> None:
    page = hr.client.get(f"/radar?{PERIOD}&lang=en").text
    logistics, retail = hand_computed["logistics"].id, hand_computed["retail"].id
    management = theme_ids["management"]
    text = cell_text(page, f"cell-{management}-{logistics}")
    assert text.startswith("3 50 %")
    assert "up from 25 %" in text and "Recurring" in text
    assert (f'href="/actions/new?theme={management}&amp;scope=department&amp;group={logistics}'
            f'&amp;start=2025-01-01&amp;end=2025-06-30"') in page
    assert "down from 60 %" in cell_text(page, f"cell-{theme_ids['training_onboarding']}-{retail}")
    assert cell_text(page, f"leavers-{hand_computed['finance'].id}") == "2"
    assert cell_text(page, "leavers-all") == "13"
    # Only recurring group cells get the link: Logistics management, nothing else here.
    assert page.count('href="/actions/new?') == 1
    figures = re.search(rf'<tr id="figures-{logistics}">(.*?)</tr>', page, re.S).group(1)
    cells = [" ".join(unescape(re.sub(r"<[^>]+>", " ", found)).split())
             for found in re.findall(r"<td>(.*?)</td>", figures, re.S)]
    assert cells == ["6", "15,0 %", "3,0", "2,5", "2,8", "2,8", "33 %", "-17"]  # Belgian decimals
    # HR goes from a count to the interviews behind it.
    assert (f'href="/interviews?start=2025-01-01&amp;end=2025-06-30&amp;theme={management}'
            f'&amp;department={logistics}"') in page


def test_job_family_view_links_actions_with_the_job_family_scope(
    hr: Persona, hand_computed: dict[str, Any], theme_ids: dict[str, int]
) -> None:
    page = hr.client.get(f"/radar?{PERIOD}&by=job_family&lang=en").text
    warehouse = hand_computed["warehouse"].id
    assert (f'href="/actions/new?theme={theme_ids["management"]}&amp;scope=job_family&amp;group={warehouse}'
            f'&amp;start=2025-01-01&amp;end=2025-06-30"') in page
    assert "Turnover in the period" not in page  # headcount is kept per department only


def test_the_recurring_rule_follows_the_settings(
    settings: Any, hand_computed: dict[str, Any], make_user: Callable[..., User], theme_ids: dict[str, int]
) -> None:
    from actiontrack.app import create_app

    from conftest import make_client, sign_in

    make_user(Role.HR, "strict.hr@example.com")
    app = create_app(settings.model_copy(update={"recurring_min_leavers": 2, "recurring_min_share": 0.9}))
    with make_client(app) as client:
        sign_in(client, "strict.hr@example.com")
        page = client.get(f"/radar?{PERIOD}").text
    finance = hand_computed["finance"].id
    # Finance: 2 of 2 leavers raised pay, which now counts; Logistics management (50 %) no longer does.
    assert "Recurring" in cell_text(page, f"cell-{theme_ids['pay_benefits']}-{finance}")
    assert "Recurring" not in cell_text(page, f"cell-{theme_ids['management']}-{hand_computed['logistics'].id}")


def test_the_default_period_is_the_last_six_months_against_the_six_before(
    hr: Persona, make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily],
    make_interview: Callable[..., ExitInterview], theme_ids: dict[str, int],
) -> None:
    today = clock.today()
    department, family = make_department("Logistics"), make_job_family("Warehouse")
    make_interview(department=department, job_family=family, themes=["management"], exit_date=today)
    make_interview(department=department, job_family=family, themes=["management"],
                   exit_date=add_months(today, -6) + timedelta(days=1))
    make_interview(department=department, job_family=family, themes=[], exit_date=add_months(today, -6))
    make_interview(department=department, job_family=family, themes=["management"],
                   exit_date=add_months(today, -12) - timedelta(days=1))
    page = hr.client.get("/radar").text
    period = default_period(today=today)
    assert f'value="{period.start.isoformat()}"' in page and f'value="{today.isoformat()}"' in page
    text = cell_text(page, f"cell-{theme_ids['management']}-{department.id}")
    assert text.startswith("2 100 %") and "up from 0 %" in text


@pytest.mark.parametrize("query, message", [
    ("start=yesterday", "Dates are written year-month-day"),
    ("start=2025-06-01&end=2025-01-01", "The period must start before it ends"),
])
def test_a_bad_period_is_explained_and_the_default_shown(hr: Persona, query: str, message: str) -> None:
    page = hr.client.get(f"/radar?{query}")
    assert page.status_code == 200
    assert message in page.text
    assert f'value="{default_period(today=clock.today()).start.isoformat()}"' in page.text


def test_htmx_gets_only_the_tables(hr: Persona) -> None:
    response = hr.client.get("/radar?by=job_family", headers={"hx-request": "true"})
    assert response.text.lstrip().startswith('<section id="radar"')
    assert "<html" not in response.text
    assert "HX-Request" in response.headers["vary"]


def test_the_radar_runs_a_constant_number_of_queries(
    app: Litestar, hr: Persona, make_department: Callable[..., Department],
    make_job_family: Callable[..., JobFamily], make_interview: Callable[..., ExitInterview],
) -> None:
    statements: list[str] = []
    event.listen(app.state.engine.sync_engine, "before_cursor_execute",
                 lambda *args: statements.append(args[2]))

    def queries_for_radar() -> int:
        statements.clear()
        assert hr.client.get("/radar").status_code == 200
        return len(statements)

    department, family = make_department("First"), make_job_family("First family")
    make_interview(department=department, job_family=family, themes=["management"])
    small = queries_for_radar()
    for number in range(8):
        extra_department, extra_family = make_department(f"Dept {number}"), make_job_family(f"Family {number}")
        for _ in range(4):
            make_interview(department=extra_department, job_family=extra_family,
                           themes=["pay_benefits", "management"])
    assert queries_for_radar() == small
    # The signed-in user, the data version, the period length HR chose, groups, themes, released leaver
    # and theme counts, the current period's group figures and theme counts, the reporting periods.
    # (Until personas shared the test's app, this listened to an app the client never used and counted nothing.)
    assert small <= 10


# --- anonymity --------------------------------------------------------------------------------


@pytest.fixture
def small_groups(
    make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily],
    make_interview: Callable[..., ExitInterview],
) -> dict[str, Department]:
    """A 12 leavers, B 10, C 3 (a small group), D 8; pay and management raised unevenly."""
    family = make_job_family("Everyone")
    groups = {name: make_department(name, headcount=50) for name in ("A", "B", "C", "D")}
    plan = {"A": (12, 6, 5), "B": (10, 2, 5), "C": (3, 1, 0), "D": (8, 7, 6)}
    for name, (leavers, pay, management) in plan.items():
        for index in range(leavers):
            themes = (["pay_benefits"] if index < pay else []) + (["management"] if index < management else [])
            make_interview(department=groups[name], job_family=family, themes=themes, exit_date=date(2025, 2, 1),
                           reason_for_leaving=f"Confidential answer of {name}{index}")
    return groups


def leadership_table(
    page: str, groups: list[int], theme_ids: list[int],
) -> dict[str, tuple[list[int | None], int | None]]:
    """What a leader can read: per row, each group's number (None when hidden) and the total."""

    def number(cell_id: str) -> int | None:
        text = cell_text(page, cell_id)
        found = re.match(r"^(\d+)", text)
        return int(found.group(1)) if found else None

    table = {"leavers": ([number(f"leavers-{group}") for group in groups], number("leavers-all"))}
    for theme_id in theme_ids:
        table[str(theme_id)] = ([number(f"cell-{theme_id}-{group}") for group in groups],
                                number(f"cell-{theme_id}-all"))
    return table


def test_leadership_sees_small_groups_hidden_like_any_hidden_figure(
    settings: Settings, leader: Persona, small_groups: dict[str, Department], theme_ids: dict[str, int]
) -> None:
    release_now(settings)
    page = leader.client.get(f"/radar?{RELEASED}&lang=en").text
    a, b, c, d = (small_groups[name].id for name in "ABCD")
    assert cell_text(page, f"leavers-{c}") == "hidden"
    assert cell_text(page, f"cell-{theme_ids['pay_benefits']}-{c}") == "hidden"
    assert cell_text(page, f"cell-{theme_ids['pay_benefits']}-{b}") == "hidden"  # 2 of 10
    # D is the smallest group left: hidden so that C cannot be read off the total.
    assert cell_text(page, f"leavers-{d}") == "hidden"
    assert cell_text(page, f"leavers-{a}") == "12" and cell_text(page, "leavers-all") == "33"
    figures_c = re.search(rf'<tr id="figures-{c}">(.*?)</tr>', page, re.S).group(1)
    assert "hidden" in figures_c and not re.search(r"\d", figures_c)
    # No individual answers, no action links, no drill-down for leadership.
    assert "Confidential answer" not in page
    assert "/actions/new" not in page and 'href="/interviews' not in page


def test_no_hidden_figure_can_be_recomputed_from_what_leadership_sees(
    settings: Settings, leader: Persona, small_groups: dict[str, Department], theme_ids: dict[str, int]
) -> None:
    release_now(settings)
    page = leader.client.get(f"/radar?{RELEASED}&lang=en").text
    groups = [small_groups[name].id for name in "ABCD"]
    table = leadership_table(page, groups, list(theme_ids.values()))
    truth = {"leavers", str(theme_ids["pay_benefits"]), str(theme_ids["management"])}
    for row, (values, total) in table.items():
        hidden = [index for index, value in enumerate(values) if value is None]
        if total is not None:
            # A shown sum with exactly one unknown would give that unknown away.
            assert len(hidden) != 1, f"row {row} leaks its hidden figure"
        if row in truth:
            assert total is not None and len(hidden) >= 2
    # Concretely: C's 3 leavers and B's 2 mentions of pay are not what the totals leave over.
    leavers_values, leavers_total = table["leavers"]
    assert leavers_total - sum(v for v in leavers_values if v is not None) == 3 + 8
    pay_values, pay_total = table[str(theme_ids["pay_benefits"])]
    assert pay_total - sum(v for v in pay_values if v is not None) == 2 + 1 + 7
    # The raw HTML holds no hidden number either (not in attributes, not in hidden text).
    for cell_id in (f"leavers-{groups[2]}", f"leavers-{groups[3]}", f"cell-{theme_ids['pay_benefits']}-{groups[1]}"):
        raw = re.search(rf'<td id="{cell_id}"[^>]*>(.*?)</td>', page, re.S).group(0)
        assert not re.search(r"\d", raw.replace(cell_id, "").replace("5", ""))


def test_a_lone_small_count_in_a_row_hides_a_second_count(
    settings: Settings, leader: Persona, make_department: Callable[..., Department], make_job_family: Callable[...,
                                                                                                               JobFamily],
    make_interview: Callable[..., ExitInterview], theme_ids: dict[str, int],
) -> None:
    family = make_job_family("Everyone")
    a, b = make_department("A"), make_department("B")
    for index in range(12):
        make_interview(department=a, job_family=family, exit_date=date(2025, 2, 1),
                       themes=(["pay_benefits"] if index < 2 else []) + (["management"] if index < 2 else []))
    for index in range(10):
        make_interview(department=b, job_family=family, exit_date=date(2025, 2, 1),
                       themes=["pay_benefits"] if index < 7 else [])
    release_now(settings)
    page = leader.client.get(f"/radar?{RELEASED}&lang=en").text
    pay, management = theme_ids["pay_benefits"], theme_ids["management"]
    assert cell_text(page, f"cell-{pay}-{a.id}") == "hidden"
    assert cell_text(page, f"cell-{pay}-{b.id}") == "hidden"  # else 9 - 7 = 2 would give A away
    assert cell_text(page, f"cell-{pay}-all").startswith("9")
    # Management: A's 2 is the only non-zero count, so the row total (the same 2) is hidden too.
    assert cell_text(page, f"cell-{management}-{a.id}") == "hidden"
    assert cell_text(page, f"cell-{management}-{b.id}").startswith("0")
    assert cell_text(page, f"cell-{management}-all") == "hidden"


def test_hr_sees_every_figure(hr: Persona, small_groups: dict[str, Department], theme_ids: dict[str, int]) -> None:
    page = hr.client.get(f"/radar?{PERIOD}&lang=en").text
    assert cell_text(page, f"leavers-{small_groups['C'].id}") == "3"
    assert cell_text(page, f"cell-{theme_ids['pay_benefits']}-{small_groups['B'].id}").startswith("2 20 %")
    assert "fewer than 5" not in re.sub(r'<p class="hint">.*?</p>', "", page, flags=re.S)


def test_the_threshold_comes_from_the_settings(
    settings: Any, small_groups: dict[str, Department], make_user: Callable[..., User]
) -> None:
    from actiontrack.app import create_app

    from conftest import make_client, sign_in

    make_user(Role.LEADERSHIP, "lenient.lead@example.com")
    app = create_app(settings.model_copy(update={"anonymity_threshold": 4}))
    with make_client(app) as client:
        sign_in(client, "lenient.lead@example.com")
        page = client.get(f"/radar?{RELEASED}&lang=en").text
    assert cell_text(page, f"leavers-{small_groups['C'].id}") == "hidden"
    assert "when it would count fewer than 4 people" in page


def test_leadership_trends_compare_only_figures_shown_in_both_periods(
    settings: Settings, leader: Persona, make_department: Callable[..., Department], make_job_family: Callable[...,
                                                                                                               JobFamily],
    make_interview: Callable[..., ExitInterview], theme_ids: dict[str, int],
) -> None:
    family = make_job_family("Everyone")
    a, b = make_department("A"), make_department("B")
    for index in range(10):
        make_interview(department=a, job_family=family, exit_date=date(2025, 2, 1),
                       themes=["management"] if index < 6 else [])
        make_interview(department=b, job_family=family, exit_date=date(2025, 2, 1),
                       themes=["management"] if index < 5 else [])
    for index in range(10):
        # Before: A had 2 mentions of 10 (a small count), B had 5 of 10.
        make_interview(department=a, job_family=family, exit_date=date(2024, 11, 1),
                       themes=["management"] if index < 2 else [])
        make_interview(department=b, job_family=family, exit_date=date(2024, 11, 1),
                       themes=["management"] if index < 5 else [])
    release_now(settings)
    page = leader.client.get(f"/radar?{RELEASED}&lang=en").text
    a_text = cell_text(page, f"cell-{theme_ids['management']}-{a.id}")
    assert a_text.startswith("6 60 %") and "from" not in a_text  # the earlier 20 % would reveal the 2
    b_text = cell_text(page, f"cell-{theme_ids['management']}-{b.id}")
    assert b_text.startswith("5 50 %")


def test_leadership_sees_released_quarters_only(
    settings: Settings, leader: Persona, hr: Persona, small_groups: dict[str, Department], make_interview: Callable[...,
                                                                                                                    ExitInterview],
) -> None:
    release_now(settings)
    page = leader.client.get("/radar?lang=en").text
    # Dates are not a choice outside HR: one select of released quarters, newest first.
    assert 'name="start"' not in page and 'name="end"' not in page
    options = re.findall(r'<option value="(\d{4}-Q\d)"', page)
    assert options[-1] == "2025-Q1" and options == sorted(options, reverse=True)
    assert "Q1 2025" in page
    # Asking for dates shows the latest released quarter, whatever the dates.
    ranged = leader.client.get("/radar?start=2025-01-01&end=2025-02-15&lang=en").text
    assert re.search(r'<option value="(\d{4}-Q\d)" selected', ranged).group(1) == options[0]
    running = clock.today()
    key = f"{running.year}-Q{(running.month - 1) // 3 + 1}"
    assert key not in options
    assert "not released yet" in leader.client.get(f"/radar?period={key}&lang=en").text
    assert "no released period" in leader.client.get("/radar?period=2025-13&lang=en").text


def test_a_late_record_never_changes_a_released_quarter(
    settings: Settings, leader: Persona, hr: Persona, small_groups: dict[str, Department], make_interview: Callable[...,
                                                                                                                    ExitInterview],
    make_job_family: Callable[..., JobFamily],
) -> None:
    release_now(settings)
    before = leader.client.get(f"/radar?{RELEASED}&lang=en").text
    c = small_groups["C"]
    make_interview(department=c, job_family=make_job_family("Late"), themes=["pay_benefits"],
                   exit_date=date(2025, 3, 31))
    after = leader.client.get(f"/radar?{RELEASED}&lang=en").text
    def strip(page: str) -> str:
        return re.sub(r'name="_csrf_token" value="[^"]*"|"x-csrftoken": "[^"]*"', "", page)
    assert strip(after) == strip(before)
    # HR's live figures have it, with a note that leadership's do not.
    live = hr.client.get(f"/radar?{PERIOD}&lang=en").text
    assert cell_text(live, f"leavers-{c.id}") == "4"
    assert "1 interview in this period was recorded or changed after" in live
    preview = hr.client.get(f"/radar?view=released&{RELEASED}&lang=en").text
    assert cell_text(preview, f"leavers-{c.id}") == "hidden"


# --- the rules, one by one --------------------------------------------------------------------


def test_months_and_previous_periods() -> None:
    assert add_months(date(2025, 8, 31), -6) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert Period(date(2025, 5, 26), date(2025, 11, 25)).previous() == Period(date(2024, 11, 26), date(2025, 5, 25))
    assert Period(date(2025, 1, 1), date(2025, 6, 30)).previous() == Period(date(2024, 7, 1), date(2024, 12, 31))
    assert Period(date(2025, 1, 10), date(2025, 1, 19)).previous() == Period(date(2024, 12, 31), date(2025, 1, 9))


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_leadership_opens_the_radar_and_sees_suppressed_cells(
    page: Page, live_server: LiveServer, make_user: Callable[..., User], small_groups: dict[str, Department],
    theme_ids: dict[str, int], settings: Settings,
) -> None:
    release_now(settings)  # the server started before the interviews were recorded
    make_user(Role.LEADERSHIP, "leila@example.com", name="Leila Lead")
    sign_in_page(page, live_server, "leila@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Theme radar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Theme radar")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Interviews")).to_have_count(0)
    page.get_by_label("Reporting period").select_option("2025-Q1")
    expect(page.locator(f"#leavers-{small_groups['C'].id}")).to_have_text("hidden")
    expect(page.locator(f"#leavers-{small_groups['D'].id}")).to_have_text("hidden")
    expect(page.locator(f"#leavers-{small_groups['A'].id}")).to_have_text("12")
    expect(page.locator(f"#cell-{theme_ids['pay_benefits']}-{small_groups['B'].id}")).to_have_text("hidden")
    expect(page.get_by_role("link", name="Create an action")).to_have_count(0)
    # The filters live in the address: the view can be bookmarked.
    expect(page).to_have_url(re.compile(r"period=2025-Q1"))
    page.get_by_label("Group by").select_option("job_family")
    expect(page.get_by_role("table").first).to_contain_text("Everyone")
