"""HR's extra questions: the list with a summary of the answers, adding (or from the library), editing, retiring.

Templates in templates/questions/.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.i18n import gettext as _
from actiontrack.interviews.queries import form_options
from actiontrack.interviews.rules import FormOptions, form_text, offered
from actiontrack.models import ExtraQuestion, QuestionKind
from actiontrack.questions.library import LIBRARY, library_entry
from actiontrack.questions.queries import (
    add_question,
    all_questions,
    answered_languages,
    change_question,
    question_or_404,
    summaries,
)
from actiontrack.questions.rules import (
    ASKED_IN_LABELS,
    ENTITY,
    KIND_LABELS,
    QUESTION_FIELDS,
    check_question,
    options,
    wording,
)
from actiontrack.settings import LANGUAGES
from actiontrack.web import FormBody, hr_only, redirect_to


def _context(options_: FormOptions, form: Mapping[str, Any], errors: Mapping[str, str]) -> dict[str, Any]:
    chosen = {name: [int(item) for item in form.get(name, [])] for name in ("department_ids", "job_family_ids")}
    return {
        "form": form, "errors": errors,
        # In the page's language (the form's radios show them as given).
        "kind_labels": {key: _(label) for key, label in KIND_LABELS.items()},
        "asked_in_labels": {key: _(label) for key, label in ASKED_IN_LABELS.items()},
        "department_choices": [(item.id, item.name)
                               for item in offered(options_.departments, kept=chosen["department_ids"])],
        "job_family_choices": [(item.id, item.name)
                               for item in offered(options_.job_families, kept=chosen["job_family_ids"])],
    }


def _form_of(question: ExtraQuestion) -> dict[str, Any]:
    return {name: getattr(question, name) for name in QUESTION_FIELDS}


@get("/questions", name="questions", guards=hr_only)
async def questions_page(db: NamedDependency[AsyncSession]) -> Template:
    options_ = await form_options(db)
    context = {
        "questions": await all_questions(db), "summaries": await summaries(db), "kind_labels": KIND_LABELS,
        "asked_in_labels": ASKED_IN_LABELS,
        "library": LIBRARY, "wording": wording, "options": options,
    }
    names = {**{("d", item.id): item.name for item in options_.departments},
             **{("j", item.id): item.name for item in options_.job_families}}
    context["audience"] = lambda question: ", ".join(
        [names[("d", item)] for item in question.department_ids if ("d", item) in names]
        + [names[("j", item)] for item in question.job_family_ids if ("j", item) in names])
    return Template("questions/index.html", context=context)


@get("/questions/new", name="questions.new", guards=hr_only)
async def new_question(db: NamedDependency[AsyncSession]) -> Template:
    form = {**{name: "" for name in QUESTION_FIELDS}, "kind": QuestionKind.SCALE.value, "asked_in": "exit",
            "department_ids": [],
            "job_family_ids": []}
    return Template("questions/form.html", context={"question": None, **_context(await form_options(db), form, {})})


async def _checked(
    request: Request, db: AsyncSession, data: Mapping[str, Any], *, series_id: int | None = None,
) -> tuple[Any, FormOptions, dict[str, Any]]:
    submitted = await request.form()
    options_ = await form_options(db)
    chosen = {name: [value for value in submitted.getall(name, []) if isinstance(value, str)]
              for name in ("department_ids", "job_family_ids")}
    checked = check_question(
        data, department_ids=chosen["department_ids"], job_family_ids=chosen["job_family_ids"],
        known_departments={item.id for item in options_.departments},
        known_job_families={item.id for item in options_.job_families},
        answered_languages=await answered_languages(db, series_id=series_id) if series_id else (),
    )
    form = {**{name: form_text(data, name)
               for name in ("kind", "asked_in",
                            *(f"{kind}_{code}" for kind in ("text", "options") for code in LANGUAGES))},
            **{name: checked.values[name] for name in ("department_ids", "job_family_ids")}}
    return checked, options_, form


@post("/questions/new", name="questions.create", guards=hr_only)
async def create_question(
    request: Request, db: NamedDependency[AsyncSession],
    data: FormBody[dict[str, Any]],
) -> Template | Redirect:
    checked, options_, form = await _checked(request, db, data)
    if checked.errors:
        return Template("questions/form.html", status_code=400,
                        context={"question": None, **_context(options_, form, checked.errors)})
    await add_question(db, values=checked.values, actor=request.user, request=request)
    return redirect_to(request, "questions")


@post("/questions/library", name="questions.add_from_library", guards=hr_only)
async def add_from_library(
    request: Request, db: NamedDependency[AsyncSession],
    data: FormBody[dict[str, Any]],
) -> Redirect:
    """Copy a library question into HR's questions (asked of everyone until HR chooses groups on its page)."""
    entry = library_entry(form_text(data, "entry"))
    if entry is None:
        return redirect_to(request, "questions")
    choices: Mapping[str, list[str]] = entry.get("options", {})  # type: ignore[assignment]
    values = {"kind": str(entry["kind"]), "asked_in": "exit",
              **{f"text_{code}": str(entry[code]) for code in LANGUAGES},
              **{f"options_{code}": "\n".join(choices.get(code, [])) for code in LANGUAGES},
              "department_ids": [], "job_family_ids": []}
    question = await add_question(db, values=values, actor=request.user, request=request)
    return redirect_to(request, "questions.edit", question_id=question.id)


@get("/questions/{question_id:int}/edit", name="questions.edit", guards=hr_only)
async def edit_question(db: NamedDependency[AsyncSession], question_id: FromPath[int]) -> Template:
    question = await question_or_404(db, question_id)
    return Template("questions/form.html",
                    context={"question": question, **_context(await form_options(db), _form_of(question), {})})


@post("/questions/{question_id:int}/edit", name="questions.update", guards=hr_only)
async def update_question(
    request: Request, db: NamedDependency[AsyncSession], question_id: FromPath[int],
    data: FormBody[dict[str, Any]],
) -> Template | Redirect:
    question = await question_or_404(db, question_id)
    checked, options_, form = await _checked(request, db, data, series_id=question.series_id)
    if not question.current:
        checked.errors["kind"] = _("A newer version of this question exists: edit that one.")
    if checked.errors:
        return Template("questions/form.html", status_code=400,
                        context={"question": question, **_context(options_, form, checked.errors)})
    await change_question(db, question=question, values=checked.values, actor=request.user, request=request)
    return redirect_to(request, "questions")


@post("/questions/{question_id:int}/retire", name="questions.retire", guards=hr_only)
async def retire_question(request: Request, db: NamedDependency[AsyncSession], question_id: FromPath[int]) -> Redirect:
    """Stop asking a question; its answers stay (on the interviews and in the summary)."""
    question = await question_or_404(db, question_id)
    if question.active:
        question.active = False
        audit.record(db, actor=request.user, verb="update", entity=ENTITY, entity_id=question.id,
                     changes={"active": [True, False]}, request=request)
    return redirect_to(request, "questions")


routes = [questions_page, new_question, create_question, add_from_library, edit_question, update_question,
          retire_question]
