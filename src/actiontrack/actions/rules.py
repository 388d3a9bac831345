"""The rules every page, export and API call shares about an action: its state and who may do what."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_

from actiontrack.i18n import N_
from actiontrack.models import ActionItem, ActionStatus, Role, Scope, User

CLOSED_STATUSES = frozenset({ActionStatus.DONE, ActionStatus.CANCELLED})
OPEN_STATUSES = frozenset(ActionStatus) - CLOSED_STATUSES
# A blocked or cancelled action must say why: the note is what leadership reads.
NOTE_REQUIRED_STATUSES = frozenset({ActionStatus.BLOCKED, ActionStatus.CANCELLED})


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


def on_time_condition() -> ColumnElement[bool]:
    """The same rule as is_on_time (True only), as SQL."""
    return and_(
        ActionItem.status == ActionStatus.DONE.value,
        ActionItem.completed_on.is_not(None),
        ActionItem.completed_on <= ActionItem.deadline,
    )


def days_left(action: ActionItem, *, today: date) -> int:
    """Days until the deadline; negative once it has passed."""
    return (action.deadline - today).days


def may_view(user: User, action: ActionItem) -> bool:
    """HR and leadership read every action; anyone else only the actions they own."""
    return user.role in {Role.HR, Role.LEADERSHIP} or action.owner_id == user.id


def may_update_progress(user: User, action: ActionItem) -> bool:
    """HR updates any action; everyone else only the actions they own."""
    return user.role == Role.HR or action.owner_id == user.id


def may_manage(user: User) -> bool:
    """Creating, editing, reassigning, moving deadlines and publishing is HR's job."""
    return user.role == Role.HR


STATUS_LABELS = {
    ActionStatus.PLANNED.value: N_("Planned"),
    ActionStatus.IN_PROGRESS.value: N_("In progress"),
    ActionStatus.DONE.value: N_("Done"),
    ActionStatus.BLOCKED.value: N_("Blocked"),
    ActionStatus.CANCELLED.value: N_("Cancelled"),
}
# The same statuses heading a count of every action to date (the home pages): French and Dutch agree them
# with the plural; done and cancelled say "all time", as the status page counts one period.
STATUS_COUNT_LABELS = {
    ActionStatus.PLANNED.value: N_("Planned actions"),
    ActionStatus.IN_PROGRESS.value: N_("Actions in progress"),
    ActionStatus.DONE.value: N_("Completed, all time"),
    ActionStatus.BLOCKED.value: N_("Blocked actions"),
    ActionStatus.CANCELLED.value: N_("Cancelled, all time"),
}

SCOPE_LABELS = {
    Scope.COMPANY.value: N_("Company-wide"),
    Scope.DEPARTMENT.value: N_("Department"),
    Scope.JOB_FAMILY.value: N_("Job family"),
}
