"""Did an action work: its group's leavers before it started against those after it was done, in released
periods, on the action page, /status, the API, /changes and the digest, and never a hidden figure."""

from __future__ import annotations

import csv
import io
import math
import re
from datetime import date, datetime, time, timedelta
from html import unescape
from typing import Any

import pytest
from test_actions import add_interviews, make_groups, theme_id
from test_disclosure_pages import read_cell
from test_reminders import of_kind, parts, remind, remind_settings, smtp  # noqa: F401 - fixtures

from actiontrack import clock
from actiontrack.disclosure.effects import Effect, Side, Verdict, wilson
from actiontrack.disclosure.periods import PeriodSpan, due_periods, period_containing
from actiontrack.i18n import format_date
from actiontrack.models import ActionStatus, User
from actiontrack.settings import Settings

from conftest import Persona, release_now

TODAY = clock.today()
RELEASED = due_periods(first_exit=TODAY - timedelta(days=800), today=TODAY, length="quarter", delay_days=30)
AFTER = RELEASED[-1]  # the newest released quarter
DURING = AFTER.previous()  # the action is started and done in this quarter
BEFORE = (DURING.previous().previous(), DURING.previous())  # the two quarters pooled as "before"
MANAGEMENT = "Management and communication"


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(html: str, heading_id: str) -> str:
    found = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert found, f"no section {heading_id}"
    return text_of(found.group(0))


def leavers(url: str, department: int, family: int, period: PeriodSpan, number: int, raising: int,
            theme: str = "management") -> None:
    if number:
        add_interviews(url, department_id=department, job_family_id=family, exit_date=period.start + timedelta(days=9),
                       number=number, raising=raising, theme_code=theme)


def done_action(make_action: Any, owner: User, url: str, *, department: int | None, title: str = "Team-lead training",
                target: float | None = None, started: date | None = None, done: date | None = None,
                **values: Any) -> int:
    started = started or DURING.start + timedelta(days=2)
    done = done or DURING.start + timedelta(days=40)
    return make_action(
        owner=owner, title=title, theme_codes=("management",), status=ActionStatus.DONE.value, progress=100,
        scope="department" if department else "company", department_id=department, target_share=target,
        created_at=datetime.combine(started, time(12), tzinfo=clock.LOCAL_ZONE), completed_on=done, **values).id


@pytest.fixture
def groups(database_url: str) -> tuple[int, int, int]:
    return make_groups(database_url)


def test_a_target_met_shows_both_sides_with_their_periods_to_every_role(
    settings: Settings, hr: Persona, leader: Persona, owner: Persona, make_action: Any, database_url: str,
    groups: tuple[int, int, int],
) -> None:
    retail, _logistics, family = groups
    for period in BEFORE:
        leavers(database_url, retail, family, period, number=10, raising=5)
    leavers(database_url, retail, family, AFTER, number=50, raising=5)
    action = done_action(make_action, owner.user, database_url, department=retail, target=0.2)
    release_now(settings)
    for person in (hr, leader, owner):
        page = section(person.client.get(f"/actions/{action}?lang=en").text, "effect-heading")
        assert "Target met" in page
        assert f"{BEFORE[0].label} – {BEFORE[1].label} 10 of 20 50 %" in page
        assert f"{AFTER.label} 5 of 50 10 %" in page
        low, high = wilson(5, 50)
        assert f"{round(low * 100)} % – {round(high * 100)} %" in page
        assert "not proof that the action caused the change" in page
    french = section(leader.client.get(f"/actions/{action}?lang=fr").text, "effect-heading")
    assert "Objectif atteint" in french


def test_worse_improving_and_no_change_follow_the_shares(
    settings: Settings, leader: Persona, owner: Persona, make_action: Any, database_url: str, make_department: Any,
) -> None:
    family = make_groups(database_url)[2]
    cases = {"worse": (5, 10), "improving": (10, 5), "no_change": (5, 5)}  # raised of 20 before, after
    made = {}
    for name, (before, after) in cases.items():
        department = make_department(name.title(), headcount=100).id
        leavers(database_url, department, family, BEFORE[1], number=20, raising=before)
        leavers(database_url, department, family, AFTER, number=20, raising=after)
        made[name] = done_action(make_action, owner.user, database_url, department=department, title=name)
    release_now(settings)
    for name, action in made.items():
        page = section(leader.client.get(f"/actions/{action}?lang=en").text, "effect-heading")
        label = {"worse": "Worse", "improving": "Improving", "no_change": "No change yet"}[name]
        assert label in page, page
    # 5 of 20 against 5 of 20: the interval of the difference holds zero, and the page says so.
    assert "could be chance" in section(leader.client.get(f"/actions/{made['no_change']}?lang=en").text,
                                         "effect-heading")


