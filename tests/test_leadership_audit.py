"""The combined audit: everything leadership sees of several released periods at once narrows no count.

The attacker of tests/test_disclosure_audit.py reads one period of leavers; this one reads what the
disclosure package hands leadership over a run of released quarters, all together:

- each quarter's radar by department and by job family, of leavers, of stay interviews and of both
  added up, with small groups shown only in their pools (pools.py, from headcounts);
- every shown count, the would-return share and eNPS where they show, the would-return bands, the
  whole organisation's average scores where they show, the one-word "hidden" (which says nothing of
  why, but the rules are public: a group with nobody shows 0, so a hidden group has someone);
- "did it work?" for an action on every group and theme (and the whole organisation), done in each of
  two places in the run: its verdict and what the page shows of its evidence (the pooled sides of
  leavers or stay interviews raising the theme, or the turnover table's leavers from-to, and the
  turnover verdict read as an inequality between the two sides' true leavers per person-year).

The unknowns are the people per (department, job family) pair in each quarter, of leavers and of stay
interviews, with their themes, answers and scores, as in the single-period audit; the quarters are
tied together only by the verdicts. For every count of 1..k-1 (a group's, a pool's, a theme's, an
answer's, a score's, of leavers, stay interviews or both) the linear program's minimum and maximum
must reach 0 or k. `python -m bench leadership-audit --seeds N` runs it on more organisations.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import highspy
import numpy as np
import pytest
from test_disclosure_audit import (
    ANSWER_NAMES,
    SCORE_VALUES,
    TOLERANCE,
    Leaver,
    Narrowed,
    Organisation,
    demo_quarters,
    recommend_answer,
    released_period,
    with_answers,
)

from actiontrack.disclosure.effects import Evidence, Verdict, action_effect
from actiontrack.disclosure.periods import PeriodSpan, parse_key, period_containing, period_months
from actiontrack.disclosure.pools import pools_of, recommended_min_headcount
from actiontrack.disclosure.release import GroupFigures, ReleasedPeriod, period_table
from actiontrack.disclosure.suppression import GROUPINGS
from actiontrack.disclosure.tables import Radar
from actiontrack.disclosure.views import Disclosed, disclosed_sources, released_radar
from actiontrack.models import SCORE_QUESTIONS, STAY_SCORE_QUESTIONS

SOURCES = ("exit", "stay")
SCORES = {"exit": SCORE_QUESTIONS, "stay": STAY_SCORE_QUESTIONS}
MIN_LEAVERS = (10, 3)  # the default minimum for a verdict, and a low one that gives more verdicts


@dataclass(frozen=True)
class Quarter:
    span: PeriodSpan
    leavers: list[Leaver]  # scores in SCORE_QUESTIONS' order
    stays: list[Leaver]  # people in stay interviews: themes and scores (in STAY_SCORE_QUESTIONS' order)


@dataclass(frozen=True)
class History:
    """An organisation over a run of released quarters, as leadership is shown it."""

    departments: dict[int, int]  # id -> headcount
    job_families: dict[int, int]
    theme_ids: list[int]
    threshold: int
    pool_size: int
    quarters: list[Quarter]
    name: str = ""

    def rows(self, grouping: str) -> list[Any]:
        groups = self.departments if grouping == "department" else self.job_families
        return [SimpleNamespace(id=group, name=str(group), active=True, headcount=headcount)
                for group, headcount in groups.items()]


def released(history: History, index: int) -> ReleasedPeriod:
    """Quarter `index` as the release freezes it: leavers, stay interviews and pools."""
    quarter = history.quarters[index]
    exits = released_period(Organisation(quarter.leavers, list(history.departments), list(history.job_families),
                                         history.theme_ids, history.threshold))
    groups = {key: dataclasses.replace(figures, headcount=(history.departments if key[0] == "department"
                                                           else history.job_families).get(key[1]))
              for key, figures in exits.groups.items()}
    stay_groups: dict[tuple[str, int], GroupFigures] = {}
    stay_raised: dict[tuple[str, int, int], int] = {}
    for grouping in GROUPINGS:
        members: dict[int, list[Leaver]] = {}
        for person in quarter.stays:
            members.setdefault(getattr(person, grouping), []).append(person)
        for group, people in members.items():
            stay_groups[grouping, group] = GroupFigures(
                leavers=len(people), headcount=None,
                score_sums={name: sum(person.scores[place] for person in people)
                            for place, name in enumerate(STAY_SCORE_QUESTIONS)},
                would_return=0, promoters=0, detractors=0)
            for person in people:
                for theme in person.themes:
                    stay_raised[grouping, group, theme] = stay_raised.get((grouping, group, theme), 0) + 1
    pools = {grouping: pools_of(dict(history.departments if grouping == "department" else history.job_families),
                                min_headcount=history.pool_size) for grouping in GROUPINGS}
    pools = {grouping: found for grouping, found in pools.items() if found}
    stay = ReleasedPeriod(id=index + 1, span=quarter.span, table=period_table(stay_groups, stay_raised,
                                                                              history.theme_ids),
                          groups=stay_groups, pools=pools)
    return ReleasedPeriod(id=index + 1, span=quarter.span, table=exits.table, groups=groups, stay=stay, pools=pools)


@dataclass(frozen=True)
class Seen:
    """What leadership is shown: each quarter's radars per source and grouping, and the effects."""

    disclosed: list[Disclosed]
    radars: dict[tuple[int, str, str], Radar]  # (quarter, source, grouping)
    # grouping, group, theme, split, min, effect, headcount
    effects: list[tuple[str, int | None, int, int, int, Any, int | None]]


