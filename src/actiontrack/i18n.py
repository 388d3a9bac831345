"""Languages: catalogs, the request's language, and formatting of dates and numbers."""

from __future__ import annotations

import io
from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

from actiontrack.settings import LANGUAGES

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}
# Belgian conventions for dates and numbers in every language.
# Parsed once: Babel re-reads a locale named by a string on every call.
BABEL_LOCALES = {code: Locale.parse(name) for code, name in {"nl": "nl_BE", "fr": "fr_BE", "en": "en_BE"}.items()}

BRUSSELS = ZoneInfo("Europe/Brussels")

_language: ContextVar[str] = ContextVar("language", default="en")


@cache
def translations(language: str) -> NullTranslations:
    """The catalog of a language, compiled in memory from its .po file (English is the source)."""
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == "en" or not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)


def set_language(language: str) -> None:
    _language.set(language if language in LANGUAGES else "en")


def current_language() -> str:
    return _language.get()


def gettext(message: str) -> str:
    return translations(current_language()).ugettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current_language()).ungettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for a marker)
    """Marks a string for extraction; it is translated where it is shown."""
    return message


# The name of each language in the reader's language ("French" in English, "Frans" in Dutch).
LANGUAGE_LABELS = {"nl": N_("Dutch"), "fr": N_("French"), "en": N_("English")}


def language_label(code: str) -> str:
    return gettext(LANGUAGE_LABELS[code])


# French sets a colon (and ; ? !) apart with a non-breaking space: "Statut :". The catalogs write it
# in their strings (tests/test_wording.py checks); a colon a template adds after a label comes from here.
NO_BREAK_SPACE = "\u00a0"


def colon_mark() -> str:
    """The colon that follows a label in the current language ("\u00a0:" in French)."""
    return NO_BREAK_SPACE + ":" if current_language() == "fr" else ":"


def with_colon(label: object) -> str:
    """A label and its colon as the current language writes them; none after a question ("Did it work?").

    A text in several languages (texts.Texts) or a name (texts.Localized) gives its words; markup stays markup.
    """
    label = (label if isinstance(label, str) else str(label)).rstrip()
    return label if label.endswith(("?", "!")) else label + colon_mark()


def parse_accept_language(header: str | None) -> str | None:
    """The best of our languages for an Accept-Language header, honouring q-values."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


def format_date(value: date | datetime | None, style: str = "medium") -> str:
    if value is None:
        return ""
    language = current_language()
    if isinstance(value, datetime):
        written = babel_format_datetime(value, "d MMM y, HH:mm", tzinfo="Europe/Brussels",
                                        locale=BABEL_LOCALES[language])
        # Babel reads a naive moment as UTC and writes it in Brussels time: so does the day.
        day = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(BRUSSELS).day
    else:
        written = babel_format_date(value, style, locale=BABEL_LOCALES[language])
        day = value.day
    # French writes the first of the month as an ordinal: "1er juillet", never "1 juillet".
    if language == "fr" and day == 1 and written.startswith("1 "):
        written = "1er" + written[1:]
    return written


def format_month(value: date | datetime) -> str:
    return babel_format_date(value, "MMMM y", locale=BABEL_LOCALES[current_language()])


def format_number(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return ""
    return _formatted(value, decimals, current_language(), percent=False)


def format_share(value: float | None, decimals: int = 0) -> str:
    """A ratio (0.25) as a percentage in the current language ("25 %" in French)."""
    if value is None:
        return ""
    return _formatted(value, decimals, current_language(), percent=True)


def format_points(value: float | None) -> str:
    """A difference of two shares (-0.12) in percentage points, with its sign ("−12")."""
    if value is None:
        return ""
    points = round(value * 100)
    sign = "+" if points > 0 else "\u2212" if points < 0 else ""
    return sign + _formatted(abs(points), 0, current_language(), percent=False)


@lru_cache(maxsize=4096)
def _formatted(value: float | int, decimals: int, language: str, *, percent: bool) -> str:
    """Babel is slow and a page shows the same small numbers many times over."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    if percent:
        return format_percent(value, format=pattern + " %", locale=BABEL_LOCALES[language])
    return format_decimal(value, format=pattern, locale=BABEL_LOCALES[language])
