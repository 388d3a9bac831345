"""The JSON API for integrations: actions under /api/v1, on the same service functions as the pages.

A request authenticates with `Authorization: Bearer <API token>` only (see auth.sessions.CurrentUserMiddleware)
and acts with the role of the token's user: HR reads and changes everything, leadership reads
everything, an owner reads and updates only their own actions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field, fields, make_dataclass
from datetime import date, datetime
from enum import Enum
from functools import partial
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
from actiontrack.actions.details import FREE_TEXTS, LANGUAGE_TEXTS, ActionDetails
from actiontrack.actions.rules import days_left, is_on_time, is_overdue
from actiontrack.actions.service import (
    MAX_DEADLINE_YEARS,
    MAX_NOTE,
    ActionConflict,
    ActionInvalid,
    EvidenceSource,
)
from actiontrack.auth.roles import requires, signed_in
from actiontrack.disclosure import Disclosure
from actiontrack.disclosure.effects import Effect, Side, TurnoverSide
from actiontrack.i18n import gettext as _
from actiontrack.imports.mapping import fingerprint
from actiontrack.interviews.queries import add_interview, audited_answers, form_options
from actiontrack.interviews.rules import MAX_ANSWER, check_interview
from actiontrack.models import (
    ActionItem,
    ActionStatus,
    ExitInterview,
    InterviewFingerprint,
    InterviewTheme,
    Role,
    Scope,
    column_limit,
)
from actiontrack.params import MAX_ID
from actiontrack.questions import rules as extra_rules
from actiontrack.questions.queries import add_answers, questions_for
from actiontrack.settings import LANGUAGES, Settings
from actiontrack.texts import localized

SECURITY_SCHEME = "BearerToken"

# The limits the server checks, stated in the OpenAPI schema (KwargDefinition only documents them: the
# service's own checks answer with a message per field). Ids are those the database's columns hold.
# Litestar skips a limit of 0 when it writes the schema (it tests the value's truth), hence AT_LEAST_0.
AT_LEAST_0: dict[str, Any] = {"minimum": 0}
Id = Annotated[int, KwargDefinition(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, KwargDefinition(ge=1, le=MAX_ID)]
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
    # 95 % Wilson interval of the share
    interval_low: Annotated[float, KwargDefinition(ge=0, le=1, schema_extra=AT_LEAST_0)]
    interval_high: Annotated[float, KwargDefinition(ge=0, le=1, schema_extra=AT_LEAST_0)]


@dataclass
class TurnoverOut:
    """A group's leavers in some released periods against its headcount, as far as shown figures tell: a
    hidden period adds the range they leave for it. `leavers_high` and `rate_high` are null when
    nothing shown bounds them; `rate_low` and `rate_high` are leavers per person a year."""

    periods: list[str]
    leavers_low: Annotated[int, KwargDefinition(ge=0, schema_extra=AT_LEAST_0)]
    leavers_high: Count
    rate_low: Annotated[float, KwargDefinition(ge=0, schema_extra=AT_LEAST_0)]
    rate_high: Annotated[float | None, KwargDefinition(ge=0, schema_extra=AT_LEAST_0)]


@dataclass
class EffectOut:
    """Did a done action work: its group's leavers before it started and after it was done, from released
    periods, against its target. `verdict`: target_met, improving, no_change, worse, too_few or awaiting;
    `too_few`: no_before, hidden_before, hidden_after, few_before or few_after (open is no longer given).
    `evidence`: what the verdict rests on: exit_themes (leavers raising the theme, given in `before` and
    `after`), stay_themes (stay interviews raising it, given in `before` and `after` instead) or turnover
    (the group's leavers against its headcount, when too few leavers raise the theme to tell; given in
    `turnover_before` and `turnover_after`, null otherwise).
    `difference` (after minus before) is null unless both
    shares are exact; its 95 % interval holding zero means chance alone could explain it."""

    theme_id: Id
    verdict: str
    too_few: str | None
    evidence: str
    before: SideOut | None
    after: SideOut | None
    target_share: Share
    difference: float | None
    difference_low: float | None
    difference_high: float | None
    first_figures_on: date | None
    turnover_before: TurnoverOut | None = None
    turnover_after: TurnoverOut | None = None


def _side_out(side: Side | None) -> SideOut | None:
    if side is None or not side.periods:
        return None
    low, high = side.interval
    return SideOut(periods=[span.key for span in side.periods], hidden_periods=[span.key for span in side.hidden],
                   raised_count=side.raised, raised_low=side.raised, raised_high=side.raised,
                   leavers_count=side.leavers, share=side.share, interval_low=low, interval_high=high)


def _turnover_out(side: TurnoverSide) -> TurnoverOut:
    return TurnoverOut(periods=[span.key for span in side.periods], leavers_low=side.leavers_low,
                       leavers_high=side.leavers_high, rate_low=side.rate_low, rate_high=side.rate_high)


def _effect_out(found: tuple[Effect, int] | None) -> EffectOut | None:
    if found is None:
        return None
    effect, theme_id = found
    interval = effect.difference_interval
    return EffectOut(
        theme_id=theme_id, verdict=effect.verdict.value, too_few=effect.too_few.value if effect.too_few else None,
        evidence=effect.evidence.value,
        before=_side_out(effect.before), after=_side_out(effect.after), target_share=effect.target_share,
        difference=effect.difference, difference_low=interval[0] if interval else None,
        difference_high=interval[1] if interval else None, first_figures_on=effect.first_figures_on,
        turnover_before=_turnover_out(effect.turnover[0]) if effect.turnover else None,
        turnover_after=_turnover_out(effect.turnover[1]) if effect.turnover else None)


# --- the action's details, derived from ActionDetails ----------------------------------------------
# The API carries every field of ActionDetails, so a new text of an action needs nothing here:
# - a text written in each language (LANGUAGE_TEXTS) is `<text>`, one language (read: the token user's, else
#   the first of nl, fr, en that has one; written: in `language`), and `<text>s`, every language at once
#   (an object such as `titles`: {"nl": ..., "fr": ..., "en": ...}, named `Titles` in the schema);
# - a text written once (FREE_TEXTS) is itself;
# - each text's limit is its column's max_length, as the service checks it.
# The other fields of ActionDetails carry the API types below (an enum, the limits); a field without one stops
# the import, and tests/test_api_schema.py checks that the schema has every field.
DETAIL_TYPES: dict[str, Any] = {
    "scope": Scope,
    "department_id": OptionalId,
    "job_family_id": OptionalId,
    "target_share": Share,  # a share between 0 and 1
    "theme_ids": list[Id],
}
# Schema names given before the schemas were derived (clients generated from the schema use them).
SCHEMA_NAMES = {"public_summary": "Summaries"}
# The one text every action has (in at least one language); an action read also says which language it is in.
REQUIRED_TEXT = "title"
Language = Literal["nl", "fr", "en"]


def every_language(text: str) -> str:
    """The name of the object holding `text` in every language: `titles`, `public_summaries`."""
    return f"{text[:-1]}ies" if text.endswith("y") else f"{text}s"


def _text(limit: int, *, required: bool = False) -> Any:
    return Annotated[str, KwargDefinition(min_length=1 if required else None, max_length=limit)]


def _limit(text: str) -> int:
    return max(column_limit(ActionItem, f"{text}_{language}") for language in LANGUAGES)


def _schema_class(name: str, fields: list[tuple[str, Any, Any]], doc: str) -> type:
    cls = make_dataclass(name, fields, kw_only=True)
    cls.__module__, cls.__doc__ = __name__, doc  # named as if written here: the schema calls it `name`
    return cls


PER_LANGUAGE = {
    text: _schema_class(
        SCHEMA_NAMES.get(text) or "".join(word.title() for word in every_language(text).split("_")),
        [(language, _text(column_limit(ActionItem, f"{text}_{language}")), field(default=""))
         for language in LANGUAGES],
        f"An action's {text.replace('_', ' ')} per language; an empty string: not written in that language.")
    for text in LANGUAGE_TEXTS
}


def _to_api(kind: Any, value: Any) -> Any:
    """A value of ActionDetails as the API types it (scope: an enum; themes: a list)."""
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    return list(value) if isinstance(value, tuple) else value


def _to_details(value: Any) -> Any:
    """A value sent to the API as ActionDetails holds it."""
    if isinstance(value, Enum):
        return value.value
    return tuple(value) if isinstance(value, list) else value


def _detail_fields(*, read: bool) -> list[tuple[str, Any, Any]]:
    """The fields that carry ActionDetails, in its order: for an action read, all there; for one created, all
    optional with ActionDetails' defaults."""

    def default(value: Any) -> Any:
        if read:
            return field()
        return field(default_factory=partial(list, value)) if isinstance(value, list) else field(default=value)

    fields_: list[tuple[str, Any, Any]] = []
    for item in dataclasses.fields(ActionDetails):
        text, _sep, language = item.name.rpartition("_")
        if text in LANGUAGE_TEXTS and language in LANGUAGES:
            if language == LANGUAGES[0]:
                fields_.append((text, _text(_limit(text), required=read and text == REQUIRED_TEXT), default("")))
                if read and text == REQUIRED_TEXT:
                    fields_.append((f"{text}_language", Language, field()))
                per_language = PER_LANGUAGE[text]
                fields_.append((every_language(text), per_language if read else per_language | None, default(None)))
        elif item.name in FREE_TEXTS:
            fields_.append((item.name, _text(column_limit(ActionItem, item.name)), default(item.default)))
        elif item.name in DETAIL_TYPES:
            kind = DETAIL_TYPES[item.name]
            fields_.append((item.name, kind, default(_to_api(kind, item.default))))
        else:
            raise LookupError(f"ActionDetails.{item.name} has no API type: add it to api.DETAIL_TYPES")
    return fields_