def test_too_few_leavers_says_which_side_and_why(
    settings: Settings, leader: Persona, owner: Persona, make_action: Any, database_url: str, make_department: Any,
) -> None:
    family = make_groups(database_url)[2]
    # No headcount: the group's turnover (test_effects_small_groups.py) cannot stand in for its themes.
    few_after = make_department("Few after", headcount=0).id
    leavers(database_url, few_after, family, BEFORE[1], number=20, raising=10)
    leavers(database_url, few_after, family, AFTER, number=6, raising=0)
    awaiting = make_department("Awaiting").id
    leavers(database_url, awaiting, family, BEFORE[1], number=20, raising=10)
    no_before = make_department("No before").id
    actions = {
        "few_after": done_action(make_action, owner.user, database_url, department=few_after),
        "awaiting": done_action(make_action, owner.user, database_url, department=awaiting,
                                started=AFTER.start + timedelta(days=1), done=TODAY),
        "no_before": done_action(make_action, owner.user, database_url, department=no_before,
                                 started=RELEASED[0].start),
    }
    release_now(settings)
    pages = {name: section(leader.client.get(f"/actions/{action}?lang=en").text, "effect-heading")
             for name, action in actions.items()}
    assert all("Too few leavers to tell" in pages[name] for name in ("few_after", "no_before"))
    assert "Fewer than 10 leavers of this group since the action was done" in pages["few_after"]
    assert f"{AFTER.label} 0 of 6" in pages["few_after"]
    assert "No released reporting period ends before the action started" in pages["no_before"]
    assert "Waiting for figures" in pages["awaiting"]
    first_after = period_containing(TODAY, length="quarter").next()  # done today: the next quarter is the first after
    assert format_date(first_after.release_day(delay_days=30)) in pages["awaiting"]


def test_a_group_hidden_before_the_action_shows_no_figure_of_it(
    settings: Settings, leader: Persona, owner: Persona, make_action: Any, database_url: str, groups: tuple[int, int,
                                                                                                            int],
) -> None:
    retail, _logistics, family = groups
    leavers(database_url, retail, family, BEFORE[1], number=3, raising=2)
    leavers(database_url, retail, family, AFTER, number=20, raising=5)
    action = done_action(make_action, owner.user, database_url, department=retail)
    release_now(settings)
    page = section(leader.client.get(f"/actions/{action}?lang=en").text, "effect-heading")
    assert "Too few leavers to tell" in page
    assert "Before the action, this group's figures for “Management and communication” are hidden" in page
    assert "2 of 3" not in page and "67 %" not in page and "of 3" not in page


def test_a_hidden_group_is_left_out_of_the_pool_so_no_hidden_figure_can_be_worked_out(
    settings: Settings, leader: Persona, owner: Persona, make_action: Any, database_url: str, groups: tuple[int, int,
                                                                                                            int],
) -> None:
    """The attacker's arithmetic: the pooled "before" minus what leadership's radar shows for the pooled
    periods must leave nothing, so the hidden figures of the period left out stay unknown."""
    retail, _logistics, family = groups
    leavers(database_url, retail, family, BEFORE[0], number=12, raising=6)
    leavers(database_url, retail, family, BEFORE[1], number=3, raising=2)  # 3 leavers: the group is hidden
    leavers(database_url, retail, family, AFTER, number=20, raising=5)
    action = done_action(make_action, owner.user, database_url, department=retail)
    release_now(settings)
    page = section(leader.client.get(f"/actions/{action}?lang=en").text, "effect-heading")
    pooled = re.search(r"Before the action (.+?) (\d+) of (\d+)", page)
    assert pooled, page
    assert pooled.group(1) == BEFORE[0].label
    management = theme_id(database_url, "management")
    shown = {}
    for period in BEFORE:
        radar = leader.client.get(f"/radar?period={period.key}&by=department&lang=en").text
        shown[period] = (read_cell(radar, f"cell-{management}-{retail}"), read_cell(radar, f"leavers-{retail}"))
    assert shown[BEFORE[1]] == (None, None)  # the radar hides the group...
    # ...and the pool adds exactly what it shows: pooled - shown = 0, nothing about the hidden group.
    assert (int(pooled.group(2)) - shown[BEFORE[0]][0], int(pooled.group(3)) - shown[BEFORE[0]][1]) == (0, 0)
    assert f"Left out because hidden to protect anonymity: {BEFORE[1].label}." in page
    assert "Improving" in page  # 50 % before, 25 % after


