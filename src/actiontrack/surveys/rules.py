"""What a survey link is: its kinds and states, the day kept of an answer, and how HR's link form and a survey's
answers are checked.

Pure functions (no routes, no session), with the SQL twin of a link's state (`status_condition`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from actiontrack.i18n import N_
from actiontrack.i18n import gettext as _
from actiontrack.interviews.rules import FormOptions, check_answers, check_stay_answers, offered
from actiontrack.models import Source, SurveyInvitation
from actiontrack.params import parse_id, text_fields
from actiontrack.settings import LANGUAGES

# A link's name in the audit trail.
ENTITY = "survey_invitation"
# The answers kept as dates (stored as text while they wait: see queries.keep_answers).
DATE_ANSWERS = ("exit_date", "held_on")
SURVEY_PATH = re.compile(r"^/survey/[^/?]+")


class HideSurveyTokens(logging.Filter):
    """Keeps survey tokens and the leaver's address out of the server's access log (uvicorn logs both)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and SURVEY_PATH.match(args[2]):
            record.args = ("-", args[1], SURVEY_PATH.sub("/survey/<token>", args[2]), *args[3:])
        return True


def day_of(moment: datetime) -> datetime:
    """Midnight UTC of a moment's day: the finest time kept about a survey answer."""
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


class LinkStatus(StrEnum):
    """Where a link stands: waiting for its answers, answered, or past its expiry unanswered."""

    PENDING = "pending"
    USED = "used"
    EXPIRED = "expired"


KIND_LABELS = {Source.EXIT.value: N_("Exit survey"), Source.STAY.value: N_("Stay survey")}

STATUS_LABELS = {
    LinkStatus.PENDING.value: N_("Pending"),
    LinkStatus.USED.value: N_("Used"),
    LinkStatus.EXPIRED.value: N_("Expired"),
}


def link_status(invitation: SurveyInvitation, *, now: datetime) -> LinkStatus:
    """The link's state at `now`."""
    if invitation.used_at is not None:
        return LinkStatus.USED
    return LinkStatus.PENDING if invitation.expires_at > now else LinkStatus.EXPIRED


def status_condition(status: LinkStatus, *, now: datetime) -> Any:
    """The SQL twin of `link_status(...) == status`, for a WHERE or a count's FILTER."""
    if status == LinkStatus.USED:
        return SurveyInvitation.used_at.is_not(None)
    if status == LinkStatus.PENDING:
        return SurveyInvitation.used_at.is_(None) & (SurveyInvitation.expires_at > now)
    return SurveyInvitation.used_at.is_(None) & (SurveyInvitation.expires_at <= now)


# --- checking what was typed ------------------------------------------------------------------


@text_fields("department_id", "job_family_id", "language")
class LinkForm:
    """HR's form for a new link, as sent."""

    # Forms made before stay surveys existed send no kind: they meant the exit survey.
    kind: str = Source.EXIT.value


@dataclass(frozen=True)
class CheckedLink:
    """A checked link form: the chosen group's ids, and an error per wrong field."""

    department_id: int | None
    job_family_id: int | None
    errors: dict[str, str]


def check_link(form: LinkForm, *, options: FormOptions) -> CheckedLink:
    """Check HR's link form: an active department and job family, a language, a kind of survey."""
    errors: dict[str, str] = {}
    department_id, job_family_id = parse_id(form.department_id), parse_id(form.job_family_id)
    if department_id not in {item.id for item in offered(options.departments)}:
        errors["department_id"] = _("Choose a department from the list.")
    if job_family_id not in {item.id for item in offered(options.job_families)}:
        errors["job_family_id"] = _("Choose a job family from the list.")
    if form.language not in LANGUAGES:
        errors["language"] = _("Choose one of the answers.")
    if form.kind not in KIND_LABELS:
        errors["kind"] = _("Choose one of the answers.")
    return CheckedLink(department_id, job_family_id, errors)


def check_survey_answers(data: Mapping[str, Any], *, kind: str, today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """A survey's answers, checked with the questions of its kind (exit or stay)."""
    return (check_stay_answers if kind == Source.STAY else check_answers)(data, today=today)