def seen_by_leadership(history: History) -> Seen:
    disclosed = [disclosed_sources(released(history, index), threshold=history.threshold)
                 for index in range(len(history.quarters))]
    themes = [SimpleNamespace(id=theme, active=True) for theme in history.theme_ids]
    radars = {}
    for index, period in enumerate(disclosed):
        for source in ("exit", "stay", "both"):
            for by in GROUPINGS:
                radars[index, source, by] = released_radar(
                    chosen=period.of_source(source), previous=None, by=by, group_rows=history.rows(by), themes=themes,
                    total_name="all", min_leavers=3, min_share=0.2)
    effects = []
    groups = [("department", None, None), *(("department", group, headcount)
                                            for group, headcount in history.departments.items()),
              *(("job_family", group, headcount) for group, headcount in history.job_families.items())]
    for split in range(1, len(history.quarters)):
        # Started and done early in quarter `split`: before it the quarters up to it, after it those past it.
        start = history.quarters[split].span.start
        for grouping, group, headcount in groups:
            for theme in history.theme_ids:
                for min_leavers in MIN_LEAVERS:
                    effect = action_effect(disclosed, grouping=grouping, group_id=group, theme_id=theme,
                                           started_on=start + timedelta(days=1), done_on=start + timedelta(days=2),
                                           target_share=None, min_leavers=min_leavers, delay_days=30,
                                           headcount=headcount)
                    effects.append((grouping, group, theme, split, min_leavers, effect, headcount))
    return Seen(disclosed, radars, effects)