def test_a_hidden_cell_is_left_out_of_the_verdict_whatever_hid_it(
    settings: Settings, leader: Persona, owner: Persona, make_action: Any, database_url: str, make_department: Any,
) -> None:
    # 3 of 40 after: hidden on the radar. It once counted as "1 to 4", which told a hidden figure
    # apart from one hidden to protect another; now it is left out like any hidden figure.
    family = make_groups(database_url)[2]
    department = make_department("Target", headcount=0).id  # no turnover to stand in for the theme
    leavers(database_url, department, family, BEFORE[1], number=20, raising=10)
    leavers(database_url, department, family, AFTER, number=40, raising=3)
    action = done_action(make_action, owner.user, database_url, department=department, target=0.15)
    management = theme_id(database_url, "management")
    release_now(settings)
    radar = leader.client.get(f"/radar?period={AFTER.key}&by=department&lang=en").text
    assert text_of(re.search(rf'<td id="cell-{management}-{department}"[^>]*>(.*?)</td>', radar,
                             re.S).group(1)) == "hidden"
    page = section(leader.client.get(f"/actions/{action}?lang=en").text, "effect-heading")
    assert "Too few leavers to tell" in page
    assert "Since the action was done, this group's figures for “Management and communication” are hidden" in page
    assert "1 to 4" not in page and "3 of 40" not in page and "fewer than 5" not in page
    api = leader.client.get(f"/actions/{action}?lang=en")
    assert api.status_code == 200


def test_status_lists_done_actions_with_their_effect_filters_by_it_and_exports_it(
    settings: Settings, hr: Persona, leader: Persona, owner: Persona, make_action: Any, database_url: str,
    make_department: Any,
) -> None:
    family = make_groups(database_url)[2]
    made = {}
    for name, (before, after, target) in {"Better pay": (10, 0, 0.1), "Fewer night shifts": (5, 10, None)}.items():
        department = make_department(name + " team").id
        leavers(database_url, department, family, BEFORE[1], number=20, raising=before)
        leavers(database_url, department, family, AFTER, number=20, raising=after)
        made[name] = done_action(make_action, owner.user, database_url, department=department, title=name,
                                 target=target)
    period = f"start={BEFORE[0].start.isoformat()}&end={TODAY.isoformat()}"
    release_now(settings)
    for person in (hr, leader):
        page = person.client.get(f"/status?{period}&lang=en").text
        rows = {name: text_of(re.search(rf'<tr id="effect-{action}">.*?</tr>', page, re.S).group(0))
                for name, action in made.items()}
        assert rows["Better pay"].endswith("Target met") and "50 % (" in rows["Better pay"]
        assert rows["Fewer night shifts"].endswith("Worse could be chance") and "25 % (" in rows["Fewer night shifts"]
        assert re.search(r'id="verdict-count-worse">1<', page)
    worse_only = leader.client.get(f"/status?{period}&effect=worse&lang=en").text
    assert f'id="effect-{made["Fewer night shifts"]}"' in worse_only
    assert f'id="effect-{made["Better pay"]}"' not in worse_only
    assert '<option value="worse" selected>' in worse_only
    partial = leader.client.get(f"/status?{period}&effect=target_met&lang=en", headers={"HX-Request": "true"}).text
    assert f'id="effect-{made["Better pay"]}"' in partial and f'id="effect-{made["Fewer night shifts"]}"' not in partial
    wrong = leader.client.get(f"/status?{period}&effect=splendid&lang=en")
    assert wrong.status_code == 200 and "Choose a verdict from the list." in wrong.text
    exported = list(csv.reader(io.StringIO(leader.client.get(f"/status?{period}&format=csv&lang=en").text)))
    header = exported.index(["Done action", "Theme", "Scope", "Completed on", "Before the action",
                             "After it was done", "Target", "Effect", "Verdict rests on"])
    assert sorted(tuple(" ".join(row[i].split()) for i in (0, 4, 5, 7)) for row in exported[header + 1:header + 3]) == [
        ("Better pay", "50 %", "0 %", "Target met"), ("Fewer night shifts", "25 %", "50 %", "Worse")]


def test_the_api_gives_the_effect_of_done_actions(
    settings: Settings, hr: Persona, leader: Persona, owner: Persona, make_action: Any, make_api_token: Any,
    database_url: str,
    groups: tuple[int, int, int],
) -> None:
    retail, _logistics, family = groups
    leavers(database_url, retail, family, BEFORE[1], number=20, raising=10)
    leavers(database_url, retail, family, AFTER, number=20, raising=5)
    action = done_action(make_action, owner.user, database_url, department=retail, target=0.1)
    open_action = make_action(owner=owner.user, theme_codes=("management",)).id
    token = make_api_token(leader.user)
    headers = {"Authorization": f"Bearer {token}"}
    release_now(settings)
    body = leader.client.get(f"/api/v1/actions/{action}", headers=headers).json()
    effect = body["effect"]
    assert effect["verdict"] == Verdict.IMPROVING and effect["too_few"] is None
    assert effect["before"]["periods"] == [BEFORE[1].key] and effect["after"]["periods"] == [AFTER.key]
    assert (effect["before"]["raised_count"], effect["before"]["leavers_count"]) == (10, 20)
    assert (effect["after"]["raised_count"], effect["after"]["leavers_count"]) == (5, 20)
    assert math.isclose(effect["difference"], -0.25)
    assert effect["difference_low"] < -0.25 < effect["difference_high"]
    listed = {item["id"]: item for item in leader.client.get("/api/v1/actions", headers=headers).json()}
    assert listed[action]["effect"]["verdict"] == "improving" and listed[open_action]["effect"] is None
    schema = leader.client.get("/schema/openapi.json").text
    assert "EffectOut" in schema


