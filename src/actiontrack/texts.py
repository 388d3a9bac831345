"""Texts written in several languages (action titles, department names): which one a reader sees.

One rule for every page, feed and email: the reader's language, else the first of FALLBACK_ORDER that
has a text. Dutch and French come before English because staff are Belgian; a page marks the text
with `lang` whenever the language shown is not the page's (see `lang_attribute`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy import ColumnElement, case, func

from actiontrack.i18n import current_language
from actiontrack.settings import LANGUAGES

FALLBACK_ORDER = ("nl", "fr", "en")


@dataclass(frozen=True)
class Localized:
    """A text and the language it is written in (None: unknown, e.g. a department's key name)."""

    text: str
    lang: str | None

    def __str__(self) -> str:
        return self.text

    def differs_from(self, language: str) -> bool:
        return self.lang is not None and self.lang != language


@dataclass(frozen=True)
class Texts:
    """One text in each language, for what is written before its reader is known (emails, digests)."""

    nl: str = ""
    fr: str = ""
    en: str = ""

    def in_language(self, language: str | None = None) -> Localized:
        """What a reader of `language` (the current one by default) sees."""
        return localized({"nl": self.nl, "fr": self.fr, "en": self.en}, language or current_language())

    def __str__(self) -> str:
        return self.in_language().text


def lang_attribute(text: Localized | Texts | str | None, page_language: str) -> Markup:
    """` lang="fr"` for an element showing `text`, when its language is not the page's; else nothing."""
    if isinstance(text, Texts):
        text = text.in_language(page_language)
    if isinstance(text, Localized) and text.differs_from(page_language):
        return Markup(' lang="{}"').format(text.lang)
    return Markup("")


def fallback_order(language: str) -> tuple[str, ...]:
    """The languages tried for a reader of `language`, best first."""
    return (language, *(other for other in FALLBACK_ORDER if other != language))


def localized(texts: Mapping[str, str | None], language: str, *, default: str = "",
              fallback: bool = True) -> Localized:
    """The text a reader of `language` sees; `default` (language unknown) when no language has one.

    Without `fallback`, only the reader's language is tried before `default` (group names: their
    `name` is what staff know them by).
    """
    for candidate in fallback_order(language) if fallback else (language,):
        text = texts.get(candidate)
        if text:
            return Localized(text, candidate)
    return Localized(default, None)


def missing_languages(texts: Mapping[str, str | None]) -> list[str]:
    """The languages without a text, in the order of LANGUAGES."""
    return [language for language in LANGUAGES if not texts.get(language)]


def localized_sql(columns: Mapping[str, Any], language: str) -> tuple[ColumnElement[str], ColumnElement[str | None]]:
    """The same rule as `localized`, as SQL: the text and its language, from one column per language."""
    order = fallback_order(language)
    text = func.coalesce(*(func.nullif(columns[candidate], "") for candidate in order), "")
    lang = case(*((columns[candidate] != "", candidate) for candidate in order), else_=None)
    return text, lang


def name_sql(names: Mapping[str, Any], key: Any, language: str) -> ColumnElement[str]:
    """A group's name for a reader of `language` in SQL: its name in that language, else its key name."""
    return func.coalesce(func.nullif(names[language], ""), key)
