"""HR's organisation page: departments (with headcount, for turnover) and job families (templates/organisation/).

What a valid group is lives in organisation/rules.py, shared with the organisation import.
"""

from __future__ import annotations

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.models import Department, JobFamily
from actiontrack.organisation.rules import KINDS, GroupForm, validate_group
from actiontrack.web import FormBody, hr_only, redirect_to


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
    data: FormBody[GroupForm],
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
    form = GroupForm(name=group.name, headcount=str(getattr(group, "headcount", "")),
                     active="on" if group.active else "",
                     **{f"name_{language}": name for language, name in group.names().items()})
    return Template("organisation/edit.html", context={"kind": kind, "group": group, "form": form, "errors": {}})


@post("/organisation/{kind:str}/{group_id:int}", name="organisation.update", guards=hr_only)
async def update_group(
    request: Request,
    db: NamedDependency[AsyncSession],
    kind: FromPath[str],
    group_id: FromPath[int],
    data: FormBody[GroupForm],
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
