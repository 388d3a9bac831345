"""Themes: the taxonomy, suggestions from free text, and how often leavers raise each theme."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Annotated

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.i18n import current_language
from actiontrack.i18n import gettext as _
from actiontrack.models import (
    ExitInterview,
    InterviewTheme,
    Scope,
    Source,
    StayInterview,
    StayInterviewTheme,
    Theme,
    ThemeSuggestion,
    column_limit,
)
from actiontrack.settings import LANGUAGES
from actiontrack.web import hr_only, redirect_to


@dataclass(frozen=True)
class ThemeEvidence:
    """How many leavers of a group left in a period, and how many of them raised the theme."""

    theme_id: int
    period_start: date
    period_end: date
    raised: int
    leavers: int

    @property
    def share(self) -> float | None:
        return self.raised / self.leavers if self.leavers else None


async def theme_evidence(
    session: AsyncSession,
    *,
    theme_id: int,
    scope: Scope | str,
    group_id: int | None,
    period_start: date,
    period_end: date,
    source: str = Source.EXIT,
) -> ThemeEvidence:
    """Leavers (exit date within the period, both ends included) of a group and those raising a theme;
    with `source` "stay", the people of the group interviewed to stay in the period and those raising it."""
    if source == Source.STAY:
        raised_stay = (select(StayInterviewTheme.stay_interview_id).where(StayInterviewTheme.theme_id == theme_id)
                       .scalar_subquery())
        query = select(func.count(StayInterview.id), func.count(StayInterview.id).filter(
            StayInterview.id.in_(raised_stay))).where(StayInterview.held_on.between(period_start, period_end))
        if scope == Scope.DEPARTMENT:
            query = query.where(StayInterview.department_id == group_id)
        elif scope == Scope.JOB_FAMILY:
            query = query.where(StayInterview.job_family_id == group_id)
        people, raised = (await session.execute(query)).one()
        return ThemeEvidence(theme_id, period_start, period_end, raised=raised, leavers=people)
    raised_theme = (
        select(InterviewTheme.interview_id).where(InterviewTheme.theme_id == theme_id).scalar_subquery()
    )
    query = select(
        func.count(distinct(ExitInterview.id)),
        func.count(distinct(ExitInterview.id)).filter(ExitInterview.id.in_(raised_theme)),
    ).where(ExitInterview.exit_date >= period_start, ExitInterview.exit_date <= period_end)
    if scope == Scope.DEPARTMENT:
        query = query.where(ExitInterview.department_id == group_id)
    elif scope == Scope.JOB_FAMILY:
        query = query.where(ExitInterview.job_family_id == group_id)
    leavers, raised = (await session.execute(query)).one()
    return ThemeEvidence(theme_id, period_start, period_end, raised=raised, leavers=leavers)


# --- suggestions ------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
# A score at or below this on the 1-5 questions points at the theme the question is about.
LOW_SCORE = 2
# Which theme a low score suggests (the question's field on ExitInterview -> the theme's code).
LOW_SCORE_THEMES = {
    "manager_support_score": "management",
    "training_score": "training_onboarding",
    "recognition_score": "recognition",
    "tasks_match_score": "role_mismatch",
}
# The same for the stay interview's questions (StayInterview's score fields).
STAY_LOW_SCORE_THEMES = {
    "growth_score": "growth_career",
    "recognition_score": "recognition",
    "manager_support_score": "management",
    "workload_score": "workload_autonomy",
}
PAY_THEME = "pay_benefits"
MAX_WORDS_SHOWN = 6


def fold(text: str) -> str:
    """Lower case without accents, so that "Salarié" and "salarie" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def parse_keywords(raw: str) -> list[str]:
    """The comma-separated keywords of a theme, trimmed, without empties or duplicates."""
    keywords: list[str] = []
    seen: set[str] = set()
    for part in raw.split(","):
        keyword = " ".join(part.split())
        if keyword and fold(keyword) not in seen:
            seen.add(fold(keyword))
            keywords.append(keyword)
    return keywords


def keyword_stems(keyword: str) -> tuple[str, ...]:
    """A keyword as folded word stems: "Voiture de société" -> ("voiture", "de", "societe")."""
    return tuple(fold(word) for word in _WORD.findall(unicodedata.normalize("NFC", keyword)))


@dataclass(frozen=True)
class Signal:
    """An answer that is not free text but still points at a theme (a low score, pay named as a reason)."""

    question: str  # the field of ExitInterview
    value: int | str


@dataclass
class Suggestion:
    """A theme the answers point at, with what pointed at it; HR decides whether it applies."""

    theme_id: int
    words: list[str] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)