class LeadershipProgram:
    """The linear program of everything leadership sees over the run of quarters."""

    def __init__(self, history: History, seen: Seen) -> None:
        self.history, self.seen, self.threshold = history, seen, history.threshold
        self.pairs = [(d, j) for d in history.departments for j in history.job_families]
        count = iter(range(1 << 30))
        self.x, self.y, self.answer, self.score = {}, {}, {}, {}
        for quarter in range(len(history.quarters)):
            for source in SOURCES:
                for pair in self.pairs:
                    self.x[quarter, source, pair] = next(count)
                    for theme in history.theme_ids:
                        self.y[quarter, source, pair, theme] = next(count)
                    for question in SCORES[source]:
                        for value in SCORE_VALUES:
                            self.score[quarter, source, pair, question, value] = next(count)
                for pair in self.pairs:
                    for name in ANSWER_NAMES:
                        self.answer[quarter, pair, name] = next(count)
        self.columns = next(count)
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.addVars(self.columns, np.zeros(self.columns), np.full(self.columns, highspy.kHighsInf))
        self.truth_point = self.true_point()
        self.cells = self.counts()
        self.truth = {key: round(float(self.truth_point[columns].sum())) for key, columns in self.cells.items()}
        self.add_what_a_person_is()
        for (quarter, source, by), radar in seen.radars.items():
            self.add_radar(quarter, source, by, radar, seen.disclosed[quarter].of_source(source))
        for effect in seen.effects:
            self.add_effect(*effect)

    # --- the unknowns -----------------------------------------------------------------------------

    def members(self, grouping: str | None, group: int | None, quarter: int) -> list[tuple[int, int]]:
        """The pairs of a group, a pool (a negative id) or the whole organisation (None)."""
        if grouping is None or group is None:
            return self.pairs
        place = 0 if grouping == "department" else 1
        if group < 1:
            inside = set(self.seen.disclosed[quarter].pool_members(grouping)[group])
            return [pair for pair in self.pairs if pair[place] in inside]
        return [pair for pair in self.pairs if pair[place] == group]

    def of(self, quarter: int, source: str, grouping: str | None, group: int | None, what: tuple) -> list[int]:
        """The unknowns a figure sums: what is ("group",), ("cell", theme), ("answer", name) or
        ("score", question, values); the source "both" sums leavers and stay interviews."""
        if source == "both":
            return [*self.of(quarter, "exit", grouping, group, what), *self.of(quarter, "stay", grouping, group, what)]
        pairs = self.members(grouping, group, quarter)
        if what[0] == "group":
            return [self.x[quarter, source, pair] for pair in pairs]
        if what[0] == "cell":
            return [self.y[quarter, source, pair, what[1]] for pair in pairs]
        if what[0] == "answer":
            return [self.answer[quarter, pair, what[1]] for pair in pairs] if source == "exit" else []
        return [self.score[quarter, source, pair, what[1], value] for pair in pairs for value in what[2]]

    def counts(self) -> dict[tuple, list[int]]:
        """Every count leadership must not narrow: of each group, pool and the whole organisation, per quarter and
        source (leavers, stay interviews, both), of people, themes, answers and scores."""
        found = {}
        for quarter in range(len(self.history.quarters)):
            groups: list[tuple[str | None, int | None]] = [(None, None)]
            for grouping, ids in (("department", self.history.departments), ("job_family", self.history.job_families)):
                groups += [(grouping, group) for group in ids]
                groups += [(grouping, pool) for pool in self.seen.disclosed[quarter].pool_members(grouping)]
            for source in ("exit", "stay", "both"):
                whats: list[tuple] = [("group",), *(("cell", theme) for theme in self.history.theme_ids)]
                if source == "exit":
                    whats += [("answer", name) for name in ANSWER_NAMES]
                if source != "both":
                    for question in SCORES[source]:
                        for value in SCORE_VALUES:
                            whats += [("score", question, (value,))]
                            if value < 5:
                                whats += [("score", question, SCORE_VALUES[:value])]
                            if value > 1:
                                whats += [("score", question, SCORE_VALUES[value - 1:])]
                for grouping, group in groups:
                    for what in whats:
                        found[quarter, source, grouping, group, what] = self.of(quarter, source, grouping, group, what)
        return found

    def true_point(self) -> np.ndarray:
        truth = np.zeros(self.columns)
        for quarter, period in enumerate(self.history.quarters):
            for source, people in (("exit", period.leavers), ("stay", period.stays)):
                for person in people:
                    pair = (person.department, person.job_family)
                    truth[self.x[quarter, source, pair]] += 1
                    for theme in person.themes:
                        truth[self.y[quarter, source, pair, theme]] += 1
                    for question, value in zip(SCORES[source], person.scores, strict=True):
                        truth[self.score[quarter, source, pair, question, value]] += 1
                    if source == "exit":
                        truth[self.answer[quarter, pair, "yes" if person.would_return else "not_yes"]] += 1
                        truth[self.answer[quarter, pair, recommend_answer(person.recommend)]] += 1
        return truth

    # --- what is seen -----------------------------------------------------------------------------

    def row(self, low: float, high: float, columns: list[int], weights: list[float] | None = None) -> None:
        weights = weights if weights is not None else [1.0] * len(columns)
        # The truth meets every row: else the program would read something other than the pages show.
        value = float(np.dot(self.truth_point[columns], weights))
        assert low - TOLERANCE <= value <= high + TOLERANCE, (low, value, high)
        self.highs.addRow(low, high, len(columns), np.array(columns, dtype=np.int32), np.array(weights))

    def add_what_a_person_is(self) -> None:
        """A theme raised at most once, one answer to each question and one score to each, per person."""
        inf = highspy.kHighsInf
        for (quarter, source, pair, _theme), column in self.y.items():
            self.row(-inf, 0.0, [column, self.x[quarter, source, pair]], [1.0, -1.0])
        for quarter in range(len(self.history.quarters)):
            for pair in self.pairs:
                for names in (("yes", "not_yes"), ("promoter", "passive", "detractor")):
                    self.row(0.0, 0.0, [*(self.answer[quarter, pair, name] for name in names),
                                        self.x[quarter, "exit", pair]], [*([1.0] * len(names)), -1.0])
                for source in SOURCES:
                    for question in SCORES[source]:
                        self.row(0.0, 0.0, [*(self.score[quarter, source, pair, question, value]
                                              for value in SCORE_VALUES), self.x[quarter, source, pair]],
                                 [*([1.0] * len(SCORE_VALUES)), -1.0])

    def equal(self, value: float, columns: list[int]) -> None:
        self.row(value, value, columns)

    def add_radar(self, quarter: int, source: str, by: str, radar: Radar, view: Disclosed) -> None:
        """One radar: shown counts exactly, rates and bands as what they imply; a hidden figure adds nothing."""
        for group in [*radar.groups, radar.total]:
            grouping = None if group.id is None else by
            if group.hidden:
                # The rules are no secret: a group with no one shows 0, so a hidden one has someone.
                self.row(1, highspy.kHighsInf, self.of(quarter, source, grouping, group.id, ("group",)))
                continue
            self.equal(group.leavers, self.of(quarter, source, grouping, group.id, ("group",)))
            if source == "exit":
                self.add_rates(quarter, grouping, group)
            for question in view.score_names:
                if group.shows(question) and group.leavers:
                    inside = self.members(grouping, group.id, quarter)
                    self.row(group.score_sums[question], group.score_sums[question],
                             [self.score[quarter, source, pair, question, value]
                              for pair in inside for value in SCORE_VALUES],
                             [float(value) for _pair in inside for value in SCORE_VALUES])
        for theme_row in radar.rows:
            for cell, group in [*zip(theme_row.cells, radar.groups, strict=True), (theme_row.total, radar.total)]:
                if not cell.hidden:
                    self.equal(cell.raised, self.of(quarter, source, None if group.id is None else by, group.id,
                                                    ("cell", theme_row.theme.id)))

    def add_rates(self, quarter: int, grouping: str | None, group: Any) -> None:
        yes = self.of(quarter, "exit", grouping, group.id, ("answer", "yes"))
        if group.shows("would_return"):
            self.equal(group.would_return, yes)
        if group.would_return_band is not None:
            everyone = self.of(quarter, "exit", grouping, group.id, ("group",))
            low, high = ((-highspy.kHighsInf, -1.0) if group.would_return_band == "under_half"
                         else (0.0, highspy.kHighsInf))
            self.row(low, high, yes + everyone, [2.0] * len(yes) + [-1.0] * len(everyone))
        if group.shows("enps"):
            promoters = self.of(quarter, "exit", grouping, group.id, ("answer", "promoter"))
            detractors = self.of(quarter, "exit", grouping, group.id, ("answer", "detractor"))
            self.row(group.promoters - group.detractors, group.promoters - group.detractors,
                     promoters + detractors, [1.0] * len(promoters) + [-1.0] * len(detractors))

    def add_effect(self, grouping: str, group: int | None, theme: int, split: int, _min_leavers: int, effect: Any,
                   headcount: int | None) -> None:
        """What an action's page shows of its effect: the sides it pooled, or its turnover table and verdict."""
        grouping_of = None if group is None else grouping
        source = "stay" if effect.evidence == Evidence.STAY_THEMES else "exit"
        for side in (effect.before, effect.after):
            if side is None or not side.periods:
                continue
            spans = [self.quarter_of(span) for span in side.periods]
            self.equal(side.leavers, [c for q in spans for c in self.of(q, source, grouping_of, group, ("group",))])
            self.equal(side.raised, [c for q in spans for c in self.of(q, source, grouping_of, group,
                                                                          ("cell", theme))])
        if effect.evidence == Evidence.TURNOVER:
            before, after = effect.turnover
            sums = []
            for side in (before, after):
                columns = [column for span in side.periods
                           for column in self.of(self.quarter_of(span), "exit", grouping_of, group, ("group",))]
                self.row(side.leavers_low, highspy.kHighsInf if side.leavers_high is None else side.leavers_high,
                         columns)
                sums.append(columns)
            # The verdict as a statement on true leavers per person-year: improving, after <= 4/5 of before.
            years = [side.person_years for side in (before, after)]
            weights = ([-0.8 / years[0]] * len(sums[0]) + [1 / years[1]] * len(sums[1])
                       if effect.verdict == Verdict.IMPROVING else
                       [1.2 / years[0]] * len(sums[0]) + [-1 / years[1]] * len(sums[1]))
            self.row(-highspy.kHighsInf, 0.0, sums[0] + sums[1], weights)

    def quarter_of(self, span: PeriodSpan) -> int:
        return next(index for index, quarter in enumerate(self.history.quarters) if quarter.span == span)

    # --- the attack -------------------------------------------------------------------------------

    def solve(self, key: tuple, *, sense: int) -> tuple[float, np.ndarray | None]:
        """The minimum (sense 1) or maximum (-1) of a count and a point reaching it; a maximum without
        bound is infinite, with no point."""
        costs = np.zeros(self.columns)
        np.add.at(costs, self.cells[key], sense)
        self.highs.changeColsCost(self.columns, np.arange(self.columns, dtype=np.int32), costs)
        self.highs.run()
        status = self.highs.getModelStatus()
        unbounded = (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible)
        if sense < 0 and status in unbounded:
            return float("inf"), None
        assert status == highspy.HighsModelStatus.kOptimal, f"{key}: {self.highs.modelStatusToString(status)}"
        return sense * self.highs.getInfo().objective_function_value, np.array(self.highs.getSolution().col_value)


