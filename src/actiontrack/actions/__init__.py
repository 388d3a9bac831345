"""Action plans: from a recurring theme to owned, time-bound actions that owners keep up to date.

rules.py     what "overdue" and "on time" mean and who may do what (used by every page and export)
service.py   creating and changing actions: checks, optimistic locking, history and audit
queries.py   reading actions back: filtered lists, history, evidence as a viewer may see it
pages.py     the HTML routes (templates/actions/); api.py has the JSON routes on the same service
"""

from __future__ import annotations

# The rules first: modules that import them from here may be imported by the modules below.
from actiontrack.actions.rules import (
    CLOSED_STATUSES,
    NOTE_REQUIRED_STATUSES,
    OPEN_STATUSES,
    SCOPE_LABELS,
    STATUS_COUNT_LABELS,
    STATUS_LABELS,
    days_left,
    is_on_time,
    is_overdue,
    may_manage,
    may_update_progress,
    may_view,
    on_time_condition,
    overdue_condition,
)

__all__ = [
    "CLOSED_STATUSES", "NOTE_REQUIRED_STATUSES", "OPEN_STATUSES", "SCOPE_LABELS", "STATUS_COUNT_LABELS",
    "STATUS_LABELS", "days_left", "is_on_time", "is_overdue", "may_manage", "may_update_progress", "may_view",
    "on_time_condition", "overdue_condition",
]
