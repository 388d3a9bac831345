"""HR's theme pages: the taxonomy (add, edit, retire) and each theme's library of suggested actions.

Templates in templates/themes/.
"""

from __future__ import annotations

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.i18n import current_language
from actiontrack.i18n import gettext as _
from actiontrack.models import Theme, ThemeSuggestion
from actiontrack.settings import LANGUAGES
from actiontrack.themes.queries import new_code, taxonomy, theme_or_404
from actiontrack.themes.rules import ThemeForm, validate_theme
from actiontrack.themes.suggested_actions import ENTITY, TEXT_FIELDS, SuggestionForm, check, find, library
from actiontrack.web import FormBody, hr_only, redirect_to

# --- the taxonomy -----------------------------------------------------------------------------


async def _page(
    session: AsyncSession, *, form: ThemeForm | None = None, errors: dict[str, str] | None = None,
) -> Template:
    context = {"themes": await taxonomy(session, language=current_language()), "form": form or ThemeForm(),
               "errors": errors or {}}
    return Template("themes/index.html", context=context, status_code=400 if errors else 200)


@get("/themes", name="themes", guards=hr_only)
async def themes_page(db: NamedDependency[AsyncSession]) -> Template:
    return await _page(db)


@post("/themes", name="themes.add", guards=hr_only)
async def add_theme(
    request: Request,
    db: NamedDependency[AsyncSession],
    data: FormBody[ThemeForm],
) -> Template | Redirect:
    checked = await validate_theme(db, form=data)
    if checked.errors:
        return await _page(db, form=data, errors=checked.errors)
    position = (await db.scalar(select(func.max(Theme.position)))) or 0
    theme = Theme(**checked.values, code=await new_code(db, name=str(checked.values["name_en"])),
                  position=position + 1, active=True)
    db.add(theme)
    await db.flush()
    audit.record(db, actor=request.user, verb="create", entity="theme", entity_id=theme.id,
                 changes={"code": theme.code, **checked.values}, request=request)
    return redirect_to(request, "themes")


@get("/themes/{theme_id:int}", name="themes.edit", guards=hr_only)
async def edit_theme(db: NamedDependency[AsyncSession], theme_id: FromPath[int]) -> Template:
    theme = await theme_or_404(db, theme_id)
    return Template("themes/edit.html", context={"theme": theme, "form": ThemeForm.of(theme), "errors": {}})


@post("/themes/{theme_id:int}", name="themes.update", guards=hr_only)
async def update_theme(
    request: Request,
    db: NamedDependency[AsyncSession],
    theme_id: FromPath[int],
    data: FormBody[ThemeForm],
) -> Template | Redirect:
    theme = await theme_or_404(db, theme_id)
    checked = await validate_theme(db, form=data, current_id=theme.id)
    if checked.errors:
        return Template("themes/edit.html", status_code=400,
                        context={"theme": theme, "form": data, "errors": checked.errors})
    # Retiring keeps the theme and its tags: past interviews and the radar's history stay intact.
    values = {**checked.values, "active": data.active == "on"}
    before = {name: getattr(theme, name) for name in values}
    for name, value in values.items():
        setattr(theme, name, value)
    changes = audit.changed_fields(before, values)
    if changes:
        audit.record(db, actor=request.user, verb="update", entity="theme", entity_id=theme.id,
                     changes=changes, request=request)
    return redirect_to(request, "themes")


# --- a theme's suggested actions --------------------------------------------------------------


async def _suggestion(session: AsyncSession, theme_id: int, suggestion_id: int) -> tuple[Theme, ThemeSuggestion]:
    """The theme of a URL and its suggestion (404 when either is missing, or the suggestion is another theme's)."""
    theme = await theme_or_404(session, theme_id)
    suggestion = await find(session, suggestion_id=suggestion_id)
    if suggestion is None or suggestion.theme_id != theme.id:
        raise NotFoundException()
    return theme, suggestion


def _language(value: str | None) -> str:
    return value if value in LANGUAGES else current_language()


def _back(request: Request, theme: Theme, language: str) -> Redirect:
    return redirect_to(request, "themes.suggestions", theme_id=theme.id, query={"language": language})


async def _library_page(
    session: AsyncSession, *, theme: Theme, language: str, form: SuggestionForm | None = None,
    errors: dict[str, str] | None = None,
) -> Template:
    context = {
        "theme": theme, "language": language, "library": await library(session, theme_id=theme.id),
        "form": form or SuggestionForm(language=language), "errors": errors or {},
    }
    return Template("themes/suggestions.html", context=context, status_code=400 if errors else 200)


@get("/themes/{theme_id:int}/suggestions", name="themes.suggestions", guards=hr_only)
async def suggestions_page(request: Request, db: NamedDependency[AsyncSession], theme_id: FromPath[int]) -> Template:
    """A theme's suggested actions in one language (`?language=`, the reader's by default)."""
    theme = await theme_or_404(db, theme_id)
    return await _library_page(db, theme=theme, language=_language(request.query_params.get("language")))


