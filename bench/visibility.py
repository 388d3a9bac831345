"""How much of the exit figures leadership can see, per period length, and how many leaks the audit finds.

    .venv/bin/python -m bench visibility [--organisations small,medium,large,dense]
                                         [--lengths quarter,half,year] [--poolings off,auto] [--threshold 5]
                                         [--audit-periods 40] [--seeds 5]

An organisation is `people:interviews:departments`, or one of the named sizes (SIZES: small is
600:225:8, dense 5,000 people with 100,000 interviews): exit interviews over three years (bench/generate.py
draws them: department sizes, job families, one to three themes per leaver with each department's own
leanings), scaled so the departments' headcounts add up to `people`. For each period length the
leavers are counted per released period exactly as the release freezes them (leavers per group,
leavers raising each theme per group, in the department view and the job-family view), and the
disclosure module's own suppression decides what leadership sees. A first period that the drawn
history covers only in part is left out. Each length is measured for each pooling of `--poolings`:
`off` (every group on its own) and `auto` (departments and job families smaller than the pooling size
the product recommends for the organisation's volume show in pools, disclosure/pools.py); `--pools`
is `--poolings auto`. Printed per length and pooling, with the setting the product recommends from
these figures (disclosure/lengths.recommend: the shortest meeting 90 % / 30 %) marked:

- whole-organisation theme figures shown: of the themes raised at least once in a period, the share
  whose organisation-wide count leadership sees;
- mentions visible in group columns: of all theme mentions counted in the department and job-family
  columns, the share in cells leadership sees;
- leaks: hidden figures of 1..k-1 leavers that the attacker's linear program of
  tests/test_disclosure_audit.py confines to 1..k-1, over the newest `--audit-periods` periods of
  each draw.

Each organisation is drawn `--seeds` times (seeds 1, 2, ...) and the periods of all draws counted together.

Nothing is written to a database: the figures are the release's counts computed in memory, so
100,000 interviews take seconds.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from actiontrack import clock
from actiontrack.demo.organisation import JOB_FAMILIES
from actiontrack.disclosure.lengths import LengthPreview, recommend
from actiontrack.disclosure.periods import MONTHS, PeriodSpan, due_periods, period_containing
from actiontrack.disclosure.pools import pool_table, pools_of, recommended_min_headcount
from actiontrack.disclosure.suppression import (
    GROUPINGS,
    PeriodTable,
    Suppression,
    cell_key,
    suppress_period,
    theme_key,
)
from bench.generate import Organisation as Generated

LENGTHS = ("quarter", "half", "year")
THEMES = list(range(1, 11))  # the ten seeded themes
RELEASE_DELAY_DAYS = 30
DATA_START_SLACK_DAYS = 7
# Named sizes: interviews over three years (a quarter of the people leave in a year at 5,000 people and
# 1,900 interviews; "dense" is the 100,000 interviews of the large bench database over 5,000 people).
SIZES = {"small": "600:225:8", "medium": "5000:1900:30", "large": "20000:100000:50", "dense": "5000:100000:50"}
DEFAULT_ORGANISATIONS = "small,medium,large,dense"
POOLINGS = ("off", "auto")


@dataclass(frozen=True)
class Spec:
    people: int
    interviews: int
    departments: int

    @classmethod
    def parse(cls, text: str) -> Spec:
        people, interviews, departments = (int(part) for part in SIZES.get(text, text).split(":"))
        return cls(people, interviews, departments)

    @property
    def label(self) -> str:
        return f"{self.people:,} people, {self.interviews:,} interviews, {self.departments} departments"


@dataclass(frozen=True)
class Drawn:
    """A generated organisation: its departments' headcounts and its exit interviews."""

    headcounts: dict[int, int]
    records: list[ExitRecord]


@dataclass(frozen=True)
class ExitRecord:
    exit_date: date
    department: int
    job_family: int
    themes: frozenset[int]


