"""The survey pages: HR's list of links and the form that makes one; the public page a link opens, and its thanks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.i18n import current_language, set_language
from actiontrack.interviews.kinds import EXIT_WORDS, STAY_WORDS
from actiontrack.interviews.queries import form_options
from actiontrack.interviews.rules import ANSWER_FIELDS, STAY_ANSWER_FIELDS, form_text, labels, stay_labels
from actiontrack.models import ExtraQuestion, Source, SurveyInvitation
from actiontrack.paging import page_count
from actiontrack.params import parse_id
from actiontrack.questions import rules as extra_rules
from actiontrack.questions.queries import questions_for
from actiontrack.settings import LANGUAGES, Settings
from actiontrack.surveys.queries import (
    PAGE_SIZE,
    claim,
    find_invitation,
    keep_answers,
    list_links,
    save_new_invitation,
    waiting_answers,
)
from actiontrack.surveys.rules import (
    KIND_LABELS,
    STATUS_LABELS,
    LinkForm,
    LinkStatus,
    check_link,
    check_survey_answers,
    link_status,
)
from actiontrack.web import FormBody, hr_only, redirect_to

_NEW_LINK_KEY = "new_survey_link"
# The token is in the URL of every survey page: it must not travel on to another site.
SURVEY_HEADERS = {"Referrer-Policy": "no-referrer"}


# --- HR: the links ----------------------------------------------------------------------------


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
        "survey_days": settings.survey_days, "waiting": await waiting_answers(session),
        "page_query": lambda page: urlencode({key: value for key, value in (("status", status), ("page", page))
                                              if value}),
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
    data: FormBody[LinkForm],
) -> Template | Redirect:
    checked = check_link(data, options=await form_options(db))
    if checked.errors:
        return await _links_page(request, db, settings, form=data, errors=checked.errors)
    token = await save_new_invitation(
        db, department_id=checked.department_id, job_family_id=checked.job_family_id, language=data.language,
        kind=data.kind, days=settings.survey_days, now=clock.utcnow(), actor=request.user, request=request,
    )
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


def _survey_form(token: str, *, kind: str, form: dict[str, str], errors: dict[str, str],
                 extra: Sequence[ExtraQuestion] = ()) -> Template:
    stay = kind == Source.STAY
    context = {"token": token, "form": form, "errors": errors, "today": clock.today(),
               **(stay_labels() if stay else labels()), "survey": True, "words": STAY_WORDS if stay else EXIT_WORDS}
    # HR's extra questions for the group follow the standard ones.
    context |= extra_rules.form_context(extra, labels=context["questions"],
                                        order=STAY_ANSWER_FIELDS if stay else ANSWER_FIELDS)
    return Template("surveys/survey.html", context=context, status_code=400 if errors else 200, headers=SURVEY_HEADERS)


async def _extra_for(db: AsyncSession, invitation: SurveyInvitation) -> list[ExtraQuestion]:
    """The extra questions of the survey's group asked in its kind of interview (exit or stay)."""
    return await questions_for(db, department_id=invitation.department_id, job_family_id=invitation.job_family_id,
                               kind=Source(invitation.kind).value)


@get("/survey/{token:str}", name="survey")
async def survey_page(request: Request, db: NamedDependency[AsyncSession], token: FromPath[str]) -> Template:
    invitation = await find_invitation(db, token=token)
    if invitation is None:
        return _closed_page(None)
    _speak_leavers_language(request, invitation)
    status = link_status(invitation, now=clock.utcnow())
    if status != LinkStatus.PENDING:
        return _closed_page(status, kind=invitation.kind)
    return _survey_form(token, kind=invitation.kind, form={}, errors={}, extra=await _extra_for(db, invitation))


@post("/survey/{token:str}", name="survey.submit")
async def submit_survey(
    request: Request,
    db: NamedDependency[AsyncSession],
    token: FromPath[str],
    data: FormBody[dict[str, Any]],
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
    values, errors = check_survey_answers(data, kind=kind, today=clock.today())
    extra = await _extra_for(db, invitation)
    answers, extra_errors = extra_rules.check_answers(data, extra)
    errors.update(extra_errors)
    if errors:
        form = {name: form_text(data, name) for name in (*values, *(extra_rules.field_name(item) for item in extra))}
        return _survey_form(token, kind=kind, form=form, errors=errors, extra=extra)
    # Read before the claim, which makes the link forget them.
    department_id, job_family_id = invitation.department_id, invitation.job_family_id
    # Checked first, claimed second: a form with mistakes does not use up the link. The answers are
    # kept in the claim's transaction and become an interview in a later one (see the package's docstring).
    if not await claim(db, invitation=invitation, now=now):
        return _closed_page(LinkStatus.USED, kind=kind)
    await keep_answers(db, kind=kind, values=values, department_id=department_id, job_family_id=job_family_id,
                       language=current_language(), now=now, today=clock.today(), extra=answers)
    stay = kind == Source.STAY
    return redirect_to(request, "survey.thanks", query={"lang": current_language(), **({"kind": kind} if stay else {})})


@get("/survey-thanks", name="survey.thanks", sync_to_thread=False)
def survey_thanks(kind: FromQuery[str | None] = None) -> Template:
    return Template("surveys/thanks.html", context={"kind": kind if kind in KIND_LABELS else Source.EXIT.value})


routes = [surveys_page, create_link, survey_page, submit_survey, survey_thanks]
