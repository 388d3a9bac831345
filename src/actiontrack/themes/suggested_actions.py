"""Suggested actions: proven responses per theme and language, offered when HR creates an action.

HR keeps the library per theme and language under /themes/{id}/suggestions (themes/pages.py); the
defaults come from migration 0013. The action form (/actions/new) lists a theme's suggestions in the
reader's language and fills its fields from the one HR picks; picking never saves anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.actions.service import MAX_TEXT, MAX_TITLE
from actiontrack.i18n import gettext as _
from actiontrack.models import Theme, ThemeSuggestion
from actiontrack.params import text_fields
from actiontrack.settings import LANGUAGES

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
    themes = {theme.id: theme
              for theme in (await session.execute(select(Theme).where(Theme.id.in_(theme_ids)))).scalars()}
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
    """The suggestion with this id, or None (also for an id no column can hold)."""
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


@text_fields("language", *TEXT_FIELDS)
class SuggestionForm:
    """A suggestion as typed on the themes page; `language` is read only when adding."""

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