@lru_cache(maxsize=256)
def _stems_of(raw_keywords: str) -> tuple[tuple[str, ...], ...]:
    """A theme's keywords in one language as stems; cached, as an import suggests themes for thousands of rows."""
    return tuple(stem for keyword in parse_keywords(raw_keywords) if (stem := keyword_stems(keyword)))


@lru_cache(maxsize=64)
def _spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """The words of an (NFC) text with their places, folded; cached while every theme reads the same answer."""
    return tuple((match.start(), match.end(), fold(match.group())) for match in _WORD.finditer(text))


def _matches(text: str, stems: list[tuple[str, ...]]) -> list[str]:
    """The words of the text that start with a stem (all words of a multi-word keyword, in order)."""
    text = unicodedata.normalize("NFC", text)
    spans = _spans(text)
    # Only stems with the word's first letter can match it (stems are never empty).
    by_initial: dict[str, list[tuple[str, ...]]] = {}
    for stem in stems:
        by_initial.setdefault(stem[0][0], []).append(stem)
    found: list[str] = []
    for index in range(len(spans)):
        for stem in by_initial.get(spans[index][2][:1], ()):
            end = index + len(stem)
            if end <= len(spans) and all(spans[index + k][2].startswith(part) for k, part in enumerate(stem)):
                found.append(text[spans[index][0]:spans[end - 1][1]])
    return found


def suggest_themes(
    themes: Iterable[Theme],
    *,
    texts: Iterable[str],
    language: str | None = None,
    scores: Mapping[str, int | None] | None = None,
    pay_factor: str | None = None,
    low_score_themes: Mapping[str, str] = LOW_SCORE_THEMES,
) -> dict[int, Suggestion]:
    """Themes suggested by the free-text answers (keyword stems) and by low scores, per theme id.

    The keywords of the answers' language are used; without a language, those of every language.
    Retired themes are never suggested. `low_score_themes` says which theme a low score on each
    question points at (the exit questions unless told otherwise).
    """
    languages = [language] if language in LANGUAGES else list(LANGUAGES)
    texts = [text for text in texts if text]
    by_code = {}
    suggestions: dict[int, Suggestion] = {}
    for theme in themes:
        if not theme.active:
            continue
        by_code[theme.code] = theme
        stems = [stem for lang in languages for stem in _stems_of(getattr(theme, f"keywords_{lang}"))]
        words: list[str] = []
        seen: set[str] = set()
        for text in texts:
            for word in _matches(text, stems):
                if fold(word) not in seen:
                    seen.add(fold(word))
                    words.append(word)
        if words:
            suggestions[theme.id] = Suggestion(theme.id, words=words[:MAX_WORDS_SHOWN])

    def add_signal(code: str, signal: Signal) -> None:
        theme = by_code.get(code)
        if theme is not None:
            suggestions.setdefault(theme.id, Suggestion(theme.id)).signals.append(signal)

    for question, code in low_score_themes.items():
        score = (scores or {}).get(question)
        if score is not None and score <= LOW_SCORE:
            add_signal(code, Signal(question, score))
    if pay_factor == "yes":
        add_signal(PAY_THEME, Signal("pay_factor", pay_factor))
    return suggestions


# --- the taxonomy -----------------------------------------------------------------------------

MAX_NAME = column_limit(Theme, "name_en")
MAX_DESCRIPTION = column_limit(Theme, "description_en")
MAX_KEYWORD = 60
MIN_KEYWORD = 3
MAX_KEYWORDS = 100
MAX_CODE = column_limit(Theme, "code")


@dataclass
class ThemeForm:
    name_nl: str = ""
    name_fr: str = ""
    name_en: str = ""
    description_nl: str = ""
    description_fr: str = ""
    description_en: str = ""
    keywords_nl: str = ""
    keywords_fr: str = ""
    keywords_en: str = ""
    active: str = ""

    @classmethod
    def of(cls, theme: Theme) -> ThemeForm:
        values = {name: getattr(theme, name) for name in cls.__dataclass_fields__ if name != "active"}
        return cls(**values, active="on" if theme.active else "")


@dataclass(frozen=True)
class Validated:
    values: dict[str, object]
    errors: dict[str, str]


def _clean_text(value: str) -> str:
    return "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").split("\n")).strip()