_ActionOutDetails: Any = _schema_class("_ActionOutDetails", _detail_fields(read=True), "")
_ActionCreateDetails: Any = _schema_class("_ActionCreateDetails", _detail_fields(read=False), "")


def _details_out(action: ActionItem, theme_ids: list[int]) -> dict[str, Any]:
    """The values of ActionOut's fields that carry the action's ActionDetails."""
    details = ActionDetails.of(action, theme_ids)
    values: dict[str, Any] = {}
    for text in LANGUAGE_TEXTS:
        written = {language: getattr(details, f"{text}_{language}") for language in LANGUAGES}
        shown = localized(written, i18n.current_language())
        values[text] = shown.text
        if text == REQUIRED_TEXT:
            values[f"{text}_language"] = shown.lang or "en"
        values[every_language(text)] = PER_LANGUAGE[text](**written)
    values |= {name: getattr(details, name) for name in FREE_TEXTS}
    values |= {name: _to_api(kind, getattr(details, name)) for name, kind in DETAIL_TYPES.items()}
    return values


def _details_in(data: ActionCreate) -> ActionDetails:
    """The ActionDetails an ActionCreate writes: a text sent once is in `language`, the objects win over it."""
    language = data.language or i18n.current_language()
    values: dict[str, Any] = {}
    for text in LANGUAGE_TEXTS:
        per_language = getattr(data, every_language(text))
        written = {language: getattr(data, text)} | (
            {key: value for key, value in vars(per_language).items() if value} if per_language else {})
        values |= {f"{text}_{key}": value for key, value in written.items()}
    values |= {name: _to_details(getattr(data, name)) for name in (*FREE_TEXTS, *DETAIL_TYPES)}
    return ActionDetails(**values)


