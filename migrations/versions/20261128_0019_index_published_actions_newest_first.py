"""index published actions newest first (/changes reads its listing from the index alone)

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-28 15:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Not in batch mode: an index needs no table copy on SQLite.
    op.create_index('ix_action_item_published', 'action_item', ['published', 'published_at', 'id', 'status'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_action_item_published', table_name='action_item')