async def validate_theme(session: AsyncSession, *, form: ThemeForm, current_id: int | None = None) -> Validated:
    """Check a theme form: a name in every language (unique per language), sensible keywords."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    others = select(Theme.id, Theme.name_nl, Theme.name_fr, Theme.name_en)
    if current_id is not None:
        others = others.where(Theme.id != current_id)
    taken = {lang: set() for lang in LANGUAGES}
    for _id, *names in (await session.execute(others)).all():
        for lang, name in zip(LANGUAGES, names, strict=True):
            taken[lang].add(fold(name))
    for lang in LANGUAGES:
        name = " ".join(getattr(form, f"name_{lang}").split())
        if not name:
            errors[f"name_{lang}"] = _("Enter a name.")
        elif len(name) > MAX_NAME:
            errors[f"name_{lang}"] = _("Use at most %(max)d characters.") % {"max": MAX_NAME}
        elif fold(name) in taken[lang]:
            errors[f"name_{lang}"] = _("Another theme already has this name.")
        values[f"name_{lang}"] = name

        description = _clean_text(getattr(form, f"description_{lang}"))
        if len(description) > MAX_DESCRIPTION:
            errors[f"description_{lang}"] = _("Use at most %(max)d characters.") % {"max": MAX_DESCRIPTION}
        values[f"description_{lang}"] = description

        keywords = parse_keywords(getattr(form, f"keywords_{lang}"))
        problem = _keyword_problem(keywords)
        if problem:
            errors[f"keywords_{lang}"] = problem
        values[f"keywords_{lang}"] = ",".join(keywords)
    return Validated(values, errors)


def _keyword_problem(keywords: list[str]) -> str | None:
    if len(keywords) > MAX_KEYWORDS:
        return _("Use at most %(max)d keywords.") % {"max": MAX_KEYWORDS}
    for keyword in keywords:
        stems = keyword_stems(keyword)
        if len(keyword) > MAX_KEYWORD:
            return _("Keep each keyword under %(max)d characters: %(keyword)s") % {
                "max": MAX_KEYWORD, "keyword": keyword[:MAX_KEYWORD] + "…",
            }
        # A stem of one or two letters would match almost any answer.
        if not stems or len("".join(stems)) < MIN_KEYWORD:
            return _("Each keyword needs at least %(min)d letters: %(keyword)s") % {"min": MIN_KEYWORD, "keyword": keyword}
    return None


def _code_from(name: str) -> str:
    return "_".join(keyword_stems(name))[: MAX_CODE - 4] or "theme"


async def new_code(session: AsyncSession, *, name: str) -> str:
    """A unique, readable code for a new theme, from its English name."""
    base = _code_from(name)
    taken = set((await session.execute(select(Theme.code).where(Theme.code.like(f"{base}%")))).scalars())
    code, number = base, 2
    while code in taken:
        code, number = f"{base}_{number}", number + 1
    return code


async def taxonomy(session: AsyncSession, *, language: str) -> list[tuple[Theme, int, int]]:
    """Every theme (retired ones too) in order, with how many interviews it is tagged on and its suggested actions in a language."""
    tagged = (
        select(InterviewTheme.theme_id, func.count().label("tagged"))
        .group_by(InterviewTheme.theme_id)
        .subquery()
    )
    suggested = (
        select(ThemeSuggestion.theme_id, func.count().label("suggested"))
        .where(ThemeSuggestion.language == language)
        .group_by(ThemeSuggestion.theme_id)
        .subquery()
    )
    query = (
        select(Theme, func.coalesce(tagged.c.tagged, 0), func.coalesce(suggested.c.suggested, 0))
        .outerjoin(tagged, tagged.c.theme_id == Theme.id)
        .outerjoin(suggested, suggested.c.theme_id == Theme.id)
        .order_by(Theme.active.desc(), Theme.position, Theme.id)
    )
    return [(theme, count, suggestions) for theme, count, suggestions in (await session.execute(query)).all()]




async def _page(session: AsyncSession, *, form: ThemeForm | None = None, errors: dict[str, str] | None = None) -> Template:
    context = {"themes": await taxonomy(session, language=current_language()), "form": form or ThemeForm(), "errors": errors or {}}
    return Template("themes/index.html", context=context, status_code=400 if errors else 200)


@get("/themes", name="themes", guards=hr_only)
async def themes_page(db: NamedDependency[AsyncSession]) -> Template:
    return await _page(db)


@post("/themes", name="themes.add", guards=hr_only)
async def add_theme(
    request: Request,
    db: NamedDependency[AsyncSession],
    data: Annotated[ThemeForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
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
    data: Annotated[ThemeForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
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


async def theme_or_404(session: AsyncSession, theme_id: int) -> Theme:
    """The theme of a URL, or 404 Not Found."""
    theme = await session.get(Theme, theme_id) if 0 < theme_id < 2**31 else None
    if theme is None:
        raise NotFoundException()
    return theme


routes = [themes_page, add_theme, edit_theme, update_theme]
