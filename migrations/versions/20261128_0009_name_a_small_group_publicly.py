"""name a small group publicly

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 05:55:17.395006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_group_publicly', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_column('name_group_publicly')