def audit_leadership(history: History) -> tuple[list[Narrowed], dict[str, Any]]:
    """Every count of 1..k-1 that what leadership sees over the run confines to 1..k-1, and what was checked."""
    seen = seen_by_leadership(history)
    program = LeadershipProgram(history, seen)
    threshold = history.threshold
    at_risk = {key for key, value in program.truth.items() if 0 < value < threshold and program.cells[key]}

    def rule_out(found: np.ndarray | None) -> None:
        if found is None:
            return
        for key in list(at_risk):
            value = float(found[program.cells[key]].sum())
            if value <= TOLERANCE or value >= threshold - TOLERANCE:
                at_risk.discard(key)

    narrowed, solves = [], 0
    checked = len(at_risk)
    for key in sorted(at_risk, key=repr):
        if key not in at_risk:
            continue
        low, found = program.solve(key, sense=1)
        solves += 1
        rule_out(found)
        if key not in at_risk:
            continue
        high, found = program.solve(key, sense=-1)
        solves += 1
        rule_out(found)
        if high == float("inf"):
            at_risk.discard(key)
        if key in at_risk:
            narrowed.append(Narrowed(key=key, value=program.truth[key], low=low, high=high))
    verdicts = [effect for *_rest, effect, _headcount in seen.effects if effect.measured]
    return narrowed, {
        "counts": checked, "solves": solves, "columns": program.columns, "rows": program.highs.getNumRow(),
        "verdicts": len(verdicts),
        "by_evidence": {evidence.value: sum(effect.evidence == evidence for effect in verdicts)
                        for evidence in Evidence},
        "pools": sum(len(seen.disclosed[0].pool_members(grouping)) for grouping in GROUPINGS),
    }


