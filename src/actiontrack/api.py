"""The JSON API for integrations: actions under /api/v1, on the same service functions as the pages.

A request authenticates with `Authorization: Bearer <API token>` only (see auth.sessions.CurrentUserMiddleware)
and acts with the role of the token's user: HR reads and changes everything, leadership reads
everything, an owner reads and updates only their own actions.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import Request, Response, Router, get, patch, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, ValidationException
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme, Tag
from litestar.params import HeaderParameter, JSONBody, KwargDefinition, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_409_CONFLICT
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit, clock, i18n
from actiontrack.actions import effects, queries, service
from actiontrack.actions.details import ActionDetails
from actiontrack.actions.rules import days_left, is_on_time, is_overdue
from actiontrack.actions.service import (
    MAX_DEADLINE_YEARS,
    MAX_NOTE,
    MAX_TEXT,
    MAX_TITLE,
    ActionConflict,
    ActionInvalid,
    EvidenceSource,
)
from actiontrack.auth.roles import requires, signed_in
from actiontrack.disclosure import Disclosure
from actiontrack.disclosure.effects import Effect, Side
from actiontrack.i18n import gettext as _
from actiontrack.imports.mapping import fingerprint
from actiontrack.interviews.queries import add_interview, audited_answers, form_options
from actiontrack.interviews.rules import MAX_ANSWER, check_interview
from actiontrack.models import ActionStatus, ExitInterview, InterviewFingerprint, InterviewTheme, Role, Scope
from actiontrack.params import MAX_ID
from actiontrack.questions import rules as extra_rules
from actiontrack.questions.queries import add_answers, questions_for
from actiontrack.settings import Settings

SECURITY_SCHEME = "BearerToken"

# The limits the server checks, stated in the OpenAPI schema (KwargDefinition only documents them: the
# service's own checks answer with a message per field). Ids are those the database's columns hold.
# Litestar skips a limit of 0 when it writes the schema (it tests the value's truth), hence AT_LEAST_0.
AT_LEAST_0: dict[str, Any] = {"minimum": 0}
Id = Annotated[int, KwargDefinition(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, KwargDefinition(ge=1, le=MAX_ID)]
Title = Annotated[str, KwargDefinition(min_length=1, max_length=MAX_TITLE)]
Text = Annotated[str, KwargDefinition(max_length=MAX_TEXT)]
OptionalTitle = Annotated[str, KwargDefinition(max_length=MAX_TITLE)]
Note = Annotated[str, KwargDefinition(max_length=MAX_NOTE)]
Percent = Annotated[int, KwargDefinition(ge=0, le=100, schema_extra=AT_LEAST_0)]
OptionalPercent = Annotated[int | None, KwargDefinition(ge=0, le=100, schema_extra=AT_LEAST_0)]
Share = Annotated[float | None, KwargDefinition(ge=0, le=1, schema_extra=AT_LEAST_0)]
Version = Annotated[int, KwargDefinition(ge=1, le=MAX_ID)]
Count = Annotated[int | None, KwargDefinition(ge=0, le=MAX_ID, schema_extra=AT_LEAST_0)]
Deadline = Annotated[date, KwargDefinition(
    description=f"After today and at most {MAX_DEADLINE_YEARS} years ahead")]


@dataclass
class EvidenceOut:
    """Why the action exists. HR tokens get the counts stored with the action. Other tokens get the
    released reporting period (`period`) ending last on or before the evidence did, as the theme radar
    shows it: counts null and `hidden` true when the radar hides them or no period is released yet."""

    theme_id: Id
    period_start: date
    period_end: date
    raised_count: Count
    leavers_count: Count
    hidden: bool
    period: str | None = None
    source: str = "exit"  # "stay": the counts are of people interviewed to stay


@dataclass
class SideOut:
    """Leavers of the action's group raising its theme, pooled from what the radar shows of released periods:
    a hidden cell is left out, whatever hid it. `raised_low` and `raised_high` equal `raised_count` (kept
    for clients written when a pool could be a range)."""

    periods: list[str]
    hidden_periods: list[str]  # left out: a hidden group or cell
    raised_count: Count
    raised_low: Annotated[int, KwargDefinition(ge=0, schema_extra=AT_LEAST_0)]
    raised_high: Annotated[int, KwargDefinition(ge=0, schema_extra=AT_LEAST_0)]
    leavers_count: Annotated[int, KwargDefinition(ge=0, schema_extra=AT_LEAST_0)]
    share: Share
    # 95 % Wilson interval of the share (over the whole range when not exact)
    interval_low: Annotated[float, KwargDefinition(ge=0, le=1, schema_extra=AT_LEAST_0)]
    interval_high: Annotated[float, KwargDefinition(ge=0, le=1, schema_extra=AT_LEAST_0)]


@dataclass
class EffectOut:
    """Did a done action work: its group's leavers before it started and after it was done, from released
    periods, against its target. `verdict`: target_met, improving, no_change, worse, too_few or awaiting;
    `too_few`: no_before, hidden_before, hidden_after, few_before or few_after (open is no longer given).
    `difference` (after minus before) is null unless both
    shares are exact; its 95 % interval holding zero means chance alone could explain it."""

    theme_id: Id
    verdict: str
    too_few: str | None
    before: SideOut | None
    after: SideOut | None
    target_share: Share
    difference: float | None
    difference_low: float | None
    difference_high: float | None
    first_figures_on: date | None


def _side_out(side: Side | None) -> SideOut | None:
    if side is None or not side.periods:
        return None
    low, high = side.interval
    return SideOut(periods=[span.key for span in side.periods], hidden_periods=[span.key for span in side.hidden],
                   raised_count=side.raised, raised_low=side.raised_low, raised_high=side.raised_high,
                   leavers_count=side.leavers, share=side.share, interval_low=low, interval_high=high)


def _effect_out(found: tuple[Effect, int] | None) -> EffectOut | None:
    if found is None:
        return None
    effect, theme_id = found
    interval = effect.difference_interval
    return EffectOut(
        theme_id=theme_id, verdict=effect.verdict.value, too_few=effect.too_few.value if effect.too_few else None,
        before=_side_out(effect.before), after=_side_out(effect.after), target_share=effect.target_share,
        difference=effect.difference, difference_low=interval[0] if interval else None,
        difference_high=interval[1] if interval else None, first_figures_on=effect.first_figures_on)


@dataclass
class Titles:
    """An action's title per language; an empty string: not written in that language."""

    nl: OptionalTitle = ""
    fr: OptionalTitle = ""
    en: OptionalTitle = ""


