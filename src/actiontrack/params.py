"""Values read from URLs, forms and JSON: ids, numbers, dates and text, never trusted as they come.

Every route reads its values through these functions, and `request_checks.py` applies the text
rules to every form and JSON body and query string before any handler sees them. Text written
out again (feeds, calendars, mail subjects, the terminal) goes through `one_line` or `clean_text`
too, so rows saved before these rules existed cannot break what is made of them.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from actiontrack.settings import LANGUAGES

# The largest id the database columns hold (a 32-bit integer on PostgreSQL).
MAX_ID = 2**31 - 1
# How deeply a JSON body may nest; the API's documents need four levels.
MAX_JSON_DEPTH = 32

# C0 controls but tab, line feed and carriage return; DEL; C1 controls; lone surrogates (which
# cannot be encoded as UTF-8); and the noncharacters U+FFFE/U+FFFF. PostgreSQL refuses NUL, XML
# refuses the C0 controls, and a terminal runs escape sequences.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Everything that ends or breaks a line, for single-line contexts (titles, mail subjects, log lines).
_LINE_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]+")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """Text without control characters; line breaks and tabs are kept only when `multiline`."""
    text = _CONTROL.sub("", value)
    return text if multiline else _LINE_BREAKS.sub(" ", text)


def one_line(value: object) -> str:
    """Text for a single-line context: no control characters, each run of line breaks one space."""
    return clean_text(str(value), multiline=False)


def has_control_characters(value: str) -> bool:
    """Whether text holds characters that `clean_text` would remove."""
    return _CONTROL.search(value) is not None


def parse_int(value: object, *, minimum: int, maximum: int) -> int | None:
    """A whole number within the bounds from a form or the query string, or None when it cannot be one."""
    text = str(value).strip() if value is not None else ""
    sign = -1 if text[:1] == "-" else 1
    digits = text[1:] if text[:1] in "+-" and text else text
    # ASCII digits only ("²".isdigit() is true, but int("²") fails), and no 4,300-digit strings to convert.
    if not digits.isascii() or not digits.isdigit() or len(digits) > len(str(max(abs(minimum), abs(maximum)))):
        return None
    number = sign * int(digits)
    return number if minimum <= number <= maximum else None


def parse_id(value: object) -> int | None:
    """A database id from a form or the query string, or None when it cannot be one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if is_id(value) else None
    return parse_int(value, minimum=1, maximum=MAX_ID)


def is_id(value: int) -> bool:
    """Whether a path's integer can be an id at all (larger ones overflow the database's columns)."""
    return 0 < value <= MAX_ID


def parse_date(value: object, *, earliest: date = date(1900, 1, 1), latest: date = date(2999, 12, 31)) -> date | None:
    """An ISO date (2026-03-31) within the bounds, or None."""
    if isinstance(value, date):
        found: date | None = value
    else:
        try:
            found = date.fromisoformat(str(value).strip())
        except ValueError:
            return None
    return found if found is not None and earliest <= found <= latest else None


def clean_json(value: Any, *, depth: int = 0) -> Any:
    """A parsed JSON document with every string cleaned; ValueError when it nests too deeply."""
    if depth > MAX_JSON_DEPTH:
        raise ValueError("nested too deeply")
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_json(item, depth=depth + 1) for item in value]
    if isinstance(value, dict):
        return {clean_text(key): clean_json(item, depth=depth + 1) for key, item in value.items()}
    return value


# Query parameters that may be given more than once (the new-action form's themes); every other one
# takes one value.
REPEATABLE = frozenset({"themes"})


def repeated(pairs: list[tuple[str, str]]) -> list[str]:
    """The single-valued names given more than once, in order of first appearance."""
    seen: set[str] = set()
    twice: list[str] = []
    for key, _value in pairs:
        if key in seen and key not in REPEATABLE and key not in twice:
            twice.append(key)
        seen.add(key)
    return twice


def first_values(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs with the first value of each single-valued name only (repeatable ones keep them all).

    One rule for every reader: Litestar's parameters take a repeated name's last value, the query's
    MultiDict its first.
    """
    seen: set[str] = set()
    kept = []
    for key, value in pairs:
        if key in REPEATABLE or key not in seen:
            kept.append((key, value))
        seen.add(key)
    return kept


def normalise_email(email: str) -> str:
    """An email as accounts store and compare it: trimmed and lower-cased."""
    return email.strip().lower()


def safe_next(target: str | None) -> str:
    """Only same-site paths, so the login page cannot send anyone to another site.

    Browsers drop tabs and line breaks from URLs and read a backslash as a slash, so "/\t/evil.com"
    and "/\\evil.com" would become "//evil.com", another host: no control characters, no spaces, no
    backslashes, and no scheme-relative "//".
    """
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(unicodedata.category(char)[0] in "CZ" for char in target):
        return "/"
    return target


def text_fields(*names: str, per_language: Iterable[str] = (), frozen: bool = False) -> Callable[[type], type]:
    """Makes a class a dataclass of texts as typed: a `str` field, empty by default, for each of `names` and
    for each of `per_language` in every language (`title_nl`, `title_fr`, ...), before the fields the class
    declares itself (which keep their own types and defaults)."""
    generated = [*names, *(f"{text}_{language}" for text in per_language for language in LANGUAGES)]

    def make(cls: type) -> type:
        cls.__annotations__ = {**dict.fromkeys(generated, "str"), **inspect.get_annotations(cls)}
        for name in generated:
            setattr(cls, name, "")
        return dataclass(frozen=frozen)(cls)
    return make
