"""Proof by audit: no figure that suppression hides can be worked out to 1..k-1 from what it shows.

The attacker of this module knows every shown figure of a period exactly and nothing else. The
unknowns are the leavers per (department, job family) pair, x, and the leavers of each pair who
raised each theme, y, with 0 <= y <= x. Every shown figure is a sum of x or of y, so it becomes an
equality of a linear program; for every hidden figure the program's minimum and maximum bound
what the attacker can learn about it. Because the program holds all shown figures at once, it
covers every derivation by hand: differences of two shown figures, row and column sums, a total
minus its shown parts, and the same figures seen through the other grouping.

The program is the LP relaxation (fractional leavers allowed); it answers in milliseconds where the
integer program does not, and the two agree on the bounds of x (a transportation problem).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import highspy
import numpy as np
import pytest

from actiontrack.disclosure.suppression import (
    TOTAL,
    Hidden,
    PeriodTable,
    Suppression,
    cell_key,
    group_key,
    suppress_period,
    theme_key,
)

# Bounds within this of 0 or k count as reaching them: HiGHS' feasibility tolerance is 1e-7.
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Leaver:
    """One leaver of the microdata: their department, job family and the themes they raised."""

    department: int
    job_family: int
    themes: frozenset[int]


@dataclass(frozen=True)
class Organisation:
    """The microdata of one period and the threshold it is released under."""

    leavers: list[Leaver]
    departments: list[int]
    job_families: list[int]
    theme_ids: list[int]
    threshold: int


@dataclass(frozen=True)
class Narrowed:
    """A hidden figure whose value the shown figures confine to a range the threshold forbids."""

    key: tuple
    value: int
    low: float
    high: float


def period_table(organisation: Organisation) -> PeriodTable:
    """The true figures of the organisation, as the release builds them from the database."""
    leavers: dict[tuple[str, int], int] = {}
    raised: dict[tuple[str, int, int], int] = {}
    theme_totals: dict[int, int] = {}
    for leaver in organisation.leavers:
        for group in (("department", leaver.department), ("job_family", leaver.job_family)):
            leavers[group] = leavers.get(group, 0) + 1
            for theme in leaver.themes:
                raised[(*group, theme)] = raised.get((*group, theme), 0) + 1
        for theme in leaver.themes:
            theme_totals[theme] = theme_totals.get(theme, 0) + 1
    return PeriodTable(
        groups={"department": organisation.departments, "job_family": organisation.job_families},
        theme_ids=organisation.theme_ids,
        leavers=leavers,
        raised=raised,
        total=len(organisation.leavers),
        theme_totals=theme_totals,
    )


class AttackerProgram:
    """The linear program of everything an attacker knows about the microdata of one period."""

    def __init__(self, table: PeriodTable, hidden: dict[tuple, Hidden], *, integral: bool = False) -> None:
        departments = list(table.groups["department"])
        job_families = list(table.groups["job_family"])
        themes = list(table.theme_ids)
        pairs = [(department, job_family) for department in departments for job_family in job_families]
        x = {pair: index for index, pair in enumerate(pairs)}
        y = {(*pair, theme): len(pairs) + index
             for index, (pair, theme) in enumerate((pair, theme) for pair in pairs for theme in themes)}
        self.columns = len(x) + len(y)

        # Every figure of the period as the microdata cells it sums.
        self.cells: dict[tuple, list[int]] = {TOTAL: list(x.values())}
        for department in departments:
            self.cells[group_key("department", department)] = [x[department, j] for j in job_families]
            for theme in themes:
                self.cells[cell_key("department", department, theme)] = [y[department, j, theme] for j in job_families]
        for job_family in job_families:
            self.cells[group_key("job_family", job_family)] = [x[d, job_family] for d in departments]
            for theme in themes:
                self.cells[cell_key("job_family", job_family, theme)] = [y[d, job_family, theme] for d in departments]
        for theme in themes:
            self.cells[theme_key(theme)] = [y[(*pair, theme)] for pair in pairs]

        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        infinity = highspy.kHighsInf
        self.highs.addVars(self.columns, np.zeros(self.columns), np.full(self.columns, infinity))
        if integral:
            self.highs.changeColsIntegrality(self.columns, np.arange(self.columns, dtype=np.int32),
                                             np.full(self.columns, highspy.HighsVarType.kInteger))
            self.highs.setOptionValue("mip_rel_gap", 0.0)
        # A leaver raises a theme at most once: y <= x.
        for (department, job_family, _theme), column in y.items():
            self.highs.addRow(-infinity, 0.0, 2, np.array([column, x[department, job_family]], dtype=np.int32),
                              np.array([1.0, -1.0]))
        # Every shown figure, exactly; the program then knows every sum and difference of shown figures
        # (row and column sums, a total minus its shown parts) without listing them. The share R/L of
        # a shown group adds nothing: R and L are shown, and a hidden R is shown as no share at all.
        for key, value in table.values().items():
            if key not in hidden:
                columns = self.cells[key]
                self.highs.addRow(value, value, len(columns), np.array(columns, dtype=np.int32),
                                  np.ones(len(columns)))

    def solve(self, key: tuple, *, sense: int) -> tuple[float, np.ndarray]:
        """The minimum (sense 1) or maximum (sense -1) of a figure, and a microdata point reaching it."""
        costs = np.zeros(self.columns)
        costs[self.cells[key]] = sense
        self.highs.changeColsCost(self.columns, np.arange(self.columns, dtype=np.int32), costs)
        self.highs.run()
        status = self.highs.getModelStatus()
        # The true microdata satisfy every row, so anything but optimal is a bug in this module.
        assert status == highspy.HighsModelStatus.kOptimal, f"{key}: {self.highs.modelStatusToString(status)}"
        return sense * self.highs.getInfo().objective_function_value, np.array(self.highs.getSolution().col_value)

    def figure(self, key: tuple, point: np.ndarray) -> float:
        """The value of a figure at a microdata point."""
        return float(point[self.cells[key]].sum())


def audit(table: PeriodTable, suppression: Suppression, *, threshold: int, integral: bool = False) -> list[Narrowed]:
    """Every hidden figure of 1..k-1 leavers that the shown figures confine to 1..k-1.

    A hidden figure whose range reaches 0 or k is never pinned, so this also finds every hidden
    figure of 1..k-1 whose minimum equals its maximum; a pinned hidden figure of k or more is allowed.
    """
    values = table.values()
    at_risk = {key for key in suppression.hidden if 0 < values[key] < threshold}
    if not at_risk:
        return []
    program = AttackerProgram(table, suppression.hidden, integral=integral)

    def rule_out(point: np.ndarray) -> None:
        # Every solution is a world the attacker cannot exclude: a figure that is 0 or at least k in
        # one of them is safe, which spares most of the solves.
        for key in list(at_risk):
            value = program.figure(key, point)
            if value <= TOLERANCE or value >= threshold - TOLERANCE:
                at_risk.discard(key)

    narrowed = []
    for key in sorted(at_risk):
        if key not in at_risk:
            continue
        low, point = program.solve(key, sense=1)
        rule_out(point)
        if key not in at_risk:
            continue
        high, point = program.solve(key, sense=-1)
        rule_out(point)
        if key in at_risk:
            narrowed.append(Narrowed(key=key, value=values[key], low=low, high=high))
    return narrowed


def random_organisation(seed: int) -> Organisation:
    """A small organisation with skewed groups, empty groups and rare themes, the same for a seed."""
    rng = random.Random(seed)
    threshold = rng.choice((3, 5))
    departments = list(range(1, rng.choice((1, 2, 3, 4, 5, 6, 8, 12)) + 1))
    job_families = list(range(101, 101 + rng.choice((1, 2, 3, 4, 5, 6, 8, 12))))
    theme_ids = list(range(201, 201 + rng.randint(1, 10)))
    size = rng.choice((rng.randint(1, 12), rng.randint(5, 40), rng.randint(20, 120)))
    # Pareto weights make a few big groups and a tail of tiny ones; a zero weight an empty group.
    department_weights = [0.0 if rng.random() < 0.1 else rng.paretovariate(1.0) for _ in departments]
    if not any(department_weights):
        department_weights[0] = 1.0
    # Job families either follow departments (each department has its own mix) or cut across them.
    mixes = {
        department: [0.0 if rng.random() < 0.3 else rng.paretovariate(1.0) for _ in job_families]
        for department in departments
    }
    for mix in mixes.values():
        if not any(mix):
            mix[rng.randrange(len(mix))] = 1.0
    # Themes from very rare to very common, a little more or less common in each department.
    prevalence = {theme: rng.choice((0.01, 0.03, 0.1, 0.2, 0.4, 0.7)) for theme in theme_ids}
    leaning = {(department, theme): rng.uniform(0.3, 1.7) for department in departments for theme in theme_ids}
    leavers = []
    for _ in range(size):
        department = rng.choices(departments, department_weights)[0]
        job_family = rng.choices(job_families, mixes[department])[0]
        themes = frozenset(theme for theme in theme_ids
                           if rng.random() < min(1.0, prevalence[theme] * leaning[department, theme]))
        leavers.append(Leaver(department, job_family, themes))
    return Organisation(leavers, departments, job_families, theme_ids, threshold)


def random_all_or_none_organisation(seed: int) -> Organisation:
    """A tiny organisation where whole groups raise a theme or none do, the same for a seed.

    A figure that equals its group's leavers, or is 0, tells the attacker that every leaver of the
    group, or none, raised the theme; across both groupings that pins where leavers are.
    """
    rng = random.Random(seed)
    threshold = rng.choice((3, 3, 5))
    departments = list(range(1, rng.randint(2, 5) + 1))
    job_families = list(range(101, 101 + rng.randint(1, 5)))
    theme_ids = list(range(201, 201 + rng.randint(1, 3)))
    size = rng.randint(2, 25)
    department_weights = [rng.paretovariate(0.8) for _ in departments]
    mixes = {department: [0.0 if rng.random() < 0.5 else rng.paretovariate(0.8) for _ in job_families]
             for department in departments}
    for mix in mixes.values():
        if not any(mix):
            mix[rng.randrange(len(mix))] = 1.0
    chance = {(department, job_family, theme): rng.choice((0.0, 0.0, 1.0, 1.0, 0.5, 0.2))
              for department in departments for job_family in job_families for theme in theme_ids}
    leavers = []
    for _ in range(size):
        department = rng.choices(departments, department_weights)[0]
        job_family = rng.choices(job_families, mixes[department])[0]
        themes = frozenset(theme for theme in theme_ids if rng.random() < chance[department, job_family, theme])
        leavers.append(Leaver(department, job_family, themes))
    return Organisation(leavers, departments, job_families, theme_ids, threshold)


def organisation(threshold: int, *rows: tuple[int, int, set[int], int], departments: list[int] | None = None,
                 job_families: list[int] | None = None, theme_ids: list[int] | None = None) -> Organisation:
    """A hand-made organisation from (department, job family, themes, how many leavers) rows."""
    leavers = [Leaver(department, job_family, frozenset(themes))
               for department, job_family, themes, count in rows for _ in range(count)]
    return Organisation(
        leavers,
        departments or sorted({leaver.department for leaver in leavers}),
        job_families or sorted({leaver.job_family for leaver in leavers}),
        theme_ids or sorted({theme for leaver in leavers for theme in leaver.themes}),
        threshold,
    )


def assert_nothing_narrowed(organisation: Organisation, *, name: str, integral: bool = False) -> Suppression:
    """Suppress the organisation's period and fail, saying how to reproduce, if anything leaks."""
    table = period_table(organisation)
    suppression = suppress_period(table, threshold=organisation.threshold)
    values = table.values()
    # The audit only looks at hidden figures, so first: nothing of 1..k-1 is shown.
    shown_small = [key for key, value in values.items()
                   if 0 < value < organisation.threshold and key not in suppression.hidden]
    assert not shown_small, f"{name}: shown below k={organisation.threshold}: {shown_small}"
    narrowed = audit(table, suppression, threshold=organisation.threshold, integral=integral)
    assert not narrowed, (
        f"{name} (k={organisation.threshold}, {len(organisation.leavers)} leavers): hidden figures worked out "
        "to 1..k-1 from the shown ones:\n"
        + "\n".join(f"  {figure.key}: true {figure.value}, attacker knows {figure.low:g}..{figure.high:g}"
                    for figure in narrowed)
        + "\nfigures (value, why hidden):\n"
        + "\n".join(f"  {key}: {value} {suppression.hidden.get(key, '')}" for key, value in values.items())
    )
    return suppression