@dataclass
class Summaries:
    """An action's public summary per language; an empty string: not written in that language."""

    nl: Text = ""
    fr: Text = ""
    en: Text = ""


@dataclass
class Descriptions:
    """An action's description per language; an empty string: not written in that language."""

    nl: Text = ""
    fr: Text = ""
    en: Text = ""


@dataclass
class SuccessMeasures:
    """An action's success measure per language; an empty string: not written in that language."""

    nl: Text = ""
    fr: Text = ""
    en: Text = ""


@dataclass
class ActionOut:
    """`title`, `description`, `success_measure` and `public_summary`: in the token user's language, else the
    first of nl, fr, en that has one (`title_language` says which for the title); `titles`, `descriptions`,
    `success_measures` and `public_summaries` have every language."""

    id: Id
    title: Title
    title_language: Literal["nl", "fr", "en"]
    titles: Titles
    description: Text
    descriptions: Descriptions
    public_summary: Text
    public_summaries: Summaries
    scope: Scope
    department_id: OptionalId
    job_family_id: OptionalId
    group_name: str | None
    owner_id: Id
    owner_name: str
    deadline: date
    status: ActionStatus
    progress: Percent
    success_measure: Text
    success_measures: SuccessMeasures
    target_share: Share
    published: bool
    completed_on: date | None
    overdue: bool
    on_time: bool | None
    days_left: int
    theme_ids: list[Id]
    evidence: EvidenceOut | None
    version: Version
    updated_at: datetime
    effect: EffectOut | None = None  # done actions with a theme