@dataclass(kw_only=True)
class ActionOut(_ActionOutDetails):
    """An action. Each text written in each language (title, description, success measure, public summary) comes
    twice: `title` in the token user's language, else the first of nl, fr, en that has one (`title_language` says
    which), and `titles` with every language."""

    id: Id
    group_name: str | None
    owner_id: Id
    owner_name: str
    deadline: date
    status: ActionStatus
    progress: Percent
    published: bool
    completed_on: date | None
    overdue: bool
    on_time: bool | None
    days_left: int
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


@dataclass(kw_only=True)
class ActionCreate(_ActionCreateDetails):
    """Each text written in each language (title, description, success measure, public summary) can be sent once,
    `title` in `language` (the token user's language by default), or in any languages at once, `titles`, which
    wins over it. At least one title."""

    owner_id: Id
    deadline: Deadline
    language: Language | None = None
    published: bool = False
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
WITH_BODY = {**ERRORS, 415: ResponseSpec(
    data_container=ErrorOut, description="The body is not JSON: send it with `Content-Type: application/json`")}
NOT_FOUND = {404: ResponseSpec(data_container=ErrorOut, description="No such action")}
CONFLICT = {409: ResponseSpec(data_container=ErrorOut,
                              description="Changed since `version`; `extra.current` holds the current action")}