def assert_leadership_learns_nothing(history: History) -> dict[str, Any]:
    narrowed, checked = audit_leadership(history)
    assert not narrowed, (
        f"{history.name} (k={history.threshold}, pools of {history.pool_size}): counts leadership narrows to "
        f"1..k-1 ({len(narrowed)}):\n" + "\n".join(
            f"  {figure.key}: true {figure.value}, attacker knows {figure.low:g}..{figure.high:g}"
            for figure in narrowed[:40]))
    return checked


# --- organisations ----------------------------------------------------------------------------------

QUARTERS = [period_containing(date(2025, 7, 1), length="quarter")]
for _ in range(3):
    QUARTERS.append(QUARTERS[-1].next())


def random_history(seed: int, *, quarters: int = 4) -> History:
    """A company of 100 to 5,000 people over `quarters` quarters: departments and job families with
    headcounts (a few big, a tail of small ones), leavers at 5 to 30 % a year per department (from the
    third quarter on, a fifth or three times that in some), stay
    interviews in some departments, themes from rare to common, answers and scores as in the
    single-period audit, and pools of a size drawn from none, the recommended one and fixed ones."""
    rng = random.Random(seed)
    people = rng.randint(100, 5000)
    threshold = rng.choice((3, 5, 5))
    department_ids = list(range(1, rng.choice((2, 3, 4, 6, 8, 12)) + 1))
    family_ids = list(range(101, 101 + rng.choice((1, 2, 3, 5, 8))))
    theme_ids = list(range(201, 201 + rng.randint(1, 6)))

    def split(ids: list[int]) -> dict[int, int]:
        weights = [rng.paretovariate(1.0) for _ in ids]
        return {group: max(1, round(people * weight / sum(weights)))
                for group, weight in zip(ids, weights, strict=True)}

    departments, job_families = split(department_ids), split(family_ids)
    mixes = {d: [job_families[j] * (0.0 if rng.random() < 0.3 else 1.0) for j in family_ids] for d in department_ids}
    for mix in mixes.values():
        if not any(mix):
            mix[0] = 1.0
    rate = {d: rng.uniform(0.05, 0.3) for d in department_ids}
    # From the third quarter on some departments lose people much faster or slower: turnover verdicts.
    change = {d: rng.choice((0.2, 1.0, 1.0, 3.0)) for d in department_ids}
    prevalence = {theme: rng.choice((0.02, 0.1, 0.3, 0.6)) for theme in theme_ids}
    stay_share = {d: rng.choice((0.0, 0.0, 0.03, 0.1, 0.3)) for d in department_ids}
    made = []
    for index in range(quarters):
        leavers, stays = [], []
        for department in department_ids:
            expected = departments[department] * rate[department] / 4 * (change[department] if index >= 2 else 1.0)
            # Poisson by counting exponential gaps: no numpy generator, so a seed gives the same history anywhere.
            number, clock = 0, rng.expovariate(1.0)
            while clock < expected:
                number, clock = number + 1, clock + rng.expovariate(1.0)
            for _ in range(number):
                leavers.append(Leaver(department, rng.choices(family_ids, mixes[department])[0],
                                      frozenset(theme for theme in theme_ids if rng.random() < prevalence[theme])))
            for _ in range(round(departments[department] * stay_share[department] * rng.uniform(0, 0.5))):
                stays.append(Leaver(department, rng.choices(family_ids, mixes[department])[0],
                                    frozenset(theme for theme in theme_ids if rng.random() < prevalence[theme] / 2),
                                    scores=tuple(rng.randint(1, 5) for _ in STAY_SCORE_QUESTIONS)))
        organisation = with_answers(Organisation(leavers, department_ids, family_ids, theme_ids, threshold), seed)
        made.append(Quarter(QUARTERS[index], organisation.leavers, stays))
    yearly = round(sum(len(quarter.leavers) for quarter in made) * 4 / quarters)
    recommended = recommended_min_headcount(yearly_leavers=yearly, headcount=people, months=3, threshold=threshold)
    pool_size = rng.choice((0, recommended, recommended, 60, 300))
    return History(departments, job_families, theme_ids, threshold, pool_size, made, name=f"random_history({seed})")