# Leaks across the two groupings that the rules alone let through, before suppress_period got its
# safety net (a witness per hidden small figure): figures equal to their group's leavers (or 0) in
# one grouping pin which leavers of the other grouping raised a theme, and a protector then has no
# room left. Kept as regressions.
ACROSS_GROUPINGS = (6732, 7069, 8201, 8857, 12247, 12504, 13095, 18338)
# Leaks the audit found before protectors needed room (a protector its whole group raised hides
# nothing); kept as regressions.
ROOMLESS_PROTECTORS = (230, 1032, 3377, 5968, 6567, 6641, 7181, 7511, 8004, 8111, 9033, 9607, 10137, 10484, 10726, 10737, 11488, 12078, 13455, 14638, 14888, 16118)


@pytest.mark.parametrize("seed", range(300))
def test_no_hidden_figure_can_be_narrowed_below_threshold(seed):
    assert_nothing_narrowed(random_organisation(seed), name=f"random_organisation({seed})")


@pytest.mark.parametrize("seed", [*range(600), *ACROSS_GROUPINGS, *ROOMLESS_PROTECTORS])
def test_all_or_none_themes_cannot_narrow_a_hidden_figure(seed):
    assert_nothing_narrowed(random_all_or_none_organisation(seed), name=f"random_all_or_none_organisation({seed})")


