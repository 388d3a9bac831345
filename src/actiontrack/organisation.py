"""The organisation: departments (with headcount, for turnover) and job families, kept by HR.

`name` is the key HR and the imports match on; the optional names per language are what staff
reading that language see on public pages, reminders and figures (else `name`).
"""

from __future__ import annotations

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
from actiontrack.i18n import gettext as _
from actiontrack.models import Department, JobFamily, column_limit
from actiontrack.settings import LANGUAGES
from actiontrack.web import hr_only, redirect_to

# Departments and job families share their names' limits (the key and the one per language).
MAX_NAME = column_limit(Department, "name")
MAX_HEADCOUNT = 1_000_000
KINDS = {"department": Department, "job_family": JobFamily}


@dataclass
class GroupForm:
    name: str = ""
    headcount: str = ""
    active: str = ""
    name_nl: str = ""
    name_fr: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class Validated:
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
    if kind == "department":
        try:
            headcount = int(form.headcount.strip())
        except ValueError:
            errors["headcount"] = _("Enter the number of employees as a whole number.")
        else:
            if not 0 <= headcount <= MAX_HEADCOUNT:
                errors["headcount"] = _("Enter a number between 0 and %(max)d.") % {"max": MAX_HEADCOUNT}
            values["headcount"] = headcount
    return Validated(values, errors)


async def _page(session: AsyncSession, **extra: object) -> Template:
    departments = (await session.execute(select(Department).order_by(Department.name))).scalars().all()
    job_families = (await session.execute(select(JobFamily).order_by(JobFamily.name))).scalars().all()
    context = {"departments": departments, "job_families": job_families, "errors": {}, "form": None, "kind": None}
    context.update(extra)
    status = 400 if context["errors"] else 200
    return Template("organisation/index.html", context=context, status_code=status)




@get("/organisation", name="organisation", guards=hr_only)
async def organisation(db: NamedDependency[AsyncSession]) -> Template:
    return await _page(db)


@post("/organisation/{kind:str}", name="organisation.add", guards=hr_only)
async def add_group(
    request: Request,
    db: NamedDependency[AsyncSession],
    kind: FromPath[str],
    data: Annotated[GroupForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    if kind not in KINDS:
        raise NotFoundException()
    checked = await validate_group(db, kind=kind, form=data)
    if checked.errors:
        return await _page(db, errors=checked.errors, form=data, kind=kind)
    group = KINDS[kind](**checked.values)
    db.add(group)
    await db.flush()
    audit.record(db, actor=request.user, verb="create", entity=kind, entity_id=group.id,
                 changes=checked.values, request=request)
    return redirect_to(request, "organisation")


@get("/organisation/{kind:str}/{group_id:int}", name="organisation.edit", guards=hr_only)
async def edit_group(db: NamedDependency[AsyncSession], kind: FromPath[str], group_id: FromPath[int]) -> Template:
    group = await _get(db, kind, group_id)
    form = GroupForm(name=group.name, headcount=str(getattr(group, "headcount", "")), active="on" if group.active else "",
                     **{f"name_{language}": name for language, name in group.names().items()})
    return Template("organisation/edit.html", context={"kind": kind, "group": group, "form": form, "errors": {}})


@post("/organisation/{kind:str}/{group_id:int}", name="organisation.update", guards=hr_only)
async def update_group(
    request: Request,
    db: NamedDependency[AsyncSession],
    kind: FromPath[str],
    group_id: FromPath[int],
    data: Annotated[GroupForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    group = await _get(db, kind, group_id)
    checked = await validate_group(db, kind=kind, form=data, current_id=group.id)
    checked.values["active"] = data.active == "on"
    if checked.errors:
        return Template("organisation/edit.html", status_code=400,
                        context={"kind": kind, "group": group, "form": data, "errors": checked.errors})
    before = {name: getattr(group, name) for name in checked.values}
    for name, value in checked.values.items():
        setattr(group, name, value)
    changes = audit.changed_fields(before, checked.values)
    if changes:
        audit.record(db, actor=request.user, verb="update", entity=kind, entity_id=group.id,
                     changes=changes, request=request)
    return redirect_to(request, "organisation")


async def _get(session: AsyncSession, kind: str, group_id: int) -> Department | JobFamily:
    model = KINDS.get(kind)
    group = await session.get(model, group_id) if model else None
    if group is None:
        raise NotFoundException()
    return group


routes = [organisation, add_group, edit_group, update_group]
