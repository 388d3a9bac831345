"""The confidential online surveys: one-time links that HR sends, and the public page people answer on.

A link is of one kind (`SurveyInvitation.kind`): the exit survey, answered by a leaver, becomes an
exit interview; the stay survey, answered by someone who still works here, becomes a stay
interview (channel "survey"). Both kinds follow the same rules below.

A link carries a random token; only its SHA-256 hash is stored. The invitation keeps no name and
no link to the interview it produces, so answers cannot be traced back through the database:

- When a link is used (`claim`), it forgets its department, job family and maker, and keeps only
  the day of use (midnight UTC) and its language (for the "already used" page in the leaver's
  language; the interview records the language the leaver answered in). HR's list still counts and
  shows used links, without their group. The link's creation in the audit trail loses its details
  (department, job family, language, expiry) at the same time.
- The interview the survey makes carries no invitation id; its created_at and updated_at are the
  day (midnight UTC), as is the time of its audit entry, which has no actor and no address.
- The token never reaches the server's access log (`HideSurveyTokens`, like calendar feed tokens),
  nor the client's address on those lines, nor another site (`Referrer-Policy: no-referrer`).

What is left is the day: on a day when one leaver of a group answered, the day and group of the
answers are the day and group HR sent a link for. Record ids are sequential, so the order of
records within a day shows too; no stored time finer than the day belongs to a survey answer.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit, clock
from actiontrack.auth.tokens import new_secret, token_digest
from actiontrack.i18n import N_, current_language, set_language
from actiontrack.i18n import gettext as _
from actiontrack.interviews.queries import form_options
from actiontrack.interviews.rules import check_answers, form_text, labels
from actiontrack.models import (
    AuditEvent,
    Channel,
    Department,
    ExitInterview,
    JobFamily,
    Source,
    StayInterview,
    SurveyInvitation,
    User,
)
from actiontrack.paging import page_count, page_number
from actiontrack.params import parse_id
from actiontrack.settings import LANGUAGES, Settings
from actiontrack.stay_interviews import ANSWER_FIELDS as STAY_ANSWER_FIELDS
from actiontrack.stay_interviews import check_stay_answers
from actiontrack.stay_interviews import labels as stay_labels
from actiontrack.web import hr_only, redirect_to

PAGE_SIZE = 25
# Longer than any token we hand out; anything longer is not worth hashing.
MAX_TOKEN_LENGTH = 100
_NEW_LINK_KEY = "new_survey_link"
ENTITY = "survey_invitation"
# The token is in the URL of every survey page: it must not travel on to another site.
SURVEY_HEADERS = {"Referrer-Policy": "no-referrer"}
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
    if invitation.used_at is not None:
        return LinkStatus.USED
    return LinkStatus.PENDING if invitation.expires_at > now else LinkStatus.EXPIRED


def _status_condition(status: LinkStatus, *, now: datetime) -> Any:
    if status == LinkStatus.USED:
        return SurveyInvitation.used_at.is_not(None)
    if status == LinkStatus.PENDING:
        return SurveyInvitation.used_at.is_(None) & (SurveyInvitation.expires_at > now)
    return SurveyInvitation.used_at.is_(None) & (SurveyInvitation.expires_at <= now)


async def create_invitation(
    session: AsyncSession, *, department_id: int, job_family_id: int, language: str, created_by: User,
    days: int, now: datetime, kind: str = Source.EXIT.value,
) -> tuple[SurveyInvitation, str]:
    """A new link to the exit or stay survey; the token is returned once and only its hash is kept."""
    token, digest = new_secret()
    invitation = SurveyInvitation(
        token_hash=digest, department_id=department_id, job_family_id=job_family_id,
        language=language, created_by_id=created_by.id, created_at=now, expires_at=now + timedelta(days=days),
        kind=kind,
    )
    session.add(invitation)
    await session.flush()
    return invitation, token


async def find_invitation(session: AsyncSession, *, token: str) -> SurveyInvitation | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    query = select(SurveyInvitation).where(SurveyInvitation.token_hash == token_digest(token))
    return (await session.execute(query)).scalar_one_or_none()


async def claim(session: AsyncSession, *, invitation_id: int, now: datetime) -> bool:
    """Mark a link used, if it still can be; of two simultaneous submissions exactly one gets True.

    One conditional UPDATE: the database serialises concurrent writers on the row, and the loser
    finds `used_at` already set (PostgreSQL re-checks the condition; SQLite lets one writer at a time).
    The same UPDATE makes the link forget its group and maker and keep the day only; its creation's
    audit entry loses its details too (see the module's docstring).
    """
    result = await session.execute(
        update(SurveyInvitation)
        .where(
            SurveyInvitation.id == invitation_id,
            SurveyInvitation.used_at.is_(None),
            SurveyInvitation.expires_at > now,
        )
        .values(used_at=day_of(now), department_id=None, job_family_id=None, created_by_id=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    await session.execute(
        update(AuditEvent).where(AuditEvent.entity == ENTITY, AuditEvent.entity_id == invitation_id)
        .values(changes={}).execution_options(synchronize_session=False)
    )
    return True


@dataclass(frozen=True)
class LinkRow:
    invitation: SurveyInvitation
    department: str | None
    job_family: str | None
    status: LinkStatus


async def list_links(
    session: AsyncSession, *, status: LinkStatus | None, page: int, now: datetime,
) -> tuple[list[LinkRow], dict[str, int], int]:
    """A page of links, newest first, with the number of links in each status (three queries)."""
    counts_row = (await session.execute(select(
        *(func.count().filter(_status_condition(item, now=now)) for item in LinkStatus)
    ).select_from(SurveyInvitation))).one()
    counts = {item.value: count for item, count in zip(LinkStatus, counts_row, strict=True)}
    total = counts[status.value] if status else sum(counts.values())
    number = page_number(page, total=total, size=PAGE_SIZE)
    query = (
        select(SurveyInvitation, Department.name, JobFamily.name)
        # Used links have forgotten their group.
        .join(Department, Department.id == SurveyInvitation.department_id, isouter=True)
        .join(JobFamily, JobFamily.id == SurveyInvitation.job_family_id, isouter=True)
        .order_by(SurveyInvitation.created_at.desc(), SurveyInvitation.id.desc())
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    )
    if status:
        query = query.where(_status_condition(status, now=now))
    rows = [LinkRow(invitation, department, job_family, link_status(invitation, now=now))
            for invitation, department, job_family in (await session.execute(query)).all()]
    return rows, counts, number


# --- HR: the links ----------------------------------------------------------------------------



@dataclass
class LinkForm:
    department_id: str = ""
    job_family_id: str = ""
    language: str = ""
    # Forms made before stay surveys existed send no kind: they meant the exit survey.
    kind: str = Source.EXIT.value


async def _links_page(
    request: Request, session: AsyncSession, settings: Settings, *, status: str | None = None, page: int = 1,
    form: LinkForm | None = None, errors: dict[str, str] | None = None, new_link: str | None = None,
) -> Template:
    chosen = LinkStatus(status) if status in STATUS_LABELS else None
    rows, counts, number = await list_links(session, status=chosen, page=page, now=clock.utcnow())
    total = counts[chosen.value] if chosen else sum(counts.values())
    options = await form_options(session)
    context = {
        "rows": rows, "counts": counts, "status": chosen.value if chosen else None, "status_labels": STATUS_LABELS,
        "kind_labels": KIND_LABELS,
        "page": number, "pages": page_count(total=total, size=PAGE_SIZE), "options": options,
        "form": form or LinkForm(language=current_language()), "errors": errors or {}, "new_link": new_link,
        "survey_days": settings.survey_days,
        "page_query": lambda page: urlencode({key: value for key, value in (("status", status), ("page", page)) if value}),
    }
    return Template("surveys/index.html", context=context, status_code=400 if errors else 200)


@get("/surveys", name="surveys", guards=hr_only)
async def surveys_page(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    status: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
) -> Template:
    # The new link is shown once, right after it was made: it cannot be rebuilt from its hash.
    session = dict(request.session or {})
    new_link = session.pop(_NEW_LINK_KEY, None)
    if new_link is not None:
        request.set_session(session)
    return await _links_page(request, db, settings, status=status, page=parse_id(page) or 1, new_link=new_link)


@post("/surveys", name="surveys.create", guards=hr_only)
async def create_link(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    data: Annotated[LinkForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    options = await form_options(db)
    errors: dict[str, str] = {}
    department_id, job_family_id = parse_id(data.department_id), parse_id(data.job_family_id)
    if department_id not in {item.id for item in options.departments if item.active}:
        errors["department_id"] = _("Choose a department from the list.")
    if job_family_id not in {item.id for item in options.job_families if item.active}:
        errors["job_family_id"] = _("Choose a job family from the list.")
    if data.language not in LANGUAGES:
        errors["language"] = _("Choose one of the answers.")
    if data.kind not in KIND_LABELS:
        errors["kind"] = _("Choose one of the answers.")
    if errors:
        return await _links_page(request, db, settings, form=data, errors=errors)
    invitation, token = await create_invitation(
        db, department_id=department_id, job_family_id=job_family_id, language=data.language,
        created_by=request.user, days=settings.survey_days, now=clock.utcnow(), kind=data.kind,
    )
    audit.record(db, actor=request.user, verb="create", entity=ENTITY, entity_id=invitation.id,
                 changes={"kind": data.kind, "department_id": department_id, "job_family_id": job_family_id,
                          "language": data.language, "expires_at": invitation.expires_at}, request=request)
    link = request.url_for("survey", token=token)
    request.set_session({**(request.session or {}), _NEW_LINK_KEY: link})
    return redirect_to(request, "surveys")


# --- the leaver: the public survey page -------------------------------------------------------


def _speak_leavers_language(request: Request, invitation: SurveyInvitation) -> None:
    """The leaver's language as HR chose it, unless the leaver picked another on the page."""
    asked = request.query_params.get("lang")
    set_language(asked if asked in LANGUAGES else invitation.language)


def _closed_page(status: LinkStatus | None, *, kind: str = Source.EXIT.value) -> Template:
    """Unknown (404), used or expired (410): said plainly, nothing more."""
    return Template("surveys/closed.html", context={"status": status.value if status else "unknown", "kind": kind},
                    status_code=404 if status is None else 410, headers=SURVEY_HEADERS)


def _survey_form(token: str, *, kind: str, form: dict[str, str], errors: dict[str, str]) -> Template:
    if kind == Source.STAY:
        context = {"token": token, "form": form, "errors": errors, **stay_labels(), "field_order": STAY_ANSWER_FIELDS}
        return Template("surveys/stay_survey.html", context=context, status_code=400 if errors else 200,
                        headers=SURVEY_HEADERS)
    context = {"token": token, "form": form, "errors": errors, "today": clock.today(), **labels(),
               "field_order": ("tenure_band", "exit_date", "reason_for_leaving", "pay_factor",
                               "tasks_match_score", "manager_support_score", "training_score",
                               "recognition_score", "improvement_suggestion", "would_return", "recommend_score")}
    return Template("surveys/survey.html", context=context, status_code=400 if errors else 200, headers=SURVEY_HEADERS)


@get("/survey/{token:str}", name="survey")
async def survey_page(request: Request, db: NamedDependency[AsyncSession], token: FromPath[str]) -> Template:
    invitation = await find_invitation(db, token=token)
    if invitation is None:
        return _closed_page(None)
    _speak_leavers_language(request, invitation)
    status = link_status(invitation, now=clock.utcnow())
    if status != LinkStatus.PENDING:
        return _closed_page(status, kind=invitation.kind)
    return _survey_form(token, kind=invitation.kind, form={}, errors={})


@post("/survey/{token:str}", name="survey.submit")
async def submit_survey(
    request: Request,
    db: NamedDependency[AsyncSession],
    token: FromPath[str],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    invitation = await find_invitation(db, token=token)
    if invitation is None:
        return _closed_page(None)
    _speak_leavers_language(request, invitation)
    now = clock.utcnow()
    status = link_status(invitation, now=now)
    kind = invitation.kind
    if status != LinkStatus.PENDING:
        return _closed_page(status, kind=kind)
    stay = kind == Source.STAY
    values, errors = (check_stay_answers if stay else check_answers)(data, today=clock.today())
    if errors:
        form = {name: form_text(data, name) for name in values}
        return _survey_form(token, kind=kind, form=form, errors=errors)
    # Read before the claim, which makes the link forget them.
    department_id, job_family_id = invitation.department_id, invitation.job_family_id
    # Checked first, claimed second: a form with mistakes does not use up the link.
    if not await claim(db, invitation_id=invitation.id, now=now):
        return _closed_page(LinkStatus.USED, kind=kind)
    day = day_of(now)
    answered = dict(
        **values, department_id=department_id, job_family_id=job_family_id,
        channel=Channel.SURVEY.value, language=current_language(), interviewer_id=None, notes="",
        created_at=day, updated_at=day,
    )
    # The stay survey asks no date: the answer is the conversation, held on the day it came in.
    interview = StayInterview(**answered, held_on=clock.today()) if stay else ExitInterview(**answered)
    db.add(interview)
    await db.flush()
    # No invitation id, no IP address, no moment finer than the day: nothing ties the answers to the link.
    audit.record(db, actor=None, verb="create", entity="stay_interview" if stay else "exit_interview",
                 entity_id=interview.id, changes={"channel": Channel.SURVEY.value}, at=day)
    return redirect_to(request, "survey.thanks", query={"lang": current_language(), **({"kind": kind} if stay else {})})


@get("/survey-thanks", name="survey.thanks", sync_to_thread=False)
def survey_thanks(kind: FromQuery[str | None] = None) -> Template:
    return Template("surveys/thanks.html", context={"kind": kind if kind in KIND_LABELS else Source.EXIT.value})


routes = [surveys_page, create_link, survey_page, submit_survey, survey_thanks]
