"""Reads the import compares rows with, and the writes of a committed import (one transaction)."""

from __future__ import annotations

from litestar import Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.accounts.invitations import InviteForm, invite_person
from actiontrack.models import AuditEvent, User
from actiontrack.org_import.rules import (
    CREATE,
    INVITE,
    UPDATE,
    ExistingGroup,
    GroupRow,
    PersonRow,
    Plan,
    name_key,
)
from actiontrack.organisation.rules import KINDS

IMPORT_VERB = "import"


async def existing_groups(session: AsyncSession, *, kind: str) -> dict[str, ExistingGroup]:
    """The departments or job families there are, by `name_key`, in one query."""
    model = KINDS[kind]
    found = (await session.execute(select(model.id, model.name, model.active, model.headcount))).all()
    return {name_key(name): ExistingGroup(id=group_id, name=name, active=active, headcount=headcount)
            for group_id, name, active, headcount in found}


async def existing_emails(session: AsyncSession) -> set[str]:
    """Every account's email (stored lower-cased), deactivated ones included, in one query."""
    return set((await session.execute(select(User.email))).scalars())


async def apply_groups(session: AsyncSession, *, kind: str, plan: Plan, filename: str, actor: User,
                       request: Request) -> AuditEvent:
    """Create and update what the plan says, and record it as one audited import; nothing is deleted."""
    model = KINDS[kind]
    rows: list[GroupRow] = plan.rows  # type: ignore[assignment]
    created = [row for row in rows if row.outcome == CREATE]
    updated = [row for row in rows if row.outcome == UPDATE]
    for row in created:
        session.add(model(name=row.name, active=True, headcount=row.new_headcount or 0))
    if updated:
        by_id = {group.id: group for group in (await session.execute(
            select(model).where(model.id.in_([row.existing.id for row in updated if row.existing])))).scalars()}
        for row in updated:
            if row.existing:
                by_id[row.existing.id].headcount = row.new_headcount  # type: ignore[union-attr]
    await session.flush()
    changes = {
        "file": filename, "rows": len(rows), **{outcome: count for outcome, count in sorted(plan.counts.items())},
        "created": [row.name for row in created],
        "updated": {row.existing.name: [row.existing.headcount, row.new_headcount] for row in updated if row.existing},
    }
    event = audit.record(session, actor=actor, verb=IMPORT_VERB, entity=kind, entity_id=None, changes=changes,
                         request=request)
    await session.flush()
    return event


async def apply_people(session: AsyncSession, *, plan: Plan, filename: str, actor: User,
                       request: Request) -> list[tuple[User, str]]:
    """Invite everyone the plan says (each audited as an invitation), and record the import as one event."""
    rows: list[PersonRow] = plan.rows  # type: ignore[assignment]
    invited = []
    for row in rows:
        if row.outcome == INVITE:
            form = InviteForm(email=row.email, display_name=row.name, role=row.role, language=row.language)
            invited.append(await invite_person(session, actor=actor, form=form, request=request))
    audit.record(session, actor=actor, verb=IMPORT_VERB, entity="user", entity_id=None, request=request,
                 changes={"file": filename, "rows": len(rows),
                          **{outcome: count for outcome, count in sorted(plan.counts.items())}})
    return invited


async def import_event(session: AsyncSession, *, event_id: int) -> AuditEvent | None:
    """An organisation import's audit event, which its summary page shows."""
    event = await session.get(AuditEvent, event_id)
    if event is None or event.verb != IMPORT_VERB or event.entity not in KINDS:
        return None
    return event
