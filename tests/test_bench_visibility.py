"""`python -m bench visibility` counts what leadership sees from the disclosure module's own suppression."""

from __future__ import annotations

from datetime import date

from actiontrack.disclosure.periods import period_containing
from actiontrack.disclosure.suppression import PeriodTable, Suppression, cell_key, suppress_period, theme_key
from bench.visibility import Spec, Visibility, count_shown, covered_spans, draw, measure, period_tables, recommended

TODAY = date(2026, 12, 7)


def test_every_mention_of_a_released_period_is_counted_once_per_grouping():
    records = draw(Spec(600, 225, 8), seed=3, today=TODAY).records
    tables = period_tables(records, length="year", departments=8, today=TODAY)
    released = {span.start for span in covered_spans(records, length="year", today=TODAY)}
    assert len(released) == len(tables) >= 2
    mentions = sum(len(r.themes) for r in records
                   if period_containing(r.exit_date, length="year").start in released)
    visibility = Visibility(length="year")
    for table in tables:
        count_shown(table, Suppression(), visibility)
    assert visibility.mentions == 2 * mentions  # the department view and the job-family view
    assert visibility.mentions_share == 1.0  # nothing hidden, everything counted as shown


def test_hidden_cells_and_totals_count_as_not_shown():
    table = PeriodTable(groups={"department": [1, 2], "job_family": [7]}, theme_ids=[10, 11],
                        leavers={("department", 1): 6, ("department", 2): 2, ("job_family", 7): 8},
                        raised={("department", 1, 10): 5, ("department", 2, 10): 2, ("job_family", 7, 10): 7,
                                ("department", 2, 11): 1, ("job_family", 7, 11): 1},
                        total=8, theme_totals={10: 7, 11: 1})
    suppression = suppress_period(table, threshold=5)
    visibility = Visibility(length="year")
    count_shown(table, suppression, visibility)
    assert theme_key(11) in suppression.hidden and cell_key("department", 2, 10) in suppression.hidden
    assert visibility.theme_totals == 2 and visibility.theme_totals_shown == 1
    assert visibility.mentions == 16
    assert visibility.mentions_shown == 16 - sum(
        table.values()[key] for key in suppression.hidden if key[0] == "cell")


def test_a_small_organisation_is_measured_without_leaks():
    result = measure(Spec(600, 225, 8), length="year", threshold=5, audit_periods=2, pools=True, seeds=2)
    assert result.periods == 4 and result.audited == 4 and result.pooled > 0
    assert result.leaks == 0
    assert 0.0 < result.mentions_share < 1.0 and 0.0 < result.totals_share <= 1.0


def test_at_600_people_the_recommended_setting_meets_the_goal_with_pools():
    """The product's recommendation from the organisation's own shares: at 600 people, yearly periods with pools."""
    draws: dict = {}  # each organisation drawn once for every setting
    results = [measure(Spec.parse("small"), length=length, threshold=5, audit_periods=0, pools=pooling == "auto",
                       seeds=2, draws=draws)
               for length in ("quarter", "half", "year") for pooling in ("off", "auto")]
    best = recommended(results)
    assert (best.length, best.pooling) == ("year", "auto")
    assert best.totals_share >= 0.9 and best.mentions_share >= 0.3
