"""Action plans: the rules every page and export shares about an action's state."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_

from actiontrack.i18n import N_
from actiontrack.models import ActionItem, ActionStatus

CLOSED_STATUSES = frozenset({ActionStatus.DONE, ActionStatus.CANCELLED})
OPEN_STATUSES = frozenset(ActionStatus) - CLOSED_STATUSES


def is_overdue(action: ActionItem, *, today: date) -> bool:
    """Overdue: the deadline has passed and the action is neither done nor cancelled."""
    return action.deadline < today and action.status not in CLOSED_STATUSES


def overdue_condition(*, today: date) -> ColumnElement[bool]:
    """The same rule as is_overdue, as SQL."""
    return and_(ActionItem.deadline < today, ActionItem.status.not_in([s.value for s in CLOSED_STATUSES]))


def is_on_time(action: ActionItem) -> bool | None:
    """Done on or before its deadline; None while the action is not done."""
    if action.status != ActionStatus.DONE or action.completed_on is None:
        return None
    return action.completed_on <= action.deadline


STATUS_LABELS = {
    ActionStatus.PLANNED.value: N_("Planned"),
    ActionStatus.IN_PROGRESS.value: N_("In progress"),
    ActionStatus.DONE.value: N_("Done"),
    ActionStatus.BLOCKED.value: N_("Blocked"),
    ActionStatus.CANCELLED.value: N_("Cancelled"),
}