TRICKY = {
    "one department of one leaver": organisation(
        3, (1, 101, {201}, 1), (2, 101, {201, 202}, 3), (2, 102, {202}, 3), (3, 102, set(), 5)),
    "two small departments summing to k-1": organisation(
        5, (1, 101, {201}, 2), (2, 102, {201}, 2), (3, 101, {202}, 8), (4, 102, {201, 202}, 6)),
    "a theme raised by one leaver company-wide": organisation(
        3, (1, 101, {201, 203}, 1), (1, 101, {201}, 4), (2, 102, {202}, 6), (3, 101, set(), 4)),
    "a job family cutting across departments": organisation(
        3, (1, 101, {201}, 1), (2, 101, set(), 1), (3, 101, {202}, 1), (4, 101, {201}, 1),
        (1, 102, {201}, 4), (2, 102, {202}, 5), (3, 103, {201, 202}, 4), (4, 103, set(), 6)),
    "fewer leavers than k": organisation(3, (1, 101, {201}, 1), (2, 102, {201, 202}, 1)),
    # random_all_or_none_organisation(7069) and (18338): the rules alone let a figure be pinned
    # through the other grouping; the safety net hides more.
    "whole departments raising a theme pin job families": organisation(
        3, (2, 103, {201}, 3), (2, 104, {201}, 3), (1, 104, {202}, 1), (1, 102, {202}, 1), (1, 101, {202}, 2)),
    "a leaver who raised every theme alone in a job family": organisation(
        3, (4, 103, {203}, 1), (2, 103, {201, 202, 203}, 2), (4, 104, set(), 2), (1, 104, {201, 202}, 2),
        (3, 101, {201, 202, 203}, 1), (1, 104, {201}, 1)),
    "empty groups and a theme everyone raised": organisation(
        3, (1, 101, {201}, 4), (2, 102, {201}, 2), (3, 102, {201, 202}, 5),
        departments=[1, 2, 3, 4], job_families=[101, 102, 103], theme_ids=[201, 202, 203]),
}


