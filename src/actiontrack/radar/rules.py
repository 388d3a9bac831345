"""What the radar's words mean: a period of exit dates, the default period, when a theme recurs,
and the groupings and sources a radar is counted by. No web, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from actiontrack.i18n import N_
from actiontrack.models import SCORE_QUESTIONS, STAY_SCORE_QUESTIONS

GROUPINGS = {"department": N_("Departments"), "job_family": N_("Job families")}
SOURCES = ("exit", "stay", "both")
SOURCE_LABELS = {"exit": N_("Exit interviews"), "stay": N_("Stay interviews"), "both": N_("Both")}
# The scores a source averages; none for both added up, as the two interviews ask different questions.
SCORE_NAMES: dict[str, tuple[str, ...]] = {"exit": SCORE_QUESTIONS, "stay": STAY_SCORE_QUESTIONS, "both": ()}
STAY_QUESTION_LABELS = {
    "growth_score": N_("Growth"),
    "recognition_score": N_("Recognition"),
    "manager_support_score": N_("Manager support"),
    "workload_score": N_("Workload"),
}
DEFAULT_MONTHS = 6


def is_recurring(raised: int, leavers: int, *, min_leavers: int, min_share: float) -> bool:
    """Recurring: raised by at least `min_leavers` leavers and at least `min_share` of the group's leavers."""
    return leavers > 0 and raised >= min_leavers and raised / leavers >= min_share


def add_months(day: date, months: int) -> date:
    """The same day some months later (or earlier), or the month's last day when it is shorter."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    next_month = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return date(year, month + 1, min(day.day, (next_month - timedelta(days=1)).day))


@dataclass(frozen=True)
class Period:
    """Exit dates from start to end, both included."""

    start: date
    end: date

    def months(self) -> int | None:
        """How many months the period spans when it is a run of whole months back from its end, else None."""
        after_end = self.end + timedelta(days=1)
        for months in range(1, 12 * 30):
            back = add_months(after_end, -months)
            if back == self.start:
                return months
            if back < self.start:
                return None
        return None

    def previous(self) -> Period:
        """The period of the same length just before: the 6 months before 6 months, else as many days."""
        months = self.months()
        if months is not None:
            return Period(add_months(self.start, -months), self.start - timedelta(days=1))
        length = self.end - self.start + timedelta(days=1)
        return Period(self.start - length, self.start - timedelta(days=1))


def default_period(*, today: date) -> Period:
    """HR's default: the last 6 months up to today."""
    return Period(add_months(today, -DEFAULT_MONTHS) + timedelta(days=1), today)
