"""The audit trail: every state change records who did what to which record."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.models import AuditEvent, User


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value differs, as {field: [old, new]}."""
    return {
        name: [_plain(before.get(name)), _plain(value)]
        for name, value in after.items()
        if _plain(before.get(name)) != _plain(value)
    }


def record(
    session: AsyncSession,
    *,
    actor: User | None,
    verb: str,
    entity: str,
    entity_id: int | None,
    changes: dict[str, Any] | None = None,
    request: Request | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add an audit event to the session's transaction (saved with the change it describes).

    `at` replaces the moment with a coarser one where the moment itself would say too much (a survey
    answer is recorded at the day only: see surveys/).
    """
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        verb=verb,
        entity=entity,
        entity_id=entity_id,
        changes={key: _plain(value) for key, value in (changes or {}).items()},
        ip=client_ip(request) if request else None,
    )
    if at is not None:
        event.created_at = at
    session.add(event)
    return event


def client_ip(request: Request) -> str:
    # Behind a load balancer, run uvicorn with --proxy-headers so this is the real client.
    return request.client.host if request.client else "unknown"
