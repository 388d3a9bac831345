"""released pools: small departments and job families shown together outside HR, frozen per period

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 19:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0028'
down_revision: str | None = '0027'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'released_pool',
        sa.Column('period_id', sa.Integer(), nullable=False),
        sa.Column('grouping', sa.String(length=20), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('pool_id', sa.Integer(), nullable=False),
        sa.Column('headcount', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['period_id'], ['reporting_period.id'],
                                name=op.f('fk_released_pool_period_id_reporting_period'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('period_id', 'grouping', 'group_id', name=op.f('pk_released_pool')),
    )


def downgrade() -> None:
    op.drop_table('released_pool')
