"""people: sessions that end, last sign-in, password reset requests

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28 08:40:59.557214
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import actiontrack.models

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('password_reset_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('created_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_request'))
    )
    op.create_index(op.f('ix_password_reset_request_created_at'), 'password_reset_request', ['created_at'],
                    unique=False)
    op.create_index(op.f('ix_password_reset_request_email'), 'password_reset_request', ['email'], unique=False)
    op.create_index(op.f('ix_password_reset_request_ip'), 'password_reset_request', ['ip'], unique=False)
    # Plain ADD COLUMN, not batch mode: recreating app_user on SQLite would fight every foreign key to it.
    op.add_column('app_user', sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))
    op.add_column('app_user',
                  sa.Column('last_sign_in_at', actiontrack.models.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('app_user', 'last_sign_in_at')
    op.drop_column('app_user', 'session_generation')
    op.drop_index(op.f('ix_password_reset_request_ip'), table_name='password_reset_request')
    op.drop_index(op.f('ix_password_reset_request_email'), table_name='password_reset_request')
    op.drop_index(op.f('ix_password_reset_request_created_at'), table_name='password_reset_request')
    op.drop_table('password_reset_request')