def demo_history(url: str) -> History:
    """The demo organisation's last four quarters with leavers, pooled as the product recommends."""
    from actiontrack.models import Department, JobFamily, StayInterview, StayInterviewTheme

    from conftest import rows

    quarters = demo_quarters(url)[-4:]
    departments = {row.id: row.headcount for row in rows(url, Department)}
    job_families = {row.id: row.headcount for row in rows(url, JobFamily)}
    stay_themes: dict[int, set[int]] = {}
    for tag in rows(url, StayInterviewTheme):
        stay_themes.setdefault(tag.stay_interview_id, set()).add(tag.theme_id)
    stays: dict[PeriodSpan, list[Leaver]] = {}
    for stay in rows(url, StayInterview):
        stays.setdefault(period_containing(stay.held_on, length="quarter"), []).append(Leaver(
            stay.department_id, stay.job_family_id, frozenset(stay_themes.get(stay.id, ())),
            scores=tuple(getattr(stay, name) for name in STAY_SCORE_QUESTIONS)))
    made = []
    for key, organisation in quarters:
        span = parse_key(key, length="quarter")
        made.append(Quarter(span, organisation.leavers, stays.get(span, [])))
    theme_ids = quarters[0][1].theme_ids
    yearly = sum(len(quarter.leavers) for quarter in made)
    size = recommended_min_headcount(yearly_leavers=yearly, headcount=sum(departments.values()), months=3,
                                     threshold=5)
    return History(departments, job_families, theme_ids, 5, size, made, name="the demo organisation")