@dataclass
class EvidenceIn:
    """A radar cell to link as evidence; the counts are computed by the server for the action's group."""

    theme_id: Id
    period_start: date
    period_end: date
    source: Literal["exit", "stay"] = "exit"  # leavers' exit interviews, or stay interviews


@dataclass
class ActionCreate:
    """`title`, `description`, `success_measure` and `public_summary` are written in `language` (the token
    user's language by default); `titles`, `descriptions`, `success_measures` and `public_summaries` give any
    languages at once and win over them. At least one title."""

    owner_id: Id
    deadline: Deadline
    title: OptionalTitle = ""
    language: Literal["nl", "fr", "en"] | None = None
    titles: Titles | None = None
    description: Text = ""
    descriptions: Descriptions | None = None
    public_summary: Text = ""
    public_summaries: Summaries | None = None
    scope: Scope = Scope.COMPANY
    department_id: OptionalId = None
    job_family_id: OptionalId = None
    success_measure: Text = ""
    success_measures: SuccessMeasures | None = None
    target_share: Share = None  # a share between 0 and 1
    published: bool = False
    theme_ids: list[Id] = field(default_factory=list)
    evidence: EvidenceIn | None = None


@dataclass
class StatusUpdate:
    """A status update; `version` is the version the client last read (409 if it changed since)."""

    version: Version
    status: ActionStatus
    progress: OptionalPercent = None
    note: Note = ""


@dataclass
class ErrorOut:
    status_code: int
    detail: str
    extra: Any = None


ERRORS = {
    400: ResponseSpec(data_container=ErrorOut, description="Invalid input; `extra` lists a message per field"),
    401: ResponseSpec(data_container=ErrorOut, description="No valid API token"),
    403: ResponseSpec(data_container=ErrorOut, description="The token's role may not do this"),
}
# Every operation with a body: request_checks refuses any other media type before the handler runs.
WITH_BODY = {**ERRORS, 415: ResponseSpec(data_container=ErrorOut,
                                        description="The body is not JSON: send it with `Content-Type: application/json`")}
NOT_FOUND = {404: ResponseSpec(data_container=ErrorOut, description="No such action")}
CONFLICT = {409: ResponseSpec(data_container=ErrorOut,
                              description="Changed since `version`; `extra.current` holds the current action")}



def _out(row: queries.ActionRow, *, today: date, evidence: queries.EvidenceView | None,
         effect: tuple[Effect, int] | None) -> ActionOut:
    action = row.action
    title = action.title_in()
    return ActionOut(
        id=action.id, title=title.text, title_language=title.lang or "en", titles=Titles(**action.titles()),
        description=action.description, descriptions=Descriptions(**action.descriptions()),
        public_summary=action.public_summary, public_summaries=Summaries(**action.public_summaries()),
        scope=Scope(action.scope), department_id=action.department_id, job_family_id=action.job_family_id,
        group_name=row.group_name, owner_id=action.owner_id, owner_name=row.owner_name, deadline=action.deadline,
        status=ActionStatus(action.status), progress=action.progress, success_measure=action.success_measure,
        success_measures=SuccessMeasures(**action.success_measures()),
        target_share=action.target_share, published=action.published, completed_on=action.completed_on,
        overdue=is_overdue(action, today=today), on_time=is_on_time(action), days_left=days_left(action, today=today),
        theme_ids=[theme.id for theme in row.themes],
        evidence=None if evidence is None else EvidenceOut(
            theme_id=evidence.theme.id, period_start=evidence.period_start, period_end=evidence.period_end,
            raised_count=evidence.raised, leavers_count=evidence.leavers, hidden=evidence.hidden,
            period=evidence.period_key, source=evidence.source,
        ),
        version=action.version, updated_at=action.updated_at, effect=_effect_out(effect),
    )


