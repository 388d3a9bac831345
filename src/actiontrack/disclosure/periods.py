"""Reporting periods: a fixed partition of time into calendar quarters, half-years or years.

Only whole periods of one length are ever released, so two released figures never overlap and
their difference is never a handful of leavers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from actiontrack.i18n import gettext as _

MONTHS = {"quarter": 3, "half": 6, "year": 12}


@dataclass(frozen=True, order=True)
class PeriodSpan:
    """One period of the partition: exit dates from start to end, both included."""

    length: str
    start: date
    end: date

    @property
    def key(self) -> str:
        """How the period is named in URLs: 2026-Q3, 2026-H1 or 2026."""
        if self.length == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.length == "half":
            return f"{self.start.year}-H{(self.start.month - 1) // 6 + 1}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        """The period as people read it: Q3 2026, H1 2026, 2026."""
        if self.length == "quarter":
            return _("Q%(number)d %(year)d") % {"number": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        if self.length == "half":
            return _("H%(number)d %(year)d") % {"number": (self.start.month - 1) // 6 + 1, "year": self.start.year}
        return str(self.start.year)

    def release_day(self, *, delay_days: int) -> date:
        """The day the period's figures are released: `delay_days` after its last day."""
        return self.end + timedelta(days=delay_days)

    def previous(self) -> PeriodSpan:
        return period_containing(self.start - timedelta(days=1), length=self.length)

    def next(self) -> PeriodSpan:
        return period_containing(self.end + timedelta(days=1), length=self.length)


def period_containing(day: date, *, length: str) -> PeriodSpan:
    """The period of the given length that `day` falls in."""
    months = MONTHS[length]
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    after = date(day.year + (first_month + months - 1) // 12, (first_month + months - 1) % 12 + 1, 1)
    return PeriodSpan(length, start, after - timedelta(days=1))


def parse_key(key: str | None, *, length: str) -> PeriodSpan | None:
    """The period a URL names (see PeriodSpan.key), or None when it names none of this length."""
    if not key or len(key) > 10:
        return None
    year_text, _, part = key.partition("-")
    if not (year_text.isascii() and year_text.isdigit() and len(year_text) == 4):
        return None
    year = int(year_text)
    if length == "year":
        return period_containing(date(year, 1, 1), length=length) if not part else None
    prefix, count = ("Q", 4) if length == "quarter" else ("H", 2)
    if len(part) != 2 or part[0] != prefix or not part[1].isdigit() or not 1 <= int(part[1]) <= count:
        return None
    return period_containing(date(year, (int(part[1]) - 1) * MONTHS[length] + 1, 1), length=length)


def period_months(start: date, end: date) -> int:
    """How many calendar months a period spans."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def due_periods(*, first_exit: date, today: date, length: str, delay_days: int,
                released_until: date | None = None) -> list[PeriodSpan]:
    """Every period from the one holding the first exit up to the last whose release day has come.

    `released_until` is the last day of the periods released with another length (the period length
    was changed): only periods starting after it are due. A period of the new length built over months
    already released would differ from the old periods by exactly the interviews recorded late.
    """
    found = []
    period = period_containing(first_exit, length=length)
    while period.release_day(delay_days=delay_days) <= today:
        if released_until is None or period.start > released_until:
            found.append(period)
        period = period.next()
    return found


def first_period_after(day: date, *, length: str) -> PeriodSpan:
    """The first period of this length that starts after `day` (where a new series begins)."""
    return period_containing(day, length=length).next()


def next_release_day(*, today: date, length: str, delay_days: int) -> date:
    """The first day after `today` on which a period becomes due (a worker checks again only then)."""
    period = period_containing(today - timedelta(days=delay_days), length=length)
    while period.release_day(delay_days=delay_days) <= today:
        period = period.next()
    return period.release_day(delay_days=delay_days)