def test_changes_says_in_words_whether_it_worked_only_when_both_sides_reach_the_threshold(
    settings: Settings, anon: Any, leader: Persona, owner: Persona, make_action: Any, database_url: str,
    make_department: Any,
) -> None:
    _retail, logistics, family = make_groups(database_url)
    small = make_department("Small team").id
    leavers(database_url, logistics, family, BEFORE[1], number=20, raising=10)
    leavers(database_url, logistics, family, AFTER, number=40, raising=5)
    leavers(database_url, small, family, BEFORE[0], number=3, raising=0)  # too few before
    leavers(database_url, small, family, AFTER, number=20, raising=0)
    summary = {"published": True, "public_summary": "Every team lead trained in holding one-to-ones."}
    worked = done_action(make_action, owner.user, database_url, department=logistics, title="Worked", **summary)
    unknown = done_action(make_action, owner.user, database_url, department=small, title="Unknown",
                          name_group_publicly=True, **summary)
    release_now(settings)
    leader.client.get("/radar")  # the public page never releases a period itself: a leadership page does
    page = anon.get("/changes?lang=en").text
    def card(action: int) -> str:
        return text_of(re.search(rf'<article[^>]*id="change-{action}".*?</article>', page, re.S).group(0))
    assert "Did it work? Since then, fewer leavers from the Logistics department name this." in card(worked)
    assert "Did it work?" not in card(unknown)
    assert not re.search(r"\d+ ?%", card(worked))  # words, never a figure
    dutch = anon.get("/changes?lang=nl").text
    assert "Sindsdien noemen minder vertrekkers van de afdeling Logistics dit." in text_of(dutch)
    feed = anon.get("/changes.atom?lang=en").text
    assert "Since then, fewer leavers from the Logistics department name this." in feed


def test_the_digest_gives_new_verdicts_once_a_period_after_the_action_is_released(
    remind_settings: Any, smtp: Any, hr: Persona, leader: Persona, owner: Persona, make_action: Any,  # noqa: F811 - the fixtures imported above
    database_url: str, groups: tuple[int, int, int],
) -> None:
    retail, _logistics, family = groups
    leavers(database_url, retail, family, BEFORE[1], number=20, raising=10)
    leavers(database_url, retail, family, AFTER, number=20, raising=5)
    done_action(make_action, owner.user, database_url, department=retail, title="Team-lead training")
    done_action(make_action, owner.user, database_url, department=retail, title="Done long ago",
                started=BEFORE[0].start, done=BEFORE[0].start + timedelta(days=5))
    monday = TODAY + timedelta(days=7 - TODAY.weekday())  # the week before it holds today, the release day
    remind(remind_settings, today=monday)
    [mail] = of_kind(smtp.inbox, hr.user.email, "digest")
    text = parts(mail)[0]
    assert "Did it work? New figures after done actions (2)" in text
    assert "- Team-lead training (" in text
    assert "Improving, 50 % of the group's leavers raised the theme before, 25 % after" in " ".join(text.split())
    # The next week's digest has no release in its week: no verdict repeated.
    remind(remind_settings, today=monday + timedelta(days=7))
    later = [message for message in of_kind(smtp.inbox, hr.user.email, "digest") if message is not mail]
    assert later and "Did it work?" not in parts(later[-1])[0]


def test_the_intervals_match_published_examples() -> None:
    # Wilson: Newcombe (1998), 81 of 263 gives 0.2553 to 0.3662.
    low, high = wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    # Newcombe's hybrid score interval (method 10): 56/70 against 48/80 gives 0.0524 to 0.3339.
    quarter = PeriodSpan("quarter", date(2026, 1, 1), date(2026, 3, 31))
    effect = Effect(Verdict.IMPROVING, before=Side((quarter,), (), 48, 80), after=Side((quarter,), (), 56, 70),
                    target_share=None)
    interval = effect.difference_interval
    assert interval is not None and (round(interval[0], 4), round(interval[1], 4)) == (0.0524, 0.3339)
    assert not effect.uncertain
    assert Effect(Verdict.NO_CHANGE, before=Side((quarter,), (), 5, 20), after=Side((quarter,), (), 6, 20),
                  target_share=None).uncertain
