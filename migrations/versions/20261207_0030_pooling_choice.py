"""pooling choice: HR turns pools of small groups on or off in the app, beside the period length

Revision ID: 0030
Revises: 0032
Create Date: 2026-12-07 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0030'
down_revision: str | None = '0032'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reporting_choice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pooling', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('reporting_choice', schema=None) as batch_op:
        batch_op.drop_column('pooling')
