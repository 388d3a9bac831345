"""released reporting periods

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 05:41:39.418022
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import actiontrack.models

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reporting_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('length', sa.String(length=20), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('released_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('interviews', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_period')),
    sa.UniqueConstraint('length', 'period_start', name='uq_reporting_period_length_start')
    )
    op.create_table('released_group',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('grouping', sa.String(length=20), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('leavers', sa.Integer(), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=True),
    sa.Column('tasks_match_score', sa.Integer(), nullable=False),
    sa.Column('manager_support_score', sa.Integer(), nullable=False),
    sa.Column('training_score', sa.Integer(), nullable=False),
    sa.Column('recognition_score', sa.Integer(), nullable=False),
    sa.Column('would_return', sa.Integer(), nullable=False),
    sa.Column('promoters', sa.Integer(), nullable=False),
    sa.Column('detractors', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['reporting_period.id'],
                            name=op.f('fk_released_group_period_id_reporting_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('period_id', 'grouping', 'group_id', name=op.f('pk_released_group'))
    )
    op.create_table('released_theme',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('grouping', sa.String(length=20), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('raised', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['reporting_period.id'],
                            name=op.f('fk_released_theme_period_id_reporting_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_released_theme_theme_id_theme')),
    sa.PrimaryKeyConstraint('period_id', 'grouping', 'group_id', 'theme_id', name=op.f('pk_released_theme'))
    )


def downgrade() -> None:
    op.drop_table('released_theme')
    op.drop_table('released_group')
    op.drop_table('reporting_period')
