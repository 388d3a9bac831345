"""action history records owner changes

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-25 05:24:25.086739
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('action_update', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_before_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('owner_after_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_action_update_owner_before_id_app_user'), 'app_user', ['owner_before_id'], ['id']
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_action_update_owner_after_id_app_user'), 'app_user', ['owner_after_id'], ['id']
        )


def downgrade() -> None:
    with op.batch_alter_table('action_update', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_action_update_owner_after_id_app_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_action_update_owner_before_id_app_user'), type_='foreignkey')
        batch_op.drop_column('owner_after_id')
        batch_op.drop_column('owner_before_id')