async def _read(request: Request, db: AsyncSession, settings: Settings, disclosure: Disclosure, action_id: int) -> ActionOut:
    today = clock.today()
    row = await queries.viewable_row(db, viewer=request.user, action_id=action_id, today=today)
    released = await disclosure.released_unless_hr(db, viewer=request.user)
    evidence = await queries.evidence_of(db, action_id=action_id, viewer=request.user, disclosure=disclosure,
                                         released=released)
    effect = await _effects(request, db, settings, disclosure, [action_id])
    return _out(row, today=today, evidence=evidence, effect=effect.get(action_id))


async def _effects(
    request: Request, db: AsyncSession, settings: Settings, disclosure: Disclosure, action_ids: list[int]
) -> dict[int, tuple[Effect, int]]:
    """Effects of those of the actions that are done, measured on released periods for every token alike."""
    released = await disclosure.released(db)
    return await effects.effects_by_action(db, action_ids=action_ids, settings=settings,
                                           released=released)


def _invalid(errors: dict[str, str]) -> ValidationException:
    return ValidationException(_("The data is not valid."), extra=[
        {"key": key, "message": message, "source": "body"} for key, message in errors.items()
    ])


async def _conflict(request: Request, db: AsyncSession, settings: Settings, disclosure: Disclosure, conflict: ActionConflict) -> ClientException:
    current = await _read(request, db, settings, disclosure, conflict.action.id)
    if conflict.changed_at:
        detail = _("This action was changed by %(name)s at %(time)s since you opened it.") % {
            "name": conflict.changed_by, "time": i18n.format_date(conflict.changed_at)}
    else:
        detail = _("This action was changed by %(name)s since you opened it.") % {"name": conflict.changed_by}
    return ClientException(detail, status_code=HTTP_409_CONFLICT, extra={"current": msgspec.to_builtins(current)})


@get("/actions", name="api.actions", responses=ERRORS, summary="List actions")
async def list_actions(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings], disclosure: NamedDependency[Disclosure],
    status: Annotated[str | None, QueryParameter(description="A status, or `open` for planned, in progress and blocked")] = None,
    owner: Annotated[int | None, QueryParameter(description="Owner's user id", ge=1, le=MAX_ID)] = None,
    theme: Annotated[int | None, QueryParameter(description="Theme id", ge=1, le=MAX_ID)] = None,
    group_scope: Annotated[Scope | None, QueryParameter(name="scope", description="company, department or job_family")] = None,
    department: Annotated[int | None, QueryParameter(description="Department id", ge=1, le=MAX_ID)] = None,
    job_family: Annotated[int | None, QueryParameter(description="Job family id", ge=1, le=MAX_ID)] = None,
    overdue: Annotated[bool | None, QueryParameter(description="Only overdue actions")] = None,
    published: Annotated[bool | None, QueryParameter(description="Published on the staff page or not")] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
    offset: Annotated[int, QueryParameter(ge=0, le=MAX_ID)] = 0,
) -> list[ActionOut]:
    """Actions the token may see (owners: their own), overdue first, then by deadline."""
    raw = {"status": status, "owner": owner, "theme": theme, "scope": group_scope, "department": department,
           "job_family": job_family, "overdue": overdue, "published": published}
    filters, errors = queries.parse_filters({key: str(value) for key, value in raw.items() if value is not None})
    if errors:
        raise ValidationException(_("The filters are not valid."), extra=[
            {"key": key, "message": message, "source": "query"} for key, message in errors.items()
        ])
    today = clock.today()
    rows = await queries.list_actions(db, viewer=request.user, filters=filters, today=today, limit=limit, offset=offset)
    released = await disclosure.released_unless_hr(db, viewer=request.user)
    evidence = await queries.evidence_by_action(db, action_ids=[row.action.id for row in rows], viewer=request.user,
                                                disclosure=disclosure, released=released)
    found = await _effects(request, db, settings, disclosure, [row.action.id for row in rows if row.action.status == ActionStatus.DONE])
    return [_out(row, today=today, evidence=evidence.get(row.action.id), effect=found.get(row.action.id))
            for row in rows]


