"""The period asked for in a query string, read the same way by the radar and the status page."""

from __future__ import annotations

from datetime import date

from actiontrack.i18n import gettext as _
from actiontrack.interviews.rules import EARLIEST_EXIT_DATE, parse_date
from actiontrack.radar.rules import Period, default_period


def read_period(*, start: str | None, end: str | None, today: date) -> tuple[Period, list[str]]:
    """The period asked for in the query string, or the default with a message saying why."""
    errors: list[str] = []
    default = default_period(today=today)
    chosen_start = parse_date(start) if start else default.start
    chosen_end = parse_date(end) if end else default.end
    if chosen_start is None or chosen_end is None:
        errors.append(_("Dates are written year-month-day, for example %(example)s; the default period is shown.")
                      % {"example": default.start.isoformat()})
        period = default
    elif chosen_start > chosen_end:
        errors.append(_("The period must start before it ends; the default period is shown."))
        period = default
    else:
        period = Period(max(chosen_start, EARLIEST_EXIT_DATE), min(chosen_end, today))
        if period.start > period.end:
            errors.append(_("The period must start before it ends; the default period is shown."))
            period = default
    return period, errors
