"""What a valid department or job family is: a unique name, optional names per language, a headcount
(required for a department, optional for a job family).

`name` is the key HR and the imports match on; the optional names per language are what staff
reading that language see on public pages, reminders and figures (else `name`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.i18n import gettext as _
from actiontrack.models import Department, JobFamily, column_limit
from actiontrack.params import text_fields
from actiontrack.settings import LANGUAGES

# Departments and job families share their names' limits (the key and the one per language).
MAX_NAME = column_limit(Department, "name")
MAX_HEADCOUNT = 1_000_000
KINDS = {"department": Department, "job_family": JobFamily}


@text_fields("name", "headcount", "active", per_language=("name",))
class GroupForm:
    """A department or job family as HR types it (and as the organisation import reads each row)."""


@dataclass(frozen=True)
class Validated:
    """A group form's tidied values and a message per field that breaks a rule."""

    values: dict[str, object]
    errors: dict[str, str]


async def validate_group(
    session: AsyncSession, *, kind: str, form: GroupForm, current_id: int | None = None
) -> Validated:
    """Check a department or job family form; names are unique regardless of case."""
    model = KINDS[kind]
    checked = check_group(kind=kind, form=form, is_new=current_id is None)
    name = checked.values["name"]
    if "name" not in checked.errors:
        clash = select(model.id).where(func.lower(model.name) == str(name).lower())
        if current_id is not None:
            clash = clash.where(model.id != current_id)
        if (await session.execute(clash)).first():
            checked.errors["name"] = _("This name is already used.")
    return checked


def check_group(*, kind: str, form: GroupForm, is_new: bool = True) -> Validated:
    """The checks of a department or job family that need no database (the import checks many rows at once)."""
    errors: dict[str, str] = {}
    name = " ".join(form.name.split())
    if not name:
        errors["name"] = _("Enter a name.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("Use at most %(max)d characters.") % {"max": MAX_NAME}
    values: dict[str, object] = {"name": name, "active": form.active == "on" or is_new}
    for language in LANGUAGES:
        translated = " ".join(getattr(form, f"name_{language}").split())
        if len(translated) > MAX_NAME:
            errors[f"name_{language}"] = _("Use at most %(max)d characters.") % {"max": MAX_NAME}
        values[f"name_{language}"] = translated
    # A department's headcount gives its turnover and is required; a job family's is optional (blank: 0,
    # not entered) and only decides whether it is shown in a pool with other small job families.
    if kind == "job_family" and not form.headcount.strip():
        values["headcount"] = 0
    else:
        try:
            headcount = int(form.headcount.strip())
        except ValueError:
            errors["headcount"] = _("Enter the number of employees as a whole number.")
        else:
            if not 0 <= headcount <= MAX_HEADCOUNT:
                errors["headcount"] = _("Enter a number between 0 and %(max)d.") % {"max": MAX_HEADCOUNT}
            values["headcount"] = headcount
    return Validated(values, errors)