@get("/actions/{action_id:int}", name="api.action", responses={**ERRORS, **NOT_FOUND}, summary="Read an action")
async def read_action(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings], disclosure: NamedDependency[Disclosure],
    action_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
) -> ActionOut:
    return await _read(request, db, settings, disclosure, action_id)


@post("/actions", name="api.actions.create", responses=WITH_BODY, summary="Create an action (HR)")
async def create_action(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    disclosure: NamedDependency[Disclosure], data: JSONBody[ActionCreate],
) -> ActionOut:
    """A new planned action. With `evidence`, the counts are computed for the action's group."""
    language = data.language or i18n.current_language()
    texts = {}
    for text, once, per_language in (("title", data.title, data.titles),
                                     ("description", data.description, data.descriptions),
                                     ("success_measure", data.success_measure, data.success_measures),
                                     ("public_summary", data.public_summary, data.public_summaries)):
        written = {language: once} | ({k: v for k, v in vars(per_language).items() if v} if per_language else {})
        texts |= {f"{text}_{key}": value for key, value in written.items()}
    details = ActionDetails(
        **texts, scope=data.scope.value, department_id=data.department_id, job_family_id=data.job_family_id,
        target_share=data.target_share, theme_ids=tuple(data.theme_ids),
    )
    source = None
    if data.evidence is not None:
        source = EvidenceSource(data.evidence.theme_id, details.scope, service.group_id_of(details.normalised()),
                                data.evidence.period_start, data.evidence.period_end, data.evidence.source)
    try:
        action = await service.create_action(
            db, actor=request.user, details=details, owner_id=data.owner_id, deadline=data.deadline,
            published=data.published, evidence=source, today=clock.today(), request=request,
        )
    except ActionInvalid as invalid:
        raise _invalid(invalid.errors) from None
    await db.flush()
    return await _read(request, db, settings, disclosure, action.id)


@patch("/actions/{action_id:int}", name="api.actions.update", responses={**WITH_BODY, **NOT_FOUND, **CONFLICT},
       summary="Update an action's status")
async def update_status(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings], disclosure: NamedDependency[Disclosure],
    action_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)], data: JSONBody[StatusUpdate],
) -> ActionOut:
    """Status, progress and a note, as on the My actions page. Done sets progress to 100."""
    try:
        await service.update_progress(
            db, actor=request.user, action_id=action_id, version=data.version, status=data.status.value,
            progress=data.progress, note=data.note, today=clock.today(), request=request,
        )
    except ActionInvalid as invalid:
        raise _invalid(invalid.errors) from None
    except ActionConflict as conflict:
        raise await _conflict(request, db, settings, disclosure, conflict) from None
    await db.flush()
    return await _read(request, db, settings, disclosure, action_id)


# --- exit interviews from HR systems ---------------------------------------------------------------

Score = Annotated[int, KwargDefinition(ge=1, le=5)]
Recommend = Annotated[int, KwargDefinition(ge=0, le=10, schema_extra=AT_LEAST_0)]
Answer = Annotated[str, KwargDefinition(max_length=MAX_ANSWER)]
RequiredAnswer = Annotated[str, KwargDefinition(min_length=1, max_length=MAX_ANSWER)]
IdempotencyKey = Annotated[str | None, HeaderParameter(
    name="Idempotency-Key", required=False, min_length=1, max_length=200,
    description="Any unique string per interview (e.g. the HR system's record id): sending the same key again "
                "with the same body answers the first result (200) instead of recording a second interview; "
                "with another body, 409.")]


