"""job families get an optional headcount (small ones are shown in pools outside HR)

Revision ID: 0027
Revises: 0020
Create Date: 2026-12-07 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0027'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('job_family', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headcount', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('job_family', schema=None) as batch_op:
        batch_op.drop_column('headcount')