@post("/themes/{theme_id:int}/suggestions", name="themes.suggestions.add", guards=hr_only)
async def add_suggestion(
    request: Request,
    db: NamedDependency[AsyncSession],
    theme_id: FromPath[int],
    data: FormBody[SuggestionForm],
) -> Template | Redirect:
    theme = await theme_or_404(db, theme_id)
    values, errors = check(data)
    if data.language not in LANGUAGES:
        errors["language"] = _("Choose a language.")
    if errors:
        return await _library_page(db, theme=theme, language=_language(data.language), form=data, errors=errors)
    last = await db.scalar(select(func.max(ThemeSuggestion.position)).where(
        ThemeSuggestion.theme_id == theme.id, ThemeSuggestion.language == data.language))
    suggestion = ThemeSuggestion(theme_id=theme.id, language=data.language, position=(last or 0) + 1, **values)
    db.add(suggestion)
    await db.flush()
    audit.record(db, actor=request.user, verb="create", entity=ENTITY, entity_id=suggestion.id, request=request,
                 changes={"theme_id": theme.id, "language": data.language, "position": suggestion.position, **values})
    return _back(request, theme, data.language)


@get("/themes/{theme_id:int}/suggestions/{suggestion_id:int}", name="themes.suggestions.edit", guards=hr_only)
async def edit_suggestion(db: NamedDependency[AsyncSession], theme_id: FromPath[int],
                          suggestion_id: FromPath[int]) -> Template:
    theme, suggestion = await _suggestion(db, theme_id, suggestion_id)
    return Template("themes/suggestion_edit.html", context={
        "theme": theme, "suggestion": suggestion, "form": SuggestionForm.of(suggestion), "errors": {},
    })


@post("/themes/{theme_id:int}/suggestions/{suggestion_id:int}", name="themes.suggestions.update", guards=hr_only)
async def update_suggestion(
    request: Request,
    db: NamedDependency[AsyncSession],
    theme_id: FromPath[int],
    suggestion_id: FromPath[int],
    data: FormBody[SuggestionForm],
) -> Template | Redirect:
    theme, suggestion = await _suggestion(db, theme_id, suggestion_id)
    values, errors = check(data)
    if errors:
        return Template("themes/suggestion_edit.html", status_code=400, context={
            "theme": theme, "suggestion": suggestion, "form": data, "errors": errors,
        })
    before = {name: getattr(suggestion, name) for name in values}
    for name, value in values.items():
        setattr(suggestion, name, value)
    if changes := audit.changed_fields(before, values):
        audit.record(db, actor=request.user, verb="update", entity=ENTITY, entity_id=suggestion.id,
                     changes=changes, request=request)
    return _back(request, theme, suggestion.language)


@post("/themes/{theme_id:int}/suggestions/{suggestion_id:int}/delete", name="themes.suggestions.delete",
      guards=hr_only)
async def delete_suggestion(request: Request, db: NamedDependency[AsyncSession], theme_id: FromPath[int],
                            suggestion_id: FromPath[int]) -> Redirect:
    theme, suggestion = await _suggestion(db, theme_id, suggestion_id)
    # The audit entry keeps the whole text: a deleted default can be typed in again from it.
    audit.record(db, actor=request.user, verb="delete", entity=ENTITY, entity_id=suggestion.id, request=request,
                 changes={"theme_id": theme.id, "language": suggestion.language,
                          **{name: getattr(suggestion, name) for name in TEXT_FIELDS}})
    await db.delete(suggestion)
    return _back(request, theme, suggestion.language)


@post("/themes/{theme_id:int}/suggestions/{suggestion_id:int}/move", name="themes.suggestions.move",
      guards=hr_only)
async def move_suggestion(request: Request, db: NamedDependency[AsyncSession], theme_id: FromPath[int],
                          suggestion_id: FromPath[int]) -> Redirect:
    """One place up or down in its language's list (`direction=up|down`); at either end nothing moves."""
    theme, suggestion = await _suggestion(db, theme_id, suggestion_id)
    direction = (await request.form()).get("direction")
    siblings = (await library(db, theme_id=theme.id))[suggestion.language]
    index = siblings.index(suggestion)
    other = index - 1 if direction == "up" else index + 1 if direction == "down" else -1
    if 0 <= other < len(siblings):
        before = [item.id for item in siblings]
        # Renumber the whole list: positions may have gaps or ties after deletions and additions.
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, item in enumerate(siblings, start=1):
            item.position = position
        audit.record(db, actor=request.user, verb="move", entity=ENTITY, entity_id=suggestion.id, request=request,
                     changes={"order": [before, [item.id for item in siblings]]})
    return _back(request, theme, suggestion.language)


routes = [
    themes_page, add_theme, edit_theme, update_theme,
    suggestions_page, add_suggestion, edit_suggestion, update_suggestion, delete_suggestion, move_suggestion,
]