@dataclass
class ExtraAnswer:
    """An answer to one of HR's extra questions asked of the interview's department or job family: a score "1" to
    "5", "yes" or "no", the position of the chosen option from "0", or free text, as the question asks."""

    question_id: Id
    answer: Answer


@dataclass
class InterviewCreate:
    """An exit interview from an HR system, checked as HR's interview form checks it. It carries no name:
    answers are grouped by department and job family only. `channel` is how the answers were given."""

    department_id: Id
    job_family_id: Id
    tenure_band: Literal["lt1", "1to2", "2to5", "5to10", "gt10"]
    exit_date: Annotated[date, KwargDefinition(description="The last working day: from 2000 to today")]
    reason_for_leaving: RequiredAnswer
    pay_factor: Literal["yes", "partly", "no"]
    tasks_match_score: Score
    manager_support_score: Score
    training_score: Score
    recognition_score: Score
    would_return: Literal["yes", "maybe", "no"]
    recommend_score: Recommend
    channel: Literal["interview", "survey"] = "survey"
    language: Literal["nl", "fr", "en"] = "en"
    improvement_suggestion: Answer = ""
    notes: Answer = ""
    theme_ids: list[Id] = field(default_factory=list)
    extra_answers: list[ExtraAnswer] = field(default_factory=list)


@dataclass
class InterviewOut:
    """A recorded exit interview (its answers stay in actiontrack, for HR)."""

    id: Id
    department_id: Id
    job_family_id: Id
    exit_date: date
    channel: str
    language: str
    theme_ids: list[Id]


IDEMPOTENCY_CONFLICT = {409: ResponseSpec(data_container=ErrorOut,
                                          description="The Idempotency-Key was used before with another body")}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def _interview_out(db: AsyncSession, interview_id: int, status_code: int) -> Response[InterviewOut]:
    interview = await db.get(ExitInterview, interview_id)
    theme_ids = (await db.execute(select(InterviewTheme.theme_id).where(InterviewTheme.interview_id == interview_id)
                                  .order_by(InterviewTheme.theme_id))).scalars().all()
    return Response(InterviewOut(
        id=interview.id, department_id=interview.department_id, job_family_id=interview.job_family_id,
        exit_date=interview.exit_date, channel=interview.channel, language=interview.language,
        theme_ids=list(theme_ids)), status_code=status_code)


async def _replayed(db: AsyncSession, *, key: str | None, body_hash: str) -> int | None:
    """The interview recorded earlier under this key with the same body; 409 for another body."""
    if key is None:
        return None
    earlier = (await db.execute(select(InterviewFingerprint).where(InterviewFingerprint.idempotency_key == key))
               ).scalars().first()
    if earlier is None:
        return None
    if earlier.body_hash != body_hash:
        raise ClientException(_("This Idempotency-Key was used before with another body."),
                              status_code=HTTP_409_CONFLICT)
    return earlier.interview_id


@post("/interviews", name="api.interviews.create", guards=[requires(Role.HR)], status_code=HTTP_201_CREATED,
      responses={**WITH_BODY, **IDEMPOTENCY_CONFLICT}, summary="Record an exit interview (HR)")
