"""Forms: one macro set (templates/_forms.html) writes every control, and text limits come from the model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from actiontrack import models
from actiontrack.models import ActionItem, User, column_limit

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MACROS = TEMPLATES / "_forms.html"
CONTROL = re.compile(r"<(input|select|textarea)\b[^>]*>", re.IGNORECASE)
# Controls that carry no label, hint or error, and so need no macro: a value the form sends back unseen.
ALLOWED = {
    "hidden input": re.compile(r'<input type="hidden"'),
}


def templates() -> list[Path]:
    return sorted(path for path in TEMPLATES.rglob("*.html") if path != MACROS)


def test_no_template_writes_a_control_outside_the_form_macros() -> None:
    stray = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in templates()
        for match in CONTROL.finditer(path.read_text())
        if not any(allowed.match(match.group(0)) for allowed in ALLOWED.values())
    ]
    assert stray == [], "write these with templates/_forms.html:\n" + "\n".join(stray)


def test_no_template_types_a_maxlength() -> None:
    typed = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in [*templates(), MACROS]
        for match in re.finditer(r'maxlength\s*=\s*["\']?\d+', path.read_text(), re.IGNORECASE)
    ]
    assert typed == [], "take the limit from the model, maxlength=limit(\"Model\", \"column\"):\n" + "\n".join(typed)


def test_the_checks_above_find_what_they_look_for() -> None:
    assert CONTROL.search('<p><input id="x" name="x" type="text"></p>')
    assert not any(allowed.match('<input id="x" type="text">') for allowed in ALLOWED.values())
    assert ALLOWED["hidden input"].match('<input type="hidden" name="version" value="3">')


def test_a_column_limit_is_the_model_field_max_length() -> None:
    assert column_limit(ActionItem, "title_nl") == 200
    assert column_limit("ActionItem", "description_en") == 5000
    assert column_limit(User, "email") == 254
    with pytest.raises(LookupError):
        column_limit(ActionItem, "deadline")


def _limited_string_columns() -> list[tuple[type[SQLModel], str, int]]:
    """Every VARCHAR(n) column whose model field states a max_length (hashes, addresses and codes need none)."""
    tables = [value for value in vars(models).values()
              if isinstance(value, type) and issubclass(value, SQLModel) and hasattr(value, "__table__")]
    return [(table, column.name, column.type.length) for table in tables for column in table.__table__.columns
            if isinstance(column.type, sa.String) and not isinstance(column.type, sa.Text) and column.type.length
            and any(getattr(item, "max_length", None) for item in table.model_fields[column.name].metadata)]


def test_the_forms_texts_are_limited_columns() -> None:
    limited = {(table.__name__, column) for table, column, _length in _limited_string_columns()}
    assert {("ActionItem", "title_nl"), ("User", "display_name"), ("Webhook", "url"), ("Theme", "name_fr")} <= limited


@pytest.mark.parametrize(("table", "column", "length"), _limited_string_columns(),
                         ids=lambda value: value.__name__ if isinstance(value, type) else str(value))
def test_a_limited_column_holds_what_its_model_field_allows(table: type[SQLModel], column: str, length: int) -> None:
    """The form and the check allow what the database column holds: Field(sa_type=String(n), max_length=n)."""
    assert column_limit(table, column) == length
