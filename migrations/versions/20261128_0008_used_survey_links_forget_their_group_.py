"""used survey links forget their group and maker

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 05:43:42.328702
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

import actiontrack.models

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_invitation = sa.table(
    'survey_invitation', sa.column('id', sa.Integer), sa.column('department_id', sa.Integer),
    sa.column('job_family_id', sa.Integer), sa.column('created_by_id', sa.Integer),
    sa.column('used_at', actiontrack.models.UTCDateTime()),
)
_interview = sa.table(
    'exit_interview', sa.column('id', sa.Integer), sa.column('channel', sa.String),
    sa.column('created_at', actiontrack.models.UTCDateTime()),
    sa.column('updated_at', actiontrack.models.UTCDateTime()),
)
_audit = sa.table(
    'audit_event', sa.column('id', sa.Integer), sa.column('entity', sa.String), sa.column('entity_id', sa.Integer),
    sa.column('actor_id', sa.Integer), sa.column('verb', sa.String), sa.column('changes', sa.JSON),
    sa.column('created_at', actiontrack.models.UTCDateTime()),
)


def _day(value: datetime) -> datetime:
    return value.replace(hour=0, minute=0, second=0, microsecond=0)


def upgrade() -> None:
    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.alter_column('department_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.alter_column('job_family_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.alter_column('created_by_id',
               existing_type=sa.INTEGER(),
               nullable=True)

    # What was recorded before: used links and survey answers lose what joined them (see surveys.claim).
    bind = op.get_bind()
    used = bind.execute(
        sa.select(_invitation.c.id, _invitation.c.used_at).where(_invitation.c.used_at.is_not(None))).all()
    for invitation_id, used_at in used:
        bind.execute(_invitation.update().where(_invitation.c.id == invitation_id).values(
            department_id=None, job_family_id=None, created_by_id=None, used_at=_day(used_at)))
    if used:
        bind.execute(_audit.update().where(
            _audit.c.entity == 'survey_invitation', _audit.c.entity_id.in_([row.id for row in used]),
        ).values(changes={}))
    surveys = bind.execute(sa.select(_interview.c.id, _interview.c.created_at, _interview.c.updated_at)
                           .where(_interview.c.channel == 'survey')).all()
    for interview_id, created_at, updated_at in surveys:
        bind.execute(_interview.update().where(_interview.c.id == interview_id).values(
            created_at=_day(created_at), updated_at=_day(updated_at) if updated_at == created_at else updated_at))
    if surveys:
        events = bind.execute(sa.select(_audit.c.id, _audit.c.created_at).where(
            _audit.c.entity == 'exit_interview', _audit.c.verb == 'create', _audit.c.actor_id.is_(None),
            _audit.c.entity_id.in_([row.id for row in surveys]),
        )).all()
        for event_id, created_at in events:
            bind.execute(_audit.update().where(_audit.c.id == event_id).values(created_at=_day(created_at)))


def downgrade() -> None:
    # Used links without their group cannot go back under NOT NULL; they only answered "already used".
    op.execute(_invitation.delete().where(sa.or_(
        _invitation.c.department_id.is_(None), _invitation.c.job_family_id.is_(None),
        _invitation.c.created_by_id.is_(None),
    )))
    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.alter_column('created_by_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.alter_column('job_family_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.alter_column('department_id',
               existing_type=sa.INTEGER(),
               nullable=False)