async def create_interview(
    request: Request, db: NamedDependency[AsyncSession], data: JSONBody[InterviewCreate],
    idempotency_key: IdempotencyKey = None,
) -> Response[InterviewOut]:
    """201 with the new interview; 200 with the interview recorded before when the same Idempotency-Key and
    body come again, or when an interview with exactly these answers, group and exit date exists already
    (an import of the same leaver)."""
    # Every field, defaults included (a body may leave them out), in one canonical form for the key's hash.
    body = {item.name: msgspec.to_builtins(getattr(data, item.name, item.default)) for item in fields(data)}
    body_hash = _digest(json.dumps(body, sort_keys=True, ensure_ascii=False))
    key = _digest(f"{request.user.id}\n{idempotency_key}") if idempotency_key else None
    if (replayed := await _replayed(db, key=key, body_hash=body_hash)) is not None:
        return await _interview_out(db, replayed, HTTP_200_OK)
    form = {name: str(value) for name, value in body.items() if name not in {"theme_ids", "extra_answers"}}
    checked = check_interview(form, theme_values=[str(theme_id) for theme_id in data.theme_ids],
                              options=await form_options(db), today=clock.today())
    asked = await questions_for(db, department_id=checked.values.get("department_id"),
                                job_family_id=checked.values.get("job_family_id"))
    asked_ids = {question.id for question in asked}
    extra = {f"question_{item.question_id}": item.answer for item in data.extra_answers}
    answers, extra_errors = extra_rules.check_answers(extra, asked)
    checked.errors.update(extra_errors)
    for item in data.extra_answers:
        if item.question_id not in asked_ids:
            checked.errors[f"question_{item.question_id}"] = _("This question is not asked of this department and job family.")
    if checked.errors:
        raise _invalid(checked.errors)
    answers_digest = fingerprint(checked.values)
    same = (await db.execute(select(InterviewFingerprint).where(InterviewFingerprint.fingerprint == answers_digest))
            ).scalars().first()
    if same is not None:
        return await _interview_out(db, same.interview_id, HTTP_200_OK)
    try:
        # A savepoint: a request racing this one with the same key or answers loses on the unique constraint.
        async with db.begin_nested():
            interview = await add_interview(db, checked=checked, interviewer_id=None)
            await add_answers(db, interview_id=interview.id, answers=answers)
            db.add(InterviewFingerprint(interview_id=interview.id, fingerprint=answers_digest, idempotency_key=key,
                                        body_hash=body_hash if key else None))
            await db.flush()
    except IntegrityError:
        if (replayed := await _replayed(db, key=key, body_hash=body_hash)) is not None:
            return await _interview_out(db, replayed, HTTP_200_OK)
        same = (await db.execute(select(InterviewFingerprint).where(InterviewFingerprint.fingerprint == answers_digest))
                ).scalars().one()
        return await _interview_out(db, same.interview_id, HTTP_200_OK)
    audit.record(db, actor=request.user, verb="create", entity="exit_interview", entity_id=interview.id,
                 changes={**audited_answers(checked.values), **extra_rules.audited(answers), "themes": checked.theme_ids,
                          "via": "api"}, request=request)
    return await _interview_out(db, interview.id, HTTP_201_CREATED)


router = Router(
    path="/api/v1",
    route_handlers=[list_actions, read_action, create_action, update_status],
    guards=[signed_in],
    security=[{SECURITY_SCHEME: []}],
    tags=["actions"],
    include_in_schema=True,
)
interviews_router = Router(
    path="/api/v1",
    route_handlers=[create_interview],
    security=[{SECURITY_SCHEME: []}],
    tags=["interviews"],
    include_in_schema=True,
)
routes = [router, interviews_router]


def openapi_config() -> OpenAPIConfig:
    """The schema at /schema/openapi.json documents the JSON API (the HTML pages are left out)."""
    return OpenAPIConfig(
        title="actiontrack API",
        version="1",
        description="Actions on exit feedback. Authenticate with `Authorization: Bearer <API token>`; "
                    "HR creates and revokes tokens under Accounts > API tokens.",
        path="/schema",
        render_plugins=[JsonRenderPlugin()],
        components=Components(security_schemes={
            SECURITY_SCHEME: SecurityScheme(type="http", scheme="bearer", description="An API token created by HR"),
        }),
        tags=[Tag(name="actions", description="Owned, time-bound actions and their status"),
              Tag(name="interviews", description="Exit interviews sent by HR systems (HR tokens only)")],
        use_handler_docstrings=True,
    )