@dataclass
class Visibility:
    length: str
    seeds: int = 1
    pooling: str = "off"
    pooled: int = 0  # groups shown only in a pool (added up over the seeds)
    periods: int = 0
    theme_totals: int = 0
    theme_totals_shown: int = 0
    mentions: int = 0
    mentions_shown: int = 0
    audited: int = 0
    leaks: int = 0
    seconds: float = 0.0

    @property
    def totals_share(self) -> float:
        return self.theme_totals_shown / self.theme_totals if self.theme_totals else 1.0

    @property
    def mentions_share(self) -> float:
        return self.mentions_shown / self.mentions if self.mentions else 1.0


def draw(spec: Spec, *, seed: int, today: date) -> Drawn:
    """The generator's departments and exit interviews with their themes, drawn as bench.generate draws them."""
    generated = Generated(seed=seed, departments=spec.departments, theme_ids=THEMES, today=today)
    scale = spec.people / sum(generated.department_sizes)
    generated.department_sizes = [max(1, round(size * scale)) for size in generated.department_sizes]
    rows = list(generated.interviews(spec.interviews, job_families=len(JOB_FAMILIES)))
    themes: dict[int, set[int]] = defaultdict(set)
    for row in generated.interview_themes([(row["id"], row["department_id"]) for row in rows]):
        themes[row["interview_id"]].add(row["theme_id"])
    records = [ExitRecord(row["exit_date"], row["department_id"], row["job_family_id"],
                          frozenset(themes[row["id"]])) for row in rows]
    return Drawn(dict(zip(generated.department_ids, generated.department_sizes, strict=True)), records)


def covered_spans(records: list[ExitRecord], *, length: str, today: date) -> list[PeriodSpan]:
    """The released periods of that length that the drawn history covers whole."""
    first = min(record.exit_date for record in records)
    spans = due_periods(first_exit=first, today=today, length=length, delay_days=RELEASE_DELAY_DAYS)
    # The generated history starts on an arbitrary day: a first period the data cover only in part
    # (a year holding its last three weeks) says nothing about what the organisation would show.
    return [span for span in spans if span.start >= first - timedelta(days=DATA_START_SLACK_DAYS)]


def period_tables(records: list[ExitRecord], *, length: str, departments: int, today: date) -> list[PeriodTable]:
    """One table per released period, counted as the release counts them."""
    spans = covered_spans(records, length=length, today=today)
    by_span: dict[date, list[ExitRecord]] = defaultdict(list)
    for record in records:
        by_span[period_containing(record.exit_date, length=length).start].append(record)
    groups = {"department": list(range(1, departments + 1)), "job_family": list(range(1, len(JOB_FAMILIES) + 1))}
    tables = []
    for span in spans:
        leavers: dict[tuple[str, int], int] = defaultdict(int)
        raised: dict[tuple[str, int, int], int] = defaultdict(int)
        totals: dict[int, int] = defaultdict(int)
        members = by_span.get(span.start, [])
        for record in members:
            for grouping, group in zip(GROUPINGS, (record.department, record.job_family), strict=True):
                leavers[grouping, group] += 1
                for theme in record.themes:
                    raised[grouping, group, theme] += 1
            for theme in record.themes:
                totals[theme] += 1
        tables.append(PeriodTable(groups=groups, theme_ids=THEMES, leavers=dict(leavers), raised=dict(raised),
                                  total=len(members), theme_totals=dict(totals)))
    return tables


def count_shown(table: PeriodTable, suppression: Suppression, visibility: Visibility) -> None:
    values = table.values()
    for theme in table.theme_ids:
        if values[theme_key(theme)] > 0:
            visibility.theme_totals += 1
            visibility.theme_totals_shown += theme_key(theme) not in suppression.hidden
    for grouping, group_ids in table.groups.items():
        for group in group_ids:
            for theme in table.theme_ids:
                key = cell_key(grouping, group, theme)
                visibility.mentions += values[key]
                visibility.mentions_shown += values[key] if key not in suppression.hidden else 0


