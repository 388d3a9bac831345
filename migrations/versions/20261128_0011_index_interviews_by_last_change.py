"""index interviews by last change

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 06:37:44.646141
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Not in batch mode: recreating exit_interview on SQLite would drop the triggers of 0010.
    op.create_index(op.f('ix_exit_interview_updated_at'), 'exit_interview', ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_exit_interview_updated_at'), table_name='exit_interview')