def test_the_quarters_run_on():
    assert [period_months(q.start, q.end) for q in QUARTERS] == [3] * 4
    assert all(later.start == earlier.next().start for earlier, later in itertools.pairwise(QUARTERS))


@pytest.mark.parametrize("seed", range(12))
def test_leadership_narrows_no_count_over_quarters_in_a_company_of_100_to_5000(seed):
    assert_leadership_learns_nothing(random_history(seed))


def test_leadership_narrows_no_count_of_the_demo_organisation(database_url: str) -> None:
    checked = assert_leadership_learns_nothing(demo_history(database_url))
    assert checked["verdicts"] > 0 and checked["counts"] > 0


def test_hidden_groups_that_could_not_each_reach_k_with_the_others_at_one_are_protected():
    # Three departments of 2 leavers, hidden, beside one of 20: hidden together 6, at least k. Yet each
    # hidden department has someone (a group with nobody shows 0), so each holds 1 to 6 - 2 = 4.
    made = [Quarter(QUARTERS[0], [Leaver(department, 101, frozenset()) for department, number
                                  in ((1, 2), (2, 2), (3, 2), (4, 20)) for _ in range(number)], [])]
    history = History({1: 30, 2: 30, 3: 30, 4: 300}, {101: 390}, [201], 5, 0, made, name="three twos")
    assert audit_leadership(history)[0] == []


def test_the_audit_reads_the_turnover_table_and_pins_a_count_an_exact_rate_would_give_away():
    # Department 1 (40 people): 12 leavers, then 2, then none; department 2: 0, then 3; department 3: 20 each
    # quarter. An action of department 1 done in the third quarter: before, the first two; after, the fourth.
    def people(department: int, number: int) -> list[Leaver]:
        return [Leaver(department, 101, frozenset()) for _ in range(number)]

    made = [Quarter(QUARTERS[0], people(1, 12) + people(3, 20), []),
            Quarter(QUARTERS[1], people(1, 2) + people(2, 3) + people(3, 20), []),
            Quarter(QUARTERS[2], people(3, 20), []), Quarter(QUARTERS[3], people(3, 20), [])]
    history = History({1: 40, 2: 200, 3: 900}, {101: 1140}, [201], 5, 0, made, name="turnover")
    seen = seen_by_leadership(history)
    turnover = [effect for grouping, group, _theme, split, _min, effect, _headcount in seen.effects
                if (grouping, group, split) == ("department", 1, 2) and effect.evidence == Evidence.TURNOVER]
    assert turnover and turnover[0].verdict == Verdict.IMPROVING
    assert (turnover[0].turnover[0].leavers_low, turnover[0].turnover[0].leavers_high) == (13, 35)
    assert audit_leadership(history)[0] == []
    # The page showing the exact turnover before (14 leavers in two quarters) pins the hidden 2.
    program = LeadershipProgram(history, seen)
    program.equal(14, [column for quarter in (0, 1) for column in program.of(quarter, "exit", "department", 1,
                                                                                 ("group",))])
    key = (1, "exit", "department", 1, ("group",))
    assert (program.solve(key, sense=1)[0], program.solve(key, sense=-1)[0]) == (2, 2)


def run_seeds(seeds: int) -> None:
    """For bench: the audit over `seeds` random histories, with what it checked and how long it took."""
    started = time.perf_counter()
    for seed in range(seeds):
        history = random_history(seed)
        began = time.perf_counter()
        narrowed, checked = audit_leadership(history)
        people = sum(history.departments.values())
        print(f"seed {seed}: {people:,} people, {len(history.departments)} departments, "
              f"{len(history.job_families)} job families, pools of {history.pool_size} ({checked['pools']}), "
              f"{checked['counts']} counts of 1..k-1, {checked['verdicts']} verdicts {checked['by_evidence']}, "
              f"{checked['solves']} solves on {checked['columns']:,} unknowns: "
              f"{'LEAK ' + str(len(narrowed)) if narrowed else 'nothing narrowed'} "
              f"({time.perf_counter() - began:.1f} s)", flush=True)
        for figure in narrowed[:10]:
            print(f"  {figure.key}: true {figure.value}, attacker knows {figure.low:g}..{figure.high:g}")
    print(f"{seeds} histories in {time.perf_counter() - started:.1f} s")