def attacker():
    """The audit's attacker (tests/test_disclosure_audit.py), so the bench counts leaks as the tests do.

    Imported when asked for: it needs highspy, a test dependency. `python -m bench` runs from the
    repository's root, so `tests` is importable like `bench`; the audit module imports the suite's
    helpers as `conftest`, as pytest puts the tests' folder on the path.
    """
    tests = str(Path(__file__).resolve().parent.parent / "tests")
    if tests not in sys.path:
        sys.path.append(tests)
    from tests.test_disclosure_audit import audit

    return audit


def measure(spec: Spec, *, length: str, threshold: int, audit_periods: int, pools: bool = False,
            seeds: int = 1, draws: dict[int, Drawn] | None = None) -> Visibility:
    """Every released period of `seeds` organisations drawn to the same spec, counted together
    (`draws`: the organisations already drawn, by seed, kept for the next measure)."""
    today = clock.today()
    visibility = Visibility(length=length, seeds=seeds, pooling="auto" if pools else "off")
    audit = attacker() if audit_periods else None
    draws = {} if draws is None else draws
    started = time.perf_counter()
    for seed in range(1, seeds + 1):
        if seed not in draws:
            draws[seed] = draw(spec, seed=seed, today=today)
        drawn = draws[seed]
        tables = period_tables(drawn.records, length=length, departments=spec.departments, today=today)
        if pools:
            # The pooling size the product recommends for the organisation's own volume; the
            # generator spreads leavers evenly over the job families, so they are of equal size.
            size = recommended_min_headcount(yearly_leavers=round(spec.interviews / 3), headcount=spec.people,
                                             months=MONTHS[length], threshold=threshold)
            job_families = dict.fromkeys(range(1, len(JOB_FAMILIES) + 1), spec.people // len(JOB_FAMILIES))
            chosen = {"department": pools_of(drawn.headcounts, min_headcount=size),
                      "job_family": pools_of(job_families, min_headcount=size)}
            tables = [pool_table(table, pools=chosen) for table in tables]
            visibility.pooled += sum(len(members) for members in chosen.values())
        visibility.periods += len(tables)
        for index, table in enumerate(tables):
            suppression = suppress_period(table, threshold=threshold)
            count_shown(table, suppression, visibility)
            if audit is not None and index >= len(tables) - audit_periods:
                visibility.audited += 1
                visibility.leaks += len(audit(table, suppression, threshold=threshold))
    visibility.seconds = time.perf_counter() - started
    return visibility


def recommended(results: list[Visibility]) -> Visibility | None:
    """The result of the setting the product would recommend from these shares (lengths.recommend)."""
    previews = [LengthPreview(result.length, (), 0, result.theme_totals, result.theme_totals_shown, result.mentions,
                              result.mentions_shown, pooling=result.pooling) for result in results]
    found = recommend(previews)
    return None if found is None else results[previews.index(found)]


def report(spec: Spec, results: list[Visibility], *, threshold: int) -> None:
    print(f"{spec.label}, k = {threshold}, {results[0].seeds} draws")
    print(f"  {'period':<9}{'pools':<6}{'pooled':>7}{'periods':>8}{'org-wide theme figures shown':>30}"
          f"{'mentions in group columns':>28}{'leaks':>7}{'audited':>9}{'seconds':>9}")
    best = recommended(results)
    for result in results:
        mark = "  <- recommended" if result is best else ""
        print(f"  {result.length:<9}{result.pooling:<6}{result.pooled:>7}{result.periods:>8}"
              f"{result.totals_share:>30.0%}{result.mentions_share:>28.0%}{result.leaks:>7}{result.audited:>9}"
              f"{result.seconds:>9.1f}{mark}")


def run(organisations: str, *, lengths: str, threshold: int, audit_periods: int, poolings: str, seeds: int) -> None:
    for text in organisations.split(","):
        spec = Spec.parse(text)
        draws: dict[int, Drawn] = {}
        results = [measure(spec, length=length, threshold=threshold, audit_periods=audit_periods,
                           pools=pooling == "auto", seeds=seeds, draws=draws)
                   for length in lengths.split(",") for pooling in poolings.split(",")]
        report(spec, results, threshold=threshold)