def _out(row: queries.ActionRow, *, today: date, evidence: queries.EvidenceView | None,
         effect: tuple[Effect, int] | None) -> ActionOut:
    action = row.action
    return ActionOut(
        id=action.id, **_details_out(action, [theme.id for theme in row.themes]), group_name=row.group_name,
        owner_id=action.owner_id, owner_name=row.owner_name, deadline=action.deadline,
        status=ActionStatus(action.status), progress=action.progress, published=action.published,
        completed_on=action.completed_on, overdue=is_overdue(action, today=today), on_time=is_on_time(action),
        days_left=days_left(action, today=today),
        evidence=None if evidence is None else EvidenceOut(
            theme_id=evidence.theme.id, period_start=evidence.period_start, period_end=evidence.period_end,
            raised_count=evidence.raised, leavers_count=evidence.leavers, hidden=evidence.hidden,
            period=evidence.period_key, source=evidence.source,
        ),
        version=action.version, updated_at=action.updated_at, effect=_effect_out(effect),
    )


async def _read(request: Request, db: AsyncSession, settings: Settings, disclosure: Disclosure,
                action_id: int) -> ActionOut:
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


async def _conflict(
    request: Request, db: AsyncSession, settings: Settings, disclosure: Disclosure, conflict: ActionConflict,
) -> ClientException:
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
    status: Annotated[str | None,
                      QueryParameter(description="A status, or `open` for planned, in progress and blocked")] = None,
    owner: Annotated[int | None, QueryParameter(description="Owner's user id", ge=1, le=MAX_ID)] = None,
    theme: Annotated[int | None, QueryParameter(description="Theme id", ge=1, le=MAX_ID)] = None,
    group_scope: Annotated[Scope | None,
                           QueryParameter(name="scope", description="company, department or job_family")] = None,
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
    found = await _effects(request, db, settings, disclosure,
                           [row.action.id for row in rows if row.action.status == ActionStatus.DONE])
    return [_out(row, today=today, evidence=evidence.get(row.action.id), effect=found.get(row.action.id))
            for row in rows]


@get("/actions/{action_id:int}", name="api.action", responses={**ERRORS, **NOT_FOUND}, summary="Read an action")
async def read_action(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    disclosure: NamedDependency[Disclosure],
    action_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
) -> ActionOut:
    return await _read(request, db, settings, disclosure, action_id)


@post("/actions", name="api.actions.create", responses=WITH_BODY, summary="Create an action (HR)")
async def create_action(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    data: JSONBody[ActionCreate], disclosure: NamedDependency[Disclosure],
) -> ActionOut:
    """A new planned action. With `evidence`, the counts are computed for the action's group."""
    details = _details_in(data)
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
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    disclosure: NamedDependency[Disclosure],
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
            checked.errors[f"question_{item.question_id}"] = _(
                "This question is not asked of this department and job family.")
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
                 changes={**audited_answers(checked.values), **extra_rules.audited(answers),
                          "themes": checked.theme_ids, "via": "api"}, request=request)
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