@pytest.mark.parametrize("name", TRICKY)
def test_tricky_organisations_leak_nothing_even_to_an_integer_program(name):
    assert_nothing_narrowed(TRICKY[name], name=name)
    # Whole leavers only: the integer program can narrow more than its relaxation, and these are tiny.
    assert_nothing_narrowed(TRICKY[name], name=name, integral=True)


def test_audit_finds_a_small_department_given_away_by_the_total():
    table = period_table(organisation(3, (1, 101, set(), 1), (2, 101, set(), 4), (3, 102, set(), 5)))
    only_small = Suppression(hidden={group_key("department", 1): Hidden.SMALL})
    [narrowed] = audit(table, only_small, threshold=3)
    assert (narrowed.key, narrowed.low, narrowed.high) == (group_key("department", 1), 1, 1)


def test_audit_finds_a_theme_total_rebuilt_from_the_other_grouping():
    table = period_table(organisation(
        3, (1, 101, {201}, 1), (1, 101, set(), 4), (2, 101, {201}, 4), (2, 102, set(), 3)))
    # The theme's total is hidden, but the job families' figures add up to it.
    hidden = {cell_key("department", 1, 201): Hidden.SMALL, theme_key(201): Hidden.PROTECTED}
    [narrowed] = audit(table, Suppression(hidden=hidden), threshold=3)
    assert (narrowed.key, narrowed.low, narrowed.high) == (cell_key("department", 1, 201), 1, 1)
