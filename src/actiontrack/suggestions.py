"""Suggested actions: proven responses per theme and language, offered when HR creates an action.

HR keeps the library per theme and language under /themes/{id}/suggestions; the defaults come
from migration 0013. The action form (/actions/new) lists a theme's suggestions in the reader's
language and fills its fields from the one HR picks; picking never saves anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.actions.service import MAX_TEXT, MAX_TITLE
from actiontrack.i18n import current_language
from actiontrack.i18n import gettext as _
from actiontrack.models import Theme, ThemeSuggestion
from actiontrack.settings import LANGUAGES
from actiontrack.themes import theme_or_404
from actiontrack.web import hr_only, redirect_to

ENTITY = "theme_suggestion"
TEXT_FIELDS = ("title", "description", "public_summary", "success_measure")
FALLBACK_LANGUAGE = "en"


# --- reading --------------------------------------------------------------------------------------


def in_language(suggestions: Sequence[ThemeSuggestion], language: str) -> list[ThemeSuggestion]:
    """The suggestions in `language`; failing that in English; failing that in the first language that has any."""
    for wanted in (language, FALLBACK_LANGUAGE, *LANGUAGES):
        chosen = [suggestion for suggestion in suggestions if suggestion.language == wanted]
        if chosen:
            return chosen
    return []


@dataclass(frozen=True)
class Offered:
    """One theme's suggestions as the action form shows them."""

    theme: Theme
    suggestions: list[ThemeSuggestion]


async def offered(session: AsyncSession, *, theme_ids: Sequence[int], language: str) -> list[Offered]:
    """For each theme (in the order given), its suggestions in the reader's language or the nearest one."""
    if not theme_ids:
        return []
    themes = {theme.id: theme for theme in (await session.execute(select(Theme).where(Theme.id.in_(theme_ids)))).scalars()}
    query = (
        select(ThemeSuggestion)
        .where(ThemeSuggestion.theme_id.in_(theme_ids))
        .order_by(ThemeSuggestion.position, ThemeSuggestion.id)
    )
    by_theme: dict[int, list[ThemeSuggestion]] = {}
    for suggestion in (await session.execute(query)).scalars():
        by_theme.setdefault(suggestion.theme_id, []).append(suggestion)
    return [
        Offered(themes[theme_id], in_language(by_theme.get(theme_id, []), language))
        for theme_id in dict.fromkeys(theme_ids) if theme_id in themes
    ]


async def library(session: AsyncSession, *, theme_id: int) -> dict[str, list[ThemeSuggestion]]:
    """A theme's whole library, per language, in order."""
    query = (
        select(ThemeSuggestion)
        .where(ThemeSuggestion.theme_id == theme_id)
        .order_by(ThemeSuggestion.position, ThemeSuggestion.id)
    )
    by_language: dict[str, list[ThemeSuggestion]] = {language: [] for language in LANGUAGES}
    for suggestion in (await session.execute(query)).scalars():
        by_language.setdefault(suggestion.language, []).append(suggestion)
    return by_language


async def find(session: AsyncSession, *, suggestion_id: int | None) -> ThemeSuggestion | None:
    if suggestion_id is None or not 0 < suggestion_id < 2**31:
        return None
    return await session.get(ThemeSuggestion, suggestion_id)


async def translations_of(session: AsyncSession, *, suggestion: ThemeSuggestion) -> dict[str, ThemeSuggestion]:
    """The same suggestion in the other languages: the theme's suggestions at the same position in each."""
    query = select(ThemeSuggestion).where(
        ThemeSuggestion.theme_id == suggestion.theme_id, ThemeSuggestion.position == suggestion.position,
        ThemeSuggestion.language != suggestion.language,
    ).order_by(ThemeSuggestion.id)
    found: dict[str, ThemeSuggestion] = {}
    for other in (await session.execute(query)).scalars():
        found.setdefault(other.language, other)
    return found


# --- checking ---------------------------------------------------------------------------------------


@dataclass
class SuggestionForm:
    """A suggestion as typed on the themes page; `language` is read only when adding."""

    language: str = ""
    title: str = ""
    description: str = ""
    public_summary: str = ""
    success_measure: str = ""

    @classmethod
    def of(cls, suggestion: ThemeSuggestion) -> SuggestionForm:
        return cls(language=suggestion.language, **{name: getattr(suggestion, name) for name in TEXT_FIELDS})


def check(form: SuggestionForm) -> tuple[dict[str, str], dict[str, str]]:
    """The tidied texts and a message per field that breaks a rule (the limits of the action fields it fills)."""
    values = {
        "title": " ".join(form.title.split()),
        **{name: getattr(form, name).replace("\r\n", "\n").strip() for name in TEXT_FIELDS[1:]},
    }
    errors: dict[str, str] = {}
    if not values["title"]:
        errors["title"] = _("Enter a title.")
    elif len(values["title"]) > MAX_TITLE:
        errors["title"] = _("Use at most %(max)d characters.") % {"max": MAX_TITLE}
    for name in TEXT_FIELDS[1:]:
        if len(values[name]) > MAX_TEXT:
            errors[name] = _("Use at most %(max)d characters.") % {"max": MAX_TEXT}
    return values, errors


# --- HR keeps the library ---------------------------------------------------------------------------



async def _suggestion(session: AsyncSession, theme: Theme, suggestion_id: int) -> ThemeSuggestion:
    suggestion = await find(session, suggestion_id=suggestion_id)
    if suggestion is None or suggestion.theme_id != theme.id:
        raise NotFoundException()
    return suggestion


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
    data: Annotated[SuggestionForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
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
    theme = await theme_or_404(db, theme_id)
    suggestion = await _suggestion(db, theme, suggestion_id)
    return Template("themes/suggestion_edit.html", context={
        "theme": theme, "suggestion": suggestion, "form": SuggestionForm.of(suggestion), "errors": {},
    })


@post("/themes/{theme_id:int}/suggestions/{suggestion_id:int}", name="themes.suggestions.update", guards=hr_only)
async def update_suggestion(
    request: Request,
    db: NamedDependency[AsyncSession],
    theme_id: FromPath[int],
    suggestion_id: FromPath[int],
    data: Annotated[SuggestionForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    theme = await theme_or_404(db, theme_id)
    suggestion = await _suggestion(db, theme, suggestion_id)
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
    theme = await theme_or_404(db, theme_id)
    suggestion = await _suggestion(db, theme, suggestion_id)
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
    theme = await theme_or_404(db, theme_id)
    suggestion = await _suggestion(db, theme, suggestion_id)
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


routes = [suggestions_page, add_suggestion, edit_suggestion, update_suggestion, delete_suggestion, move_suggestion]
