"""What themes mean for the answers: keyword suggestions from free text and low scores, and a valid theme.

Suggestions are only offered: HR decides whether a theme applies to an interview.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.i18n import gettext as _
from actiontrack.models import Theme, column_limit
from actiontrack.settings import LANGUAGES

# --- suggestions from the answers ------------------------------------------------------------

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


# --- a valid theme ----------------------------------------------------------------------------

MAX_NAME = column_limit(Theme, "name_en")
MAX_DESCRIPTION = column_limit(Theme, "description_en")
MAX_KEYWORD = 60
MIN_KEYWORD = 3
MAX_KEYWORDS = 100
MAX_CODE = column_limit(Theme, "code")


@dataclass
class ThemeForm:
    """A theme as HR types it on the themes page."""

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
    """A theme form's tidied values and a message per field that breaks a rule."""

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
